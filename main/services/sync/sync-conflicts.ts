/**
 * The owner's queue of what sync cannot settle by its rules: a sale whose two copies disagree
 * on amounts, and two customers (or products) that other counters gave the same phone number
 * (or code) while offline. Both versions are kept side by side until the owner chooses; each
 * choice is audited, and what it changes goes to the other counters like any other edit.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ConflictAction, ConflictKind, Page, SyncConflict } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { formatNaira } from '../../../shared/money';
import { lagosDateTime } from '../../../shared/lagos-time';
import type { SaleRow } from '../../../shared/sync/protocol';
import type { AuditLog } from '../audit/audit-log';
import type { LedgerRows } from './ledgers';
import type { Outbox } from './outbox';

interface ConflictRow {
  id: string;
  kind: ConflictKind;
  entity_id: string;
  mine: string | null;
  theirs: string;
  created_at: number;
  resolved_at: number | null;
  resolution: ConflictAction | null;
}

/** A customer or product as the queue shows it. */
export interface RecordSide {
  id: string;
  label: string;
  rows: [string, string][];
}

export interface ConflictActions {
  /** Folds one customer into another (CustomerService.merge). */
  mergeCustomers(keepId: string, mergeId: string, staffId: string): void;
  /** Takes a code off a product so the other keeps it (ProductService.update). */
  clearProductCode(productId: string, field: 'sku' | 'barcode', staffId: string): void;
  /** This counter's sale, queued again as the owner's decision that replaces the server's. */
  resolveSaleAsMine(saleId: string): void;
  /** A copy of a sale under a new id, queued: the owner keeps both sales. */
  recordSaleCopy(sale: SaleRow): void;
}

