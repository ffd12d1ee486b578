/**
 * One sync pass: push what this counter wrote (oldest first, in batches sized to the link),
 * take in the server's answer on each mutation in the same transaction that marks it sent, then
 * pull what other counters wrote, a page and its new cursor in one transaction. A crash at any
 * point loses and doubles nothing: an unmarked mutation is sent again and the server answers
 * it as a repeat; an unsaved page is pulled again and merges to the same result.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { EMPTY_REPLICA, type Replica } from '../../../shared/sync/merge';
import { isReplicaEntity, type MutationResult, type SaleRow } from '../../../shared/sync/protocol';
import type { AuditLog } from '../audit/audit-log';
import type { LedgerRows } from './ledgers';
import type { Outbox, PendingMutation } from './outbox';
import type { ReplicaTables } from './replicas';
import { batchForLink } from './schedule';
import type { SyncApplier } from './sync-applier';
import type { SyncClock } from './sync-clock';
import type { SyncConflicts } from './sync-conflicts';
import type { SyncProblems } from './sync-problems';
import type { Pairing, SyncState } from './sync-state';
import { SyncHttpError, type LinkSample, type SyncTransport } from './sync-transport';

export interface PassReport {
  pushed: number;
  pulled: number;
  conflicts: number;
  rejected: number;
}

export interface EngineStatus {
  running: boolean;
  lastSyncAt: number | null;
  lastError: string | null;
  /** The server stopped accepting this counter's token. */
  revoked: boolean;
  bytesPerSecond: number | null;
  batchSize: number;
  gzip: boolean;
}

/** Bounds on one pass, so a pass always ends and the loop can look at power and network again. */
const MAX_PUSH_BATCHES = 500;
const MAX_PULL_PAGES = 2_000;
/** Requests smaller than this do not move the link's speed estimate. */
const MEASURE_MIN_BYTES = 4_000;

export class SyncEngine {
  private current: Promise<PassReport> | null = null;
  private again = false;
  private linkBytesPerSecond: number | null = null;
  /** Bytes on the wire per mutation, as last sent (gzip makes a sale about 150). */
  private averageMutationBytes = 150;
  private readonly status: EngineStatus = {
    running: false,
    lastSyncAt: null,
    lastError: null,
    revoked: false,
    bytesPerSecond: null,
    batchSize: 100,
    gzip: true,
  };

  constructor(
    private readonly deps: {
      sql: Database.Database;
      state: SyncState;
      outbox: Outbox;
      replicas: ReplicaTables;
      applier: SyncApplier;
      ledgers: LedgerRows;
      conflicts: SyncConflicts;
      problems: SyncProblems;
      clock: SyncClock;
      audit: AuditLog;
      transport: SyncTransport;
      now: () => number;
      /** Told whenever the status changes (a pass starts, a batch lands, a pass ends). */
      onChange: () => void;
    },
  ) {}

  snapshot(): EngineStatus {
    return { ...this.status };
  }

