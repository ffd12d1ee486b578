/**
 * Takes other counters' changes into this counter's database, in the caller's transaction:
 * records that merge per field are merged (the same result whatever order copies arrive in),
 * facts are added once, and what the rules cannot settle goes to the owner's queue. Also takes
 * in the server's answer to a push, where the server's copy of a record is the one to keep.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { LoyaltyRules } from '../../../shared/contract';
import { formatNaira } from '../../../shared/money';
import { formatNationalPhone } from '../../../shared/phone';
import {
  adoptServerCopy,
  EMPTY_REPLICA,
  latestStamp,
  mergeReplica,
  sameReplica,
  type Replica,
} from '../../../shared/sync/merge';
import {
  checkMutation,
  type Change,
  type MessageReportRow,
  type OptOutRow,
  type ReplicaEntity,
  type SaleRow,
  type StoreOrderRow,
  type StoreOrderUpdateRow,
  type StorePaymentRow,
} from '../../../shared/sync/protocol';
import type { CustomerStats } from '../customers/customer-stats';
import type { LedgerRows, LedgerWrite } from './ledgers';
import { replicaOf, SHARED_SETTINGS, type LocalRecord, type ReplicaTables } from './replicas';
import type { SyncClock } from './sync-clock';
import type { RecordSide, SyncConflicts } from './sync-conflicts';
import type { SyncProblems } from './sync-problems';

export interface CampaignFacts {
  report(row: MessageReportRow): void;
  optOut(row: OptOutRow): void;
}

/** The online store's orders and payments from the sync server, and other counters' updates to them. */
export interface StoreFacts {
  order(row: StoreOrderRow): ApplyOutcome;
  payment(row: StorePaymentRow): ApplyOutcome;
  update(row: StoreOrderUpdateRow): ApplyOutcome;
}

export type ApplyOutcome = 'applied' | 'same' | 'conflict' | 'refused';

