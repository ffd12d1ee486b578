/**
 * The online store, as the Store screen sees it: the builder's draft and its launch checklist,
 * payment secrets in the OS keychain, the live preview and its test order, publishing to the
 * sync server (files uploaded by hash, so an unchanged picture is never sent twice on a slow
 * link) or exporting a folder, and the online orders that come back.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  DraftSectionInput,
  PublishedStore,
  StoreOrder,
  StorePaymentHooks,
  StoreState,
} from '../../../shared/channels/store';
import type { StaffMember } from '../../../shared/channels/foundation';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { readyToLaunch, storeChecklist } from '../../../shared/store/checklist';
import type { StoreDraft } from '../../../shared/store/draft';
import type { Keychain } from '../../db/database-key';
import type { AuditLog } from '../audit/audit-log';
import type { SyncService } from '../sync/sync-service';
import type { SyncTransport } from '../sync/sync-transport';
import { PreviewServer } from './preview-server';
import type { StoreDrafts } from './store-drafts';
import type { StoreOrders } from './store-orders';
import type { StoreSite } from './store-site';

const KEYCHAIN_SERVICE = 'Kasuwa store';
const PAYMENT_PROVIDERS = ['paystack', 'flutterwave'] as const;
type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];
/** Uploads at once: enough to fill a slow link without one picture starving the rest. */
const UPLOADS_AT_ONCE = 4;

interface PublicationRow {
  slug: string;
  url: string;
  custom_domain: string | null;
  files: number;
  bytes: number;
  uploaded: number;
  published_at: number;
}

export interface StoreEnvironment {
  keychain: Keychain | null;
  /** Where exports go by default (a folder per store under it). */
  exportDir: string;
  onProgress: (progress: { taskId: string; label: string; done: number; total: number }) => void;
}

