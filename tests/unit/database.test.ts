/**
 * The encrypted database on real files: create, reopen, the settings a power cut needs, no
 * plaintext on disk, and every way it can fail to open (wrong key, missing key, damaged file,
 * damaged key file, no keychain) ending in a clear status with the folder left byte for byte
 * as it was.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCipherKey, openShopDatabase, type ShopDatabase } from '../../main/db/open';
import {
  DATABASE_FILE,
  KEY_FILE,
  keychainAccount,
  KEYCHAIN_SERVICE,
  resolveDatabaseKey,
} from '../../main/db/database-key';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import type { AppStatus } from '../../shared/contract';
import { KasuwaError } from '../../shared/errors';
import {
  fingerprint,
  MemoryKeychain,
  migrations,
  recordingLog,
  setupInput,
  sha256,
  tempDir,
  type RecordedLog,
} from './fixtures';

const CANARY = `KASUWA-PLAINTEXT-CANARY-${randomBytes(6).toString('hex')}`;
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

let scratch: ReturnType<typeof tempDir>;
beforeEach(() => {
  scratch = tempDir();
});
afterEach(() => {
  scratch.remove();
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

function expectKasuwaError(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(KasuwaError);
  expect(error instanceof KasuwaError && error.code).toBe(code);
}

function pragmas(db: ShopDatabase): Record<string, unknown> {
  return {
    journal_mode: db.sqlite.pragma('journal_mode', { simple: true }),
    synchronous: db.sqlite.pragma('synchronous', { simple: true }),
    foreign_keys: db.sqlite.pragma('foreign_keys', { simple: true }),
  };
}

const POWER_CUT_SAFE = { journal_mode: 'wal', synchronous: 2, foreign_keys: 1 };

function runtime(
  keychain: MemoryKeychain | null,
  options: { log?: RecordedLog; events?: EventBus; forcePassphrase?: boolean } = {},
): ShopRuntime {
  return new ShopRuntime({
    dataDir: scratch.dir,
    keychain,
    migrations,
    version: 'test',
    events: options.events ?? new EventBus(),
    log: options.log ?? recordingLog(),
    forcePassphrase: options.forcePassphrase ?? false,
  });
}

/** First run with a keychain: a shop set up and closed, its name the canary. */
async function setUpShop(keychain: MemoryKeychain): Promise<void> {
  const rt = runtime(keychain);
  expect(await rt.start()).toMatchObject({ state: 'ready', keyStorage: 'keychain', setupDone: false });
  rt.require().business.setup(setupInput({ name: CANARY }));
  rt.close();
}

function errorStatus(status: AppStatus): { code: string; title: string; message: string } {
  if (status.state !== 'error') throw new Error(`expected an error status, got ${JSON.stringify(status)}`);
  return status;
}

/** The page a table's b-tree starts on, read with the right key before the file is damaged. */
function rootPage(file: string, key: Buffer, table: string): number {
  const db = new Database(file, { fileMustExist: true });
  try {
    applyCipherKey(db, key);
    const row = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as
      { rootpage: number } | undefined;
    if (row === undefined) throw new Error(`no table ${table}`);
    return row.rootpage;
  } finally {
    db.close();
  }
}

function keyFromKeychain(keychain: MemoryKeychain): Buffer {
  const hex = keychain.secrets.get(`${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`);
  if (hex === undefined) throw new Error('no key in the keychain');
  return Buffer.from(hex, 'hex');
}

/** Overwrites 200 bytes inside page `page` (1-based, 4 KiB pages) with garbage. */
function damagePage(file: string, page: number): void {
  const bytes = readFileSync(file);
  const start = (page - 1) * 4096 + 100;
  expect(start + 200).toBeLessThan(bytes.length);
  bytes.fill(0x5a, start, start + 200);
  writeFileSync(file, bytes);
}

