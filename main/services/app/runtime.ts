/**
 * The life of one shop data folder: find the database key (keychain or owner passphrase), open
 * the encrypted database, and build the domain services on it. Until the database is open the
 * app is "locked" and only the app:* channels answer; a wrong key, a missing key or a damaged
 * file becomes an error status with a human sentence, and the file is left untouched.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppStatus, KeyStorage } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import {
  createPassphraseKey,
  DATABASE_FILE,
  resolveDatabaseKey,
  unlockWithPassphrase,
  type Keychain,
} from '../../db/database-key';
import type { Migration } from '../../db/migrate';
import { openShopDatabase, type ShopDatabase } from '../../db/open';
import { AuditLog } from '../audit/audit-log';
import { BusinessService } from '../business/business-service';
import { CampaignServices, type CampaignEnvironment } from '../campaigns/campaign-services';
import type { ProviderFactory } from '../campaigns/message-sender';
import { SettingsService } from '../settings/settings-service';
import { CustomerCsv } from '../customers/customer-csv';
import { CustomerService } from '../customers/customer-service';
import { CustomerStats } from '../customers/customer-stats';
import { LoyaltyService } from '../loyalty/loyalty-service';
import { ProductService } from '../products/product-service';
import { ReportService } from '../reports/report-service';
import { RiskService } from '../risk/risk-service';
import { SaleService } from '../sales/sale-service';
import { TillSession } from '../sales/till-session';
import { StaffService } from '../staff/staff-service';
import { StoreDrafts } from '../store/store-drafts';
import { StoreOrders } from '../store/store-orders';
import { StoreServices, type StoreEnvironment } from '../store/store-services';
import { StoreSite } from '../store/store-site';
import { ImageCache } from '../store/storefront/images';
import type { NetworkSource, PowerSource } from '../sync/conditions';
import { ManualNetwork, ManualPower } from '../sync/conditions';
import { LedgerRows } from '../sync/ledgers';
import { Outbox } from '../sync/outbox';
import { ReplicaTables } from '../sync/replicas';
import { SyncApplier } from '../sync/sync-applier';
import { SyncClock } from '../sync/sync-clock';
import { SyncConflicts, type ConflictActions } from '../sync/sync-conflicts';
import { SyncEngine } from '../sync/sync-engine';
import { SyncProblems } from '../sync/sync-problems';
import { SyncRecorder } from '../sync/sync-recorder';
import { SyncService } from '../sync/sync-service';
import { SyncState } from '../sync/sync-state';
import { HttpSyncTransport, type SyncTransport } from '../sync/sync-transport';
import type { EventBus } from './event-bus';
import type { Log } from './log';
import { WalCheckpoints } from './wal-checkpoints';

export interface ShopServices {
  db: ShopDatabase;
  audit: AuditLog;
  outbox: Outbox;
  business: BusinessService;
  staff: StaffService;
  settings: SettingsService;
  loyalty: LoyaltyService;
  customers: CustomerService;
  customerCsv: CustomerCsv;
  products: ProductService;
  till: TillSession;
  risk: RiskService;
  sales: SaleService;
  reports: ReportService;
  sync: SyncService;
  campaigns: CampaignServices;
  store: StoreServices;
  storeOrders: StoreOrders;
}

/** Where the store keeps its resized pictures and exports, and who hears of its progress. */
export interface StoreFolders extends StoreEnvironment {
  imageDir: string;
}

/** What sync needs from outside the database: the power and network readings and the HTTP client. */
export interface SyncEnvironment {
  power: PowerSource;
  network: NetworkSource;
  transport: SyncTransport;
  log: (message: string, fields: Record<string, unknown>) => void;
}

function defaultSyncEnvironment(): SyncEnvironment {
  return {
    power: new ManualPower(),
    network: new ManualNetwork(),
    transport: new HttpSyncTransport(),
    log: () => undefined,
  };
}

