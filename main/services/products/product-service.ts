/**
 * The catalogue and its stock. Stock is a ledger (stock_moves: sale, refund, void, adjustment,
 * receive); product_stock is its running total, written in the same transaction.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type {
  Page,
  Product,
  productChannels,
  productInputSchema,
  StockMove,
  StockMoveKind,
} from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { SyncRecorder } from '../sync/sync-recorder';

type ProductInput = z.output<typeof productInputSchema>;
type UpdateInput = z.output<(typeof productChannels)['products:update']['input']>;
type ListInput = z.output<(typeof productChannels)['products:list']['input']>;
type AdjustInput = z.output<(typeof productChannels)['products:adjustStock']['input']>;

interface ProductRow {
  id: string;
  name: string;
  sku: string | null;
  barcode: string | null;
  price_kobo: number;
  cost_kobo: number;
  category: string;
  low_stock_threshold: number;
  image: string | null;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
  quantity: number | null;
  reserved: number;
}

// Units that pending online orders hold back (shopper orders; test orders hold none).
const SELECT = `SELECT p.*, st.quantity,
    (SELECT coalesce(sum(l.quantity), 0) FROM store_order_lines l JOIN store_orders o ON o.id = l.order_id
      WHERE l.product_id = p.id AND o.status = 'pending' AND o.test = 0) AS reserved
  FROM products p LEFT JOIN product_stock st ON st.product_id = p.id`;

/** The stored form of the editable fields, shared by create and update. */
function columns(input: ProductInput | UpdateInput) {
  return {
    name: input.name,
    searchName: input.name.toLowerCase(),
    sku: input.sku === '' ? null : input.sku,
    barcode: input.barcode === '' ? null : input.barcode,
    priceKobo: input.priceKobo,
    costKobo: input.costKobo,
    category: input.category,
    lowStockThreshold: input.lowStockThreshold,
    image: input.image,
  };
}

