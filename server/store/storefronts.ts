/**
 * Published storefronts in the database: the blobs a counter uploads (by sha256, per business),
 * the publish that swaps a business's live site in one transaction, unpublishing, and the live
 * sites as the public routes read them — by slug and by custom domain, each kept in memory
 * briefly (another server replica sees a publish within those seconds; this one at once), with
 * the files' bytes in a small cache, as content never changes under its hash.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type pg from 'pg';
import { z } from 'zod';
import { isValidHostname } from '../../shared/store/domains';
import { storeSlugSchema } from '../../shared/store/draft';
import { storefrontConfigSchema, type StorefrontConfig } from '../../shared/store/storefront';
import { inTransaction } from '../db/database';
import { flutterwaveSecretHashFor } from './hook-secrets';
import { isSitePath, MAX_SITE_FILES, normalHost, SHA256_HEX } from './site-files';
import { PAYMENT_PROVIDER_IDS, PROVIDER_NAMES, type PaymentProviderId } from './payments/provider';

const gzipAsync = promisify(gzip);

export interface SiteEntry {
  sha256: string;
  contentType: string;
}

/** A storefront as the public routes use it. */
export interface Storefront {
  businessId: string;
  slug: string;
  customDomain: string | null;
  config: StorefrontConfig;
  files: ReadonlyMap<string, SiteEntry>;
  cursor: number;
  publishedAt: number;
  /** False once unpublished: its files are not served and it takes no orders. */
  live: boolean;
}

const secretKey = z
  .string()
  .trim()
  .min(16, 'That is too short to be a secret key')
  .max(200)
  .regex(/^\S+$/, 'A secret key has no spaces in it');

export const publishBodySchema = z.object({
  slug: storeSlugSchema,
  customDomain: z
    .string()
    .trim()
    .toLowerCase()
    .transform((text) => text.replace(/\.$/, ''))
    .refine(isValidHostname, 'Enter a domain name such as shop.example.com.ng')
    .nullable(),
  files: z
    .array(
      z.object({
        path: z.string().refine(isSitePath, 'A file path is relative, with no "..", "." or empty part'),
        sha256: z.string().regex(SHA256_HEX, 'A sha256 is 64 lower-case hex digits'),
        contentType: z.string().max(100),
      }),
    )
    .min(1)
    .max(MAX_SITE_FILES),
  config: storefrontConfigSchema,
  cursor: z.number().int().min(0),
  paymentKeys: z
    .object({ paystack: secretKey.nullable().optional(), flutterwave: secretKey.nullable().optional() })
    .optional(),
});
export type PublishBody = z.output<typeof publishBodySchema>;

export interface PublishAnswer {
  url: string;
  customDomain: string | null;
  publishedAt: number;
  files: number;
}

export interface StorefrontSummary extends PublishAnswer {
  slug: string;
  cursor: number;
  config: StorefrontConfig;
  /** Whether the server holds a secret key for each provider (the keys themselves never leave). */
  paymentKeys: Record<PaymentProviderId, boolean>;
}

/** Why a publish was refused: the field it is about, a code a counter can act on, a sentence. */
export class PublishRefusal extends Error {
  constructor(
    readonly status: 400 | 409,
    readonly code: string,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PublishRefusal';
  }
}

/** Blobs no live manifest names are removed at a publish once they are this old (not mid-upload). */
const UNUSED_BLOB_GRACE_MS = 24 * 60 * 60 * 1000;
/** All of one business's files; a store of 500 products in three picture sizes is ~50 MB. */
export const STORE_BYTES_PER_BUSINESS = 1024 * 1024 * 1024;
/** gzip is kept only when it saves at least a tenth. */
const GZIP_WORTH = 0.9;

const SITE_TTL_MS = 5_000;
const DOMAIN_TTL_MS = 30_000;
const SITES_KEPT = 1_000;
const BLOB_CACHE_BYTES = 32 * 1024 * 1024;
const BLOB_CACHE_LARGEST = 1024 * 1024;

interface StorefrontRow {
  business_id: string;
  slug: string;
  custom_domain: string | null;
  config: unknown;
  manifest: unknown;
  publish_cursor: number;
  published_at: number;
  unpublished_at: number | null;
}

const manifestSchema = z.record(z.string(), z.object({ sha256: z.string(), contentType: z.string() }));

const SELECT_STOREFRONT = `
  SELECT business_id, slug, custom_domain, config, manifest, publish_cursor, published_at, unpublished_at
    FROM storefronts`;

