/** Temp data folders and in-memory keychains for unit tests on real SQLite files. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Keychain } from '../../main/db/database-key';
import { loadMigrations } from '../../main/db/migrate';
import type { Log } from '../../main/services/app/log';

export const migrations = loadMigrations(path.resolve('migrations'));

export function tempDir(prefix = 'kasuwa-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A keychain kept in memory; `broken` makes every call fail like a locked Secret Service. */
export class MemoryKeychain implements Keychain {
  readonly secrets = new Map<string, string>();
  broken = false;

  getSecret(service: string, account: string): Promise<string | null> {
    if (this.broken) return Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown'));
    return Promise.resolve(this.secrets.get(`${service}/${account}`) ?? null);
  }

  setSecret(service: string, account: string, secret: string): Promise<void> {
    if (this.broken) return Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown'));
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