/** Builds every domain service on an open database; the one place they are constructed. */
export function createShopServices(
  db: ShopDatabase,
  now: () => number,
  environment: SyncEnvironment = defaultSyncEnvironment(),
  campaignEnvironment: Partial<CampaignEnvironment> = {},
  storeEnvironment: Partial<StoreFolders> = {},
): ShopServices {
  const sql = db.sqlite;
  const audit = new AuditLog(sql, now);
  const outbox = new Outbox(sql, now);
  const syncState = new SyncState(sql);
  const stats = new CustomerStats(sql);
  // Services below are built later; these closures are only called once everything exists.
  let settings: SettingsService | null = null;
  let loyalty: LoyaltyService | null = null;
  const built = <T>(service: T | null): T => {
    if (service === null) throw new Error('a service was used before the shop finished building');
    return service;
  };
  const clock = new SyncClock(syncState, () => built(settings).device().deviceId.slice(-12), now);
  const replicas = new ReplicaTables(sql);
  const ledgers = new LedgerRows(sql, stats, () => built(loyalty).rules());
  const recorder = new SyncRecorder({ sql, outbox, clock, replicas, ledgers });
  settings = new SettingsService(db, audit, now, recorder);
  loyalty = new LoyaltyService(db, settings, audit);
  const business = new BusinessService(db, audit, now, recorder);
  const staff = new StaffService(db, audit, now, recorder);
  const customers = new CustomerService({ db, audit, sync: recorder, stats, loyalty, now });
  const products = new ProductService({ db, audit, sync: recorder, now });
  const till = new TillSession(staff);
  const risk = new RiskService({ db, audit, staff, now });
  const sales = new SaleService({
    db,
    audit,
    sync: recorder,
    stats,
    loyalty,
    products,
    staff,
    settings,
    business,
    risk,
    now,
  });
  let sync: SyncService | null = null;
  let campaigns: CampaignServices | null = null;
  const storeOrders = new StoreOrders({
    sql,
    audit,
    sync: recorder,
    customers,
    products,
    sales,
    businessId: () => syncState.pairing()?.businessId ?? null,
    now,
  });
  const problems = new SyncProblems(sql, now);
  const conflicts = new SyncConflicts({
    sql,
    ledgers,
    outbox,
    audit,
    now,
    actions: (): ConflictActions => built(sync).conflictActions(),
  });
  const applier = new SyncApplier({
    sql,
    replicas,
    ledgers,
    clock,
    conflicts,
    problems,
    stats,
    rules: () => built(loyalty).rules(),
    campaignFacts: () => ({
      report: (row) => built(campaigns).campaigns.recordReport(row),
      optOut: (row) => built(campaigns).campaigns.recordOptOut(row),
    }),
    storeFacts: () => storeOrders,
    now,
  });
  const engine = new SyncEngine({
    sql,
    state: syncState,
    outbox,
    replicas,
    applier,
    ledgers,
    conflicts,
    problems,
    clock,
    audit,
    transport: environment.transport,
    now,
    onChange: () => sync?.statusChanged(),
  });
  sync = new SyncService({
    sql,
    state: syncState,
    outbox,
    engine,
    applier,
    replicas,
    ledgers,
    conflicts,
    problems,
    recorder,
    clock,
    transport: environment.transport,
    staff,
    business,
    customers,
    products,
    power: environment.power,
    network: environment.network,
    now,
    log: environment.log,
  });
  campaigns = new CampaignServices({
    db,
    audit,
    settings,
    business,
    deviceId: () => built(settings).device().deviceId,
    now,
    environment: {
      keychain: null,
      network: environment.network,
      log: environment.log,
      ...campaignEnvironment,
    },
  });
  const scratch = path.join(tmpdir(), 'kasuwa-store');
  const store = new StoreServices({
    sql,
    audit,
    drafts: new StoreDrafts({ sql, audit, business, now }),
    orders: storeOrders,
    site: new StoreSite({
      sql,
      products,
      reserved: () => storeOrders.reserved(),
      images: new ImageCache(storeEnvironment.imageDir ?? path.join(scratch, 'images')),
    }),
    sync,
    transport: environment.transport,
    deviceId: () => built(settings).device().deviceId,
    environment: {
      keychain: storeEnvironment.keychain ?? campaignEnvironment.keychain ?? null,
      exportDir: storeEnvironment.exportDir ?? path.join(scratch, 'export'),
      onProgress: storeEnvironment.onProgress ?? (() => undefined),
    },
    now,
  });
  return {
    db,
    audit,
    outbox,
    business,
    staff,
    settings,
    loyalty,
    customers,
    customerCsv: new CustomerCsv({ db, audit, sync: recorder, now }),
    products,
    till,
    risk,
    sales,
    reports: new ReportService({ db, audit, staff, now, deviceId: () => built(settings).device().deviceId }),
    sync,
    campaigns,
    store,
    storeOrders,
  };
}

