/**
 * Foundation figures: inserts into the encrypted and the plain database (100k rows, one
 * transaction, WAL and synchronous=FULL as in the app), opening with the key from the real
 * keychain, and a small call's round trip through the browser host.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from '../../shared/ids';
import { resolveDatabaseKey } from '../../main/db/database-key';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { loadKeychain } from '../../main/platform/keychain';
import { percentile, progress, round, type Figures } from './figures';
import { startHostClient } from './host-client';

const ROWS = 100_000;
const migrations = loadMigrations(path.resolve('migrations'));

function insertRowsPerSecond(file: string, key: Buffer | null): number {
  const db = openShopDatabase(file, { key, create: true, migrations });
  try {
    db.sqlite.exec(
      'CREATE TABLE bench_rows (id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, amount INTEGER NOT NULL)',
    );
    const insert = db.sqlite.prepare('INSERT INTO bench_rows (id, name, phone, amount) VALUES (?, ?, ?, ?)');
    const rows = Array.from({ length: ROWS }, (_, i) => [
      uuidv7(),
      `Customer ${i}`,
      `+23480${String(30_000_000 + i).padStart(8, '0')}`,
      (i % 5000) * 100,
    ]);
    const started = performance.now();
    db.sqlite.transaction(() => {
      for (const row of rows) insert.run(...row);
    })();
    const seconds = (performance.now() - started) / 1000;
    return ROWS / seconds;
  } finally {
    db.close();
  }
}

async function openWithKeychainMs(dataDir: string): Promise<number> {
  const keychain = await loadKeychain();
  if (keychain === null) throw new Error('keytar cannot load: db_open_ms needs the OS keychain');
  const first = await resolveDatabaseKey(dataDir, keychain);
  if (first.kind !== 'key') throw new Error('no keychain key: run the benchmarks through `npm run bench`');
  const file = path.join(dataDir, 'kasuwa.db');
  openShopDatabase(file, { key: first.key, create: true, migrations }).close();
  const samples: number[] = [];
  for (let i = 0; i < 15; i += 1) {
    const started = performance.now();
    const resolution = await resolveDatabaseKey(dataDir, keychain);
    if (resolution.kind !== 'key') throw new Error('keychain key vanished');
    const db = openShopDatabase(file, { key: resolution.key, create: false, migrations });
    db.sqlite.prepare('SELECT count(*) FROM business_profile').get();
    samples.push(performance.now() - started);
    db.close();
  }
  return percentile(samples, 50);
}

async function hostRoundTrips(dataDir: string, calls: number): Promise<number[]> {
  const host = await startHostClient({ KASUWA_DATA_DIR: dataDir });
  try {
    const samples: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      const started = performance.now();
      await host.call('settings:get');
      samples.push(performance.now() - started);
    }
    return samples.slice(Math.min(100, Math.floor(calls / 10)));
  } finally {
    host.stop();
  }
}

export async function foundationFigures(): Promise<Figures> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-bench-'));
  try {
    progress('inserting 100k rows, encrypted');
    const encrypted = insertRowsPerSecond(path.join(scratch, 'encrypted.db'), Buffer.alloc(32, 7));
    progress('inserting 100k rows, plain');
    const plain = insertRowsPerSecond(path.join(scratch, 'plain.db'), null);
    progress('opening with the key from the keychain');
    const openMs = await openWithKeychainMs(path.join(scratch, 'shop'));
    progress('round trips through the browser host');
    const trips = await hostRoundTrips(path.join(scratch, 'shop'), 2000);
    return {
      db_insert_encrypted_rows_per_s: { value: Math.round(encrypted), unit: 'rows/s', better: 'higher' },
      db_insert_plain_rows_per_s: { value: Math.round(plain), unit: 'rows/s', better: 'higher' },
      db_open_ms: { value: round(openMs), unit: 'ms', better: 'lower' },
      ipc_host_roundtrip_p50_ms: { value: round(percentile(trips, 50), 3), unit: 'ms', better: 'lower' },
      ipc_host_roundtrip_p95_ms: { value: round(percentile(trips, 95), 3), unit: 'ms', better: 'lower' },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