function toProduct(row: ProductRow): Product {
  const stock = row.quantity ?? 0;
  return {
    id: row.id,
    name: row.name,
    sku: row.sku ?? '',
    barcode: row.barcode ?? '',
    priceKobo: row.price_kobo,
    costKobo: row.cost_kobo,
    category: row.category,
    lowStockThreshold: row.low_stock_threshold,
    image: row.image,
    stock,
    reserved: row.reserved,
    lowStock: row.low_stock_threshold > 0 && stock <= row.low_stock_threshold,
    archived: row.archived_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ProductService {
  private readonly sql: Database.Database;
  private readonly byId: Database.Statement<[string], ProductRow>;
  private readonly insertMove: Database.Statement;
  private readonly bumpStock: Database.Statement<{ productId: string; quantity: number }>;

  constructor(
    private readonly deps: { db: ShopDatabase; audit: AuditLog; sync: SyncRecorder; now: () => number },
  ) {
    this.sql = deps.db.sqlite;
    this.byId = this.sql.prepare(`${SELECT} WHERE p.id = ?`);
    this.insertMove = this.sql.prepare(
      `INSERT INTO stock_moves (id, product_id, kind, quantity, sale_id, refund_id, staff_id, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.bumpStock = this.sql.prepare(
      `INSERT INTO product_stock (product_id, quantity) VALUES (@productId, @quantity)
       ON CONFLICT (product_id) DO UPDATE SET quantity = quantity + @quantity`,
    );
  }

  search(query: string, limit: number): Product[] {
    const text = query.trim();
    if (text === '') {
      return (
        this.sql
          .prepare(`${SELECT} WHERE p.archived_at IS NULL ORDER BY p.search_name LIMIT ?`)
          .all(limit) as ProductRow[]
      ).map(toProduct);
    }
    const exact = this.sql
      .prepare(
        `${SELECT} WHERE (p.barcode = @text OR p.sku = @text COLLATE NOCASE) AND p.archived_at IS NULL LIMIT @limit`,
      )
      .all({ text, limit }) as ProductRow[];
    if (exact.length > 0) return exact.map(toProduct);
    const lower = text.toLowerCase();
    const prefix = this.sql
      .prepare(
        `${SELECT} WHERE p.search_name >= ? AND p.search_name < ? AND p.archived_at IS NULL ORDER BY p.search_name LIMIT ?`,
      )
      .all(lower, `${lower}\uffff`, limit) as ProductRow[];
    if (prefix.length >= limit) return prefix.map(toProduct);
    const seen = new Set(prefix.map((row) => row.id));
    const contains = (
      this.sql
        .prepare(
          `${SELECT} WHERE instr(p.search_name, ?) > 0 AND p.archived_at IS NULL ORDER BY p.search_name LIMIT ?`,
        )
        .all(lower, limit) as ProductRow[]
    ).filter((row) => !seen.has(row.id));
    return [...prefix, ...contains].slice(0, limit).map(toProduct);
  }

  list(input: ListInput): Page<Product> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (!input.includeArchived) where.push('p.archived_at IS NULL');
    if (input.category !== undefined && input.category !== '') {
      where.push('p.category = ?');
      params.push(input.category);
    }
    if (input.lowStockOnly)
      where.push('p.low_stock_threshold > 0 AND coalesce(st.quantity, 0) <= p.low_stock_threshold');
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const total = (
      this.sql
        .prepare(
          `SELECT count(*) AS n FROM products p LEFT JOIN product_stock st ON st.product_id = p.id ${clause}`,
        )
        .get(...params) as { n: number }
    ).n;
    const rows = this.sql
      .prepare(`${SELECT} ${clause} ORDER BY p.search_name LIMIT ? OFFSET ?`)
      .all(...params, input.limit, input.offset) as ProductRow[];
    return { total, rows: rows.map(toProduct) };
  }

  get(id: string): Product {
    const row = this.byId.get(id);
    if (row === undefined) throw new KasuwaError('not_found', 'That product is not in the catalogue.');
    return toProduct(row);
  }

  create(input: ProductInput, staffId: string | null): Product {
    const at = this.deps.now();
    const id = uuidv7(at);
    this.sql
      .transaction(() => {
        this.refuseTaken(input, null);
        this.sql
          .prepare(
            `INSERT INTO products (id, name, search_name, sku, barcode, price_kobo, cost_kobo, category, low_stock_threshold,
               image, created_at, updated_at)
             VALUES (@id, @name, @searchName, @sku, @barcode, @priceKobo, @costKobo, @category, @lowStockThreshold,
               @image, @at, @at)`,
          )
          .run({ ...columns(input), id, at });
        this.bumpStock.run({ productId: id, quantity: 0 });
        // The product is queued before its opening stock, so other counters meet them in that order.
        this.deps.sync.replicaChanged('product', id, null);
        if (input.openingStock > 0)
          this.move(id, 'receive', input.openingStock, { staffId, note: 'Opening stock' });
        this.deps.audit.append({
          actorStaffId: staffId,
          action: 'product.create',
          entity: 'product',
          entityId: id,
          details: { priceKobo: input.priceKobo },
        });
      })
      .immediate();
    return this.get(id);
  }

  update(input: UpdateInput, staffId: string | null): Product {
    this.sql
      .transaction(() => {
        const before = this.get(input.id);
        const replicaBefore = this.deps.sync.before('product', input.id);
        this.refuseTaken(input, input.id);
        this.sql
          .prepare(
            `UPDATE products SET name = @name, search_name = @searchName, sku = @sku, barcode = @barcode,
               price_kobo = @priceKobo, cost_kobo = @costKobo, category = @category,
               low_stock_threshold = @lowStockThreshold, image = @image, updated_at = @at
             WHERE id = @id`,
          )
          .run({ ...columns(input), id: input.id, at: this.deps.now() });
        this.deps.audit.append({
          actorStaffId: staffId,
          action: 'product.update',
          entity: 'product',
          entityId: input.id,
          details:
            before.priceKobo === input.priceKobo
              ? {}
              : { priceKobo: { from: before.priceKobo, to: input.priceKobo } },
        });
        this.deps.sync.replicaChanged('product', input.id, replicaBefore);
      })
      .immediate();
    return this.get(input.id);
  }

  archive(id: string, archived: boolean, staffId: string | null): Product {
    this.sql
      .transaction(() => {
        this.get(id);
        const before = this.deps.sync.before('product', id);
        this.sql
          .prepare('UPDATE products SET archived_at = ?, updated_at = ? WHERE id = ?')
          .run(archived ? this.deps.now() : null, this.deps.now(), id);
        this.deps.audit.append({
          actorStaffId: staffId,
          action: archived ? 'product.archive' : 'product.unarchive',
          entity: 'product',
          entityId: id,
        });
        this.deps.sync.replicaChanged('product', id, before);
      })
      .immediate();
    return this.get(id);
  }

  adjustStock(input: AdjustInput, staffId: string | null): Product {
    if (input.kind === 'receive' && input.quantity < 0) {
      throw new KasuwaError(
        'invalid_input',
        'Goods received are a positive quantity; use an adjustment to take stock off.',
        [{ path: ['quantity'], message: 'Enter a positive quantity' }],
      );
    }
    this.sql
      .transaction(() => {
        this.get(input.productId);
        this.move(input.productId, input.kind, input.quantity, { staffId, note: input.note });
        this.deps.audit.append({
          actorStaffId: staffId,
          action: `stock.${input.kind}`,
          entity: 'product',
          entityId: input.productId,
          details: { quantity: input.quantity, note: input.note },
        });
      })
      .immediate();
    return this.get(input.productId);
  }

  /** One stock ledger row and the running total; callers hold the transaction. */
  move(
    productId: string,
    kind: StockMoveKind,
    quantity: number,
    refs: { saleId?: string; refundId?: string; staffId: string | null; note?: string },
  ): void {
    const at = this.deps.now();
    const id = uuidv7(at);
    this.insertMove.run(
      id,
      productId,
      kind,
      quantity,
      refs.saleId ?? null,
      refs.refundId ?? null,
      refs.staffId,
      refs.note ?? '',
      at,
    );
    this.bumpStock.run({ productId, quantity });
    // A sale's or refund's stock moves travel inside the sale or refund.
    if (refs.saleId === undefined && refs.refundId === undefined)
      this.deps.sync.ledgerAdded('stock_move', id);
  }

  stockMoves(productId: string, offset: number, limit: number): Page<StockMove> {
    const total = (
      this.sql.prepare('SELECT count(*) AS n FROM stock_moves WHERE product_id = ?').get(productId) as {
        n: number;
      }
    ).n;
    const rows = this.sql
      .prepare(
        `SELECT id, kind, quantity, note, sale_id AS saleId, staff_id AS staffId, created_at AS createdAt
         FROM stock_moves WHERE product_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      )
      .all(productId, limit, offset) as StockMove[];
    return { total, rows };
  }

  private refuseTaken(input: { sku: string; barcode: string }, exceptId: string | null): void {
    for (const [field, value, label] of [
      ['sku', input.sku, 'SKU'],
      ['barcode', input.barcode, 'barcode'],
    ] as const) {
      if (value === '') continue;
      const holder = this.sql.prepare(`SELECT id, name FROM products WHERE ${field} = ?`).get(value) as
        { id: string; name: string } | undefined;
      if (holder !== undefined && holder.id !== exceptId) {
        throw new KasuwaError('conflict', `${holder.name} already uses the ${label} ${value}.`, [
          { path: [field], message: `Already used by ${holder.name}` },
        ]);
      }
    }
  }
}