export class StoreServices {
  readonly preview: PreviewServer;
  private readonly secrets = new Map<PaymentProvider, string | null>();
  private readonly latestPublication: Database.Statement<[], PublicationRow>;
  private readonly insertPublication: Database.Statement;
  private readonly nextTestNumber: Database.Statement<[], { n: number }>;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      audit: AuditLog;
      drafts: StoreDrafts;
      orders: StoreOrders;
      site: StoreSite;
      sync: SyncService;
      transport: SyncTransport;
      deviceId: () => string;
      environment: StoreEnvironment;
      now: () => number;
    },
  ) {
    const sql = deps.sql;
    this.latestPublication = sql.prepare(
      `SELECT slug, url, custom_domain, files, bytes, uploaded, published_at FROM store_publications
       ORDER BY published_at DESC, id DESC LIMIT 1`,
    );
    this.insertPublication = sql.prepare(
      `INSERT INTO store_publications (id, slug, url, custom_domain, files, bytes, uploaded, published_at, staff_id)
       VALUES (@id, @slug, @url, @customDomain, @files, @bytes, @uploaded, @publishedAt, @staffId)`,
    );
    this.nextTestNumber = sql.prepare(
      'SELECT coalesce(max(number), 0) + 1 AS n FROM store_orders WHERE test = 1',
    );
    this.preview = new PreviewServer({
      draft: () => deps.drafts.current(),
      build: async (draft) => deps.site.build(draft, { orderAction: null, siteUrl: null }),
      takeOrder: (row) => {
        deps.orders.order(row);
        deps.drafts.recordTestOrder(row.placedAt);
      },
      nextTestNumber: () => this.nextTestNumber.get()?.n ?? 1,
      now: deps.now,
    });
  }

  async state(): Promise<StoreState> {
    const { draft, savedAt, testOrderAt } = this.deps.drafts.current();
    const paymentKeys = await this.paymentKeys();
    const onlineProducts = this.deps.site.onlineCount(draft);
    return {
      draft,
      savedAt,
      checklist: storeChecklist(draft, { onlineProducts, paymentKeys, testOrderAt }),
      paymentKeys,
      testOrderAt,
      published: this.published(),
      pendingOrders: this.deps.orders.pendingCount(),
    };
  }

  async saveDraft(input: DraftSectionInput, staffId: string | null): Promise<StoreState> {
    this.deps.drafts.save(input, staffId);
    return this.state();
  }

  async setPaymentKey(
    input: { provider: PaymentProvider; secretKey: string },
    staffId: string | null,
  ): Promise<StoreState> {
    const keychain = this.deps.environment.keychain;
    if (keychain === null) {
      throw new KasuwaError(
        'keychain_unavailable',
        'This computer has no usable keychain, so payment keys cannot be kept safely. Kasuwa never stores them in the database.',
      );
    }
    await keychain.setSecret(KEYCHAIN_SERVICE, this.account(input.provider), input.secretKey);
    this.secrets.set(input.provider, input.secretKey === '' ? null : input.secretKey);
    this.deps.sql
      .transaction(() =>
        this.deps.audit.append({
          action: input.secretKey === '' ? 'store.paymentKey.removed' : 'store.paymentKey.set',
          entity: 'store',
          entityId: input.provider,
          actorStaffId: staffId,
        }),
      )
      .immediate();
    return this.state();
  }

  async previewUrl(): Promise<{ url: string }> {
    return { url: await this.preview.url() };
  }

  /** A test order through the preview's checkout, as a shopper would place it. */
  async testOrder(): Promise<StoreOrder> {
    try {
      const id = await this.preview.placeTestOrder();
      return this.deps.orders.get(id);
    } catch (error) {
      if (error instanceof KasuwaError) throw error;
      throw new KasuwaError(
        'invalid_input',
        `The test order did not go through: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Generates the site and puts it live on the sync server, uploading only what it lacks. */
  async publish(staffId: string | null): Promise<StoreState> {
    const state = await this.state();
    const draft = state.draft;
    if (!readyToLaunch(state.checklist)) {
      const left = state.checklist.filter((item) => !item.done).map((item) => item.label.toLowerCase());
      throw new KasuwaError('invalid_input', `Finish the checklist first: ${left.join(', ')}.`);
    }
    let link;
    try {
      link = this.deps.sync.link();
    } catch {
      throw new KasuwaError(
        'not_found',
        'Pair this counter with a sync server (on the Sync screen) to publish the store, or export it as a folder.',
      );
    }
    const { serverUrl, token, cursor } = link;
    const slug = draft.launch.slug;
    const { config, site } = await this.deps.site.build(draft, {
      orderAction: null,
      siteUrl: `${serverUrl}/s/${slug}/`,
    });
    const blobs = new Map(site.files.map((file) => [file.sha256, file.body]));
    const transport = this.deps.transport;
    const missing = await this.deps.sync.request(() =>
      transport.storefrontMissing(serverUrl, token, [...blobs.keys()]),
    );
    const taskId = `store-publish-${uuidv7(this.deps.now())}`;
    const progress = (done: number) =>
      this.deps.environment.onProgress({ taskId, label: 'Uploading the store', done, total: missing.length });
    progress(0);
    let done = 0;
    const queue = [...missing];
    await Promise.all(
      Array.from({ length: Math.min(UPLOADS_AT_ONCE, queue.length) }, async () => {
        for (let hash = queue.shift(); hash !== undefined; hash = queue.shift()) {
          const body = blobs.get(hash);
          if (body === undefined)
            throw new KasuwaError('internal', 'The server asked for a file this store does not have.');
          await this.deps.sync.request(() => transport.storefrontBlob(serverUrl, token, hash, body));
          done += 1;
          progress(done);
        }
      }),
    );
    const paymentKeys: { paystack?: string | null; flutterwave?: string | null } = {};
    for (const provider of PAYMENT_PROVIDERS) {
      paymentKeys[provider] = draft.payments[provider].enabled ? await this.secret(provider) : null;
    }
    const answer = await this.deps.sync.request(
      () =>
        transport.publishStorefront(serverUrl, token, {
          slug,
          customDomain: draft.launch.customDomain === '' ? null : draft.launch.customDomain,
          files: site.files.map(({ path: filePath, sha256, contentType }) => ({
            path: filePath,
            sha256,
            contentType,
          })),
          config,
          cursor,
          paymentKeys,
        }),
      'slug',
    );
    const bytes = site.files.reduce((sum, file) => sum + file.body.length, 0);
    const publishedAt = this.deps.now();
    this.deps.sql
      .transaction(() => {
        this.insertPublication.run({
          id: uuidv7(publishedAt),
          slug,
          url: new URL(answer.url, serverUrl).toString(),
          customDomain: answer.customDomain,
          files: site.files.length,
          bytes,
          uploaded: missing.length,
          publishedAt,
          staffId,
        });
        this.deps.audit.append({
          action: 'store.publish',
          entity: 'store',
          entityId: slug,
          actorStaffId: staffId,
          details: { files: site.files.length, uploaded: missing.length, products: config.products.length },
        });
      })
      .immediate();
    return this.state();
  }

  /** Writes the site into a folder; its checkout posts to the sync server when this counter has one. */
  async exportSite(folder: string | undefined): Promise<{ folder: string; files: number; bytes: number }> {
    const { draft } = this.deps.drafts.current();
    const slug = draft.launch.slug === '' ? 'store' : draft.launch.slug;
    let orderAction: string | null = null;
    let siteUrl: string | null = null;
    try {
      const { serverUrl } = this.deps.sync.link();
      orderAction = `${serverUrl}/s/${slug}/order`;
      siteUrl = draft.launch.customDomain === '' ? null : `https://${draft.launch.customDomain}/`;
    } catch {
      // Not paired: the exported store takes orders by WhatsApp only.
    }
    const { site } = await this.deps.site.build(draft, { orderAction, siteUrl });
    const target = path.resolve(folder ?? path.join(this.deps.environment.exportDir, slug));
    let bytes = 0;
    for (const file of site.files) {
      const destination = path.resolve(target, file.path);
      if (!destination.startsWith(target + path.sep)) continue;
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, file.body);
      bytes += file.body.length;
    }
    return { folder: target, files: site.files.length, bytes };
  }

  /** Where Paystack and Flutterwave post payment events for the live store; null when there is none. */
  async paymentHooks(): Promise<StorePaymentHooks | null> {
    let link;
    try {
      link = this.deps.sync.link();
    } catch {
      return null;
    }
    const { serverUrl, token } = link;
    const status = await this.deps.sync.request(() => this.deps.transport.storefrontStatus(serverUrl, token));
    return status?.paymentHooks ?? null;
  }

  /**
   * The counter's "Check payment": the sync server asks the provider about the order's payment
   * and records what it says (for a shopper who paid and closed the tab before coming back, when
   * no webhook arrived either); a sync pass then brings the payment here.
   */
  async checkPayment(id: string): Promise<StoreOrder> {
    const order = this.deps.orders.get(id);
    if (order.test) {
      throw new KasuwaError('invalid_input', 'A test order is never paid; there is nothing to check.');
    }
    if (order.paymentMethod !== 'paystack' && order.paymentMethod !== 'flutterwave') {
      throw new KasuwaError(
        'invalid_input',
        `Order ${order.number} is not paid online, so there is no payment to check with a provider.`,
      );
    }
    let link;
    try {
      link = this.deps.sync.link();
    } catch {
      throw new KasuwaError(
        'not_found',
        'Pair this counter with the sync server (on the Sync screen) to check online payments.',
      );
    }
    const { serverUrl, token } = link;
    const check = await this.deps.sync.request(() =>
      this.deps.transport.verifyStorePayment(serverUrl, token, id),
    );
    if (check.payment !== null) {
      try {
        await this.deps.sync.syncNow();
      } catch (error) {
        // The link dropped since the check: the payment arrives with the next pass.
        if (!(error instanceof KasuwaError && error.code === 'unavailable')) throw error;
      }
    }
    return this.deps.orders.get(id);
  }

  fulfil(id: string, cashier: StaffMember): StoreOrder {
    return this.deps.orders.fulfil(id, cashier);
  }

  async close(): Promise<void> {
    await this.preview.close();
  }

  private published(): PublishedStore | null {
    const row = this.latestPublication.get();
    if (row === undefined) return null;
    return {
      slug: row.slug,
      url: row.url,
      customDomain: row.custom_domain,
      publishedAt: row.published_at,
      files: row.files,
      bytes: row.bytes,
      uploaded: row.uploaded,
    };
  }

  private async paymentKeys(): Promise<{ paystack: boolean; flutterwave: boolean }> {
    return {
      paystack: (await this.secret('paystack')) !== null,
      flutterwave: (await this.secret('flutterwave')) !== null,
    };
  }

  private async secret(provider: PaymentProvider): Promise<string | null> {
    if (this.secrets.has(provider)) return this.secrets.get(provider) ?? null;
    const keychain = this.deps.environment.keychain;
    if (keychain === null) return null;
    let secret: string | null;
    try {
      secret = await keychain.getSecret(KEYCHAIN_SERVICE, this.account(provider));
    } catch {
      return null;
    }
    const value = secret === null || secret === '' ? null : secret;
    this.secrets.set(provider, value);
    return value;
  }

  private account(provider: PaymentProvider): string {
    return `${this.deps.deviceId()}:${provider}`;
  }
}

export type { StoreDraft };
