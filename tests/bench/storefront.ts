/**
 * Storefront figures, on a 500-product store with a real photo for every product:
 *  - storefront_home_kb: what a shopper's phone downloads to show the home page the first time
 *    (index.html, styles.css and cart.js, each gzipped as the server sends them), without product
 *    pictures, in KB; the target is under 60 KB on a 2G-grade link;
 *  - store_generate_500_s: building the whole site (every page and every photo as WebP at three
 *    widths) with an empty picture cache, as the first publish of a store does; median of three.
 *
 * `storefrontFixture` builds that store (a complete draft, its config and products whose photos
 * are real JPEGs made with sharp) for other benchmarks and tests, such as the publish benchmark.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { generateStorefront } from '../../main/services/store/storefront/generate';
import { ImageCache } from '../../main/services/store/storefront/images';
import type { SiteProduct, StorefrontInput, StorefrontSite } from '../../main/services/store/storefront/site';
import { uuidv7 } from '../../shared/ids';
import { storefrontConfig, type ConfigCatalogueProduct } from '../../shared/store/config';
import { storeDraftSchema, type StoreDraft } from '../../shared/store/draft';
import { legalTemplates } from '../../shared/store/legal';
import { percentile, progress, round, type Figures } from './figures';

const PRODUCTS = 500;
const RUNS = 3;

const CATEGORIES = [
  'Fabrics',
  'Shoes',
  'Bags',
  'Beauty',
  'Kitchen',
  'Foodstuff',
  'Phones & accessories',
  'Children',
  'Men',
  'Women',
  'Home',
  'Drinks',
];
const ITEMS = ['Ankara', 'Aso-oke', 'Sandals', 'Tote bag', 'Shea butter', 'Pot set', 'Garri', 'Power bank'];

/** A photo-like JPEG: smooth colour fields with some grain, different for every seed. */
export async function fixturePhoto(seed: number, size = 960): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * 3);
  const hue = (seed * 47) % 255;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const offset = (y * size + x) * 3;
      const wave = Math.sin((x + seed * 13) / 70) * Math.cos((y - seed * 7) / 90);
      const grain = ((x * 7919 + y * 104_729 + seed * 31) % 17) - 8;
      pixels[offset] = Math.max(0, Math.min(255, hue + wave * 60 + grain));
      pixels[offset + 1] = Math.max(0, Math.min(255, 128 + wave * 90 + grain));
      pixels[offset + 2] = Math.max(0, Math.min(255, 255 - hue - wave * 50 + grain));
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

async function fixtureLogo(): Promise<string> {
  const png = await sharp({
    create: { width: 400, height: 200, channels: 4, background: { r: 10, g: 92, b: 54, alpha: 1 } },
  })
    .png()
    .toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}

export interface StorefrontFixtureOptions {
  /** Where the picture cache keeps its files; a new temporary folder by default. */
  cacheFolder?: string;
  /** One photo shared by every product (fast to build) instead of a different one each. */
  sharedPhoto?: boolean;
  orderAction?: string | null;
  siteUrl?: string | null;
}

/**
 * A complete store of `count` products: business info with a logo, WhatsApp and social links,
 * couriers on the default zones, every payment method, the legal templates, and a photo per
 * product. `cacheFolder` is where its `ImageCache` lives (the caller removes it).
 */
