/**
 * Where the database key comes from. The key is 32 random bytes kept in the OS keychain
 * (service `Kasuwa`, one account per data folder), or, where no keychain is usable, derived
 * with scrypt from an owner passphrase. Beside the database lies `kasuwa-key.json`: how the key
 * is stored, the scrypt salt, and an HMAC "check" of the key. The check lets Kasuwa tell a wrong
 * key from a damaged file without ever writing to the database, and reveals nothing of the key.
 */
import { createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { KasuwaError } from '../../shared/errors';
import type { KeyStorage } from '../../shared/contract';
import { writeFileAtomic } from './atomic-file';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export const KEYCHAIN_SERVICE = 'Kasuwa';
export const DATABASE_FILE = 'kasuwa.db';
export const KEY_FILE = 'kasuwa-key.json';

/** The OS keychain as the database needs it; `unavailable` means no usable keychain here. */
export interface Keychain {
  getSecret(service: string, account: string): Promise<string | null>;
  setSecret(service: string, account: string, secret: string): Promise<void>;
}

export class KeychainUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`No usable keychain: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'KeychainUnavailableError';
  }
}

const NO_KEYCHAIN_REASON =
  'This computer has no keychain Kasuwa can use, so the shop database will be locked with a passphrase you choose. Keep it safe: without it the data cannot be opened.';

const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;

const keyFileSchema = z.discriminatedUnion('storage', [
  z.object({ version: z.literal(1), storage: z.literal('keychain'), check: z.string() }),
  z.object({
    version: z.literal(1),
    storage: z.literal('passphrase'),
    check: z.string(),
    salt: z.string(),
    scrypt: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }),
  }),
]);

type KeyFile = z.infer<typeof keyFileSchema>;

export type KeyResolution =
  | { kind: 'key'; key: Buffer; storage: KeyStorage; created: boolean }
  | { kind: 'needs-passphrase'; firstRun: boolean; reason: string };

export function keychainAccount(dataDir: string): string {
  return `database-key:${path.resolve(dataDir)}`;
}

function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('kasuwa database key check v1').digest('hex');
}

function checkMatches(key: Buffer, check: string): boolean {
  const expected = Buffer.from(keyCheck(key), 'hex');
  const given = Buffer.from(check, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function readKeyFile(dataDir: string): KeyFile | null {
  const file = path.join(dataDir, KEY_FILE);
  if (!existsSync(file)) return null;
  const parsed = keyFileSchema.safeParse(
    (() => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success) {
    throw new KasuwaError(
      'database_corrupt',
      `The key information file (${KEY_FILE}) beside the shop database is damaged. Nothing has been changed; restore the data folder from a backup.`,
      { file },
    );
  }
  return parsed.data;
}

function writeKeyFile(dataDir: string, content: KeyFile): void {
  writeFileAtomic(path.join(dataDir, KEY_FILE), `${JSON.stringify(content, null, 2)}\n`);
}

const wrongKey = () =>
  new KasuwaError(
    'wrong_key',
    "The key in this computer's keychain does not open this shop database. Nothing has been changed. If the data folder was copied from another computer, open it there, or restore the matching keychain.",
  );

/**
 * Finds the key for the database in `dataDir`, creating one on first run. Never writes to an
 * existing database and never replaces a key that an existing database may need.
 */
export async function resolveDatabaseKey(
  dataDir: string,
  keychain: Keychain | null,
  options: { forcePassphrase?: boolean } = {},
): Promise<KeyResolution> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dbExists = existsSync(path.join(dataDir, DATABASE_FILE));
  const keyFile = readKeyFile(dataDir);

  if (keyFile?.storage === 'passphrase') {
    return {
      kind: 'needs-passphrase',
      firstRun: false,
      reason: 'This shop database is locked with the owner passphrase.',
    };
  }
  if (dbExists && keyFile === null) {
    throw new KasuwaError(
      'key_missing',
      `The shop database is here but its key information (${KEY_FILE}) is missing, so Kasuwa cannot tell which key opens it. Nothing has been changed; restore the whole data folder from a backup.`,
    );
  }

  const account = keychainAccount(dataDir);
  const lookup = await readKeychain(options.forcePassphrase === true ? null : keychain, account);

  if (!lookup.usable) {
    if (keyFile?.storage === 'keychain') {
      throw new KasuwaError(
        'keychain_unavailable',
        "This shop database's key is kept in the computer's keychain, and the keychain cannot be reached right now. Log in to the desktop as the same user (so the keychain unlocks) and start Kasuwa again. Nothing has been changed.",
        { cause: lookup.reason },
      );
    }
    return { kind: 'needs-passphrase', firstRun: true, reason: NO_KEYCHAIN_REASON };
  }

  if (lookup.secret !== null) {
    const key = Buffer.from(lookup.secret, 'hex');
    if (key.length !== 32) throw wrongKey();
    if (keyFile !== null) {
      if (!checkMatches(key, keyFile.check)) throw wrongKey();
    } else {
      writeKeyFile(dataDir, { version: 1, storage: 'keychain', check: keyCheck(key) });
    }
    return { kind: 'key', key, storage: 'keychain', created: !dbExists };
  }

  if (keyFile !== null) {
    throw new KasuwaError(
      'key_missing',
      "This shop database's key is not in this computer's keychain (it may have been reset, or the data folder was copied from another computer). Nothing has been changed. Open it on the computer where it was made, or restore the keychain.",
    );
  }

  const key = randomBytes(32);
  // Keychain first: if the write fails or power goes, no key file points at a key that is not kept.
  try {
    await lookup.keychain.setSecret(KEYCHAIN_SERVICE, account, key.toString('hex'));
  } catch {
    // A keychain that can be read but not written (a locked keyring) is no keychain for a new shop.
    return { kind: 'needs-passphrase', firstRun: true, reason: NO_KEYCHAIN_REASON };
  }
  writeKeyFile(dataDir, { version: 1, storage: 'keychain', check: keyCheck(key) });
  return { kind: 'key', key, storage: 'keychain', created: true };
}

type KeychainLookup =
  { usable: true; keychain: Keychain; secret: string | null } | { usable: false; reason: string };

async function readKeychain(keychain: Keychain | null, account: string): Promise<KeychainLookup> {
  if (keychain === null) return { usable: false, reason: 'no keychain (turned off, or keytar cannot load)' };
  try {
    return { usable: true, keychain, secret: await keychain.getSecret(KEYCHAIN_SERVICE, account) };
  } catch (error) {
    return { usable: false, reason: error instanceof Error ? error.message : 'keychain error' };
  }
}

export async function createPassphraseKey(dataDir: string, passphrase: string): Promise<Buffer> {
  if (readKeyFile(dataDir) !== null || existsSync(path.join(dataDir, DATABASE_FILE))) {
    throw new KasuwaError('already_done', 'This shop database already has a key.');
  }
  const salt = randomBytes(16);
  const key = await deriveKey(passphrase, salt, SCRYPT_DEFAULTS);
  writeKeyFile(dataDir, {
    version: 1,
    storage: 'passphrase',
    check: keyCheck(key),
    salt: salt.toString('hex'),
    scrypt: { ...SCRYPT_DEFAULTS },
  });
  return key;
}

export async function unlockWithPassphrase(dataDir: string, passphrase: string): Promise<Buffer> {
  const keyFile = readKeyFile(dataDir);
  if (keyFile?.storage !== 'passphrase') {
    throw new KasuwaError('conflict', 'This shop database is not locked with a passphrase.');
  }
  const key = await deriveKey(passphrase, Buffer.from(keyFile.salt, 'hex'), keyFile.scrypt);
  if (!checkMatches(key, keyFile.check)) {
    throw new KasuwaError('wrong_passphrase', 'That passphrase is not right. Try again.');
  }
  return key;
}

function deriveKey(
  passphrase: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return scrypt(passphrase.normalize('NFKC'), salt, 32, {
    ...params,
    maxmem: 256 * params.N * params.r,
  });
}