export interface RuntimeOptions {
  dataDir: string;
  keychain: Keychain | null;
  migrations: Migration[];
  version: string;
  events: EventBus;
  log: Log;
  /** Lock with a passphrase even where a keychain works (KASUWA_KEYCHAIN=off). */
  forcePassphrase?: boolean;
  /** The machine's power and network readings for the sync schedule (default: mains, online). */
  power?: PowerSource;
  network?: NetworkSource;
  transport?: SyncTransport;
  /** Message provider adapters (default: the real ones, built from the campaign settings). */
  createProvider?: ProviderFactory;
  now?: () => number;
}

const ERROR_TITLES: Partial<Record<string, string>> = {
  wrong_key: 'This database needs a different key',
  key_missing: "The database key can't be found",
  keychain_unavailable: "The computer's keychain is locked",
  database_corrupt: "The shop database can't be read",
  database_newer: 'This database needs a newer Kasuwa',
  migration_changed: 'This copy of Kasuwa is damaged',
};

export class ShopRuntime {
  private current: AppStatus = {
    state: 'needs-passphrase',
    firstRun: false,
    reason: 'Kasuwa is starting.',
  };
  private services: ShopServices | null = null;
  private checkpoints: WalCheckpoints | null = null;
  private keyStorage: KeyStorage = 'keychain';
  private readonly readyListeners = new Set<(services: ShopServices) => void>();

  constructor(private readonly options: RuntimeOptions) {}

  get databaseFile(): string {
    return path.join(this.options.dataDir, DATABASE_FILE);
  }

  status(): AppStatus {
    if (this.current.state === 'ready' && this.services !== null) {
      return { ...this.current, setupDone: this.services.business.isSetUp() };
    }
    return this.current;
  }

  /** Finds the key and opens the database if it can; otherwise leaves a status that says why. */
  async start(): Promise<AppStatus> {
    try {
      const resolution = await resolveDatabaseKey(this.options.dataDir, this.options.keychain, {
        forcePassphrase: this.options.forcePassphrase ?? false,
      });
      if (resolution.kind === 'needs-passphrase') {
        this.setStatus({
          state: 'needs-passphrase',
          firstRun: resolution.firstRun,
          reason: resolution.reason,
        });
      } else {
        this.open(resolution.key, resolution.created, resolution.storage);
      }
    } catch (error) {
      this.fail(error);
    }
    return this.status();
  }

  async createPassphrase(passphrase: string): Promise<AppStatus> {
    if (this.current.state !== 'needs-passphrase' || !this.current.firstRun) {
      throw new KasuwaError('already_done', 'This shop database already has a passphrase.');
    }
    const key = await createPassphraseKey(this.options.dataDir, passphrase);
    this.open(key, true, 'passphrase');
    return this.status();
  }

  async unlock(passphrase: string): Promise<AppStatus> {
    if (this.current.state !== 'needs-passphrase' || this.current.firstRun) {
      throw new KasuwaError('already_done', 'The shop database is already open.');
    }
    const key = await unlockWithPassphrase(this.options.dataDir, passphrase);
    this.open(key, false, 'passphrase');
    return this.status();
  }

