/**
 * The real OS keychain through keytar. On Linux `npm test` starts a private gnome-keyring on
 * its own D-Bus session (resources/scripts/with-keyring.mjs), so this runs against a real
 * Secret Service without touching the user's keyring. Without one it fails, loudly.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  keychainAccount,
  KEYCHAIN_SERVICE,
  resolveDatabaseKey,
  type Keychain,
} from '../../main/db/database-key';
import { loadKeychain } from '../../main/platform/keychain';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import { migrations, recordingLog, tempDir } from './fixtures';

let keychain: Keychain;
let scratch: ReturnType<typeof tempDir>;

beforeAll(async () => {
  const loaded = await loadKeychain();
  const probe = `probe-${randomUUID()}`;
  try {
    if (loaded === null) throw new Error('keytar did not load');
    await loaded.setSecret(KEYCHAIN_SERVICE, probe, 'ok');
    if ((await loaded.getSecret(KEYCHAIN_SERVICE, probe)) !== 'ok')
      throw new Error('probe secret not read back');
    keychain = loaded;
  } catch (error) {
    throw new Error(
      `No Secret Service (${String(error)}): run the tests through \`npm test\`, which starts a private gnome-keyring (install gnome-keyring and dbus).`,
      { cause: error },
    );
  }
  scratch = tempDir('kasuwa-keychain-');
});

afterAll(() => {
  scratch.remove();
});

describe('the OS keychain', () => {
  it('stores and reads back a secret, and answers null for an unknown account', async () => {
    const account = `test-${randomUUID()}`;
    await keychain.setSecret(KEYCHAIN_SERVICE, account, 'abc123');
    expect(await keychain.getSecret(KEYCHAIN_SERVICE, account)).toBe('abc123');
    expect(await keychain.getSecret(KEYCHAIN_SERVICE, `missing-${randomUUID()}`)).toBeNull();
  });

  it('keeps the database key under service Kasuwa, one account per data folder', async () => {
    const dataDir = path.join(scratch.dir, 'shop-a');
    const first = await resolveDatabaseKey(dataDir, keychain);
    expect(first).toMatchObject({ kind: 'key', storage: 'keychain', created: true });
    const stored = await keychain.getSecret(KEYCHAIN_SERVICE, keychainAccount(dataDir));
    expect(first.kind === 'key' && first.key.toString('hex')).toBe(stored);

    const second = await resolveDatabaseKey(dataDir, keychain);
    expect(
      second.kind === 'key' && second.key.equals(first.kind === 'key' ? first.key : Buffer.alloc(0)),
    ).toBe(true);

    const other = await resolveDatabaseKey(path.join(scratch.dir, 'shop-b'), keychain);
    expect(other.kind === 'key' && first.kind === 'key' && other.key.equals(first.key)).toBe(false);
  });

  it('opens the shop again after a restart with the key from the keychain', async () => {
    const dataDir = path.join(scratch.dir, 'shop-c');
    const start = () =>
      new ShopRuntime({
        dataDir,
        keychain,
        migrations,
        version: 'test',
        events: new EventBus(),
        log: recordingLog(),
      });
    const first = start();
    expect(await first.start()).toMatchObject({ state: 'ready', setupDone: false, keyStorage: 'keychain' });
    first.require().business.setup({
      business: { name: 'Keychain Stores', state: 'Oyo', phone: '0805 555 1234', address: '', email: '' },
      ownerName: 'Bola',
      pin: '9876',
    });
    first.close();
    const second = start();
    expect(await second.start()).toMatchObject({ state: 'ready', setupDone: true });
    expect(second.require().business.get()?.name).toBe('Keychain Stores');
    second.close();
  });
});
