/**
 * The window and its security: the renderer is served from the privileged `app://kasuwa/`
 * scheme with a strict CSP; context isolation, sandbox, no Node in the page; navigation, new
 * windows, webviews and permission requests are refused.
 */
import { readFileSync } from 'node:fs';
import { app, BrowserWindow, protocol, session, shell } from 'electron';
import { mimeType, resolveAssetPath, SECURITY_HEADERS } from '../host/assets';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, isAllowedNavigation } from '../ipc/trusted-sender';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url);
    const file = url.hostname === APP_HOST ? resolveAssetPath(rendererDir, url.pathname) : null;
    try {
      if (file === null) throw new Error('outside the renderer');
      return new Response(readFileSync(file), {
        headers: { ...SECURITY_HEADERS, 'Content-Type': mimeType(file) },
      });
    } catch {
      return new Response('Not found', { status: 404, headers: SECURITY_HEADERS });
    }
  });
}

export function hardenWebContents(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web (help pages, a customer's WhatsApp) open in the user's browser.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

export function createMainWindow(preloadFile: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#f6f4ef',
    title: 'Kasuwa',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