  /** The domain services; a call before the database is open answers `locked`. */
  require(): ShopServices {
    if (this.services === null) {
      throw new KasuwaError('locked', 'The shop database is not open yet. Unlock it first.');
    }
    return this.services;
  }

  onReady(listener: (services: ShopServices) => void): () => void {
    this.readyListeners.add(listener);
    if (this.services !== null) listener(this.services);
    return () => this.readyListeners.delete(listener);
  }

  close(): void {
    this.checkpoints?.stop();
    this.checkpoints = null;
    this.services?.sync.stop();
    void this.services?.campaigns.sender.stop();
    void this.services?.store.close();
    this.services?.db.close();
    this.services = null;
  }

  private open(key: Buffer, create: boolean, storage: KeyStorage): void {
    try {
      const db = openShopDatabase(this.databaseFile, { key, create, migrations: this.options.migrations });
      let services: ShopServices;
      let setupDone: boolean;
      try {
        const log = this.options.log;
        services = createShopServices(
          db,
          this.options.now ?? Date.now,
          {
            power: this.options.power ?? new ManualPower(),
            network: this.options.network ?? new ManualNetwork(),
            transport: this.options.transport ?? new HttpSyncTransport(),
            log: (message, fields) => log.info(message, fields),
          },
          {
            keychain: this.options.keychain,
            onProgress: (progress) => this.options.events.emit('campaigns:progress', progress),
            onStatus: (status) => this.options.events.emit('campaigns:sender', status),
            ...(this.options.createProvider === undefined
              ? {}
              : { createProvider: this.options.createProvider }),
          },
          {
            keychain: this.options.keychain,
            imageDir: path.join(this.options.dataDir, 'store-images'),
            exportDir: path.join(this.options.dataDir, 'store-export'),
            onProgress: (progress) => this.options.events.emit('progress', progress),
          },
        );
        // Read before the services are handed out: a damaged page here must leave the app locked.
        setupDone = services.business.isSetUp();
      } catch (error) {
        db.close();
        throw error;
      }
      this.services = services;
      this.checkpoints = new WalCheckpoints(db.sqlite);
      this.checkpoints.start();
      this.keyStorage = storage;
      this.options.log.info('database open', { file: this.databaseFile, storage, created: create });
      this.setStatus({
        state: 'ready',
        setupDone,
        keyStorage: this.keyStorage,
        dataDir: this.options.dataDir,
        version: this.options.version,
      });
      services.sync.onStatus((status) => this.options.events.emit('sync:status', status));
      services.sync.start();
      services.campaigns.sender.start();
      services.storeOrders.onChange(() => this.announceOrders(services));
      for (const listener of this.readyListeners) listener(services);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Tells the screen how many online orders wait, and which came in last. */
  private announceOrders(services: ShopServices): void {
    if (this.services !== services) return;
    const latest = services.storeOrders.list({ status: 'pending', offset: 0, limit: 1 }).rows[0];
    this.options.events.emit('store:orders', {
      pending: services.storeOrders.pendingCount(),
      newest:
        latest === undefined
          ? null
          : {
              id: latest.id,
              number: latest.number,
              customerName: latest.customerName,
              totalKobo: latest.totalKobo,
            },
    });
  }

  private fail(error: unknown): void {
    if (error instanceof KasuwaError) {
      this.options.log.error('database not opened', { code: error.code, details: error.details });
      this.setStatus({
        state: 'error',
        code: error.code,
        title: ERROR_TITLES[error.code] ?? 'Kasuwa could not open the shop database',
        message: error.message,
      });
      return;
    }
    this.options.log.error('database not opened', { error });
    this.setStatus({
      state: 'error',
      code: 'internal',
      title: 'Kasuwa could not open the shop database',
      message:
        'Something unexpected stopped Kasuwa from opening the shop database. Nothing has been changed. Restart the computer and try again; the details are in the log.',
    });
  }

  private setStatus(status: AppStatus): void {
    this.current = status;
    this.options.events.emit('app:status', this.status());
  }
}
