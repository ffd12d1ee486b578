/**
 * The process the power-cut test kills: it opens the shop database and records sales in a
 * loop, printing `RECORDED <saleId> <lines> <payments> <totalKobo>` only after `record`
 * returned (the transaction committed). Anything it printed must survive a SIGKILL.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { uuidv7 } from '../../shared/ids';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';

const file = process.env.KASUWA_FAULT_DB ?? '';
const key = Buffer.from(process.env.KASUWA_FAULT_KEY ?? '', 'hex');
const migrations = loadMigrations(path.resolve(process.env.KASUWA_FAULT_MIGRATIONS ?? 'migrations'));

const db = openShopDatabase(file, { key, create: false, migrations });
const shop = createShopServices(db, Date.now);
const cashier = shop.till.signIn(process.env.KASUWA_FAULT_PIN ?? '');
const products = shop.products.list({
  offset: 0,
  limit: 50,
  includeArchived: false,
  lowStockOnly: false,
}).rows;
const customers = shop.customers.list({
  offset: 0,
  limit: 50,
  sort: 'name',
  direction: 'asc',
  includeArchived: false,
}).rows;

process.stdout.write('READY\n');
for (;;) {
  const lineCount = randomInt(1, 4);
  const lines = Array.from({ length: lineCount }, (_, i) => {
    const product = products[(randomInt(0, products.length) + i) % products.length];
    if (product === undefined) throw new Error('no products');
    return { productId: product.id, quantity: randomInt(1, 4), discountKobo: 0 };
  });
  const total = lines.reduce((sum, line) => {
    const product = products.find((p) => p.id === line.productId);
    return sum + (product?.priceKobo ?? 0) * line.quantity;
  }, 0);
  const split = randomInt(0, 2) === 1 && total > 100;
  const cashPart = split ? Math.floor(total / 3) : total;
  const payments = split
    ? [
        { method: 'cash' as const, amountKobo: cashPart, tenderedKobo: cashPart, reference: '' },
        { method: 'transfer' as const, amountKobo: total - cashPart, reference: 'TRF' },
      ]
    : [{ method: 'card' as const, amountKobo: total, reference: '' }];
  const customer = customers.length === 0 ? undefined : customers[randomInt(0, customers.length)];
  const sale = shop.sales.record(
    { saleId: uuidv7(), lines, customerId: customer?.id ?? null, payments },
    cashier,
  );
  process.stdout.write(
    `RECORDED ${sale.id} ${sale.lines.length} ${sale.payments.length} ${sale.totalKobo}\n`,
  );
}
