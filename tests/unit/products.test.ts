/** The catalogue: codes are unique, edits keep the stock, and stock is a ledger. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { productChannels } from '../../shared/contract';
import { newProduct, openTestShop, type TestShop } from './shop';

let shop: TestShop;
beforeEach(() => {
  shop = openTestShop();
});
afterEach(() => {
  shop.close();
});

it('finds a product by barcode, by SKU and by a part of its name', () => {
  const rice = newProduct(shop, 'Mama Gold Rice 5kg', 9_000);
  shop.products.update(
    productChannels['products:update'].input.parse({ ...rice, barcode: '6001234567890', sku: 'RICE5' }),
    null,
  );
  expect(shop.products.search('6001234567890', 5).map((p) => p.id)).toEqual([rice.id]);
  expect(shop.products.search('rice5', 5).map((p) => p.id)).toEqual([rice.id]);
  expect(shop.products.search('gold', 5).map((p) => p.id)).toEqual([rice.id]);
});

it('edits the price and codes without touching the stock, and refuses a code another product uses', () => {
  const rice = newProduct(shop, 'Rice 5kg', 9_000, 40);
  const oil = newProduct(shop, 'Oil 1L', 2_500);
  const edited = shop.products.update(
    productChannels['products:update'].input.parse({ ...rice, priceKobo: 950_000, barcode: '111' }),
    null,
  );
  expect(edited).toMatchObject({ priceKobo: 950_000, barcode: '111', stock: 40 });
  expect(() =>
    shop.products.update(productChannels['products:update'].input.parse({ ...oil, barcode: '111' }), null),
  ).toThrow(/Rice 5kg already uses the barcode 111/);
  expect(shop.audit.list(1)[0]).toMatchObject({ action: 'product.update', entityId: rice.id });
});

it('keeps stock as a ledger of deliveries and corrections', () => {
  const rice = newProduct(shop, 'Rice 5kg', 9_000, 10);
  shop.products.adjustStock({ productId: rice.id, kind: 'receive', quantity: 24, note: 'Delivery' }, null);
  const counted = shop.products.adjustStock(
    { productId: rice.id, kind: 'adjustment', quantity: -3, note: 'Count' },
    null,
  );
  expect(counted.stock).toBe(31);
  expect(shop.products.stockMoves(rice.id, 0, 10).rows.map((m) => [m.kind, m.quantity])).toEqual([
    ['adjustment', -3],
    ['receive', 24],
    ['receive', 10],
  ]);
  expect(() =>
    shop.products.adjustStock({ productId: rice.id, kind: 'receive', quantity: -1, note: '' }, null),
  ).toThrow(/positive/);
  expect(() => shop.db.sqlite.prepare('DELETE FROM stock_moves').run()).toThrow(/append-only/);
});