describe('openShopDatabase', () => {
  it('creates a file, keeps what was written across a reopen, with WAL, synchronous=FULL and foreign keys', () => {
    const file = path.join(scratch.dir, DATABASE_FILE);
    const key = randomBytes(32);
    const db = openShopDatabase(file, { key, create: true, migrations });
    expect(pragmas(db)).toEqual(POWER_CUT_SAFE);
    db.sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('receiptFooter', ?, 1)")
      .run('"Sannu da zuwa"');
    db.close();
    expect(existsSync(file)).toBe(true);

    const again = openShopDatabase(file, { key, create: false, migrations });
    expect(pragmas(again)).toEqual(POWER_CUT_SAFE);
    expect(again.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(again.sqlite.prepare("SELECT value FROM settings WHERE key = 'receiptFooter'").get()).toEqual({
      value: '"Sannu da zuwa"',
    });
    expect(() =>
      again.sqlite
        .prepare(
          "INSERT INTO customer_stats (customer_id, total_spent_kobo, purchase_count, points_balance, tier) VALUES ('nobody', 0, 0, 0, 'bronze')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    again.close();

    const third = openShopDatabase(file, { key, create: true, migrations });
    expect(third.sqlite.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 1 });
    third.close();
  });

  it('keeps no plaintext of a written value in the file or its WAL, where a plain file does (control)', () => {
    for (const key of [randomBytes(32), null]) {
      const file = path.join(scratch.dir, key === null ? 'plain.db' : 'encrypted.db');
      const db = openShopDatabase(file, { key, create: true, migrations });
      db.sqlite
        .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('receiptFooter', ?, 1)")
        .run(JSON.stringify(CANARY));
      // Before close the write sits in the WAL; close checkpoints it into the file.
      const wal = readFileSync(`${file}-wal`);
      expect(wal.length).toBeGreaterThan(0);
      db.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
      const main = readFileSync(file);
      if (key === null) {
        expect(wal.indexOf(CANARY)).toBeGreaterThanOrEqual(0);
        expect(main.indexOf(CANARY)).toBeGreaterThanOrEqual(0);
        expect(main.subarray(0, 16).equals(SQLITE_HEADER)).toBe(true);
      } else {
        expect(wal.indexOf(CANARY)).toBe(-1);
        expect(main.indexOf(CANARY)).toBe(-1);
        expect(main.indexOf(Buffer.from('receiptFooter'))).toBe(-1);
        expect(main.indexOf(Buffer.from('CREATE TABLE'))).toBe(-1);
        expect(main.subarray(0, 16).equals(SQLITE_HEADER)).toBe(false);
      }
    }
  });

  it('refuses a wrong key with database_corrupt, without changing a byte or adding a -wal/-shm file', () => {
    const file = path.join(scratch.dir, DATABASE_FILE);
    const db = openShopDatabase(file, { key: randomBytes(32), create: true, migrations });
    db.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 1)").run();
    db.close();
    const hash = sha256(file);
    const before = fingerprint(scratch.dir);

    const error = thrown(() => openShopDatabase(file, { key: randomBytes(32), create: false, migrations }));
    expectKasuwaError(error, 'database_corrupt');
    expect(sha256(file)).toBe(hash);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
    expect(fingerprint(scratch.dir)).toEqual(before);

    // Even with create: true a wrong key never turns an existing file into a new database.
    expectKasuwaError(
      thrown(() => openShopDatabase(file, { key: randomBytes(32), create: true, migrations })),
      'database_corrupt',
    );
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('refuses an encrypted file opened without a key, and a plain file opened with one', () => {
    const encrypted = path.join(scratch.dir, 'encrypted.db');
    const plain = path.join(scratch.dir, 'plain.db');
    openShopDatabase(encrypted, { key: randomBytes(32), create: true, migrations }).close();
    openShopDatabase(plain, { key: null, create: true, migrations }).close();
    const before = fingerprint(scratch.dir);
    expectKasuwaError(
      thrown(() => openShopDatabase(encrypted, { key: null, create: false, migrations })),
      'database_corrupt',
    );
    expectKasuwaError(
      thrown(() => openShopDatabase(plain, { key: randomBytes(32), create: false, migrations })),
      'database_corrupt',
    );
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('refuses a key that is not 32 bytes, and never creates a database that should already exist', () => {
    const file = path.join(scratch.dir, DATABASE_FILE);
    expect(() => openShopDatabase(file, { key: randomBytes(16), create: true, migrations })).toThrow(
      /32 bytes/,
    );
    rmSync(file, { force: true });
    expectKasuwaError(
      thrown(() => openShopDatabase(file, { key: randomBytes(32), create: false, migrations })),
      'not_found',
    );
    expect(readdirSync(scratch.dir)).toEqual([]);
  });
});

describe('resolveDatabaseKey', () => {
  it('makes a random key on first run, keeps it in the keychain (not in the key file) and finds it again', async () => {
    const keychain = new MemoryKeychain();
    const first = await resolveDatabaseKey(scratch.dir, keychain);
    expect(first).toMatchObject({ kind: 'key', storage: 'keychain', created: true });
    const stored = keychain.secrets.get(`${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(first.kind === 'key' && first.key.toString('hex')).toBe(stored);
    const keyFile = readFileSync(path.join(scratch.dir, KEY_FILE), 'utf8');
    expect(JSON.parse(keyFile)).toMatchObject({ version: 1, storage: 'keychain' });
    expect(keyFile).not.toContain(stored ?? 'no key');

    const second = await resolveDatabaseKey(scratch.dir, keychain);
    expect(second.kind === 'key' && first.kind === 'key' && second.key.equals(first.key)).toBe(true);
    expect(keychain.writes).toBe(1);
  });
});

describe('ShopRuntime with a keychain', () => {
  it('opens a new shop, reopens it after a restart, and tells listeners', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const events = new EventBus();
    const seen: unknown[] = [];
    events.subscribe((name, payload) => {
      if (name === 'app:status') seen.push(payload);
    });
    const second = runtime(keychain, { events });
    const status = await second.start();
    expect(status).toMatchObject({
      state: 'ready',
      setupDone: true,
      keyStorage: 'keychain',
      dataDir: scratch.dir,
      version: 'test',
    });
    expect(seen).toContainEqual(expect.objectContaining({ state: 'ready', setupDone: true }));
    expect(second.require().business.get()?.name).toBe(CANARY);
    expect(pragmas(second.require().db)).toEqual(POWER_CUT_SAFE);
    second.close();
  });

  it('keeps no plaintext of the shop on disk (db and WAL)', async () => {
    const keychain = new MemoryKeychain();
    const rt = runtime(keychain);
    await rt.start();
    rt.require().business.setup(setupInput({ name: CANARY }));
    rt.require().settings.update({ receiptFooter: CANARY }, null);
    const file = path.join(scratch.dir, DATABASE_FILE);
    const wal = readFileSync(`${file}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    expect(wal.indexOf(CANARY)).toBe(-1);
    rt.close();
    for (const name of readdirSync(scratch.dir)) {
      expect(readFileSync(path.join(scratch.dir, name)).indexOf(CANARY), name).toBe(-1);
    }
  });

  it('shows wrong_key when the keychain holds another key, and leaves files and keychain alone', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const other = randomBytes(32).toString('hex');
    keychain.secrets.set(`${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`, other);
    const writes = keychain.writes;
    const before = fingerprint(scratch.dir);

    const log = recordingLog();
    const rt = runtime(keychain, { log });
    const status = errorStatus(await rt.start());
    expect(status.code).toBe('wrong_key');
    expect(status.title).toBe('This database needs a different key');
    expect(status.message).toMatch(/Nothing has been changed/);
    expect(() => rt.require()).toThrow(expect.objectContaining({ code: 'locked' }) as Error);
    expect(fingerprint(scratch.dir)).toEqual(before);
    expect(keychain.writes).toBe(writes);
    expect(keychain.secrets.get(`${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`)).toBe(other);
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error' }));
    expect(JSON.stringify(log.lines)).not.toContain(other);
  });

  it('shows wrong_key for a keychain entry that is not a 32-byte key', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    keychain.secrets.set(`${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`, 'not-hex-at-all');
    const before = fingerprint(scratch.dir);
    expect(errorStatus(await runtime(keychain).start()).code).toBe('wrong_key');
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows key_missing when the database is there but its key is not in the keychain, and makes no new key', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    keychain.secrets.clear();
    const writes = keychain.writes;
    const before = fingerprint(scratch.dir);
    const status = errorStatus(await runtime(keychain).start());
    expect(status.code).toBe('key_missing');
    expect(status.message).toMatch(/Nothing has been changed/);
    expect(fingerprint(scratch.dir)).toEqual(before);
    expect(keychain.writes).toBe(writes);
    expect(keychain.secrets.size).toBe(0);
  });

  it(`shows key_missing when the database is there but ${KEY_FILE} is gone, and writes no key file`, async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    rmSync(path.join(scratch.dir, KEY_FILE));
    const before = fingerprint(scratch.dir);
    const status = errorStatus(await runtime(keychain).start());
    expect(status.code).toBe('key_missing');
    expect(status.message).toContain(KEY_FILE);
    expect(fingerprint(scratch.dir)).toEqual(before);
    expect(existsSync(path.join(scratch.dir, KEY_FILE))).toBe(false);
  });

  it('shows keychain_unavailable when the keychain that holds the key cannot be reached', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    keychain.broken = true;
    const before = fingerprint(scratch.dir);
    const status = errorStatus(await runtime(keychain).start());
    expect(status.code).toBe('keychain_unavailable');
    expect(status.title).toBe("The computer's keychain is locked");
    expect(fingerprint(scratch.dir)).toEqual(before);
    // Without keytar at all (keychain null) it is the same answer, not a passphrase prompt.
    expect(errorStatus(await runtime(null).start()).code).toBe('keychain_unavailable');
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows database_corrupt for a file whose header was overwritten, and leaves it as it was', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const file = path.join(scratch.dir, DATABASE_FILE);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 4096);
    writeFileSync(file, bytes);
    const before = fingerprint(scratch.dir);
    const status = errorStatus(await runtime(keychain).start());
    expect(status.code).toBe('database_corrupt');
    expect(status.title).toBe("The shop database can't be read");
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows database_corrupt for garbage in the middle of the first page, and leaves it as it was', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const file = path.join(scratch.dir, DATABASE_FILE);
    damagePage(file, 1);
    const before = fingerprint(scratch.dir);
    expect(errorStatus(await runtime(keychain).start()).code).toBe('database_corrupt');
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  // Known bug (see the test report): a damaged page that is read while migrations are checked
  // surfaces as a raw SQLITE_CORRUPT, so the status is `internal`, not `database_corrupt`.
  // Remove `.fails` once main/db/open.ts maps errors thrown by applyMigrations too.
  it('shows database_corrupt for a damaged page read while opening (the migrations table)', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const file = path.join(scratch.dir, DATABASE_FILE);
    damagePage(file, rootPage(file, keyFromKeychain(keychain), 'kasuwa_migrations'));
    const before = fingerprint(scratch.dir);
    const status = await runtime(keychain).start();
    expect(fingerprint(scratch.dir)).toEqual(before);
    expect(errorStatus(status).code).toBe('database_corrupt');
  });

  it('never writes to a damaged file while trying to open it, wherever the damage is', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const file = path.join(scratch.dir, DATABASE_FILE);
    const key = keyFromKeychain(keychain);
    const original = readFileSync(file);
    const pages = [
      1,
      rootPage(file, key, 'kasuwa_migrations'),
      rootPage(file, key, 'business_profile'),
      Math.floor(original.length / 4096 / 2),
    ];
    for (const page of pages) {
      writeFileSync(file, original);
      damagePage(file, page);
      const damaged = sha256(file);
      const rt = runtime(keychain);
      const status = await rt.start();
      rt.close();
      expect(sha256(file), `page ${page}`).toBe(damaged);
      expect(existsSync(`${file}-wal`), `page ${page} wal ${String(pages)}`).toBe(false);
      // The business profile is read at open (setupDone), so its damage must stop the open.
      if (page === pages[2]) expect(status.state).toBe('error');
    }
  });

  // Known bug (see the test report): when the damage is found after openShopDatabase returned
  // (here: reading the business profile for setupDone), ShopRuntime keeps the half-opened
  // services, so domain calls still run although the status says the database is not open.
  it('keeps domain calls locked when opening failed part way', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const file = path.join(scratch.dir, DATABASE_FILE);
    damagePage(file, rootPage(file, keyFromKeychain(keychain), 'business_profile'));
    const rt = runtime(keychain);
    try {
      expect((await rt.start()).state).toBe('error');
      expectKasuwaError(
        thrown(() => rt.require()),
        'locked',
      );
    } finally {
      rt.close();
    }
  });

  it(`shows a clear error for a damaged ${KEY_FILE}, and overwrites nothing`, async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(keychain);
    const keyFile = path.join(scratch.dir, KEY_FILE);
    const original = readFileSync(keyFile);
    const writes = keychain.writes;
    for (const damaged of [
      '{"version": 1, "storage": "keych',
      '',
      '{}',
      '{"version": 2, "storage": "keychain", "check": "00"}',
      '{"version": 1, "storage": "passphrase", "check": "00"}',
      '[]',
      '\u0000\u0001\u0002garbage',
    ]) {
      writeFileSync(keyFile, damaged);
      const before = fingerprint(scratch.dir);
      const status = errorStatus(await runtime(keychain).start());
      expect(status.code, damaged).toBe('database_corrupt');
      expect(status.message).toContain(KEY_FILE);
      expect(fingerprint(scratch.dir)).toEqual(before);
    }
    expect(keychain.writes).toBe(writes);
    writeFileSync(keyFile, original);
    expect(await runtime(keychain).start()).toMatchObject({ state: 'ready', setupDone: true });
  });

  it('answers locked for domain calls until the database is open', async () => {
    const keychain = new MemoryKeychain();
    keychain.broken = true;
    const rt = runtime(keychain);
    await rt.start();
    const error = thrown(() => rt.require());
    expectKasuwaError(error, 'locked');
  });

  it('leaves no key file and no database when the keychain refuses to store a new key', async () => {
    const keychain = new MemoryKeychain();
    keychain.readOnly = true;
    const status = await runtime(keychain).start();
    expect(status.state).not.toBe('ready');
    expect(readdirSync(scratch.dir)).toEqual([]);
  });

  // Known bug (see the test report): a keychain that answers lookups but refuses writes (a locked
  // Linux keyring) ends in an `internal` error instead of the passphrase fallback DESIGN.md asks for.
  it('falls back to a passphrase when the keychain refuses to store a new key', async () => {
    const keychain = new MemoryKeychain();
    keychain.readOnly = true;
    expect(await runtime(keychain).start()).toMatchObject({ state: 'needs-passphrase', firstRun: true });
  });
});