export class SyncConflicts {
  private readonly openFor: Database.Statement<[ConflictKind, string], { id: string }>;
  private readonly openTotal: Database.Statement<[], { n: number }>;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      ledgers: LedgerRows;
      outbox: Outbox;
      audit: AuditLog;
      now: () => number;
      actions: () => ConflictActions;
    },
  ) {
    this.openTotal = deps.sql.prepare('SELECT count(*) AS n FROM sync_conflicts WHERE resolved_at IS NULL');
    this.openFor = deps.sql.prepare(
      'SELECT id FROM sync_conflicts WHERE kind = ? AND entity_id = ? AND resolved_at IS NULL',
    );
  }

  openCount(): number {
    return this.openTotal.get()?.n ?? 0;
  }

  /** Opens (or refreshes) the conflict on one sale; in the caller's transaction. */
  saleAmounts(mine: SaleRow, theirs: SaleRow): void {
    this.open('sale-amounts', mine.id, mine, theirs);
  }

  duplicateCustomer(mine: RecordSide, theirs: RecordSide): void {
    this.open('duplicate-customer', pairKey(mine.id, theirs.id), mine, theirs);
  }

  duplicateProduct(mine: RecordSide & { field: 'sku' | 'barcode' }, theirs: RecordSide): void {
    this.open('duplicate-product', pairKey(mine.id, theirs.id), mine, theirs);
  }

  /** The other counter's decision on a sale reached here: its open conflict is settled. */
  settledElsewhere(saleId: string): void {
    this.deps.sql
      .prepare(
        `UPDATE sync_conflicts SET resolved_at = ?, resolution = 'keep-theirs'
         WHERE kind = 'sale-amounts' AND entity_id = ? AND resolved_at IS NULL`,
      )
      .run(this.deps.now(), saleId);
  }

  private open(kind: ConflictKind, entityId: string, mine: unknown, theirs: unknown): void {
    const existing = this.openFor.get(kind, entityId);
    if (existing !== undefined) {
      this.deps.sql
        .prepare('UPDATE sync_conflicts SET mine = ?, theirs = ? WHERE id = ?')
        .run(JSON.stringify(mine), JSON.stringify(theirs), existing.id);
      return;
    }
    this.deps.sql
      .prepare(
        'INSERT INTO sync_conflicts (id, kind, entity_id, mine, theirs, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(uuidv7(), kind, entityId, JSON.stringify(mine), JSON.stringify(theirs), this.deps.now());
  }

  list(status: 'open' | 'resolved', offset: number, limit: number): Page<SyncConflict> {
    const where = status === 'open' ? 'resolved_at IS NULL' : 'resolved_at IS NOT NULL';
    const total = (
      this.deps.sql.prepare(`SELECT count(*) AS n FROM sync_conflicts WHERE ${where}`).get() as { n: number }
    ).n;
    const rows = this.deps.sql
      .prepare(
        `SELECT * FROM sync_conflicts WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as ConflictRow[];
    return { total, rows: rows.map((row) => present(row)) };
  }

  get(id: string): SyncConflict {
    return present(this.row(id));
  }

  private row(id: string): ConflictRow {
    const row = this.deps.sql.prepare('SELECT * FROM sync_conflicts WHERE id = ?').get(id) as
      ConflictRow | undefined;
    if (row === undefined) throw new KasuwaError('not_found', 'That conflict is not in the queue.');
    return row;
  }

  /** The owner's choice; `staffId` is the owner whose PIN approved it. */
  resolve(id: string, action: ConflictAction, staffId: string): SyncConflict {
    const { sql, ledgers, audit, now } = this.deps;
    sql
      .transaction(() => {
        const row = this.row(id);
        if (row.resolved_at !== null) {
          throw new KasuwaError('already_done', 'This conflict was settled already.');
        }
        if (!present(row).actions.some((offered) => offered.action === action)) {
          throw new KasuwaError('invalid_input', 'That choice is not offered for this conflict.');
        }
        const actions = this.deps.actions();
        if (row.kind === 'sale-amounts') {
          const mine = JSON.parse(row.mine ?? 'null') as SaleRow;
          const theirs = JSON.parse(row.theirs) as SaleRow;
          // Whatever the choice, this counter's queued copy must not be sent again as it was.
          sql
            .prepare(
              `UPDATE outbox SET pushed_at = ?, status = 'conflict', result = ? WHERE entity = 'sale'
               AND entity_id = ? AND pushed_at IS NULL`,
            )
            .run(now(), `settled by the owner: ${action}`, mine.id);
          if (action === 'keep-mine') {
            actions.resolveSaleAsMine(mine.id);
          } else {
            this.withCorrection(`sale ${mine.id}: ${action}`, () => ledgers.replaceSale(theirs, now()));
            if (action === 'merge') actions.recordSaleCopy(mine);
          }
        } else if (row.kind === 'duplicate-customer') {
          const mine = JSON.parse(row.mine ?? 'null') as RecordSide;
          const theirs = JSON.parse(row.theirs) as RecordSide;
          if (action === 'keep-mine') actions.mergeCustomers(mine.id, theirs.id, staffId);
          else actions.mergeCustomers(theirs.id, mine.id, staffId);
        } else {
          const mine = JSON.parse(row.mine ?? 'null') as RecordSide & { field: 'sku' | 'barcode' };
          const theirs = JSON.parse(row.theirs) as RecordSide;
          actions.clearProductCode(action === 'keep-mine' ? theirs.id : mine.id, mine.field, staffId);
        }
        sql
          .prepare(
            'UPDATE sync_conflicts SET resolved_at = ?, resolution = ?, resolved_by_staff_id = ? WHERE id = ?',
          )
          .run(now(), action, staffId, id);
        audit.append({
          actorStaffId: staffId,
          action: 'sync.resolve',
          entity:
            row.kind === 'sale-amounts' ? 'sale' : row.kind === 'duplicate-customer' ? 'customer' : 'product',
          entityId: row.entity_id,
          details: { conflict: id, kind: row.kind, resolution: action },
        });
      })
      .immediate();
    return this.get(id);
  }

  /** The one way past the ledgers' append-only triggers: a correction row for this transaction only. */
  withCorrection(reason: string, work: () => void): void {
    const { sql, now } = this.deps;
    if (!sql.inTransaction) throw new Error('a ledger correction runs inside the caller’s transaction');
    const id = uuidv7();
    sql
      .prepare('INSERT INTO ledger_corrections (id, reason, created_at) VALUES (?, ?, ?)')
      .run(id, reason, now());
    try {
      work();
    } finally {
      sql.prepare('DELETE FROM ledger_corrections WHERE id = ?').run(id);
    }
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function saleRows(mine: SaleRow | null, theirs: SaleRow): SyncConflict['rows'] {
  const describe = (sale: SaleRow | null) => {
    if (sale === null) return new Map<string, string>();
    const rows = new Map<string, string>([
      ['Receipt', sale.receiptNumber],
      ['Time', lagosDateTime(sale.createdAt)],
      ['Total', formatNaira(sale.totalKobo)],
      ['Discount', formatNaira(sale.discountKobo)],
    ]);
    for (const line of sale.lines) {
      rows.set(`Item ${line.lineNo}`, `${line.name} × ${line.quantity} = ${formatNaira(line.totalKobo)}`);
    }
    const byMethod = new Map<string, number>();
    for (const payment of sale.payments) {
      byMethod.set(payment.method, (byMethod.get(payment.method) ?? 0) + payment.amountKobo);
    }
    for (const [method, amount] of byMethod) rows.set(`Paid by ${method}`, formatNaira(amount));
    return rows;
  };
  return sideBySide(describe(mine), describe(theirs));
}

function sideBySide(mine: Map<string, string>, theirs: Map<string, string>): SyncConflict['rows'] {
  const labels = [...new Set([...mine.keys(), ...theirs.keys()])];
  return labels.map((label) => {
    const a = mine.get(label) ?? '—';
    const b = theirs.get(label) ?? '—';
    return { label, mine: a, theirs: b, differs: a !== b };
  });
}

function present(row: ConflictRow): SyncConflict {
  const base = {
    id: row.id,
    kind: row.kind,
    entityId: row.entity_id,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
  };
  if (row.kind === 'sale-amounts') {
    const mine = JSON.parse(row.mine ?? 'null') as SaleRow | null;
    const theirs = JSON.parse(row.theirs) as SaleRow;
    return {
      ...base,
      title: `Sale ${theirs.receiptNumber} has different amounts here and on another counter`,
      rows: saleRows(mine, theirs),
      actions: [
        { action: 'keep-mine', label: 'Keep this counter’s sale' },
        { action: 'keep-theirs', label: 'Keep the other counter’s sale' },
        { action: 'merge', label: 'Keep both as two sales' },
      ],
    };
  }
  const mine = JSON.parse(row.mine ?? 'null') as RecordSide;
  const theirs = JSON.parse(row.theirs) as RecordSide;
  const rows = sideBySide(new Map(mine.rows), new Map(theirs.rows));
  if (row.kind === 'duplicate-customer') {
    return {
      ...base,
      title: `${mine.label} and ${theirs.label} have the same phone number`,
      rows,
      actions: [
        { action: 'keep-mine', label: `Merge into ${mine.label} (this counter’s)` },
        { action: 'keep-theirs', label: `Merge into ${theirs.label} (the other counter’s)` },
      ],
    };
  }
  return {
    ...base,
    title: `${mine.label} and ${theirs.label} have the same code`,
    rows,
    actions: [
      { action: 'keep-mine', label: `${mine.label} keeps the code` },
      { action: 'keep-theirs', label: `${theirs.label} keeps the code` },
    ],
  };
}
