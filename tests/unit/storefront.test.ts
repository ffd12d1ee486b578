/**
 * The storefront generator on real pictures (PNG and JPEG made by sharp) and a parse of every
 * page it writes: links resolve inside the site, text is escaped, the no-JavaScript order form
 * is what the server reads, stock shows as the owner chose, pictures come at their widths, a bad
 * picture is a warning, the picture cache is reused, and the home page stays small for 500
 * products. cart.js's pricing is held against priceOrder.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CART_SCRIPT } from '../../main/services/store/storefront/cart-script';
import { generateStorefront } from '../../main/services/store/storefront/generate';
import { ImageCache, PRODUCT_WIDTHS, variantWidths } from '../../main/services/store/storefront/images';
import { HOME_PRODUCTS, LIST_PAGE_SIZE } from '../../main/services/store/storefront/pages';
import type { SiteProduct, StorefrontInput, StorefrontSite } from '../../main/services/store/storefront/site';
import { slugify, uniqueSlugs } from '../../main/services/store/storefront/slugs';
import { orderMessage } from '../../main/services/store/storefront/wording';
import { uuidv7 } from '../../shared/ids';
import { formatNaira } from '../../shared/money';
import { storefrontConfig } from '../../shared/store/config';
import { storeDraftSchema, type StockVisibility, type StoreDraft } from '../../shared/store/draft';
import { NIGERIAN_STATES } from '../../shared/states';
import {
  orderInputFromForm,
  orderInputSchema,
  priceOrder,
  type StorefrontConfig,
} from '../../shared/store/storefront';
import { homeFirstLoadBytes, storefrontFixture } from '../bench/storefront';

// ---------------------------------------------------------------------------------------------
// A strict little HTML parser: the generator's markup must be well formed (every element closed,
// attributes quoted), and this refuses it otherwise.

interface Element {
  tag: string;
  attrs: Record<string, string>;
  children: Node[];
  parent: Element | null;
}
type Node = Element | string;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'wbr',
]);
const RAW_TEXT = new Set(['script', 'style']);

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity[0] === '#') {
      return String.fromCodePoint(
        entity[1]?.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10),
      );
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity.toLowerCase()] ?? '';
  });
}

function parseHtml(source: string): Element {
  const root: Element = { tag: '#root', attrs: {}, children: [], parent: null };
  let current = root;
  let index = 0;
  while (index < source.length) {
    if (source.startsWith('<!--', index)) {
      index = source.indexOf('-->', index) + 3;
    } else if (source.startsWith('<!', index)) {
      index = source.indexOf('>', index) + 1;
    } else if (source.startsWith('</', index)) {
      const end = source.indexOf('>', index);
      const tag = source
        .slice(index + 2, end)
        .trim()
        .toLowerCase();
      if (current.tag !== tag) throw new Error(`</${tag}> closes <${current.tag}> at ${index}`);
      current = current.parent ?? root;
      index = end + 1;
    } else if (source[index] === '<') {
      const match = /^<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>"'/]+(?:="[^"]*")?)*)\s*(\/?)>/.exec(
        source.slice(index),
      );
      if (match === null) throw new Error(`malformed tag at ${index}: ${source.slice(index, index + 60)}`);
      const tag = (match[1] ?? '').toLowerCase();
      const attrs: Record<string, string> = {};
      for (const attribute of (match[2] ?? '').matchAll(/([^\s=>"'/]+)(?:="([^"]*)")?/g)) {
        const name = (attribute[1] ?? '').toLowerCase();
        if (name in attrs) throw new Error(`<${tag}> repeats ${name}`);
        attrs[name] = decode(attribute[2] ?? '');
      }
      const element: Element = { tag, attrs, children: [], parent: current };
      current.children.push(element);
      index += match[0].length;
      if (RAW_TEXT.has(tag)) {
        const close = source.indexOf(`</${tag}>`, index);
        element.children.push(source.slice(index, close));
        index = close + tag.length + 3;
      } else if (!VOID.has(tag)) {
        current = element;
      }
    } else {
      const next = source.indexOf('<', index);
      const end = next < 0 ? source.length : next;
      current.children.push(decode(source.slice(index, end)));
      index = end;
    }
  }
  if (current !== root) throw new Error(`<${current.tag}> is never closed`);
  return root;
}

function all(root: Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (element: Element) => {
    for (const child of element.children) {
      if (typeof child === 'string') continue;
      if (test(child)) found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

const byTag = (root: Element, tag: string) => all(root, (element) => element.tag === tag);

function text(element: Element): string {
  return element.children.map((child) => (typeof child === 'string' ? child : text(child))).join('');
}

function one(root: Element, test: (element: Element) => boolean): Element {
  const found = all(root, test);
  if (found.length !== 1) throw new Error(`expected one element, found ${found.length}`);
  return found[0] as Element;
}

function ancestors(element: Element): Element[] {
  const list: Element[] = [];
  for (let parent = element.parent; parent !== null; parent = parent.parent) list.push(parent);
  return list;
}

// ---------------------------------------------------------------------------------------------
// Stores to generate.

async function jpeg(width: number, height: number, seed: number): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: (seed * 53) % 255, g: 120, b: (seed * 97) % 255 },
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.5 } } })
    .png()
    .toBuffer();
}

const HOSTILE = `Mama's "Best" <Jollof> & Co</title><script>alert(1)</script>`;
const T0 = Date.parse('2026-02-01T08:00:00Z');

interface Ids {
  jollof: string;
  ankara: string;
  sandals: string;
  soldOut: string;
  broken: string;
  plain: string;
  twin: string;
}

interface Store {
  input: StorefrontInput;
  site: StorefrontSite;
  files: Map<string, StorefrontSite['files'][number]>;
  pages: Map<string, Element>;
  ids: Ids;
}

const folders: string[] = [];
function tempFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-storefront-test-'));
  folders.push(folder);
  return folder;
}

interface StoreOptions {
  visibility?: StockVisibility;
  whatsapp?: string;
  siteUrl?: string | null;
  orderAction?: string | null;
  images?: ImageCache;
}

async function makeStore(options: StoreOptions = {}): Promise<Store> {
  const ids: Ids = {
    jollof: uuidv7(T0),
    ankara: uuidv7(T0 + 1),
    sandals: uuidv7(T0 + 2),
    soldOut: uuidv7(T0 + 3),
    broken: uuidv7(T0 + 4),
    plain: uuidv7(T0 + 5),
    twin: uuidv7(T0 + 6),
  };
  const photo = await jpeg(1200, 900, 1);
  const products: SiteProduct[] = [
    {
      id: ids.jollof,
      name: HOSTILE,
      description: 'Party jollof <img src=x onerror=alert(2)>\n\nServes 4 & more.',
      category: 'Food & <b>drinks</b>',
      priceKobo: 350_050,
      available: 5,
      image: photo,
      updatedAt: T0,
    },
    {
      id: ids.ankara,
      name: 'Ankara 6 yards',
      description: '',
      category: 'Fabrics',
      priceKobo: 1_200_000,
      available: 250,
      image: await png(200, 100),
      updatedAt: T0,
    },
    {
      id: ids.sandals,
      name: 'Ọ̀yọ́ leather sandals',
      description: 'Handmade in Oyo.',
      category: 'Fabrics',
      priceKobo: 800_000,
      available: 1,
      image: photo,
      updatedAt: T0,
    },
    {
      id: ids.soldOut,
      name: 'Shea butter',
      description: '',
      category: '',
      priceKobo: 150_000,
      available: 0,
      image: await jpeg(640, 640, 2),
      updatedAt: T0,
    },
    {
      id: ids.broken,
      name: 'Broken photo bag',
      description: '',
      category: '',
      priceKobo: 500_000,
      available: 3,
      image: Buffer.from('this is not a picture at all'),
      updatedAt: T0,
    },
    {
      id: ids.plain,
      name: 'Ankara 6 yards',
      description: '',
      category: '',
      priceKobo: 1_100_000,
      available: 2,
      image: null,
      updatedAt: T0,
    },
    {
      id: ids.twin,
      name: 'Truncated photo cap',
      description: '',
      category: '',
      priceKobo: 200_000,
      available: 2,
      image: (await jpeg(900, 900, 3)).subarray(0, 400),
      updatedAt: T0,
    },
  ];
  const draft: StoreDraft = storeDraftSchema.parse({
    business: {
      name: 'Chop & Shop "Naija"',
      description: 'Food, fabrics & more <from> Ibadan.',
      logo: `data:image/png;base64,${(await png(300, 150)).toString('base64')}`,
      address: '2 Ring Road, Ibadan',
      state: 'Oyo',
      phone: '0803 123 4567',
      whatsapp: options.whatsapp ?? '0803 123 4567',
      hours: 'Mon–Sat 8am–6pm',
    },
    products: {
      items: products.map((product) => ({ productId: product.id })),
      stockVisibility: options.visibility ?? 'exact',
    },
    payments: {
      bankTransfer: {
        enabled: true,
        bankName: 'Zenith',
        accountName: 'Chop & Shop',
        accountNumber: '1234567890',
      },
      payOnDelivery: { enabled: true, note: 'Ibadan only.' },
    },
    shipping: {
      pickup: { enabled: true },
      localDelivery: { enabled: true, priceKobo: 70_000 },
      couriers: [
        { id: 'gig', enabled: true, pricing: 'manual', surchargeKobo: 20_000, extraDays: 1 },
        { id: 'jumia', enabled: false },
        { id: 'dhl', enabled: true, pricing: 'quoted' },
      ],
    },
    legal: {
      terms: '# Our terms\n\nPay in naira.\n\n# Delivery\n\n- Fast\n- Careful',
      privacy: '',
      refunds: 'Returns within 7 days <b>only</b>.',
    },
    launch: {
      slug: 'chop-and-shop',
      instagram: '@chopshop',
      facebook: 'https://facebook.com/chopshop',
      x: 'javascript:alert(1)',
    },
  });
  const config = storefrontConfig(
    draft,
    products.map((product) => ({
      id: product.id,
      name: product.name.slice(0, 120),
      priceKobo: product.priceKobo,
      stock: product.available,
      reserved: 0,
      archived: false,
    })),
  );
  const input: StorefrontInput = {
    draft,
    config,
    products,
    images: options.images ?? new ImageCache(tempFolder()),
    orderAction: options.orderAction ?? null,
    siteUrl: options.siteUrl === undefined ? 'https://shop.example/s/chop-and-shop' : options.siteUrl,
  };
  const site = await generateStorefront(input);
  const files = new Map(site.files.map((file) => [file.path, file]));
  const pages = new Map(
    site.files
      .filter((file) => file.path.endsWith('.html'))
      .map((file) => [file.path, parseHtml(file.body.toString('utf8'))]),
  );
  return { input, site, files, pages, ids };
}

function page(store: Store, pagePath: string): Element {
  const found = store.pages.get(pagePath);
  if (found === undefined) throw new Error(`no page ${pagePath}`);
  return found;
}

function productPath(store: Store, id: string): string {
  const found = [...store.pages.entries()].find(
    ([pagePath, root]) =>
      pagePath.startsWith('p/') &&
      all(root, (e) => e.attrs['data-add'] === id || e.attrs.value?.startsWith(`${id}:`) === true).length > 0,
  );
  if (found !== undefined) return found[0];
  // A product that cannot be ordered has no form: find its page by its card's link.
  const card = all(page(store, 'products/1.html'), (e) => e.tag === 'li' && e.attrs.class === 'card').find(
    (li) => text(li).includes(store.input.products.find((product) => product.id === id)?.name ?? '\0'),
  );
  const link = card === undefined ? undefined : byTag(card, 'a')[0]?.attrs.href;
  if (link === undefined) throw new Error(`no page for ${id}`);
  return path.posix.normalize(path.posix.join('products', link));
}

let store: Store;
beforeAll(async () => {
  store = await makeStore();
});
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

describe('the generated site', () => {
  it('has every page, the stylesheet, the script, robots and a sitemap, each with its hash and type', () => {
    for (const name of [
      'index.html',
      'products/1.html',
      'cart.html',
      'delivery.html',
      'terms.html',
      'privacy.html',
      'refunds.html',
      '404.html',
      'styles.css',
      'cart.js',
      'robots.txt',
      'sitemap.xml',
    ]) {
      expect(store.files.has(name), name).toBe(true);
    }
    expect(store.files.get('index.html')?.contentType).toBe('text/html; charset=utf-8');
    expect(store.files.get('styles.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(store.files.get('cart.js')?.contentType).toBe('text/javascript; charset=utf-8');
    for (const file of store.site.files) {
      expect(file.sha256).toBe(createHash('sha256').update(file.body).digest('hex'));
    }
    expect(new Set(store.site.files.map((file) => file.path)).size).toBe(store.site.files.length);
    const productPages = [...store.files.keys()].filter((name) => name.startsWith('p/'));
    expect(productPages).toHaveLength(store.input.products.length);
  });

  it('links only to files of the site, by relative paths, so it works under /s/<slug>/, on a domain and from a folder', () => {
    for (const [pagePath, root] of store.pages) {
      const references: string[] = [];
      for (const element of all(root, () => true)) {
        for (const name of ['href', 'src']) {
          const value = element.attrs[name];
          if (value !== undefined) references.push(value);
        }
        for (const candidate of (element.attrs.srcset ?? '').split(',')) {
          const url = candidate.trim().split(/\s+/)[0];
          if (url !== undefined && url !== '') references.push(url);
        }
      }
      expect(references.length, pagePath).toBeGreaterThan(0);
      for (const reference of references) {
        if (/^(https:\/\/|tel:\+234|data:,$)/.test(reference)) {
          if (reference.startsWith('https://shop.example')) {
            // Absolute links to the site itself: canonical, Open Graph, the 404 page.
            expect(reference.startsWith('https://shop.example/s/chop-and-shop/')).toBe(true);
          }
          continue;
        }
        if (reference.startsWith('#')) {
          expect(
            all(root, (e) => e.attrs.id === reference.slice(1)),
            `${pagePath} → ${reference}`,
          ).toHaveLength(1);
          continue;
        }
        expect(reference, `${pagePath}: ${reference}`).not.toMatch(/^[a-z]+:|^\/|^$/i);
        const target = path.posix.normalize(
          path.posix.join(path.posix.dirname(pagePath), reference.split('#')[0] ?? ''),
        );
        expect(store.files.has(target), `${pagePath} → ${reference}`).toBe(true);
      }
      for (const form of byTag(root, 'form')) {
        const target = path.posix.normalize(
          path.posix.join(path.posix.dirname(pagePath), form.attrs.action ?? ''),
        );
        expect(target, pagePath).toBe('order');
      }
    }
  });

  it('posts to an absolute order address when exported to another host, and drops absolute links without a site address', async () => {
    const exported = await makeStore({
      orderAction: 'https://sync.example/s/chop-and-shop/order',
      siteUrl: null,
    });
    const forms = [...exported.pages.values()].flatMap((root) => byTag(root, 'form'));
    expect(forms.length).toBeGreaterThan(1);
    for (const form of forms) expect(form.attrs.action).toBe('https://sync.example/s/chop-and-shop/order');
    expect(exported.files.has('sitemap.xml')).toBe(false);
    expect(exported.files.get('robots.txt')?.body.toString()).not.toContain('Sitemap');
    for (const root of exported.pages.values()) {
      expect(all(root, (e) => e.attrs.rel === 'canonical' || e.attrs.property === 'og:url')).toEqual([]);
    }
    const notFound = page(exported, '404.html');
    expect(byTag(notFound, 'a').map((a) => a.attrs.href)).toEqual(['index.html', 'products/1.html']);
  });

  it('gives canonical and Open Graph addresses, and a sitemap of the pages, from the site address', () => {
    const home = page(store, 'index.html');
    expect(one(home, (e) => e.attrs.rel === 'canonical').attrs.href).toBe(
      'https://shop.example/s/chop-and-shop/',
    );
    const sitemap = store.files.get('sitemap.xml')?.body.toString() ?? '';
    expect(sitemap).toContain('<loc>https://shop.example/s/chop-and-shop/</loc>');
    const sandals = productPath(store, store.ids.sandals);
    expect(sitemap).toContain(
      `<loc>https://shop.example/s/chop-and-shop/${sandals}</loc><lastmod>2026-02-01</lastmod>`,
    );
    expect(sitemap).not.toContain('cart.html');
    expect(store.files.get('robots.txt')?.body.toString()).toContain(
      'Sitemap: https://shop.example/s/chop-and-shop/sitemap.xml',
    );
  });

  it('escapes names with <, & and quotes in text, attributes and JSON', () => {
    const pagePath = productPath(store, store.ids.jollof);
    const raw = store.files.get(pagePath)?.body.toString() ?? '';
    expect(raw).not.toContain('<script>alert');
    expect(raw).not.toContain('<img src=x');
    expect(raw).not.toContain('<b>drinks');
    const root = page(store, pagePath);
    expect(text(one(root, (e) => e.tag === 'h1'))).toBe(HOSTILE);
    expect(text(one(root, (e) => e.tag === 'title'))).toBe(`${HOSTILE} · Chop & Shop "Naija"`);
    expect(one(root, (e) => e.attrs['data-add'] !== undefined).attrs['data-name']).toBe(HOSTILE);
    expect(one(root, (e) => e.tag === 'img' && e.attrs.alt !== '').attrs.alt).toBe(HOSTILE);
    expect(text(one(root, (e) => e.attrs.class === 'description'))).toContain(
      'Party jollof <img src=x onerror=alert(2)>',
    );
    const scripts = byTag(root, 'script');
    expect(scripts.map((script) => script.attrs.type ?? script.attrs.src)).toEqual([
      'application/ld+json',
      '../cart.js',
    ]);
    const jsonLd = JSON.parse(text(scripts[0] as Element)) as { name: string; offers: { price: string } };
    expect(jsonLd.name).toBe(HOSTILE);
    expect(jsonLd.offers.price).toBe('3500.50');
    const cart = page(store, 'cart.html');
    const data = JSON.parse(text(one(cart, (e) => e.attrs.id === 'store-data'))) as {
      name: string;
      products: Record<string, [string, number, number, string]>;
    };
    expect(data.name).toBe('Chop & Shop "Naija"');
    expect(data.products[store.ids.jollof]?.[0]).toBe(HOSTILE);
    const home = page(store, 'index.html');
    expect(text(one(home, (e) => e.tag === 'h1'))).toBe('Chop & Shop "Naija"');
    expect(all(home, (e) => e.tag === 'a' && text(e) === 'Food & <b>drinks</b> (1)')).toHaveLength(1);
    expect(text(one(home, (e) => e.attrs.class === 'lead'))).toBe('Food, fabrics & more <from> Ibadan.');
  });

  it('is accessible in structure: en-NG, one main and h1 a page, a label for every field, alt on every picture', () => {
    for (const [pagePath, root] of store.pages) {
      const htmlElement = one(root, (e) => e.tag === 'html');
      expect(htmlElement.attrs.lang, pagePath).toBe('en-NG');
      expect(byTag(root, 'main'), pagePath).toHaveLength(1);
      expect(byTag(root, 'h1'), pagePath).toHaveLength(1);
      expect(byTag(root, 'title')[0] && text(byTag(root, 'title')[0] as Element), pagePath).not.toBe('');
      for (const image of byTag(root, 'img')) expect(image.attrs.alt, `${pagePath} img`).toBeDefined();
      const labelled = new Set(byTag(root, 'label').map((label) => label.attrs.for));
      for (const control of all(root, (e) => ['input', 'select', 'textarea'].includes(e.tag))) {
        if (control.attrs.type === 'hidden') continue;
        const named =
          labelled.has(control.attrs.id) ||
          control.attrs['aria-label'] !== undefined ||
          ancestors(control).some((parent) => parent.tag === 'label');
        expect(named, `${pagePath}: ${control.tag} ${control.attrs.name}`).toBe(true);
      }
      const ids = all(root, (e) => e.attrs.id !== undefined).map((e) => e.attrs.id);
      expect(new Set(ids).size, `${pagePath} ids`).toBe(ids.length);
      if (pagePath !== '404.html') {
        expect(byTag(root, 'header')).toHaveLength(1);
        expect(byTag(root, 'footer')).toHaveLength(1);
        const navLabels = byTag(root, 'nav').map((nav) => nav.attrs['aria-label']);
        expect(new Set(navLabels).size, pagePath).toBe(navLabels.length);
      }
    }
  });

  it('loads nothing from elsewhere: no external stylesheet, script or font', () => {
    for (const [pagePath, root] of store.pages) {
      for (const element of all(
        root,
        (e) => (e.tag === 'link' && e.attrs.rel === 'stylesheet') || e.tag === 'script',
      )) {
        const source = element.attrs.href ?? element.attrs.src;
        if (source !== undefined) expect(source, pagePath).toMatch(/^(\.\.\/)*(styles\.css|cart\.js)$/);
      }
    }
    const css = store.files.get('styles.css')?.body.toString() ?? '';
    expect(css).not.toMatch(/@import|@font-face|url\(/);
  });

  it('puts social links in the footer as https addresses only', () => {
    const footer = one(page(store, 'index.html'), (e) => e.tag === 'footer');
    const links = Object.fromEntries(byTag(footer, 'a').map((a) => [text(a), a.attrs.href]));
    expect(links.Instagram).toBe('https://www.instagram.com/chopshop/');
    expect(links.Facebook).toBe('https://facebook.com/chopshop');
    expect(links.WhatsApp).toBe(
      `https://wa.me/2348031234567?text=${encodeURIComponent('Hello Chop & Shop "Naija"')}`,
    );
    expect(links.X).toBeUndefined();
    expect(links['0803 123 4567']).toBe('tel:+2348031234567');
  });

  it('gives names unique slugs', () => {
    expect(slugify('Ọ̀yọ́ Beans (5kg)', 'product')).toBe('oyo-beans-5kg');
    expect(slugify('Salt & Pepper', 'product')).toBe('salt-and-pepper');
    expect(slugify('<<>>', 'product')).toBe('product');
    expect(uniqueSlugs(['Rice', 'Rice', 'Rice 2', 'rice'], 'product')).toEqual([
      'rice',
      'rice-2',
      'rice-2-2',
      'rice-3',
    ]);
    const pages = [...store.files.keys()].filter((name) => name.startsWith('p/'));
    expect(pages).toContain('p/ankara-6-yards.html');
    expect(pages).toContain('p/ankara-6-yards-2.html');
    expect(pages).toContain('p/oyo-leather-sandals.html');
  });
});

describe('ordering without JavaScript', () => {
  const FIELDS = [
    'item',
    'name',
    'phone',
    'email',
    'state',
    'lgaCity',
    'address',
    'delivery',
    'payment',
    'note',
  ];

  function controls(form: Element): Element[] {
    return all(form, (e) => ['input', 'select', 'textarea'].includes(e.tag) && e.attrs.name !== undefined);
  }

  it('has a product form with exactly the fields orderInputFromForm reads, which the server’s schema and pricing accept', () => {
    const root = page(store, productPath(store, store.ids.sandals));
    const form = one(root, (e) => e.tag === 'form');
    expect(form.attrs.method).toBe('post');
    expect(new Set(controls(form).map((control) => control.attrs.name))).toEqual(new Set(FIELDS));
    const config = store.input.config;

    const quantity = one(form, (e) => e.tag === 'select' && e.attrs.name === 'item');
    expect(byTag(quantity, 'option').map((option) => option.attrs.value)).toEqual([`${store.ids.sandals}:1`]);
    const states = one(form, (e) => e.tag === 'select' && e.attrs.name === 'state');
    expect(byTag(states, 'option').map((option) => option.attrs.value)).toEqual(['', ...NIGERIAN_STATES]);
    const radios = (name: string) => controls(form).filter((control) => control.attrs.name === name);
    expect(radios('delivery').map((radio) => radio.attrs.value)).toEqual(
      config.delivery.map((option) => option.id),
    );
    expect(radios('payment').map((radio) => radio.attrs.value)).toEqual(
      config.payments.map((option) => option.id),
    );
    for (const radio of [...radios('delivery'), ...radios('payment')]) expect(radio.attrs.type).toBe('radio');

    // What a browser sends when the shopper fills it in.
    const fields: Record<string, string[]> = {
      item: [byTag(quantity, 'option')[0]?.attrs.value ?? ''],
      name: ['Tunde Bakare'],
      phone: ['0805 555 1212'],
      email: [''],
      state: ['Lagos'],
      lgaCity: ['Victoria Island'],
      address: ['4 Akin Adesola Street'],
      delivery: ['gig'],
      payment: ['bankTransfer'],
      note: ['Call before you come'],
    };
    const order = orderInputSchema.parse(orderInputFromForm(fields));
    expect(order.items).toEqual([{ productId: store.ids.sandals, quantity: 1 }]);
    const priced = priceOrder(config, order);
    expect(priced.ok && priced.value).toMatchObject({
      subtotalKobo: 800_000,
      deliveryKobo: 220_000,
      zoneId: 'lagos-island',
    });
  });

  it('offers quantities up to the stock (at most 100) as "productId:quantity"', () => {
    const form = one(page(store, productPath(store, store.ids.ankara)), (e) => e.tag === 'form');
    const values = byTag(
      one(form, (e) => e.attrs.name === 'item'),
      'option',
    ).map((option) => option.attrs.value);
    expect(values).toHaveLength(100);
    expect(values.at(-1)).toBe(`${store.ids.ankara}:100`);
  });

  it('has a cart checkout with the same fields, whose items cart.js adds, hidden until it does', () => {
    const cart = page(store, 'cart.html');
    const form = one(cart, (e) => e.tag === 'form');
    expect(form.attrs['data-checkout']).toBe('');
    expect(form.attrs.hidden).toBe('');
    expect(new Set(controls(form).map((control) => control.attrs.name))).toEqual(
      new Set(FIELDS.filter((name) => name !== 'item')),
    );
    expect(all(form, (e) => e.attrs['data-items'] !== undefined)).toHaveLength(1);
    expect(byTag(cart, 'noscript')).toHaveLength(1);
  });

  it('shows delivery prices by state on the delivery page: every zone, its states and its price', () => {
    const root = page(store, 'delivery.html');
    const rows = byTag(root, 'tr').map((row) => text(row));
    for (const zone of store.input.config.zones) {
      const row = rows.find((candidate) => candidate.startsWith(zone.name));
      expect(row, zone.name).toBeDefined();
      expect(row).toContain(formatNaira(zone.priceKobo));
      for (const state of zone.states) expect(row).toContain(state === 'FCT' ? 'FCT (Abuja)' : state);
    }
    expect(rows.some((row) => row.includes('Lagos: ') && row.includes('Lekki'))).toBe(true);
    expect(rows.some((row) => row.includes('Lagos (everywhere else)'))).toBe(true);
    expect(rows.find((row) => row.startsWith('Local delivery'))).toContain('₦700 (Oyo only)');
    expect(rows.find((row) => row.startsWith('GIG Logistics'))).toContain('Your zone’s price + ₦200');
  });

  it('prints the legal pages from the draft, with headings and lists, and the template for a page not yet written', () => {
    const terms = page(store, 'terms.html');
    expect(text(one(terms, (e) => e.tag === 'h1'))).toBe('Our terms');
    expect(byTag(terms, 'h2').map(text)).toEqual(['Delivery']);
    expect(
      byTag(
        one(terms, (e) => e.attrs.class === 'prose'),
        'li',
      ).map(text),
    ).toEqual(['Fast', 'Careful']);
    const refunds = page(store, 'refunds.html');
    expect(text(one(refunds, (e) => e.tag === 'h1'))).toBe('Refund policy');
    expect(text(one(refunds, (e) => e.attrs.class === 'prose'))).toContain(
      'Returns within 7 days <b>only</b>.',
    );
    const privacy = page(store, 'privacy.html');
    expect(text(one(privacy, (e) => e.tag === 'h1'))).toBe('Privacy notice');
    expect(byTag(privacy, 'h2').map(text)).toContain('Your rights');
    expect(all(privacy, (e) => e.tag === 'a' && e.attrs.href === 'https://ndpc.gov.ng')).toHaveLength(1);
  });
});

describe('stock and WhatsApp', () => {
  function stockOf(root: Element): string[] {
    return all(root, (e) => e.attrs.class?.split(' ').includes('stock') === true).map(text);
  }

  it('shows "5 left" and "Sold out" for exact stock', () => {
    expect(stockOf(page(store, productPath(store, store.ids.jollof)))).toEqual(['5 left']);
    expect(stockOf(page(store, productPath(store, store.ids.soldOut)))).toEqual(['Sold out']);
    expect(stockOf(page(store, 'products/1.html'))).toContain('250 left');
  });

  it('shows "In stock" and "Sold out" for in-or-out, and nothing but "Not available" when hidden', async () => {
    const inOrOut = await makeStore({ visibility: 'in-or-out' });
    expect(stockOf(page(inOrOut, productPath(inOrOut, inOrOut.ids.jollof)))).toEqual(['In stock']);
    expect(stockOf(page(inOrOut, productPath(inOrOut, inOrOut.ids.soldOut)))).toEqual(['Sold out']);
    expect(stockOf(page(inOrOut, 'products/1.html')).join()).not.toMatch(/left/);

    const hidden = await makeStore({ visibility: 'hidden' });
    expect(stockOf(page(hidden, productPath(hidden, hidden.ids.jollof)))).toEqual([]);
    expect(stockOf(page(hidden, 'products/1.html'))).toEqual(['Not available']);
    const raw = [...hidden.files.values()].map((file) => file.body.toString()).join();
    expect(raw).not.toMatch(/\d+ left|In stock/);
  });

  it('gives hidden stock away neither by the length of the quantity list nor in the cart data', async () => {
    const quantities = (store: Store) => {
      const root = page(store, productPath(store, store.ids.jollof));
      const select = one(root, (e) => e.tag === 'select' && e.attrs.id === 'o-item');
      const add = one(root, (e) => e.attrs['data-add'] !== undefined);
      return { options: byTag(select, 'option').length, max: add.attrs['data-max'] };
    };
    // Five of the jollof rice are left: exact stock offers five, the others a fixed ten.
    expect(quantities(store)).toEqual({ options: 5, max: '5' });
    for (const visibility of ['in-or-out', 'hidden'] as const) {
      const other = await makeStore({ visibility });
      expect(quantities(other)).toEqual({ options: 10, max: '10' });
      const cart = other.files.get('cart.html')?.body.toString() ?? '';
      const data = /<script[^>]*id="store-data"[^>]*>([^<]*)<\/script>/.exec(cart)?.[1] ?? '{}';
      const products = (JSON.parse(data) as { products: Record<string, [string, number, number, string]> })
        .products;
      expect(products[other.ids.jollof]?.[2]).toBe(10);
    }
  });

  it('offers no order form and no cart button for a sold-out product', () => {
    const root = page(store, productPath(store, store.ids.soldOut));
    expect(byTag(root, 'form')).toEqual([]);
    expect(all(root, (e) => e.attrs['data-add'] !== undefined)).toEqual([]);
    expect(text(one(root, (e) => e.attrs.class === 'notice'))).toContain('cannot be ordered right now');
  });

  it('links "Order on WhatsApp" to wa.me with the order and the product’s address', () => {
    const pagePath = productPath(store, store.ids.jollof);
    const link = one(page(store, pagePath), (e) => e.tag === 'a' && text(e) === 'Order on WhatsApp');
    const href = link.attrs.href ?? '';
    expect(href.startsWith('https://wa.me/2348031234567?text=')).toBe(true);
    const message = decodeURIComponent(href.slice(href.indexOf('=') + 1));
    expect(message).toBe(
      `Hello Chop & Shop "Naija", I would like to order:\n1 × ${HOSTILE} (₦3,500.50)\nhttps://shop.example/s/chop-and-shop/${pagePath}`,
    );
    const chat = one(page(store, 'index.html'), (e) => e.tag === 'a' && text(e) === 'Chat on WhatsApp');
    expect(chat.attrs.href).toBe(
      `https://wa.me/2348031234567?text=${encodeURIComponent('Hello Chop & Shop "Naija"')}`,
    );
    expect(all(page(store, 'cart.html'), (e) => e.attrs['data-wa-cart'] !== undefined)).toHaveLength(1);
  });

  it('has no WhatsApp links when the shop has no WhatsApp number', async () => {
    const without = await makeStore({ whatsapp: '' });
    for (const file of without.site.files.filter((candidate) => candidate.path !== 'cart.js')) {
      expect(file.body.toString(), file.path).not.toContain('wa.me');
    }
  });
});

describe('pictures', () => {
  it('come as WebP at 160, 320 and 640 px wide, lazy after the first, with the size of the widest', async () => {
    const list = page(store, 'products/1.html');
    const images = all(
      one(list, (e) => e.attrs.class === 'grid'),
      (e) => e.tag === 'img',
    );
    expect(images.length).toBeGreaterThan(2);
    expect(images[0]?.attrs.fetchpriority).toBe('high');
    expect(images[0]?.attrs.loading).toBeUndefined();
    for (const image of images.slice(1)) expect(image.attrs.loading).toBe('lazy');
    const logo = one(
      one(list, (e) => e.tag === 'header'),
      (e) => e.tag === 'img',
    );
    expect([logo.attrs.loading, logo.attrs.fetchpriority, logo.attrs.alt]).toEqual([
      undefined,
      undefined,
      '',
    ]);
    expect(logo.attrs.srcset).toMatch(
      /^\.\.\/img\/[0-9a-f]{20}-96\.webp 96w, \.\.\/img\/[0-9a-f]{20}-192\.webp 192w$/,
    );

    const photo = one(
      page(store, productPath(store, store.ids.jollof)),
      (e) => e.tag === 'img' && e.attrs.alt === HOSTILE,
    );
    expect(photo.attrs.loading).toBeUndefined();
    expect(photo.attrs.width).toBe('640');
    expect(photo.attrs.height).toBe('480');
    const candidates = (photo.attrs.srcset ?? '').split(', ').map((entry) => entry.split(' '));
    expect(candidates.map(([, width]) => width)).toEqual(['160w', '320w', '640w']);
    for (const [url, width] of candidates) {
      const file = store.files.get(path.posix.normalize(path.posix.join('p', url ?? '')));
      expect(file?.contentType).toBe('image/webp');
      expect(file?.path).toMatch(/^img\/[0-9a-f]{20}-\d+\.webp$/);
      const metadata = await sharp(file?.body).metadata();
      expect(metadata.format).toBe('webp');
      expect(`${metadata.width}w`).toBe(width);
    }
  });

  it('are never made wider than the picture itself', async () => {
    expect(variantWidths(1200, PRODUCT_WIDTHS)).toEqual([160, 320, 640]);
    expect(variantWidths(200, PRODUCT_WIDTHS)).toEqual([160, 200]);
    expect(variantWidths(100, PRODUCT_WIDTHS)).toEqual([100]);
    expect(variantWidths(640, PRODUCT_WIDTHS)).toEqual([160, 320, 640]);
    const root = page(store, productPath(store, store.ids.ankara));
    const photo = one(root, (e) => e.tag === 'img' && e.attrs.alt === 'Ankara 6 yards');
    expect(photo.attrs.srcset?.split(', ').map((entry) => entry.split(' ')[1])).toEqual(['160w', '200w']);
    expect([photo.attrs.width, photo.attrs.height]).toEqual(['200', '100']);
    const widest = store.files.get(path.posix.normalize(path.posix.join('p', photo.attrs.src ?? '')));
    expect((await sharp(widest?.body).metadata()).width).toBe(200);
  });

  it('store one file for a photo two products share', () => {
    const webp = [...store.files.keys()].filter((name) => name.endsWith('.webp'));
    const jollof = one(
      page(store, productPath(store, store.ids.jollof)),
      (e) => e.tag === 'img' && e.attrs.alt === HOSTILE,
    );
    const sandals = one(
      page(store, productPath(store, store.ids.sandals)),
      (e) => e.tag === 'img' && e.attrs.alt !== '',
    );
    expect(sandals.attrs.srcset).toBe(jollof.attrs.srcset);
    // jollof/sandals 3, ankara 2, shea butter 3, logo 2.
    expect(webp).toHaveLength(10);
  });

  it('turn an unreadable picture into a warning, and its product shows without a photo', () => {
    expect(store.site.warnings).toHaveLength(2);
    expect(store.site.warnings[0]).toMatch(
      /^The photo of Broken photo bag could not be read \(.+\); it shows without a photo\.$/,
    );
    expect(store.site.warnings[1]).toMatch(/^The photo of Truncated photo cap could not be read/);
    for (const id of [store.ids.broken, store.ids.twin]) {
      const root = page(store, productPath(store, id));
      expect(
        all(
          one(root, (e) => e.tag === 'figure'),
          (e) => e.tag === 'img',
        ),
      ).toEqual([]);
      expect(byTag(root, 'form')).toHaveLength(1);
    }
  });

  it('are kept in the cache folder and reused: a second build and a new cache on the same folder encode nothing', async () => {
    const folder = tempFolder();
    const cache = new ImageCache(folder);
    const first = await makeStore({ images: cache });
    const encoded = cache.stats.encoded;
    expect(encoded).toBe(10);
    expect(readdirSync(folder).filter((name) => name.endsWith('.webp'))).toHaveLength(10);

    const again = new ImageCache(folder);
    const second = await generateStorefront({ ...first.input, images: again });
    expect(again.stats).toEqual({ encoded: 0, reused: 10 });
    const hashes = (site: StorefrontSite) =>
      site.files.filter((file) => file.path.endsWith('.webp')).map((file) => [file.path, file.sha256]);
    expect(hashes(second)).toEqual(hashes(first.site));

    // One new photo: only its widths are made.
    const changed = first.input.products.map((product) =>
      product.id === first.ids.ankara ? { ...product, image: null } : product,
    );
    changed.push({
      ...(changed[1] as SiteProduct),
      id: uuidv7(T0 + 99),
      name: 'New',
      image: await jpeg(500, 500, 9),
    });
    await generateStorefront({ ...first.input, products: changed, images: again });
    expect(again.stats.encoded).toBe(3);
  });
});

describe('the home page', () => {
  it('stays under 60 KB (gzip) with its stylesheet and script for a 500-product store, and lists only the first products', async () => {
    const fixture = await storefrontFixture(500, { sharedPhoto: true, cacheFolder: tempFolder() });
    const site = await generateStorefront(fixture);
    expect(site.warnings).toEqual([]);
    const bytes = homeFirstLoadBytes(site);
    expect(bytes).toBeLessThan(60 * 1024);
    expect(bytes).toBeLessThan(20 * 1024);
    const home = parseHtml(site.files.find((file) => file.path === 'index.html')?.body.toString() ?? '');
    expect(all(home, (e) => e.attrs.class === 'card')).toHaveLength(HOME_PRODUCTS);
    expect(all(home, (e) => e.tag === 'a' && e.attrs.href === 'products/1.html').length).toBeGreaterThan(0);
    const lists = site.files.filter((file) => /^products\/\d+\.html$/.test(file.path));
    expect(lists).toHaveLength(Math.ceil(500 / LIST_PAGE_SIZE));
    const last = parseHtml(
      lists.find((file) => file.path === `products/${lists.length}.html`)?.body.toString() ?? '',
    );
    expect(all(last, (e) => e.attrs.class === 'card')).toHaveLength(
      500 - LIST_PAGE_SIZE * (lists.length - 1),
    );
    expect(all(last, (e) => e.attrs.rel === 'prev')).toHaveLength(1);
    expect(all(last, (e) => e.attrs.rel === 'next')).toHaveLength(0);
  });
});

describe('cart.js', () => {
  interface Quote {
    ok: boolean;
    kobo?: number;
    quoted?: boolean;
    days?: { min: number; max: number };
    zone?: string | null;
    message?: string;
  }
  interface CartRules {
    naira(kobo: number): string;
    quote(store: unknown, id: string, state: string, lgaCity: string): Quote;
    orderMessage(
      name: string,
      lines: { name: string; quantity: number; unitPriceKobo: number }[],
      details: [string, string][],
    ): string;
  }
  function rules(): CartRules {
    const context: { kasuwaCart?: CartRules } = {};
    vm.runInNewContext(CART_SCRIPT, context);
    if (context.kasuwaCart === undefined) throw new Error('cart.js set no rules');
    return context.kasuwaCart;
  }
  function storeData(config: StorefrontConfig): unknown {
    const cart = page(store, 'cart.html');
    const data = JSON.parse(text(one(cart, (e) => e.attrs.id === 'store-data'))) as Record<string, unknown>;
    expect(data.delivery).toHaveLength(config.delivery.length);
    return data;
  }

  it('prices delivery for every state, Lagos area and option exactly as priceOrder does', () => {
    const cart = rules();
    const config = store.input.config;
    const data = storeData(config);
    let compared = 0;
    for (const state of NIGERIAN_STATES) {
      for (const lgaCity of ['', 'Lekki Phase 1', 'Ikeja', 'V.I.', 'Ìkòyí']) {
        for (const option of config.delivery) {
          const server = priceOrder(
            config,
            orderInputSchema.parse({
              items: [{ productId: store.ids.jollof, quantity: 1 }],
              name: 'Ada',
              phone: '0803 123 4567',
              state,
              lgaCity,
              address: '1 Road',
              delivery: option.id,
              payment: 'bankTransfer',
            }),
          );
          const browser = cart.quote(data, option.id, state, lgaCity);
          if (server.ok) {
            expect(browser, `${state} ${lgaCity} ${option.id}`).toEqual({
              ok: true,
              kobo: server.value.deliveryKobo,
              quoted: server.value.deliveryQuoted,
              days: server.value.deliveryDays,
              zone: server.value.zoneId,
            });
          } else {
            expect(browser).toEqual({ ok: false, message: server.message });
          }
          compared += 1;
        }
      }
    }
    expect(compared).toBe(37 * 5 * config.delivery.length);
  });

  it('writes naira and the WhatsApp order as the generator does', () => {
    const cart = rules();
    for (const kobo of [0, 5, 99, 100, 150_000, 350_050, 123_456_789, 1_000_000_000_000]) {
      expect(cart.naira(kobo)).toBe(formatNaira(kobo));
    }
    const lines = [
      { name: HOSTILE, quantity: 2, unitPriceKobo: 350_050 },
      { name: 'Ankara', quantity: 1, unitPriceKobo: 1_200_000 },
    ];
    const details: [string, string][] = [
      ['Name', ' Ada '],
      ['Note', ''],
    ];
    expect(cart.orderMessage('Chop & Shop', lines, details)).toBe(
      orderMessage('Chop & Shop', lines, details),
    );
    expect(orderMessage('Chop & Shop', lines, details)).toBe(
      `Hello Chop & Shop, I would like to order:\n2 × ${HOSTILE} (₦7,001)\n1 × Ankara (₦12,000)\nSubtotal: ₦19,001\nName: Ada`,
    );
  });
});