describe('ShopRuntime without a usable keychain', () => {
  it('locks with a passphrase, refuses a wrong one, and opens with the right one', async () => {
    const keychain = new MemoryKeychain();
    keychain.broken = true;
    const passphrase = 'correct horse battery staple';
    const first = runtime(keychain);
    expect(await first.start()).toMatchObject({ state: 'needs-passphrase', firstRun: true });
    expect(readdirSync(scratch.dir)).toEqual([]);
    expect(await first.createPassphrase(passphrase)).toMatchObject({
      state: 'ready',
      setupDone: false,
      keyStorage: 'passphrase',
    });
    first.require().business.setup(setupInput({ name: CANARY }));
    first.close();
    expect(keychain.secrets.size).toBe(0);
    const keyFile = readFileSync(path.join(scratch.dir, KEY_FILE), 'utf8');
    expect(JSON.parse(keyFile)).toMatchObject({ version: 1, storage: 'passphrase' });
    expect(keyFile).not.toContain(passphrase);
    expect(readFileSync(path.join(scratch.dir, DATABASE_FILE)).indexOf(CANARY)).toBe(-1);

    const second = runtime(keychain);
    expect(await second.start()).toMatchObject({ state: 'needs-passphrase', firstRun: false });
    const before = fingerprint(scratch.dir);
    expectKasuwaError(await rejection(second.unlock('wrong horse battery staple')), 'wrong_passphrase');
    expect(second.status()).toMatchObject({ state: 'needs-passphrase', firstRun: false });
    expect(fingerprint(scratch.dir)).toEqual(before);
    expectKasuwaError(await rejection(second.createPassphrase('another passphrase')), 'already_done');
    expect(fingerprint(scratch.dir)).toEqual(before);

    expect(await second.unlock(passphrase)).toMatchObject({
      state: 'ready',
      setupDone: true,
      keyStorage: 'passphrase',
    });
    expect(second.require().business.get()?.name).toBe(CANARY);
    expectKasuwaError(await rejection(second.unlock(passphrase)), 'already_done');
    second.close();

    // A keychain that works again later does not change how this database is locked.
    keychain.broken = false;
    expect(await runtime(keychain).start()).toMatchObject({ state: 'needs-passphrase', firstRun: false });
    expect(keychain.secrets.size).toBe(0);
  });

  it('asks for a passphrase when keytar cannot load, and when the keychain is turned off', async () => {
    expect(await runtime(null).start()).toMatchObject({ state: 'needs-passphrase', firstRun: true });
    const keychain = new MemoryKeychain();
    expect(await runtime(keychain, { forcePassphrase: true }).start()).toMatchObject({
      state: 'needs-passphrase',
      firstRun: true,
    });
    expect(keychain.reads + keychain.writes).toBe(0);
    expect(readdirSync(scratch.dir)).toEqual([]);
  });
});
