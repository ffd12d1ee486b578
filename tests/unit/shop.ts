/** A set-up shop on a real encrypted file, with a clock the test moves, for service tests. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { openShopDatabase, type ShopDatabase } from '../../main/db/open';
import { createShopServices, type ShopServices, type StoreFolders } from '../../main/services/app/runtime';
import type { CampaignEnvironment } from '../../main/services/campaigns/campaign-services';
import { customerInputSchema, productInputSchema, type StaffMember } from '../../shared/contract';
import { migrations, tempDir } from './fixtures';

export const OWNER_PIN = '4321';
export const MANAGER_PIN = '5555';
export const CASHIER_PIN = '7777';

export interface TestShop extends ShopServices {
  db: ShopDatabase;
  clock: { now: number };
  owner: StaffMember;
  manager: StaffMember;
  cashier: StaffMember;
  close(): void;
}

/** 10:00 Lagos on a Tuesday. */
export const SHOP_MORNING = Date.parse('2026-11-24T09:00:00Z');

export function openTestShop(
  campaigns: Partial<CampaignEnvironment> = {},
  store: Partial<StoreFolders> = {},
): TestShop {
  const scratch = tempDir('kasuwa-shop-');
  const db = openShopDatabase(path.join(scratch.dir, 'kasuwa.db'), {
    key: randomBytes(32),
    create: true,
    migrations,
  });
  const clock = { now: SHOP_MORNING };
  const shop = createShopServices(db, () => (clock.now += 1), undefined, campaigns, {
    imageDir: path.join(scratch.dir, 'store-images'),
    exportDir: path.join(scratch.dir, 'store-export'),
    ...store,
  });
  shop.business.setup({
    business: { name: 'Test Stores', state: 'Lagos', phone: '08031234567', address: 'Yaba', email: '' },
    ownerName: 'Ada Owner',
    pin: OWNER_PIN,
  });
  const owner = shop.staff.verifyPin(OWNER_PIN);
  const manager = shop.staff.create({
    name: 'Musa Manager',
    role: 'manager',
    pin: MANAGER_PIN,
    ownerPin: OWNER_PIN,
  });
  const cashier = shop.staff.create({
    name: 'Chidi Cashier',
    role: 'cashier',
    pin: CASHIER_PIN,
    ownerPin: OWNER_PIN,
  });
  return {
    ...shop,
    clock,
    owner,
    manager,
    cashier,
    close: () => {
      void shop.store.close();
      db.close();
      scratch.remove();
    },
  };
}

export function newCustomer(
  shop: TestShop,
  phone: string,
  firstName = 'Ngozi',
  extra: Record<string, unknown> = {},
) {
  return shop.customers.create(
    customerInputSchema.parse({ firstName, lastName: 'Eze', phone, ...extra }),
    null,
  );
}

export function newProduct(shop: TestShop, name: string, priceNaira: number, stock = 100) {
  return shop.products.create(
    productInputSchema.parse({
      name,
      priceKobo: priceNaira * 100,
      openingStock: stock,
      sku: name.toUpperCase().replace(/\W/g, ''),
    }),
    null,
  );
}