  /** Runs a pass, or joins the one running (and runs one more after it, for writes made meanwhile). */
  run(): Promise<PassReport> {
    if (this.current !== null) {
      this.again = true;
      return this.current;
    }
    const pass = (async () => {
      let report = await this.pass();
      while (this.again) {
        this.again = false;
        const more = await this.pass();
        report = {
          pushed: report.pushed + more.pushed,
          pulled: report.pulled + more.pulled,
          conflicts: report.conflicts + more.conflicts,
          rejected: report.rejected + more.rejected,
        };
      }
      return report;
    })();
    this.current = pass.finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** Forget the failure state after the owner pairs again. */
  reset(): void {
    this.status.revoked = false;
    this.status.lastError = null;
  }

  private async pass(): Promise<PassReport> {
    const report: PassReport = { pushed: 0, pulled: 0, conflicts: 0, rejected: 0 };
    const pairing = this.deps.state.pairing();
    if (pairing === null) return report;
    this.status.running = true;
    this.deps.onChange();
    try {
      await this.pushAll(pairing, report);
      await this.pullAll(pairing, report);
      this.status.lastSyncAt = this.deps.now();
      this.status.lastError = null;
      return report;
    } catch (error) {
      const message =
        error instanceof SyncHttpError
          ? error.message
          : 'Sync stopped on an unexpected problem; Kasuwa will try again. The details are in the log.';
      this.status.lastError = message;
      if (error instanceof SyncHttpError && error.revoked) this.status.revoked = true;
      this.deps.problems.record('error', message);
      throw error;
    } finally {
      this.status.running = false;
      this.deps.onChange();
    }
  }

  private link(): { size: number; gzip: boolean } {
    const choice = batchForLink(this.linkBytesPerSecond, this.averageMutationBytes);
    this.status.batchSize = choice.size;
    this.status.gzip = choice.gzip;
    this.status.bytesPerSecond = this.linkBytesPerSecond;
    return choice;
  }

  private measure(sample: LinkSample): void {
    // A small request's time is mostly the round trip and the server's work, not the link.
    if (sample.ms <= 0 || sample.bytes < MEASURE_MIN_BYTES) return;
    const bytesPerSecond = (sample.bytes / sample.ms) * 1_000;
    const previous = this.linkBytesPerSecond;
    // A moving average smooths one odd request; a fourfold change is a different link (the
    // counter moved from Wi-Fi to a 2G modem) and is taken as it is.
    const changed = previous === null || bytesPerSecond > previous * 4 || bytesPerSecond < previous / 4;
    this.linkBytesPerSecond = changed ? bytesPerSecond : previous * 0.7 + bytesPerSecond * 0.3;
  }

  /**
   * Queued mutations as they go out: a record queued by reference is read as it stands now
   * (with every stamp it has, later edits included), a fact as it was queued.
   */
  outgoing(batch: PendingMutation[]): PendingMutation[] {
    return batch.map((mutation) => {
      if (mutation.payload !== 'null' || !isReplicaEntity(mutation.entity)) return mutation;
      const replica = this.deps.replicas.replica(mutation.entity, mutation.entityId);
      return { ...mutation, payload: JSON.stringify(replica ?? EMPTY_REPLICA) };
    });
  }

  private async pushAll(pairing: Pairing, report: PassReport): Promise<void> {
    for (let batchNo = 0; batchNo < MAX_PUSH_BATCHES; batchNo += 1) {
      const { size, gzip } = this.link();
      const batch = this.deps.outbox.nextBatch(size);
      if (batch.length === 0) return;
      const deviceTime = this.deps.now();
      const sent = this.deps.clock.mark();
      const sending = this.outgoing(batch);
      const body = pushBody(deviceTime, sending);
      const { response, sample } = await this.deps.transport.push(
        pairing.serverUrl,
        pairing.token,
        body,
        gzip,
      );
      // What one mutation costs on the wire, compressed or not: the next batch is sized by it.
      this.averageMutationBytes = Math.max(20, Math.round(sample.sentBytes / batch.length));
      this.measure(sample);
      const received = this.deps.clock.mark();
      this.deps.sql
        .transaction(() => {
          this.deps.clock.learn(response.serverTime, sent, received);
          const byId = new Map(sending.map((mutation) => [mutation.mutationId, mutation]));
          for (const result of response.results) {
            const mutation = byId.get(result.id);
            if (mutation === undefined) continue;
            this.takeAnswer(mutation, result, report);
            report.pushed += 1;
          }
        })
        .immediate();
      this.deps.onChange();
      if (batch.length < size) return;
    }
  }

  private takeAnswer(mutation: PendingMutation, result: MutationResult, report: PassReport): void {
    const { outbox, applier } = this.deps;
    switch (result.status) {
      case 'applied':
        if (result.server !== undefined && isReplicaEntity(mutation.entity)) {
          applier.adopt(
            mutation.entity,
            mutation.entityId,
            parsePayload(mutation),
            result.server.data as Replica,
          );
        }
        outbox.settle(mutation.seq, 'applied', result.duplicate === true ? 'repeat' : null);
        return;
      case 'conflict':
        if (result.resolution === 'merged' && isReplicaEntity(mutation.entity)) {
          applier.adopt(
            mutation.entity,
            mutation.entityId,
            parsePayload(mutation),
            result.server.data as Replica,
          );
          outbox.settle(mutation.seq, 'applied', 'merged with the server copy');
          return;
        }
        if (mutation.entity === 'sale') {
          const theirs = result.server.data as SaleRow;
          const mine =
            this.deps.ledgers.findSale(mutation.entityId) ?? (JSON.parse(mutation.payload) as SaleRow);
          this.deps.conflicts.saleAmounts(mine, theirs);
        }
        report.conflicts += 1;
        outbox.settle(mutation.seq, 'conflict', 'waiting for the owner');
        return;
      case 'rejected':
        report.rejected += 1;
        outbox.settle(mutation.seq, 'rejected', result.reason);
        this.deps.problems.record(
          'rejected',
          `The sync server refused a ${mutation.entity.replace('_', ' ')}: ${result.reason}`,
          mutation.entity,
          mutation.entityId,
        );
        return;
    }
  }

  private async pullAll(pairing: Pairing, report: PassReport): Promise<void> {
    for (let page = 0; page < MAX_PULL_PAGES; page += 1) {
      const after = this.deps.state.cursor();
      const limit = Math.min(5_000, Math.max(20, this.link().size * 2));
      const sent = this.deps.clock.mark();
      const { response, sample } = await this.deps.transport.pull(
        pairing.serverUrl,
        pairing.token,
        after,
        limit,
      );
      this.measure(sample);
      const received = this.deps.clock.mark();
      if (response.cursor < after) {
        throw new SyncHttpError(
          'The sync server has less than this counter saw before (was it restored from an old backup?). Nothing was changed here.',
          409,
          'cursor_behind',
        );
      }
      this.deps.sql
        .transaction(() => {
          this.deps.clock.learn(response.serverTime, sent, received);
          let applied = 0;
          let conflicts = 0;
          for (const change of response.changes) {
            const outcome = this.deps.applier.apply(change);
            if (outcome === 'applied') applied += 1;
            if (outcome === 'conflict') conflicts += 1;
          }
          this.deps.state.setCursor(response.cursor);
          this.deps.clock.save();
          if (applied > 0 || conflicts > 0) {
            this.deps.audit.append({
              actorStaffId: null,
              action: 'sync.pull',
              entity: 'sync',
              entityId: null,
              details: { changes: response.changes.length, applied, conflicts, cursor: response.cursor },
            });
          }
          report.pulled += response.changes.length;
          report.conflicts += conflicts;
        })
        .immediate();
      this.deps.onChange();
      if (!response.hasMore) return;
    }
  }
}

function parsePayload(mutation: PendingMutation): Replica {
  return JSON.parse(mutation.payload) as Replica;
}

/** The push body as text: queued payloads are JSON already and go in as they are. */
export function pushBody(deviceTime: number, batch: PendingMutation[]): string {
  const parts = batch.map(
    (m) =>
      `{"id":${JSON.stringify(m.mutationId)},"entity":${JSON.stringify(m.entity)},"entityId":${JSON.stringify(
        m.entityId,
      )},"op":${JSON.stringify(m.op)},"data":${m.payload}}`,
  );
  return `{"deviceTime":${deviceTime},"mutations":[${parts.join(',')}]}`;
}