export class Storefronts {
  private readonly bySlugCache = new Map<string, { site: Storefront | null; until: number }>();
  private readonly byDomainCache = new Map<string, { slug: string | null; until: number }>();
  private readonly blobCache = new Map<string, { body: Buffer; gzip: Buffer | null }>();
  private blobCacheBytes = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
  ) {}

  // ── Publishing (a paired counter) ──────────────────────────────────────────────────────────

  /** Which of these hashes the business has not uploaded. */
  async missing(businessId: string, hashes: string[]): Promise<string[]> {
    const wanted = [...new Set(hashes)];
    if (wanted.length === 0) return [];
    const held = await this.pool.query<{ sha256: string }>(
      'SELECT sha256 FROM store_blobs WHERE business_id = $1 AND sha256 = ANY($2::text[])',
      [businessId, wanted],
    );
    const have = new Set(held.rows.map((row) => row.sha256));
    return wanted.filter((hash) => !have.has(hash));
  }

  /** Keeps a file's bytes under their hash; the same bytes again change nothing. */
  async putBlob(
    businessId: string,
    sha256: string,
    body: Buffer,
  ): Promise<'stored' | 'held' | 'wrong_hash' | 'over_quota'> {
    if (createHash('sha256').update(body).digest('hex') !== sha256) return 'wrong_hash';
    const held = await this.pool.query('SELECT 1 FROM store_blobs WHERE business_id = $1 AND sha256 = $2', [
      businessId,
      sha256,
    ]);
    if (held.rowCount !== 0) return 'held';
    const used = await this.pool.query<{ bytes: number }>(
      'SELECT coalesce(sum(size), 0)::bigint AS bytes FROM store_blobs WHERE business_id = $1',
      [businessId],
    );
    if ((used.rows[0]?.bytes ?? 0) + body.length > STORE_BYTES_PER_BUSINESS) return 'over_quota';
    const packed = body.length >= 200 ? await gzipAsync(body, { level: 9 }) : null;
    const zipped = packed !== null && packed.length <= body.length * GZIP_WORTH ? packed : null;
    await this.pool.query(
      `INSERT INTO store_blobs (business_id, sha256, body, gzip, size, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [businessId, sha256, body, zipped, body.length, this.now()],
    );
    return 'stored';
  }

  /**
   * Puts the site live in one transaction: every file's blob must be here, the slug and domain
   * must not be another business's, each online payment method the config offers must have its
   * secret key (given now or kept from before); the first publish makes the business's Flutterwave
   * webhook secret hash (./hook-secrets.ts). `requestHost` is the host the counter reached this
   * server at, which can never be a store's domain (the store would take over the server's own
   * address).
   */
  async publish(businessId: string, body: PublishBody, requestHost: string): Promise<PublishAnswer> {
    if (body.config.slug !== body.slug) {
      throw new PublishRefusal(
        400,
        'invalid_input',
        'The config is for another slug than the one published.',
        'slug',
      );
    }
    const paths = new Set<string>();
    for (const file of body.files) {
      if (paths.has(file.path)) {
        throw new PublishRefusal(400, 'invalid_input', `The file ${file.path} is listed twice.`, 'files');
      }
      paths.add(file.path);
    }
    if (!paths.has('index.html')) {
      throw new PublishRefusal(400, 'invalid_input', 'The site has no index.html, its home page.', 'files');
    }
    const domain = body.customDomain;
    if (domain !== null && domain === normalHost(requestHost)) {
      throw new PublishRefusal(
        409,
        'domain_reserved',
        `${domain} is this sync server's own address; a store needs a domain of its own.`,
        'customDomain',
      );
    }
    const publishedAt = this.now();
    const answer = await inTransaction(this.pool, async (client) => {
      const business = await client.query<{ change_seq: number }>(
        'SELECT change_seq FROM businesses WHERE id = $1',
        [businessId],
      );
      if (body.cursor > (business.rows[0]?.change_seq ?? 0)) {
        throw new PublishRefusal(
          400,
          'invalid_input',
          'The counter says it has pulled changes this server never made. Sync the counter, then publish again.',
          'cursor',
        );
      }
      const hashes = [...new Set(body.files.map((file) => file.sha256))];
      const held = await client.query<{ sha256: string }>(
        'SELECT sha256 FROM store_blobs WHERE business_id = $1 AND sha256 = ANY($2::text[])',
        [businessId, hashes],
      );
      const have = new Set(held.rows.map((row) => row.sha256));
      const absent = body.files.filter((file) => !have.has(file.sha256));
      const firstAbsent = absent[0];
      if (firstAbsent !== undefined) {
        throw new PublishRefusal(
          400,
          'blob_missing',
          `${absent.length} of the site's files were not uploaded (the first is ${firstAbsent.path}). Publish again to upload them.`,
          'files',
        );
      }
      const owners = await client.query<{ business_id: string; slug: string; custom_domain: string | null }>(
        'SELECT business_id, slug, custom_domain FROM storefronts WHERE (slug = $1 OR custom_domain = $2) AND business_id <> $3',
        [body.slug, domain, businessId],
      );
      if (owners.rows.some((row) => row.slug === body.slug)) throw slugTaken(body.slug);
      if (owners.rows.some((row) => domain !== null && row.custom_domain === domain))
        throw domainTaken(domain ?? '');

      for (const provider of PAYMENT_PROVIDER_IDS) {
        const key = body.paymentKeys?.[provider];
        if (key === undefined) continue;
        if (key === null) {
          await client.query('DELETE FROM store_payment_keys WHERE business_id = $1 AND provider = $2', [
            businessId,
            provider,
          ]);
          continue;
        }
        refusePublicKey(provider, key);
        await client.query(
          `INSERT INTO store_payment_keys (business_id, provider, secret_key, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (business_id, provider) DO UPDATE SET secret_key = excluded.secret_key, updated_at = excluded.updated_at`,
          [businessId, provider, key, publishedAt],
        );
      }
      const keyed = await client.query<{ provider: string }>(
        'SELECT provider FROM store_payment_keys WHERE business_id = $1',
        [businessId],
      );
      const withKey = new Set(keyed.rows.map((row) => row.provider));
      for (const provider of PAYMENT_PROVIDER_IDS) {
        if (body.config.payments.some((payment) => payment.id === provider) && !withKey.has(provider)) {
          throw new PublishRefusal(
            400,
            'payment_key_missing',
            `${PROVIDER_NAMES[provider]} is on in the store, but the server has no ${PROVIDER_NAMES[provider]} secret key. Add the key in the store's payment settings, or switch ${PROVIDER_NAMES[provider]} off.`,
            'paymentKeys',
          );
        }
      }

      const manifest = Object.fromEntries(
        body.files.map((file) => [file.path, { sha256: file.sha256, contentType: file.contentType }]),
      );
      try {
        await client.query(
          `INSERT INTO storefronts (business_id, slug, custom_domain, config, manifest, publish_cursor, published_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (business_id) DO UPDATE SET
             slug = excluded.slug, custom_domain = excluded.custom_domain, config = excluded.config,
             manifest = excluded.manifest, publish_cursor = excluded.publish_cursor,
             published_at = excluded.published_at, unpublished_at = NULL`,
          [
            businessId,
            body.slug,
            domain,
            JSON.stringify(body.config),
            JSON.stringify(manifest),
            body.cursor,
            publishedAt,
          ],
        );
      } catch (error) {
        // Another business took the slug or the domain between the check above and here.
        const constraint = (error as { constraint?: unknown }).constraint;
        if (constraint === 'storefronts_slug_unique') throw slugTaken(body.slug);
        if (constraint === 'storefronts_custom_domain_unique') throw domainTaken(domain ?? '');
        throw error;
      }
      // Made now, so the owner can paste it into Flutterwave's dashboard before the first order.
      await flutterwaveSecretHashFor(client, businessId, publishedAt);
      await client.query(
        'DELETE FROM store_blobs WHERE business_id = $1 AND created_at < $2 AND NOT (sha256 = ANY($3::text[]))',
        [businessId, publishedAt - UNUSED_BLOB_GRACE_MS, hashes],
      );
      return { url: `/s/${body.slug}/`, customDomain: domain, publishedAt, files: body.files.length };
    });
    this.forgetSites();
    return answer;
  }

  /** The business's live storefront, or null. */
  async summary(businessId: string): Promise<StorefrontSummary | null> {
    const result = await this.pool.query<StorefrontRow>(
      `${SELECT_STOREFRONT} WHERE business_id = $1 AND unpublished_at IS NULL`,
      [businessId],
    );
    const row = result.rows[0];
    if (row === undefined) return null;
    const site = storefrontOf(row);
    const keyed = await this.pool.query<{ provider: string }>(
      'SELECT provider FROM store_payment_keys WHERE business_id = $1',
      [businessId],
    );
    const withKey = new Set(keyed.rows.map((key) => key.provider));
    return {
      url: `/s/${site.slug}/`,
      slug: site.slug,
      customDomain: site.customDomain,
      publishedAt: site.publishedAt,
      files: site.files.size,
      cursor: site.cursor,
      config: site.config,
      paymentKeys: { paystack: withKey.has('paystack'), flutterwave: withKey.has('flutterwave') },
    };
  }

  /**
   * Takes the site down: its files stop being served and it takes no new orders, while its
   * orders' pages and payment callbacks keep working. The slug stays the business's; the domain
   * is released. False when nothing was live.
   */
  async unpublish(businessId: string): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE storefronts SET unpublished_at = $2, custom_domain = NULL
        WHERE business_id = $1 AND unpublished_at IS NULL`,
      [businessId, this.now()],
    );
    this.forgetSites();
    return result.rowCount === 1;
  }

  // ── Reading (the public routes) ────────────────────────────────────────────────────────────

  /** The storefront at `/s/<slug>`, live or not; null when there never was one. */
  async bySlug(slug: string): Promise<Storefront | null> {
    const at = this.now();
    const cached = this.bySlugCache.get(slug);
    if (cached !== undefined && cached.until > at) return cached.site;
    if (!storeSlugSchema.safeParse(slug).success) return null;
    const result = await this.pool.query<StorefrontRow>(`${SELECT_STOREFRONT} WHERE slug = $1`, [slug]);
    const row = result.rows[0];
    const site = row === undefined ? null : storefrontOf(row);
    remember(this.bySlugCache, slug, { site, until: at + SITE_TTL_MS });
    return site;
  }

  /** The live storefront whose custom domain is this request's host; null for any other host. */
  async byHost(host: string | undefined): Promise<Storefront | null> {
    const domain = normalHost(host);
    if (!isValidHostname(domain)) return null;
    const at = this.now();
    const cached = this.byDomainCache.get(domain);
    let slug: string | null;
    if (cached !== undefined && cached.until > at) {
      slug = cached.slug;
    } else {
      const result = await this.pool.query<{ slug: string }>(
        'SELECT slug FROM storefronts WHERE custom_domain = $1 AND unpublished_at IS NULL',
        [domain],
      );
      slug = result.rows[0]?.slug ?? null;
      remember(this.byDomainCache, domain, { slug, until: at + DOMAIN_TTL_MS });
    }
    if (slug === null) return null;
    const site = await this.bySlug(slug);
    return site !== null && site.live && site.customDomain === domain ? site : null;
  }

  /** A file's bytes, and its gzip copy when one is kept. */
  async blob(businessId: string, sha256: string): Promise<{ body: Buffer; gzip: Buffer | null } | null> {
    const key = `${businessId}:${sha256}`;
    const cached = this.blobCache.get(key);
    if (cached !== undefined) {
      this.blobCache.delete(key);
      this.blobCache.set(key, cached);
      return cached;
    }
    const result = await this.pool.query<{ body: Buffer; gzip: Buffer | null }>(
      'SELECT body, gzip FROM store_blobs WHERE business_id = $1 AND sha256 = $2',
      [businessId, sha256],
    );
    const found = result.rows[0];
    if (found === undefined) return null;
    const size = found.body.length + (found.gzip?.length ?? 0);
    if (size <= BLOB_CACHE_LARGEST) {
      this.blobCache.set(key, found);
      this.blobCacheBytes += size;
      for (const [oldKey, old] of this.blobCache) {
        if (this.blobCacheBytes <= BLOB_CACHE_BYTES) break;
        this.blobCache.delete(oldKey);
        this.blobCacheBytes -= old.body.length + (old.gzip?.length ?? 0);
      }
    }
    return found;
  }

  /** A publish or unpublish on this process: its next request reads the sites afresh. */
  forgetSites(): void {
    this.bySlugCache.clear();
    this.byDomainCache.clear();
  }
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > SITES_KEPT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

function storefrontOf(row: StorefrontRow): Storefront {
  // Both were checked when published; a row that no longer parses is this build's fault.
  const config = storefrontConfigSchema.parse(row.config);
  const manifest = manifestSchema.parse(row.manifest);
  return {
    businessId: row.business_id,
    slug: row.slug,
    customDomain: row.custom_domain,
    config,
    files: new Map(Object.entries(manifest)),
    cursor: row.publish_cursor,
    publishedAt: row.published_at,
    live: row.unpublished_at === null,
  };
}

function slugTaken(slug: string): PublishRefusal {
  return new PublishRefusal(
    409,
    'slug_taken',
    `Another business already has the store address /s/${slug}/. Choose another one.`,
    'slug',
  );
}

function domainTaken(domain: string): PublishRefusal {
  return new PublishRefusal(
    409,
    'domain_taken',
    `${domain} is already the domain of another business's store on this server.`,
    'customDomain',
  );
}

/** The keys pasted most by mistake are the public ones, which take no payment on the server. */
function refusePublicKey(provider: PaymentProviderId, key: string): void {
  const isPublic = provider === 'paystack' ? /^pk_/i.test(key) : /^FLWPUBK/i.test(key);
  if (isPublic) {
    throw new PublishRefusal(
      400,
      'invalid_input',
      provider === 'paystack'
        ? 'That is the Paystack public key (pk_…); the server needs the secret key (sk_…).'
        : 'That is the Flutterwave public key (FLWPUBK…); the server needs the secret key (FLWSECK…).',
      'paymentKeys',
    );
  }
}