export async function storefrontFixture(
  count: number,
  options: StorefrontFixtureOptions = {},
): Promise<StorefrontInput & { cacheFolder: string }> {
  const cacheFolder = options.cacheFolder ?? mkdtempSync(path.join(os.tmpdir(), 'kasuwa-storefront-'));
  const shared = options.sharedPhoto === true ? await fixturePhoto(1) : null;
  const products: SiteProduct[] = [];
  const catalogue: ConfigCatalogueProduct[] = [];
  const base = Date.parse('2026-03-01T09:00:00Z');
  for (let index = 0; index < count; index += 1) {
    const id = uuidv7(base + index);
    const item = ITEMS[index % ITEMS.length] ?? 'Item';
    const name = `${item} ${['classic', 'premium', 'mini', 'family size', 'deluxe'][index % 5] ?? ''} no. ${index + 1}`;
    const priceKobo = 50_000 + ((index * 37_100) % 4_500_000);
    const stock = (index * 7) % 23;
    catalogue.push({ id, name, priceKobo, stock, reserved: index % 11 === 0 ? 1 : 0, archived: false });
    products.push({
      id,
      name,
      description: `${name}: good quality, sold by the piece. Ask us about wholesale prices.`,
      category: CATEGORIES[index % CATEGORIES.length] ?? '',
      priceKobo,
      available: Math.max(0, stock - (index % 11 === 0 ? 1 : 0)),
      image: shared ?? (await fixturePhoto(index + 1)),
      updatedAt: base + index * 60_000,
    });
  }
  const business = {
    name: 'Mama Bisi Stores',
    description:
      'Fabrics, shoes, bags and everyday things from Balogun Market, delivered anywhere in Nigeria.',
    logo: await fixtureLogo(),
    address: '14 Balogun Street, Lagos Island',
    state: 'Lagos' as const,
    phone: '0803 123 4567',
    whatsapp: '0803 123 4567',
    hours: 'Mon–Sat 8am–7pm, Sun closed',
  };
  const draft: StoreDraft = storeDraftSchema.parse({
    business,
    products: {
      items: products.map((product) => ({ productId: product.id, description: product.description })),
      stockVisibility: 'in-or-out',
    },
    payments: {
      paystack: { enabled: true, publicKey: 'pk_test_bench' },
      bankTransfer: {
        enabled: true,
        bankName: 'GTBank',
        accountName: 'Mama Bisi Stores',
        accountNumber: '0123456789',
      },
      payOnDelivery: { enabled: true, note: 'Lagos only. Cash or transfer to the rider.' },
    },
    shipping: {
      pickup: { enabled: true, note: 'At the shop, Mon–Sat.' },
      localDelivery: { enabled: true, priceKobo: 150_000, days: { min: 0, max: 1 } },
      couriers: [
        { id: 'gig', enabled: true, pricing: 'manual', surchargeKobo: 0, extraDays: 0 },
        { id: 'jumia', enabled: true, pricing: 'manual', surchargeKobo: 50_000, extraDays: 1 },
        { id: 'dhl', enabled: true, pricing: 'quoted', surchargeKobo: 0, extraDays: 0 },
      ],
    },
    legal: legalTemplates({ ...business, email: 'hello@mamabisi.com.ng' }),
    launch: { slug: 'mama-bisi', instagram: '@mamabisistores', facebook: 'mamabisistores', x: 'mamabisi' },
  });
  return {
    draft,
    config: storefrontConfig(draft, catalogue),
    products,
    images: new ImageCache(cacheFolder),
    orderAction: options.orderAction ?? null,
    siteUrl: options.siteUrl === undefined ? 'https://kasuwa.example/s/mama-bisi/' : options.siteUrl,
    cacheFolder,
  };
}

/** Bytes a browser downloads to show the home page first: the page, its stylesheet and script, gzipped. */
export function homeFirstLoadBytes(site: StorefrontSite): number {
  const file = (name: string) => {
    const found = site.files.find((candidate) => candidate.path === name);
    if (found === undefined) throw new Error(`the site has no ${name}`);
    return found;
  };
  const home = file('index.html').body.toString('utf8');
  const loaded = ['index.html'];
  for (const match of home.matchAll(/<(?:link rel="stylesheet" href|script src)="([^"]+)"/g)) {
    if (match[1] !== undefined) loaded.push(match[1]);
  }
  return loaded.reduce((sum, name) => sum + gzipSync(file(name).body, { level: 9 }).length, 0);
}

export async function storefrontFigures(): Promise<Figures> {
  progress(`storefront: making a ${PRODUCTS}-product store with a photo each`);
  const fixture = await storefrontFixture(PRODUCTS);
  const folders = [fixture.cacheFolder];
  try {
    const seconds: number[] = [];
    let site: StorefrontSite | null = null;
    for (let run = 0; run < RUNS; run += 1) {
      // A cold cache each run: a new, empty folder.
      const folder = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-storefront-cold-'));
      folders.push(folder);
      const started = performance.now();
      site = await generateStorefront({ ...fixture, images: new ImageCache(folder) });
      seconds.push((performance.now() - started) / 1000);
      progress(`storefront: generated ${site.files.length} files in ${round(seconds.at(-1) ?? 0)} s`);
    }
    if (site === null) throw new Error('no site generated');
    if (site.warnings.length > 0) throw new Error(`the bench store warned: ${site.warnings.join('; ')}`);
    return {
      storefront_home_kb: {
        value: round(homeFirstLoadBytes(site) / 1024),
        unit: 'KB',
        better: 'lower',
        target: 60,
      },
      store_generate_500_s: { value: round(percentile(seconds, 50)), unit: 's', better: 'lower' },
    };
  } finally {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
}
