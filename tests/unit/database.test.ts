/**
 * The encrypted database: create, reopen, the settings a power cut needs, no plaintext on
 * disk, and every way it can fail to open (wrong key, missing key, damaged file, no keychain)
 * ending in a clear status with the file left byte for byte as it was.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, KEY_FILE, keychainAccount, KEYCHAIN_SERVICE } from '../../main/db/database-key';
import { openShopDatabase } from '../../main/db/open';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import { KasuwaError } from '../../shared/errors';
import { MemoryKeychain, migrations, recordingLog, tempDir } from './fixtures';

const CANARY = 'KASUWA-PLAINTEXT-CANARY-7f3a9c';

let scratch: ReturnType<typeof tempDir>;
beforeEach(() => {
  scratch = tempDir();
});
afterEach(() => {
  scratch.remove();
});

function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name !== 'logs')
      .sort()
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(path.join(dir, name)))
          .digest('hex'),
      ]),
  );
}

function runtime(keychain: MemoryKeychain | null, dataDir = scratch.dir): ShopRuntime {
  return new ShopRuntime({
    dataDir,
    keychain,
    migrations,
    version: 'test',
    events: new EventBus(),
    log: recordingLog(),
  });
}

async function setUpShop(rt: ShopRuntime): Promise<void> {
  const status = await rt.start();
  expect(status.state).toBe('ready');
  rt.require().business.setup({
    business: { name: CANARY, state: 'Lagos', phone: '0803 123 4567', address: '', email: '' },
    ownerName: 'Ada Okafor',
    pin: '4321',
  });
  rt.close();
}

describe('openShopDatabase', () => {
  it('creates, reopens and keeps data, with WAL, synchronous=FULL and foreign keys', () => {
    const file = path.join(scratch.dir, 'shop.db');
    const key = randomBytes(32);
    const db = openShopDatabase(file, { key, create: true, migrations });
    db.sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('greeting', ?, 1)")
      .run('"sannu"');
    db.close();

    const again = openShopDatabase(file, { key, create: false, migrations });
    expect(again.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    expect(again.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(again.sqlite.prepare("SELECT value FROM settings WHERE key = 'greeting'").get()).toEqual({
      value: '"sannu"',
    });
    again.close();
  });

  it('keeps no plaintext of a written value on disk, where a plain file does', () => {
    for (const key of [randomBytes(32), null]) {
      const file = path.join(scratch.dir, key === null ? 'plain.db' : 'encrypted.db');
      const db = openShopDatabase(file, { key, create: true, migrations });
      db.sqlite
        .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('note', ?, 1)")
        .run(`"${CANARY}"`);
      const walBeforeClose = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0);
      db.close();
      const bytes = Buffer.concat([readFileSync(file), walBeforeClose]);
      if (key === null) expect(bytes.indexOf(CANARY)).toBeGreaterThanOrEqual(0);
      else expect(bytes.indexOf(CANARY)).toBe(-1);
    }
  });

  it('refuses a wrong key without changing or adding a byte', () => {
    const file = path.join(scratch.dir, 'shop.db');
    openShopDatabase(file, { key: randomBytes(32), create: true, migrations }).close();
    const before = fingerprint(scratch.dir);
    expect(() => openShopDatabase(file, { key: randomBytes(32), create: false, migrations })).toThrow(
      expect.objectContaining({ code: 'database_corrupt' }) as Error,
    );
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('never creates a database that should already exist', () => {
    const file = path.join(scratch.dir, 'missing.db');
    expect(() => openShopDatabase(file, { key: randomBytes(32), create: false, migrations })).toThrow(
      KasuwaError,
    );
    expect(existsSync(file)).toBe(false);
  });
});

describe('ShopRuntime with the keychain', () => {
  it('makes a random key on first run, keeps it in the keychain and reopens with it', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(runtime(keychain));
    const stored = keychain.secrets.get(`${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(path.join(scratch.dir, KEY_FILE), 'utf8')).not.toContain(stored ?? 'x');

    const second = runtime(keychain);
    const status = await second.start();
    expect(status).toMatchObject({ state: 'ready', setupDone: true, keyStorage: 'keychain' });
    expect(second.require().business.get()?.name).toBe(CANARY);
    second.close();
  });

  it('shows wrong_key when the keychain holds another key, and leaves the files alone', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(runtime(keychain));
    keychain.secrets.set(
      `${KEYCHAIN_SERVICE}/${keychainAccount(scratch.dir)}`,
      randomBytes(32).toString('hex'),
    );
    const before = fingerprint(scratch.dir);
    const status = await runtime(keychain).start();
    expect(status).toMatchObject({ state: 'error', code: 'wrong_key' });
    expect(status.state === 'error' && status.message).toMatch(/Nothing has been changed/);
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows key_missing when the keychain lost the key, and leaves the files alone', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(runtime(keychain));
    keychain.secrets.clear();
    const before = fingerprint(scratch.dir);
    const status = await runtime(keychain).start();
    expect(status).toMatchObject({ state: 'error', code: 'key_missing' });
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows keychain_unavailable when the keychain that holds the key cannot be reached', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(runtime(keychain));
    keychain.broken = true;
    const before = fingerprint(scratch.dir);
    expect(await runtime(keychain).start()).toMatchObject({ state: 'error', code: 'keychain_unavailable' });
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows database_corrupt for a damaged file, and leaves it as it was', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(runtime(keychain));
    const file = path.join(scratch.dir, DATABASE_FILE);
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 4096);
    writeFileSync(file, bytes);
    const before = fingerprint(scratch.dir);
    expect(await runtime(keychain).start()).toMatchObject({ state: 'error', code: 'database_corrupt' });
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('shows a clear error for a damaged key file and overwrites nothing', async () => {
    const keychain = new MemoryKeychain();
    await setUpShop(runtime(keychain));
    writeFileSync(path.join(scratch.dir, KEY_FILE), '{"version": 1, "storage": "keych');
    const before = fingerprint(scratch.dir);
    const status = await runtime(keychain).start();
    expect(status).toMatchObject({ state: 'error', code: 'database_corrupt' });
    expect(status.state === 'error' && status.message).toContain(KEY_FILE);
    expect(fingerprint(scratch.dir)).toEqual(before);
  });

  it('answers locked for domain calls until the database is open', async () => {
    const keychain = new MemoryKeychain();
    keychain.broken = true;
    const rt = runtime(keychain);
    await rt.start();
    expect(() => rt.require()).toThrow(expect.objectContaining({ code: 'locked' }) as Error);
  });
});

describe('ShopRuntime without a keychain', () => {
  it('locks with a passphrase, refuses a wrong one, and opens with the right one', async () => {
    const keychain = new MemoryKeychain();
    keychain.broken = true;
    const first = runtime(keychain);
    expect(await first.start()).toMatchObject({ state: 'needs-passphrase', firstRun: true });
    expect(await first.createPassphrase('correct horse battery')).toMatchObject({
      state: 'ready',
      keyStorage: 'passphrase',
    });
    first.require().business.setup({
      business: { name: CANARY, state: 'Kano', phone: '0803 123 4567', address: '', email: '' },
      ownerName: 'Musa Bello',
      pin: '1234',
    });
    first.close();
    const keyFile = readFileSync(path.join(scratch.dir, KEY_FILE), 'utf8');
    expect(keyFile).toContain('"passphrase"');
    expect(keyFile).not.toContain('correct horse battery');

    const second = runtime(keychain);
    expect(await second.start()).toMatchObject({ state: 'needs-passphrase', firstRun: false });
    const before = fingerprint(scratch.dir);
    await expect(second.unlock('wrong horse battery')).rejects.toMatchObject({ code: 'wrong_passphrase' });
    expect(fingerprint(scratch.dir)).toEqual(before);
    expect(await second.unlock('correct horse battery')).toMatchObject({ state: 'ready', setupDone: true });
    expect(second.require().business.get()?.name).toBe(CANARY);
    second.close();
  });
});
