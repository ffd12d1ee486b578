/**
 * The shapes of the storefront generator: what it is given (the draft, the published config, the
 * products with their picture bytes) and the static site it returns, file by file. The files are
 * what the preview serves, the publish uploads (deduplicated by `sha256`) and the export writes.
 */
import { createHash } from 'node:crypto';
import type { StoreDraft } from '../../../../shared/store/draft';
import type { StorefrontConfig } from '../../../../shared/store/storefront';
import type { ImageCache } from './images';

/** A product as the site shows it: its online price and the units that may still be ordered. */
export interface SiteProduct {
  id: string;
  name: string;
  description: string;
  category: string;
  priceKobo: number;
  available: number;
  /** The picture's bytes (PNG, JPEG or WebP), or null for none. */
  image: Buffer | null;
  updatedAt: number;
}

export interface StorefrontInput {
  draft: StoreDraft;
  config: StorefrontConfig;
  products: SiteProduct[];
  images: ImageCache;
  /**
   * Where the checkout form posts: null for `order` at the site root (the sync server, the
   * custom domain and the preview), or an absolute URL when the site is exported to another host.
   */
  orderAction: string | null;
  /** The site's absolute address, for canonical links, Open Graph tags and sitemap.xml. */
  siteUrl: string | null;
}

export interface SiteFile {
  /** Relative to the site root, with forward slashes: `index.html`, `p/jollof-rice.html`. */
  path: string;
  contentType: string;
  body: Buffer;
  /** Hex SHA-256 of `body`. */
  sha256: string;
}

export interface StorefrontSite {
  files: SiteFile[];
  /** What went wrong without stopping the site, in the owner's words (an unreadable photo …). */
  warnings: string[];
}

const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  webp: 'image/webp',
};

export function contentTypeOf(path: string): string {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

export function siteFile(path: string, body: Buffer | string): SiteFile {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    path,
    contentType: contentTypeOf(path),
    body: bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
