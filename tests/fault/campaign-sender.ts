/**
 * The process the campaign crash test kills: it opens the shop database and runs the send loop
 * against the fake Termii the test started, printing `IDLE` once nothing is left to send. The
 * test SIGKILLs it at random moments and starts it again until it says so.
 */
import path from 'node:path';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { createProvider } from '../../main/services/campaigns/providers';
import { ManualNetwork } from '../../main/services/sync/conditions';
import type { CampaignSettings } from '../../shared/contract';

const file = process.env.KASUWA_FAULT_DB ?? '';
const key = Buffer.from(process.env.KASUWA_FAULT_KEY ?? '', 'hex');
const apiKey = process.env.KASUWA_FAULT_API_KEY ?? '';
const migrations = loadMigrations(path.resolve(process.env.KASUWA_FAULT_MIGRATIONS ?? 'migrations'));

const db = openShopDatabase(file, { key, create: false, migrations });
const keychain = {
  getSecret: () => Promise.resolve(apiKey),
  setSecret: () => Promise.resolve(),
};
// The adapters read the shop's campaign settings as they stand when one is made.
let settingsOf = (): CampaignSettings => {
  throw new Error('no shop yet');
};
const shop = createShopServices(db, Date.now, undefined, {
  keychain,
  network: new ManualNetwork(),
  createProvider: (name, secret) => createProvider(name, settingsOf(), secret),
});
settingsOf = () => shop.campaigns.settings.get();
const counts = db.sqlite.prepare(
  `SELECT count(*) AS n FROM messages WHERE status IN ('queued', 'waiting', 'sending')`,
);
process.stdout.write('READY\n');
shop.campaigns.sender.start();
const watch = setInterval(() => {
  if ((counts.get() as { n: number }).n === 0) {
    clearInterval(watch);
    process.stdout.write('IDLE\n');
    void shop.campaigns.sender.stop().then(() => {
      db.close();
      process.exit(0);
    });
  }
}, 20);
