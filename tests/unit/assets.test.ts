/**
 * Which file a URL path may name: a file inside the renderer folder, or nothing. A table of
 * escape attempts, and a generated property: whatever the path, never outside the folder.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  mimeType,
  resolveAssetPath,
  SECURITY_HEADERS,
} from '../../main/host/assets';

const root = path.resolve('/srv/kasuwa/renderer');

function inside(resolved: string): boolean {
  return resolved === root || resolved.startsWith(root + path.sep);
}

describe('resolveAssetPath', () => {
  it.each([
    ['/', 'index.html'],
    ['', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/index-abc.js', 'assets/index-abc.js'],
    ['/assets/index-abc.js?v=1#x', 'assets/index-abc.js'],
    ['/assets/index-abc.js#frag', 'assets/index-abc.js'],
    ['/assets/fonts/Inter%20Bold.woff2', 'assets/fonts/Inter Bold.woff2'],
    ['/assets/n%C3%A1ira.svg', 'assets/náira.svg'],
    ['//assets//logo.svg', 'assets/logo.svg'],
    ['/?token=abc', 'index.html'],
  ])('%j → <root>/%s', (url, relative) => {
    expect(resolveAssetPath(root, url)).toBe(path.join(root, relative));
  });

  it.each([
    ['/../secret.txt', 'parent folder'],
    ['/..', 'the parent itself'],
    ['/assets/../../secret.txt', 'parent folder after a real one'],
    ['/assets/../index.html', 'a .. even when it stays inside'],
    ['/%2e%2e/secret.txt', 'encoded dots'],
    ['/%2E%2E/secret.txt', 'upper-case encoded dots'],
    ['/.%2e/secret.txt', 'half-encoded dots'],
    ['/assets/%2e%2e/%2e%2e/etc/passwd', 'encoded dots twice'],
    ['/%2e%2e%2fsecret.txt', 'encoded dots and slash'],
    ['/..%2f..%2fsecret.txt', 'dots with an encoded slash'],
    ['/..%5c..%5csecret.txt', 'encoded backslash'],
    ['/assets%5c..%5c..%5csecret.txt', 'encoded backslash after a folder'],
    ['/assets\\..\\..\\secret.txt', 'raw backslash'],
    ['/C:\\Windows\\win.ini', 'a Windows absolute path'],
    ['/%5C%5Cserver%5Cshare%5Cfile', 'an encoded UNC path'],
    ['/index.html%00.png', 'an encoded null byte'],
    ['/index.html\0.png', 'a raw null byte'],
    ['/.env', 'a dotfile'],
    ['/.git/config', 'a dot folder'],
    ['/assets/.hidden', 'a nested dotfile'],
    ['/%2egit/config', 'an encoded dot folder'],
    ['/./index.html', 'a dot segment'],
    ['/%E0%A4%A', 'a broken percent escape'],
    ['/%', 'a lone percent sign'],
  ])('%j → null (%s)', (url) => {
    expect(resolveAssetPath(root, url)).toBeNull();
  });

  it.each([
    '/%2Fetc/passwd',
    '//etc/passwd',
    '///etc/passwd',
    '/%2F%2Fetc%2Fpasswd',
    '/C:/Windows/win.ini',
    'http://evil.example/etc/passwd',
    'file:///etc/passwd',
    '/%252e%252e/secret.txt',
  ])('keeps the absolute-looking %j inside the folder', (url) => {
    const resolved = resolveAssetPath(root, url);
    expect(resolved === null || inside(resolved)).toBe(true);
    expect(resolved).not.toBe(path.resolve('/etc/passwd'));
  });

  it('never names a file outside the folder, whatever the path (generated)', () => {
    const segment = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '%2E.',
        '%2f',
        '%5c',
        '\\',
        '',
        'assets',
        'index.html',
        '%00',
        '.git',
      ),
      fc.string({ maxLength: 8 }),
    );
    const urlPath = fc.oneof(
      fc.array(segment, { maxLength: 8 }).map((parts) => `/${parts.join('/')}`),
      fc.string({ maxLength: 40 }),
      fc.webPath(),
    );
    fc.assert(
      fc.property(urlPath, (url) => {
        const resolved = resolveAssetPath(root, url);
        if (resolved === null) return;
        expect(inside(resolved)).toBe(true);
        const relative = path.relative(root, resolved);
        expect(relative.split(path.sep).some((part) => part === '..' || part.startsWith('.'))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the headers every page carries', () => {
  it('a strict Content-Security-Policy with no inline or eval script', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    const directives = new Map(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    // The one wildcard: the store preview's frames, served by this counter on a loopback port.
    expect(directives.get('frame-src')).toEqual(['http://127.0.0.1:*']);
    expect(CONTENT_SECURITY_POLICY.replace('http://127.0.0.1:*', '')).not.toMatch(
      /unsafe-inline|unsafe-eval|\*/,
    );
    expect(SECURITY_HEADERS['X-Content-Type-Options']).toBe('nosniff');
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/app.JS', 'text/javascript; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['kasuwa.db', 'application/octet-stream'],
    ['no-extension', 'application/octet-stream'],
  ])('serves %s as %s', (file, type) => {
    expect(mimeType(file)).toBe(type);
  });
});
