/**
 * The counter process the sync fault tests kill: it opens a paired shop database and syncs
 * (push everything, pull everything) until a pass moves nothing, then prints DONE. It prints
 * READY once open, so the test can kill it mid-push or mid-pull at a random moment after.
 */
import path from 'node:path';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';

const file = process.env.KASUWA_FAULT_DB ?? '';
const key = Buffer.from(process.env.KASUWA_FAULT_KEY ?? '', 'hex');
const migrations = loadMigrations(path.resolve(process.env.KASUWA_FAULT_MIGRATIONS ?? 'migrations'));

async function main(): Promise<void> {
  const db = openShopDatabase(file, { key, create: false, migrations });
  const shop = createShopServices(db, Date.now);
  process.stdout.write('READY\n');
  for (let pass = 0; pass < 100; pass += 1) {
    const report = await shop.sync.engine.run();
    process.stdout.write(`PASS ${report.pushed} ${report.pulled}\n`);
    if (report.pushed === 0 && report.pulled === 0) {
      process.stdout.write('DONE\n');
      db.close();
      return;
    }
  }
  throw new Error('still syncing after 100 passes');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `sync counter failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
