/**
 * The real OS keychain through keytar. On Linux `npm test` starts a private gnome-keyring on its
 * own D-Bus session (resources/scripts/with-keyring.mjs), so this runs against a real Secret
 * Service without touching the user's keyring. Without one it fails, loudly: a keychain test
 * that skips itself would hide the one thing it is here to prove.
 *
 * By hand: dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock
 * --components=secrets >/dev/null; npx vitest run tests/unit/keychain.test.ts'
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_FILE,
  keychainAccount,
  KEYCHAIN_SERVICE,
  resolveDatabaseKey,
  type Keychain,
} from '../../main/db/database-key';
import { openShopDatabase } from '../../main/db/open';
import { loadKeychain } from '../../main/platform/keychain';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import { KasuwaError } from '../../shared/errors';
import { migrations, recordingLog, setupInput, tempDir } from './fixtures';

type Keytar = typeof import('keytar');

const NO_SECRET_SERVICE =
  'No Secret Service: run the tests through `npm test`, which starts a private gnome-keyring (install gnome-keyring and dbus)';
const CANARY = `KASUWA-PLAINTEXT-CANARY-${randomBytes(6).toString('hex')}`;

let keychain: Keychain;
let keytar: Keytar | null = null;
let scratch: ReturnType<typeof tempDir> | null = null;
/** Every account this file writes, removed again at the end. */
const accounts: string[] = [];

beforeAll(async () => {
  const loaded = await loadKeychain();
  if (loaded === null) throw new Error(`${NO_SECRET_SERVICE}. (keytar did not load.)`);
  const probe = `probe-${randomUUID()}`;
  accounts.push(probe);
  try {
    await loaded.setSecret(KEYCHAIN_SERVICE, probe, 'ok');
    const read = await loaded.getSecret(KEYCHAIN_SERVICE, probe);
    if (read !== 'ok') throw new Error(`the probe secret read back as ${JSON.stringify(read)}`);
  } catch (error) {
    throw new Error(`${NO_SECRET_SERVICE}. (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  keychain = loaded;
  const module = (await import('keytar')) as Keytar & { default?: Keytar };
  keytar = module.default ?? module;
  scratch = tempDir('kasuwa-keychain-');
});

afterAll(async () => {
  if (keytar !== null) {
    for (const account of accounts) await keytar.deletePassword(KEYCHAIN_SERVICE, account);
  }
  scratch?.remove();
});

function dataDir(name: string): string {
  if (scratch === null) throw new Error('no scratch folder');
  const dir = path.join(scratch.dir, name);
  accounts.push(keychainAccount(dir));
  return dir;
}

function rawKeytar(): Keytar {
  if (keytar === null) throw new Error('keytar not loaded');
  return keytar;
}

describe('the OS keychain', () => {
  it('stores and reads back a secret, replaces it, and answers null for an unknown account', async () => {
    const account = `test-${randomUUID()}`;
    accounts.push(account);
    await keychain.setSecret(KEYCHAIN_SERVICE, account, 'abc123');
    expect(await keychain.getSecret(KEYCHAIN_SERVICE, account)).toBe('abc123');
    expect(await rawKeytar().getPassword(KEYCHAIN_SERVICE, account)).toBe('abc123');
    await keychain.setSecret(KEYCHAIN_SERVICE, account, 'ŋ-₦-ẹ');
    expect(await keychain.getSecret(KEYCHAIN_SERVICE, account)).toBe('ŋ-₦-ẹ');
    expect(await keychain.getSecret(KEYCHAIN_SERVICE, `missing-${randomUUID()}`)).toBeNull();
    expect(await keychain.getSecret(`Kasuwa-other-${randomUUID()}`, account)).toBeNull();
  });
});

describe('resolveDatabaseKey with the OS keychain', () => {
  it("makes a key on first run, keeps it under service 'Kasuwa' for this data folder, and finds it again", async () => {
    const dir = dataDir('shop-a');
    const first = await resolveDatabaseKey(dir, keychain);
    if (first.kind !== 'key') throw new Error(`expected a key, got ${JSON.stringify(first)}`);
    expect(first).toMatchObject({ storage: 'keychain', created: true });
    expect(first.key).toHaveLength(32);
    expect(KEYCHAIN_SERVICE).toBe('Kasuwa');
    expect(keychainAccount(dir)).toBe(`database-key:${path.resolve(dir)}`);
    expect(await rawKeytar().getPassword('Kasuwa', keychainAccount(dir))).toBe(first.key.toString('hex'));

    const second = await resolveDatabaseKey(dir, keychain);
    if (second.kind !== 'key') throw new Error(`expected a key, got ${JSON.stringify(second)}`);
    expect(second.key.equals(first.key)).toBe(true);

    const other = await resolveDatabaseKey(dataDir('shop-b'), keychain);
    expect(other.kind === 'key' && other.key.equals(first.key)).toBe(false);
  });
});

describe('ShopRuntime with the OS keychain', () => {
  it('creates an encrypted database on first start, and opens it again after a restart', async () => {
    const dir = dataDir('shop-c');
    const start = () =>
      new ShopRuntime({
        dataDir: dir,
        keychain,
        migrations,
        version: 'test',
        events: new EventBus(),
        log: recordingLog(),
      });
    const first = start();
    expect(await first.start()).toMatchObject({ state: 'ready', setupDone: false, keyStorage: 'keychain' });
    first.require().business.setup(setupInput({ name: CANARY, state: 'Oyo', phone: '0805 555 1234' }));
    first.close();

    const file = path.join(dir, DATABASE_FILE);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(bytes.indexOf(CANARY)).toBe(-1);

    const second = start();
    expect(await second.start()).toMatchObject({ state: 'ready', setupDone: true, keyStorage: 'keychain' });
    expect(second.require().business.get()).toMatchObject({ name: CANARY, phone: '+2348055551234' });
    second.close();

    // The key in the keychain is the database key itself; another key does not open the file.
    const hex = await rawKeytar().getPassword(KEYCHAIN_SERVICE, keychainAccount(dir));
    const db = openShopDatabase(file, { key: Buffer.from(hex ?? '', 'hex'), create: false, migrations });
    expect(db.sqlite.prepare('SELECT name FROM business_profile').get()).toEqual({ name: CANARY });
    db.close();
    expect(() => openShopDatabase(file, { key: randomBytes(32), create: false, migrations })).toThrow(
      KasuwaError,
    );
  });

  it('shows key_missing, and leaves the file alone, when the keychain entry was removed', async () => {
    const dir = dataDir('shop-d');
    const runtime = () =>
      new ShopRuntime({
        dataDir: dir,
        keychain,
        migrations,
        version: 'test',
        events: new EventBus(),
        log: recordingLog(),
      });
    const first = runtime();
    expect((await first.start()).state).toBe('ready');
    first.close();
    const before = readFileSync(path.join(dir, DATABASE_FILE));
    expect(await rawKeytar().deletePassword(KEYCHAIN_SERVICE, keychainAccount(dir))).toBe(true);
    expect(await runtime().start()).toMatchObject({ state: 'error', code: 'key_missing' });
    expect(readFileSync(path.join(dir, DATABASE_FILE)).equals(before)).toBe(true);
    expect(await rawKeytar().getPassword(KEYCHAIN_SERVICE, keychainAccount(dir))).toBeNull();
  });
});
