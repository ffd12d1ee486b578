/**
 * Who may talk to the main process, and where the window may navigate: only Kasuwa's own page
 * on `app://kasuwa/`. A table of hostile URLs, each of which must be refused.
 */
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAllowedNavigation, isTrustedRendererUrl } from '../../main/ipc/trusted-sender';

const TRUSTED = [
  'app://kasuwa/',
  'app://kasuwa/index.html',
  'app://kasuwa/index.html#/sell',
  'app://kasuwa/index.html?tab=customers#/customers/123',
  'app://kasuwa/assets/index-abc123.js',
  // The URL parser drops an empty port and lower-cases the scheme: still our origin.
  'app://kasuwa:/index.html',
  'APP://kasuwa/index.html',
];

const HOSTILE: [string, string][] = [
  ['https://evil.example/index.html', 'a web page'],
  ['http://evil.example/', 'a plain http page'],
  ['http://127.0.0.1:5170/', 'the browser host in a window'],
  ['http://localhost/index.html', 'a local web server'],
  ['file:///etc/passwd', 'a local file'],
  ['file:///C:/Program%20Files/Kasuwa/index.html', 'a local file on Windows'],
  ['file://kasuwa/index.html', 'file scheme with our host'],
  ['app://kasuwa.evil/', 'a host that starts with ours'],
  ['app://kasuwa.evil.example/index.html', 'a longer host that starts with ours'],
  ['app://evil.kasuwa/index.html', 'a subdomain of our host'],
  ['app://kasuwa./index.html', 'our host with a trailing dot'],
  ['app://KASUWA/index.html', 'an upper-case host Chromium would never send for our page'],
  ['app://%6basuwa/index.html', 'a percent-encoded host'],
  ['app://xn--kasuwa/', 'a punycode look-alike'],
  ['app://evil@kasuwa/', 'a username'],
  ['app://user:pw@kasuwa/index.html', 'a username and password'],
  ['app://:pw@kasuwa/index.html', 'a password alone'],
  ['app://evil\\@kasuwa/', 'a backslash smuggled into the userinfo'],
  ['app://kasuwa%2f@evil/', 'an encoded slash before a foreign host'],
  ['app://evil#@kasuwa/', 'our host only inside the fragment'],
  ['app://evil/?@kasuwa/', 'our host only inside the query'],
  ['app://kasuwa:8080/index.html', 'a port'],
  ['app://kasuwa:80/', 'the http port'],
  ['app://kasuwa:0/', 'port zero'],
  ['app:kasuwa/index.html', 'no authority at all'],
  ['app:///kasuwa/index.html', 'an empty host'],
  ['app:/\\kasuwa/', 'slash-backslash instead of two slashes'],
  ['app://[::1]/', 'an IP literal host'],
  ['apps://kasuwa/index.html', 'a look-alike scheme'],
  ['appx://kasuwa/index.html', 'another look-alike scheme'],
  ['http://kasuwa/index.html', 'http with our host'],
  ['https://kasuwa/index.html', 'https with our host'],
  ['ws://kasuwa/', 'websocket with our host'],
  ['blob:app://kasuwa/7f3a', 'a blob URL of our origin'],
  ['view-source:app://kasuwa/', 'view-source of our page'],
  ['devtools://devtools/bundled/inspector.html', 'DevTools'],
  ['chrome-extension://abcdef/index.html', 'an extension'],
  ['javascript:alert(1)', 'javascript:'],
  ['data:text/html,<script>alert(1)</script>', 'data:'],
  ['about:blank', 'about:blank'],
  ['about:srcdoc', 'an srcdoc frame'],
  ['kasuwa', 'a bare word'],
  ['//kasuwa/index.html', 'a scheme-relative URL'],
  ['/index.html', 'a path'],
  ['not a url', 'not a URL'],
  ['', 'an empty string (no sender frame)'],
];

describe('isTrustedRendererUrl and isAllowedNavigation', () => {
  it('our origin is app://kasuwa', () => {
    expect(APP_ORIGIN).toBe('app://kasuwa');
  });

  it.each(TRUSTED)('trust %j', (url) => {
    expect(isTrustedRendererUrl(url)).toBe(true);
    expect(isAllowedNavigation(url)).toBe(true);
  });

  it.each(HOSTILE)('refuse %j (%s)', (url) => {
    expect(isTrustedRendererUrl(url)).toBe(false);
    expect(isAllowedNavigation(url)).toBe(false);
  });
});
