/**
 * Builds the storefront: a static site of HTML pages, one stylesheet, one small script and WebP
 * pictures, from the draft, the published config and the products. A picture that cannot be read
 * never stops the site: its product shows without a photo and the reason is in `warnings`.
 */
import os from 'node:os';
import { CART_SCRIPT } from './cart-script';
import { escapeHtml } from './html';
import { LOGO_WIDTHS, PRODUCT_WIDTHS, type ImageCache, type SiteImage } from './images';
import { absolute, type SiteCategory, type SiteContext } from './layout';
import {
  LEGAL_PAGES,
  cartPage,
  deliveryPage,
  homePage,
  legalPage,
  listPages,
  listPath,
  notFoundPage,
  productPage,
} from './pages';
import { siteFile, type SiteFile, type SiteProduct, type StorefrontInput, type StorefrontSite } from './site';
import { uniqueSlugs } from './slugs';
import { STOREFRONT_CSS } from './styles';

/** Pictures decoded at once: sharp works on the libuv pool, so more only queue. */
const ENCODE_CONCURRENCY = Math.max(2, Math.min(8, os.availableParallelism()));

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() ?? 'unknown error';
}

/** The bytes of a `data:image/...;base64,` picture, or null. */
function dataUrlBytes(dataUrl: string | null): Buffer | null {
  if (dataUrl === null) return null;
  const comma = dataUrl.indexOf(',');
  return comma < 0 ? null : Buffer.from(dataUrl.slice(comma + 1), 'base64');
}

async function encodeProducts(
  products: readonly SiteProduct[],
  cache: ImageCache,
  warnings: string[],
): Promise<Map<string, SiteImage>> {
  const images = new Map<string, SiteImage>();
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < products.length; index = next++) {
      const product = products[index];
      if (product?.image === null || product?.image === undefined) continue;
      try {
        images.set(product.id, await cache.variants(product.image, PRODUCT_WIDTHS));
      } catch (error) {
        warnings.push(
          `The photo of ${product.name} could not be read (${reason(error)}); it shows without a photo.`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: ENCODE_CONCURRENCY }, worker));
  return images;
}

/** The site's address as a base for links: absolute http(s), ending in `/`; null otherwise. */
export function normaliseSiteUrl(siteUrl: string | null): string | null {
  if (siteUrl === null || siteUrl.trim() === '') return null;
  try {
    const url = new URL(siteUrl.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    url.search = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
    return url.toString();
  } catch {
    return null;
  }
}

function categoriesOf(products: readonly SiteProduct[]): SiteCategory[] {
  const byName = new Map<string, SiteProduct[]>();
  for (const product of products) {
    const name = product.category.trim();
    if (name === '') continue;
    const list = byName.get(name) ?? [];
    list.push(product);
    byName.set(name, list);
  }
  const names = [...byName.keys()].sort((a, b) => a.localeCompare(b, 'en-NG'));
  const slugs = uniqueSlugs(names, 'category');
  return names.map((name, index) => ({
    name,
    slug: slugs[index] ?? 'category',
    products: byName.get(name) ?? [],
  }));
}

function sitemap(context: SiteContext, pages: { path: string; updatedAt?: number }[]): string {
  const entries = pages.map(({ path, updatedAt }) => {
    const loc = absolute(context, path) ?? path;
    const lastmod =
      updatedAt === undefined ? '' : `<lastmod>${new Date(updatedAt).toISOString().slice(0, 10)}</lastmod>`;
    return `<url><loc>${escapeHtml(loc)}</loc>${lastmod}</url>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</urlset>\n`;
}

export async function generateStorefront(input: StorefrontInput): Promise<StorefrontSite> {
  const { draft, config } = input;
  const warnings: string[] = [];
  const seen = new Set<string>();
  const products = input.products.filter((product) => !seen.has(product.id) && seen.add(product.id));

  let logo: SiteImage | null = null;
  const logoBytes = dataUrlBytes(draft.business.logo);
  if (logoBytes !== null) {
    try {
      logo = await input.images.variants(logoBytes, LOGO_WIDTHS);
    } catch (error) {
      warnings.push(`The logo could not be read (${reason(error)}); the store shows its name alone.`);
    }
  }
  const images = await encodeProducts(products, input.images, warnings);

  const slugs = uniqueSlugs(
    products.map((product) => product.name),
    'product',
  );
  const categories = categoriesOf(products);
  const context: SiteContext = {
    draft,
    config,
    products,
    productPaths: new Map(
      products.map((product, index) => [product.id, `p/${slugs[index] ?? product.id}.html`]),
    ),
    images,
    logo,
    categories,
    categoryPaths: new Map(categories.map((category) => [category.name, listPath(`c/${category.slug}`, 1)])),
    orderAction: input.orderAction,
    siteUrl: normaliseSiteUrl(input.siteUrl),
  };

  const files: SiteFile[] = [];
  const indexed: { path: string; updatedAt?: number }[] = [];
  const page = (path: string, body: string, updatedAt?: number, listed = true) => {
    files.push(siteFile(path, body));
    if (listed) indexed.push(updatedAt === undefined ? { path } : { path, updatedAt });
  };

  page('index.html', homePage(context));
  for (const list of listPages(context, 'products', 'All products', products)) page(list.path, list.body);
  for (const category of categories) {
    for (const list of listPages(context, `c/${category.slug}`, category.name, category.products)) {
      page(list.path, list.body);
    }
  }
  for (const product of products) {
    const built = productPage(context, product);
    page(built.path, built.body, product.updatedAt);
  }
  page('cart.html', cartPage(context), undefined, false);
  page('delivery.html', deliveryPage(context));
  for (const legal of LEGAL_PAGES) page(legal.path, legalPage(context, legal));
  page('404.html', notFoundPage(context), undefined, false);

  files.push(siteFile('styles.css', STOREFRONT_CSS), siteFile('cart.js', CART_SCRIPT));
  const sitemapUrl = absolute(context, 'sitemap.xml');
  files.push(
    siteFile(
      'robots.txt',
      `User-agent: *\nAllow: /\n${sitemapUrl === null ? '' : `Sitemap: ${sitemapUrl}\n`}`,
    ),
  );
  if (context.siteUrl !== null) files.push(siteFile('sitemap.xml', sitemap(context, indexed)));

  const pictures = new Map<string, SiteFile>();
  for (const image of [...(logo === null ? [] : [logo]), ...images.values()]) {
    for (const variant of image.variants) {
      if (!pictures.has(variant.path)) pictures.set(variant.path, siteFile(variant.path, variant.body));
    }
  }
  files.push(...pictures.values());
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings };
}
