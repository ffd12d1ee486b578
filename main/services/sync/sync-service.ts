/**
 * Sync as the Sync screen sees it: pairing this counter (the first one creates the business on
 * the server, the others join with a one-time code), the status of the background loop, the
 * owner's "sync now", the business's devices, and the owner's conflict queue. It owns the loop
 * and the realtime link, and starts and stops them with the shop database.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConflictAction, Page, SyncConflict, SyncProblem, SyncStatus } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { DeviceInfo, PairResponse, SaleRow } from '../../../shared/sync/protocol';
import type { BusinessService } from '../business/business-service';
import type { ProductService } from '../products/product-service';
import type { CustomerService } from '../customers/customer-service';
import type { StaffService } from '../staff/staff-service';
import type { NetworkSource, PowerSource } from './conditions';
import type { LedgerRows } from './ledgers';
import type { Outbox } from './outbox';
import { BUSINESS_ENTITY_ID, SHARED_SETTINGS, type ReplicaTables } from './replicas';
import type { SyncApplier } from './sync-applier';
import type { ClockMark, SyncClock } from './sync-clock';
import type { SyncConflicts } from './sync-conflicts';
import type { SyncEngine } from './sync-engine';
import { SyncLoop } from './sync-loop';
import type { SyncProblems } from './sync-problems';
import { RealtimeLink } from './sync-realtime';
import type { SyncRecorder } from './sync-recorder';
import type { SyncState } from './sync-state';
import { SyncHttpError, type SyncTransport, type WebhookUrls } from './sync-transport';

const STATUS_EVERY_MS = 250;

export interface SyncServiceDeps {
  sql: Database.Database;
  state: SyncState;
  outbox: Outbox;
  engine: SyncEngine;
  applier: SyncApplier;
  replicas: ReplicaTables;
  ledgers: LedgerRows;
  conflicts: SyncConflicts;
  problems: SyncProblems;
  recorder: SyncRecorder;
  clock: SyncClock;
  transport: SyncTransport;
  staff: StaffService;
  business: BusinessService;
  customers: CustomerService;
  products: ProductService;
  power: PowerSource;
  network: NetworkSource;
  now: () => number;
  log: (message: string, fields: Record<string, unknown>) => void;
}

export class SyncService {
  private readonly loop: SyncLoop;
  private readonly realtime: RealtimeLink;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private statusTimer: NodeJS.Timeout | null = null;
  private lastEmit = 0;
  private started = false;
  private readonly network: NetworkSource;

  constructor(private readonly deps: SyncServiceDeps) {
    // A server on this very computer is reachable with no network at all.
    const network: NetworkSource = {
      online: () => deps.network.online() || this.serverIsLocal(),
      onChange: (listener) => deps.network.onChange(listener),
    };
    this.network = network;
    this.loop = new SyncLoop({
      engine: deps.engine,
      power: deps.power,
      network,
      paired: () => deps.state.pairing() !== null,
      now: deps.now,
      onChange: () => this.changed(),
      onError: (error) =>
        deps.log('sync pass failed', {
          error: error instanceof Error ? error.message : String(error),
          status: error instanceof SyncHttpError ? error.status : undefined,
        }),
    });
    this.realtime = new RealtimeLink({
      target: () => {
        const pairing = deps.state.pairing();
        return pairing === null || !this.network.online()
          ? null
          : { serverUrl: pairing.serverUrl, token: pairing.token };
      },
      onNotice: (cursor) => {
        if (cursor > deps.state.cursor()) this.loop.trigger('server-notice');
      },
      onConnected: () => this.changed(),
    });
    deps.outbox.onRecord(() => {
      this.loop.trigger('local-write');
      this.changed();
    });
    deps.network.onChange((online) => {
      if (!this.started) return;
      if (online) this.realtime.restart();
      else this.realtime.stop();
    });
  }

  /** One pass of push and pull, for benchmarks and fault tests that drive sync step by step. */
  get engine(): SyncEngine {
    return this.deps.engine;
  }

  /** Takes in changes as a pull does, for tests that hand changes from one counter to another. */
  get applier(): SyncApplier {
    return this.deps.applier;
  }

  /** Starts the background loop and the realtime link (the shop database is open). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.loop.start();
    if (this.deps.state.pairing() !== null) this.realtime.start();
  }

  stop(): void {
    this.started = false;
    this.loop.stop();
    this.realtime.stop();
    if (this.statusTimer !== null) clearTimeout(this.statusTimer);
    this.statusTimer = null;
  }

  private serverIsLocal(): boolean {
    const pairing = this.deps.state.pairing();
    if (pairing === null) return false;
    try {
      const host = new URL(pairing.serverUrl).hostname;
      return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
    } catch {
      return false;
    }
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The engine's word that a pass started, moved on or ended. */
  statusChanged(): void {
    this.changed();
  }

  /** Status events at most four times a second, and always the last one. */
  private changed(): void {
    if (this.listeners.size === 0 || this.statusTimer !== null) return;
    const wait = Math.max(0, this.lastEmit + STATUS_EVERY_MS - Date.now());
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.lastEmit = Date.now();
      const status = this.status();
      for (const listener of this.listeners) listener(status);
    }, wait);
    this.statusTimer.unref();
  }

  status(): SyncStatus {
    const { state, outbox, engine, conflicts, power } = this.deps;
    const network = this.network;
    const pairing = state.pairing();
    const run = engine.snapshot();
    const pending = outbox.pending();
    const reading = power.read();
    const paused = this.loop.paused;
    let syncState: SyncStatus['state'];
    let message: string;
    if (pairing === null) {
      syncState = 'not-paired';
      message = 'This counter is not paired with a sync server yet, so everything stays on this computer.';
    } else if (run.revoked) {
      syncState = 'error';
      message =
        'The sync server no longer accepts this counter (it was removed from the business). Sales stay safe here; unpair and pair it again.';
    } else if (!network.online()) {
      syncState = 'offline';
      message = 'No internet: everything is kept on this computer and sent when the link is back.';
    } else if (run.running) {
      syncState = 'syncing';
      message =
        pending > 0
          ? `Sending ${pending} change${pending === 1 ? '' : 's'} to the other counters…`
          : 'Checking for changes from the other counters…';
    } else if (paused !== null) {
      syncState = 'paused';
      message = paused;
    } else if (run.lastError !== null) {
      // The failure itself is `lastError`; the sentence says what it means for the shop.
      syncState = 'error';
      message =
        pending > 0
          ? `The last sync did not go through. ${pending} change${pending === 1 ? ' is' : 's are'} kept here and Kasuwa tries again on its own.`
          : 'The last sync did not go through. Kasuwa tries again on its own.';
    } else {
      syncState = 'idle';
      message =
        pending === 0
          ? 'Up to date with the other counters.'
          : `${pending} change${pending === 1 ? '' : 's'} waiting to be sent.`;
    }
    return {
      state: syncState,
      pending,
      lastSyncAt: run.lastSyncAt,
      lastError: run.lastError,
      message,
      server:
        pairing === null
          ? null
          : {
              url: pairing.serverUrl,
              businessName: pairing.businessName,
              branchName: pairing.branchName,
              deviceName: pairing.deviceName,
              deviceId: pairing.deviceId,
            },
      cursor: state.cursor(),
      openConflicts: conflicts.openCount(),
      rejected: outbox.rejected(),
      link: {
        bytesPerSecond: run.bytesPerSecond === null ? null : Math.round(run.bytesPerSecond),
        batchSize: run.batchSize,
        gzip: run.gzip,
        realtime: this.realtime.isConnected,
      },
      power: { onBattery: reading.onBattery, batteryPercent: reading.batteryPercent },
      nextSyncAt: this.loop.nextSyncAt,
    };
  }

  /** The owner whose PIN this is; a wrong PIN is an error on the PIN field, not a server refusal. */
  private owner(pin: string) {
    try {
      return this.deps.staff.verifyPin(pin, ['owner']);
    } catch (error) {
      if (!(error instanceof KasuwaError)) throw error;
      throw new KasuwaError(error.code, error.message, [{ path: ['ownerPin'], message: error.message }]);
    }
  }

  private requirePairing() {
    const pairing = this.deps.state.pairing();
    if (pairing === null) {
      throw new KasuwaError('not_found', 'This counter is not paired with a sync server yet.');
    }
    return pairing;
  }

  private refuseIfPaired(): void {
    const pairing = this.deps.state.pairing();
    if (pairing !== null) {
      throw new KasuwaError(
        'already_done',
        `This counter is already paired with ${pairing.businessName} on ${pairing.serverUrl}. Unpair it first.`,
      );
    }
  }

  /** The first counter of a business: creates it on the server and sends the whole shop. */
  async createBusiness(input: {
    serverUrl: string;
    deviceName: string;
    branchName: string;
    ownerPin: string;
  }): Promise<SyncStatus> {
    this.owner(input.ownerPin);
    this.refuseIfPaired();
    const business = this.deps.business.get();
    if (business === null) throw new KasuwaError('not_found', 'Finish the first-run setup before pairing.');
    const sent = this.deps.clock.mark();
    const answer = await this.call(() =>
      this.deps.transport.createBusiness(input.serverUrl, {
        businessName: business.name,
        branchName: input.branchName,
        deviceName: input.deviceName,
      }),
    );
    this.paired(input.serverUrl, input.deviceName, answer, true, sent);
    return this.status();
  }

  /** Another counter: joins the business with a code read off a paired counter. */
  async pair(input: {
    serverUrl: string;
    code: string;
    deviceName: string;
    ownerPin: string;
  }): Promise<SyncStatus> {
    this.owner(input.ownerPin);
    this.refuseIfPaired();
    const sent = this.deps.clock.mark();
    const answer = await this.call(
      () => this.deps.transport.pair(input.serverUrl, { code: input.code, deviceName: input.deviceName }),
      'code',
    );
    this.paired(input.serverUrl, input.deviceName, answer, false, sent);
    return this.status();
  }

  private paired(
    serverUrl: string,
    deviceName: string,
    answer: PairResponse,
    firstCounter: boolean,
    sent: ClockMark,
  ): void {
    const { sql, state } = this.deps;
    const received = this.deps.clock.mark();
    sql
      .transaction(() => {
        state.set('pairing', {
          serverUrl,
          token: answer.token,
          deviceId: answer.deviceId,
          deviceName,
          businessId: answer.businessId,
          businessName: answer.businessName,
          branchId: answer.branchId,
          branchName: answer.branchName,
          pairedAt: this.deps.now(),
        });
        state.setCursor(0);
        // The first correction of a wrong clock: stamps from here on are in the server's time.
        this.deps.clock.learn(answer.serverTime, sent, received);
        if (!firstCounter) {
          // A joining counter takes the business's name and shared settings from the server.
          sql.prepare("UPDATE business_profile SET sync_clock = '{}'").run();
          sql
            .prepare(
              `UPDATE settings SET sync_clock = NULL WHERE key IN (${SHARED_SETTINGS.map(() => '?').join(', ')})`,
            )
            .run(...SHARED_SETTINGS);
        }
        this.queueWholeShop(firstCounter);
      })
      .immediate();
    this.deps.engine.reset();
    this.deps.log('paired with the sync server', {
      serverUrl,
      businessId: answer.businessId,
      deviceId: answer.deviceId,
      firstCounter,
    });
    if (this.started) this.realtime.restart();
    this.loop.trigger('owner');
    this.changed();
  }

  /**
   * Queues every record of this shop afresh, in an order the other counters can take in
   * (people and products before the sales that name them). What waited in the outbox is
   * dropped: its records are all in here, as they are now.
   */
  private queueWholeShop(includeShopRecords: boolean): void {
    const { sql, outbox, ledgers } = this.deps;
    outbox.dropPending();
    // Records go by reference (read as they stand when pushed); a placeholder made for a sale
    // that arrived first has no stamps and claims nothing of its own, so it is not queued.
    const replica = (entity: 'business' | 'setting' | 'staff' | 'product' | 'customer', id: string) => {
      outbox.record({
        entity,
        entityId: entity === 'business' ? BUSINESS_ENTITY_ID : id,
        op: 'upsert',
        payload: null,
      });
    };
    const ids = (query: string, ...params: string[]) =>
      sql
        .prepare(query)
        .pluck()
        .all(...params) as string[];
    if (includeShopRecords) {
      if (this.deps.business.get() !== null) replica('business', BUSINESS_ENTITY_ID);
      for (const key of ids(
        `SELECT key FROM settings WHERE key IN (${SHARED_SETTINGS.map(() => '?').join(', ')})`,
        ...SHARED_SETTINGS,
      )) {
        replica('setting', key);
      }
    }
    const stamped = "sync_clock <> '{}'";
    for (const id of ids(`SELECT id FROM staff WHERE ${stamped} ORDER BY created_at, id`))
      replica('staff', id);
    for (const id of ids(`SELECT id FROM products WHERE ${stamped} ORDER BY created_at, id`))
      replica('product', id);
    for (const id of ids(`SELECT id FROM customers WHERE ${stamped} ORDER BY created_at, id`))
      replica('customer', id);
    const ledger = (entity: 'consent' | 'stock_move' | 'points' | 'sale' | 'refund', query: string) => {
      for (const id of ids(query))
        outbox.record({ entity, entityId: id, op: 'append', payload: ledgers.snapshot(entity, id) });
    };
    ledger('consent', 'SELECT id FROM customer_consents ORDER BY created_at, id');
    ledger(
      'stock_move',
      'SELECT id FROM stock_moves WHERE sale_id IS NULL AND refund_id IS NULL ORDER BY created_at, id',
    );
    ledger(
      'points',
      'SELECT id FROM points_ledger WHERE sale_id IS NULL AND refund_id IS NULL ORDER BY created_at, id',
    );
    ledger('sale', 'SELECT id FROM sales ORDER BY created_at, id');
    ledger('refund', 'SELECT id FROM refunds ORDER BY created_at, id');
  }

  /** A one-time code for another counter to join with, shown as XXXX-XXXX. */
  async pairingCode(input: {
    ownerPin: string;
    branchName?: string;
  }): Promise<{ code: string; expiresAt: number }> {
    this.owner(input.ownerPin);
    const pairing = this.requirePairing();
    const answer = await this.call(() =>
      this.deps.transport.pairingCode(
        pairing.serverUrl,
        pairing.token,
        input.branchName === undefined ? {} : { branchName: input.branchName },
      ),
    );
    return { code: `${answer.code.slice(0, 4)}-${answer.code.slice(4)}`, expiresAt: answer.expiresAt };
  }

  /** The owner's "Sync now": runs even on a low battery, and answers when the pass is over. */
  async syncNow(): Promise<SyncStatus> {
    this.requirePairing();
    if (!this.network.online()) {
      throw new KasuwaError(
        'unavailable',
        'This computer has no internet right now; Kasuwa syncs when it is back.',
      );
    }
    this.deps.engine.reset();
    await this.loop.runNow();
    return this.status();
  }

  async devices(): Promise<DeviceInfo[]> {
    const pairing = this.requirePairing();
    return this.call(() => this.deps.transport.devices(pairing.serverUrl, pairing.token));
  }

  /**
   * The server this counter is paired with, its token and pull cursor, for the store's publish;
   * refused when not paired.
   */
  link(): { serverUrl: string; token: string; cursor: number; businessId: string } {
    const pairing = this.requirePairing();
    return {
      serverUrl: pairing.serverUrl,
      token: pairing.token,
      cursor: this.deps.state.cursor(),
      businessId: pairing.businessId,
    };
  }

  /** Runs a request to the sync server, turning its failures into sentences for the screen. */
  request<T>(run: () => Promise<T>, field?: string): Promise<T> {
    return this.call(run, field);
  }

  /** Where the providers post delivery reports and STOP replies for this business. */
  async webhooks(): Promise<WebhookUrls> {
    const pairing = this.requirePairing();
    return this.call(() => this.deps.transport.hooks(pairing.serverUrl, pairing.token));
  }

  async revokeDevice(input: { id: string; ownerPin: string }): Promise<DeviceInfo[]> {
    this.owner(input.ownerPin);
    const pairing = this.requirePairing();
    const devices = await this.call(() =>
      this.deps.transport.revoke(pairing.serverUrl, pairing.token, input.id),
    );
    if (input.id === pairing.deviceId) this.forget();
    return devices;
  }

  /** Leaves the business: the server forgets this counter's token; nothing here is deleted. */
  async unpair(input: { ownerPin: string }): Promise<SyncStatus> {
    this.owner(input.ownerPin);
    const pairing = this.requirePairing();
    try {
      await this.deps.transport.revoke(pairing.serverUrl, pairing.token, pairing.deviceId);
    } catch (error) {
      // Offline or already revoked: the counter still leaves; the server's token is useless without it.
      this.deps.log('unpair: the server was not told', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    this.forget();
    return this.status();
  }

  private forget(): void {
    this.deps.sql
      .transaction(() => {
        this.deps.state.delete('pairing');
        this.deps.state.setCursor(0);
      })
      .immediate();
    this.realtime.stop();
    this.deps.engine.reset();
    this.loop.trigger('timer');
    this.changed();
  }

  conflicts(status: 'open' | 'resolved', offset: number, limit: number): Page<SyncConflict> {
    return this.deps.conflicts.list(status, offset, limit);
  }

  resolve(input: { id: string; action: ConflictAction; ownerPin: string }): SyncConflict {
    const owner = this.owner(input.ownerPin);
    const result = this.deps.conflicts.resolve(input.id, input.action, owner.id);
    this.changed();
    return result;
  }

  problems(limit: number): SyncProblem[] {
    return this.deps.problems.list(limit);
  }

  /** What settling a conflict does to the rest of the shop; handed to SyncConflicts. */
  conflictActions() {
    const { customers, products, outbox, ledgers, recorder } = this.deps;
    return {
      mergeCustomers: (keepId: string, mergeId: string, staffId: string) => {
        customers.merge(keepId, mergeId, staffId);
      },
      clearProductCode: (productId: string, field: 'sku' | 'barcode', staffId: string) => {
        const product = products.get(productId);
        const {
          stock: _stock,
          lowStock: _low,
          archived: _archived,
          createdAt: _c,
          updatedAt: _u,
          ...rest
        } = product;
        products.update({ ...rest, [field]: '' }, staffId);
      },
      resolveSaleAsMine: (saleId: string) => {
        outbox.record({ entity: 'sale', entityId: saleId, op: 'resolve', payload: ledgers.sale(saleId) });
      },
      recordSaleCopy: (sale: SaleRow) => {
        const at = this.deps.now();
        const id = uuidv7(at);
        const lineIds = new Map(sale.lines.map((line) => [line.id, uuidv7(at)]));
        const copy: SaleRow = {
          ...sale,
          id,
          receiptNumber: `${sale.receiptNumber}-B`,
          lines: sale.lines.map((line) => ({ ...line, id: lineIds.get(line.id) ?? uuidv7(at) })),
          payments: sale.payments.map((payment) => ({ ...payment, id: uuidv7(at) })),
          stockMoves: sale.stockMoves.map((move) => ({ ...move, id: uuidv7(at), saleId: id })),
          points: sale.points.map((row) => ({ ...row, id: uuidv7(at), saleId: id })),
        };
        ledgers.writeSale(copy, at);
        recorder.ledgerAdded('sale', id);
      },
    };
  }

  /** A server refusal as a KasuwaError; `field` names the input a 4xx refusal is about. */
  private async call<T>(request: () => Promise<T>, field?: string): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof SyncHttpError) {
        if (field !== undefined && error.status >= 400 && error.status < 500 && error.status !== 429) {
          throw new KasuwaError('invalid_input', error.message, [{ path: [field], message: error.message }]);
        }
        const code =
          error.status === 0 || error.status >= 500
            ? 'unavailable'
            : error.status === 401
              ? 'unauthorized'
              : 'invalid_input';
        throw new KasuwaError(code, error.message, { status: error.status, serverCode: error.code });
      }
      throw error;
    }
  }
}
