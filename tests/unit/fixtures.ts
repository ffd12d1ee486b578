/** Temp data folders, in-memory keychains, recording logs and file fingerprints for unit tests. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { Keychain } from '../../main/db/database-key';
import { loadMigrations } from '../../main/db/migrate';
import type { Log } from '../../main/services/app/log';
import type { setupInputSchema } from '../../shared/contract';
import type { NigerianState } from '../../shared/states';

export type SetupInput = z.output<typeof setupInputSchema>;

export const migrations = loadMigrations(path.resolve('migrations'));

export function tempDir(prefix = 'kasuwa-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A keychain kept in memory. `broken` makes every call fail like an unreachable Secret Service;
 * `readOnly` makes only writes fail, like a keyring that answers lookups but is locked for writes.
 */
export class MemoryKeychain implements Keychain {
  readonly secrets = new Map<string, string>();
  broken = false;
  readOnly = false;
  reads = 0;
  writes = 0;

  getSecret(service: string, account: string): Promise<string | null> {
    this.reads += 1;
    if (this.broken) return Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown'));
    return Promise.resolve(this.secrets.get(`${service}/${account}`) ?? null);
  }

  setSecret(service: string, account: string, secret: string): Promise<void> {
    this.writes += 1;
    if (this.broken) return Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown'));
    if (this.readOnly) return Promise.reject(new Error('Cannot create an item in a locked collection'));
    this.secrets.set(`${service}/${account}`, secret);
    return Promise.resolve();
  }
}

export interface RecordedLog extends Log {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
}

export function recordingLog(): RecordedLog {
  const lines: RecordedLog['lines'] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file of a folder (not its log folder) with its sha256: equal fingerprints, nothing touched. */
export function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name !== 'logs' && statSync(path.join(dir, name)).isFile())
      .sort()
      .map((name) => [name, sha256(path.join(dir, name))]),
  );
}

/** A well-formed first-run setup; `overrides` replaces parts of the business. */
export function setupInput(
  overrides: Partial<{ name: string; state: NigerianState; phone: string }> = {},
  pin = '482915',
): SetupInput {
  return {
    business: {
      name: overrides.name ?? 'Mama Nkechi Provisions',
      state: overrides.state ?? 'Lagos',
      phone: overrides.phone ?? '0803 123 4567',
      address: '12 Balogun Street, Lagos Island',
      email: '',
    },
    ownerName: 'Nkechi Obi',
    pin,
  };
}
