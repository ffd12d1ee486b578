/**
 * Which page may talk to the main process: only Kasuwa's own renderer, served from the
 * privileged `app://kasuwa/` scheme. Pure, so the hostile cases are table-tested.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kasuwa';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function isTrustedRendererUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Navigation inside the window stays on our own pages; everything else is refused. */
export function isAllowedNavigation(url: string): boolean {
  return isTrustedRendererUrl(url);
}
