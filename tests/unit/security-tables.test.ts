/** Table tests for the pure security checks: who may talk to main, which file a URL may name. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAssetPath } from '../../main/host/assets';
import { isAllowedNavigation, isTrustedRendererUrl } from '../../main/ipc/trusted-sender';

describe('isTrustedRendererUrl', () => {
  it.each([
    ['app://kasuwa/index.html', true],
    ['app://kasuwa/index.html#/sell', true],
    ['app://kasuwa/', true],
    // Chromium lower-cases a standard scheme's host, so an upper-case one never comes from our page.
    ['app://KASUWA/index.html', false],
    ['app://kasuwa.evil/index.html', false],
    ['app://evil.kasuwa/index.html', false],
    ['app://user@kasuwa/index.html', false],
    ['app://user:pw@kasuwa/index.html', false],
    ['app://kasuwa:1234/index.html', false],
    ['apps://kasuwa/index.html', false],
    ['http://kasuwa/index.html', false],
    ['https://kasuwa/index.html', false],
    ['file:///C:/Program%20Files/Kasuwa/index.html', false],
    ['javascript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('%j → %s', (url, trusted) => {
    expect(isTrustedRendererUrl(url)).toBe(trusted);
    expect(isAllowedNavigation(url)).toBe(trusted);
  });
});

describe('resolveAssetPath', () => {
  const root = path.resolve('/srv/kasuwa/renderer');
  it.each([
    ['/', path.join(root, 'index.html')],
    ['/index.html', path.join(root, 'index.html')],
    ['/assets/index-abc.js', path.join(root, 'assets', 'index-abc.js')],
    ['/assets/index-abc.js?v=1#x', path.join(root, 'assets', 'index-abc.js')],
    ['/../secret.txt', null],
    ['/assets/../../secret.txt', null],
    ['/%2e%2e/secret.txt', null],
    ['/assets/%2e%2e/%2e%2e/etc/passwd', null],
    ['/..%5c..%5csecret.txt', null],
    ['/assets\\..\\..\\secret.txt', null],
    ['/index.html%00.png', null],
    ['/.env', null],
    ['/assets/.hidden', null],
    ['/%E0%A4%A', null],
  ])('%j → %s', (url, expected) => {
    expect(resolveAssetPath(root, url)).toBe(expected);
  });
});