export class SyncApplier {
  private readonly setListed: Database.Statement<[number, string]>;
  private readonly moveSales: Database.Statement<[string, string]>;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      replicas: ReplicaTables;
      ledgers: LedgerRows;
      clock: SyncClock;
      conflicts: SyncConflicts;
      problems: SyncProblems;
      stats: CustomerStats;
      rules: () => LoyaltyRules;
      /** Delivery reports and STOP replies the sync server took from the providers' webhooks. */
      campaignFacts: () => CampaignFacts;
      storeFacts: () => StoreFacts;
      now: () => number;
    },
  ) {
    this.setListed = deps.sql.prepare('UPDATE customer_stats SET listed = ? WHERE customer_id = ?');
    this.moveSales = deps.sql.prepare('UPDATE sales SET customer_id = ? WHERE customer_id = ?');
  }

  /** One change pulled from the server. */
  apply(change: Pick<Change, 'entity' | 'entityId' | 'op' | 'data'>): ApplyOutcome {
    const checked = checkMutation(change);
    if (!checked.ok) {
      this.deps.problems.record(
        'rejected',
        `A change from another counter could not be read (${checked.reason}); it was skipped.`,
        change.entity,
        change.entityId,
      );
      return 'refused';
    }
    const at = this.deps.now();
    const { value } = checked;
    switch (value.entity) {
      case 'business':
      case 'staff':
      case 'customer':
      case 'product':
      case 'setting':
        return this.applyReplica(value.entity, change.entityId, value.data);
      case 'sale':
        if (value.op === 'resolve') return this.applyResolvedSale(value.data, at);
        return this.ledger(this.deps.ledgers.writeSale(value.data, at), 'sale', value.data);
      case 'refund':
        return this.ledger(this.deps.ledgers.writeRefund(value.data, at), 'refund', value.data);
      case 'consent':
        return this.ledger(this.deps.ledgers.writeConsent(value.data, at), 'consent', value.data);
      case 'points':
        return this.ledger(this.deps.ledgers.writePointsRow(value.data, at), 'points', value.data);
      case 'stock_move':
        return this.ledger(this.deps.ledgers.writeStockMove(value.data, at), 'stock_move', value.data);
      case 'message':
        // Message logs are the sync server's record for reports; counters keep their own.
        return 'same';
      case 'message_report':
        this.deps.campaignFacts().report(value.data);
        return 'applied';
      case 'opt_out':
        this.deps.campaignFacts().optOut(value.data);
        return 'applied';
      case 'store_order':
        return this.deps.storeFacts().order(value.data);
      case 'store_payment':
        return this.deps.storeFacts().payment(value.data);
      case 'store_order_update':
        return this.deps.storeFacts().update(value.data);
    }
  }

  private ledger(result: LedgerWrite, entity: string, row: { id: string }): ApplyOutcome {
    switch (result.outcome) {
      case 'applied':
      case 'same':
        return result.outcome;
      case 'conflict':
        this.deps.conflicts.saleAmounts(result.mine, row as SaleRow);
        return 'conflict';
      case 'refused':
        this.deps.problems.record(
          'rejected',
          `A ${entity.replace('_', ' ')} from another counter was not taken in: ${result.reason}.`,
          entity,
          row.id,
        );
        return 'refused';
    }
  }

  private applyResolvedSale(sale: SaleRow, at: number): ApplyOutcome {
    this.deps.conflicts.withCorrection(`sale ${sale.id}: settled on another counter`, () =>
      this.deps.ledgers.replaceSale(sale, at),
    );
    this.deps.conflicts.settledElsewhere(sale.id);
    return 'applied';
  }

  private applyReplica(entity: ReplicaEntity, id: string, remote: Replica): ApplyOutcome {
    if (entity === 'setting' && !(SHARED_SETTINGS as readonly string[]).includes(id)) return 'same';
    const latest = latestStamp(remote);
    if (latest !== '') this.deps.clock.receive(latest);
    const existing = this.deps.replicas.read(entity, id);
    const local = existing === null ? EMPTY_REPLICA : replicaOf(entity, existing);
    const merged = mergeReplica(local, remote);
    if (existing !== null && sameReplica(merged, local)) return 'same';
    this.write(entity, id, merged, existing);
    return 'applied';
  }

  /**
   * The server's copy after a push: fields this counter has not edited since it sent `pushed`
   * are taken from the server as they are (its clock may be clamped); later local edits merge.
   */
  adopt(entity: ReplicaEntity, id: string, pushed: Replica, server: Replica): void {
    const existing = this.deps.replicas.read(entity, id);
    const local = existing === null ? EMPTY_REPLICA : replicaOf(entity, existing);
    const adopted = adoptServerCopy(local, pushed, server);
    if (existing !== null && sameReplica(adopted, local)) return;
    this.write(entity, id, adopted, existing);
  }

  private write(entity: ReplicaEntity, id: string, replica: Replica, existing: LocalRecord | null): void {
    const at = this.deps.now();
    const result = this.deps.replicas.write(entity, id, replica, existing, at);
    if (entity === 'customer') {
      const { stats } = this.deps;
      stats.get(id);
      if (result.listed !== undefined) {
        this.setListed.run(result.listed, id);
      }
      if (result.mergedInto !== undefined) {
        // Merged on another counter: this counter's sales of the customer move as they did there.
        const { from, into } = result.mergedInto;
        this.moveSales.run(into, from);
        const rules = this.deps.rules();
        stats.get(into);
        stats.recompute(from, rules);
        stats.recompute(into, rules);
      }
      if (result.phoneChanged === true) this.checkDuplicatePhone(id);
    }
    if (entity === 'product' && result.codesChanged === true) this.checkDuplicateCodes(id);
  }

  private customerSide(id: string): RecordSide | null {
    const row = this.deps.sql
      .prepare(
        `SELECT c.id, c.display_name, c.phone_national, c.email, c.state, c.created_at, s.total_spent_kobo
         FROM customers c LEFT JOIN customer_stats s ON s.customer_id = c.id WHERE c.id = ?`,
      )
      .get(id) as
      | {
          id: string;
          display_name: string;
          phone_national: string;
          email: string;
          state: string | null;
          created_at: number;
          total_spent_kobo: number | null;
        }
      | undefined;
    if (row === undefined) return null;
    return {
      id,
      label: row.display_name,
      rows: [
        ['Name', row.display_name],
        ['Phone', formatNationalPhone(row.phone_national)],
        ['Email', row.email || '—'],
        ['State', row.state ?? '—'],
        ['Spent', formatNaira(row.total_spent_kobo ?? 0)],
        ['Added', new Date(row.created_at).toISOString().slice(0, 10)],
      ],
    };
  }

  /** Two unmerged customers with one number: the owner picks which one stays. */
  private checkDuplicatePhone(id: string): void {
    const others = this.deps.sql
      .prepare(
        `SELECT o.id FROM customers c JOIN customers o ON o.phone = c.phone AND o.id <> c.id
         WHERE c.id = ? AND c.phone <> '' AND c.merged_into_id IS NULL AND o.merged_into_id IS NULL`,
      )
      .all(id) as { id: string }[];
    const theirs = this.customerSide(id);
    for (const other of others) {
      const mine = this.customerSide(other.id);
      if (mine !== null && theirs !== null) this.deps.conflicts.duplicateCustomer(mine, theirs);
    }
  }

  private checkDuplicateCodes(id: string): void {
    const side = (productId: string): RecordSide | null => {
      const row = this.deps.sql
        .prepare('SELECT name, sku, barcode, price_kobo FROM products WHERE id = ?')
        .get(productId) as
        { name: string; sku: string | null; barcode: string | null; price_kobo: number } | undefined;
      if (row === undefined) return null;
      return {
        id: productId,
        label: row.name,
        rows: [
          ['Name', row.name],
          ['SKU', row.sku ?? '—'],
          ['Barcode', row.barcode ?? '—'],
          ['Price', formatNaira(row.price_kobo)],
        ],
      };
    };
    for (const field of ['sku', 'barcode'] as const) {
      const others = this.deps.sql
        .prepare(
          `SELECT o.id FROM products p JOIN products o ON o.${field} = p.${field} AND o.id <> p.id
           WHERE p.id = ? AND p.${field} IS NOT NULL AND p.archived_at IS NULL AND o.archived_at IS NULL`,
        )
        .all(id) as { id: string }[];
      const theirs = side(id);
      for (const other of others) {
        const mine = side(other.id);
        if (mine !== null && theirs !== null)
          this.deps.conflicts.duplicateProduct({ ...mine, field }, theirs);
      }
    }
  }
}
