/**
 * The rules of a published site's files, apart from HTTP and the database so they can be tested
 * with tables of hostile input: which paths a publish may name, which path a request asks for
 * (nothing outside the site: files are looked up in its manifest, never on a disk, and a path
 * with a `..`, `.` or empty segment, a backslash or a control character is refused outright),
 * the content type and cache lifetime each file is served with, and If-None-Match.
 */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const MAX_SITE_FILES = 20_000;
export const MAX_BLOB_BYTES = 5 * 1024 * 1024;
const MAX_PATH = 300;

// Control characters, the backslash some servers take for a slash, and the characters a URL
// gives meaning to (a query, a fragment, an escape), so a published path reads the same in a URL.
// eslint-disable-next-line no-control-regex
const UNFIT_CHARACTERS = /[\u0000-\u001f\u007f\\?#%]/;

function fitSegments(path: string): boolean {
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** A path a publish may name: relative, forward slashes, no `.`/`..`/empty segments. */
export function isSitePath(path: string): boolean {
  return path.length > 0 && path.length <= MAX_PATH && !UNFIT_CHARACTERS.test(path) && fitSegments(path);
}

/**
 * The manifest path a request asks for, from the (still percent-encoded) part of the URL after
 * the site root: `''` and `…/` are their `index.html`. Null for a path that tries to leave the
 * site or cannot be a site path.
 */
export function requestedSitePath(encoded: string): string | null {
  const withoutQuery = encoded.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutQuery);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(decoded)) return null;
  const path = decoded === '' || decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  if (path.length > MAX_PATH || !fitSegments(path)) return null;
  return path;
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  avif: 'image/avif',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  pdf: 'application/pdf',
};

/** Types a counter may declare for a file whose extension the table above does not know. */
const PASSIVE_TYPE = /^(?:image\/(?!svg)[a-z0-9.+-]+|font\/[a-z0-9.+-]+|application\/(?:pdf|octet-stream))$/;

/**
 * The type a file is served with: by its extension where it is known (so `.html` is always
 * text/html), else what the publish declared if it cannot run in the page (an image, a font),
 * else plain bytes.
 */
export function contentTypeFor(path: string, declared: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const known = dot > 0 ? CONTENT_TYPES[name.slice(dot + 1).toLowerCase()] : undefined;
  if (known !== undefined) return known;
  const type = declared.trim().toLowerCase();
  return PASSIVE_TYPE.test(type) ? type : 'application/octet-stream';
}

/**
 * Pages are short-lived, so a republished price shows within a minute; pictures live a day
 * (revalidated by ETag after that); the rest (CSS, JS) five minutes.
 */
export function cacheControlFor(path: string): string {
  if (/\.html?$/i.test(path)) return 'public, max-age=60';
  if (path.startsWith('img/')) return 'public, max-age=86400';
  return 'public, max-age=300';
}

/** Whether an If-None-Match header names this file's ETag (`"<sha256>"`, weak or strong). */
export function etagMatches(header: string | undefined, sha256: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const value = tag.trim().replace(/^W\//, '');
    return value === '*' || value === `"${sha256}"`;
  });
}

/**
 * The hostname a request came to, as a custom domain is stored: lower case, no port, no trailing
 * dot. Empty for none.
 */
export function normalHost(host: string | undefined): string {
  if (host === undefined) return '';
  const trimmed = host.trim().toLowerCase();
  // An IPv6 literal keeps its brackets; only a port after them is cut.
  const withoutPort = trimmed.startsWith('[')
    ? trimmed.replace(/(\]):\d+$/, '$1')
    : trimmed.replace(/:\d+$/, '');
  return withoutPort.replace(/\.$/, '');
}

/** Whether Accept-Encoding takes gzip (`gzip` or `*`, with a q-value above zero). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzip: boolean | undefined;
  let any: boolean | undefined;
  for (const part of header.toLowerCase().split(',')) {
    const [coding = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const wanted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = wanted;
    else if (coding === '*') any = wanted;
  }
  return gzip ?? any ?? false;
}
