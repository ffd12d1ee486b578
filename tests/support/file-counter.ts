/**
 * A counter on a database file the test knows (so a child process can open it, and the test
 * can close and reopen it as a restart), set up with an owner, on a wall clock the test can
 * set wrong by `clock.offset`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase, type ShopDatabase } from '../../main/db/open';
import { createShopServices, type ShopServices } from '../../main/services/app/runtime';
import { ManualNetwork, ManualPower } from '../../main/services/sync/conditions';
import { HttpSyncTransport } from '../../main/services/sync/sync-transport';

export const PIN = '2580';

const migrations = loadMigrations(path.resolve('migrations'));

export interface FileCounter {
  file: string;
  key: Buffer;
  db: ShopDatabase;
  shop: ShopServices;
  clock: { offset: number };
  /** The power and network readings its sync loop follows, set by the test. */
  power: ManualPower;
  network: ManualNetwork;
  /** Opens the file again with new services: what a restart of the app does. */
  reopen(): void;
  close(): void;
}

export function fileCounter(dir: string, name: string): FileCounter {
  const file = path.join(dir, `${name}.db`);
  const key = randomBytes(32);
  const clock = { offset: 0 };
  const now = () => Date.now() + clock.offset;
  const power = new ManualPower();
  const network = new ManualNetwork();
  const environment = { power, network, transport: new HttpSyncTransport(), log: () => undefined };
  const store = {
    imageDir: path.join(dir, `${name}-store-images`),
    exportDir: path.join(dir, `${name}-store-export`),
  };
  const db = openShopDatabase(file, { key, create: true, migrations });
  const counter: FileCounter = {
    file,
    key,
    clock,
    power,
    network,
    db,
    shop: createShopServices(db, now, environment, {}, store),
    reopen() {
      counter.db = openShopDatabase(file, { key, create: false, migrations });
      counter.shop = createShopServices(counter.db, now, environment, {}, store);
    },
    close() {
      counter.shop.sync.stop();
      void counter.shop.store.close();
      counter.db.close();
    },
  };
  counter.shop.business.setup({
    business: { name: `Stores ${name}`, state: 'Lagos', phone: '08031234567', address: '', email: '' },
    ownerName: 'Ada Owner',
    pin: PIN,
  });
  return counter;
}
