/**
 * This counter's sync settings and progress, kept in the encrypted database: the server it is
 * paired with, its device token (as safe as the database itself, whose key is in the keychain),
 * the pull cursor, the last clock value and the server's clock offset.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';

export const pairingSchema = z.object({
  serverUrl: z.string(),
  token: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  businessId: z.string(),
  businessName: z.string(),
  branchId: z.string(),
  branchName: z.string(),
  pairedAt: z.number(),
});
export type Pairing = z.infer<typeof pairingSchema>;

export class SyncState {
  private readonly read: Database.Statement<[string], { value: string }>;
  private readonly write: Database.Statement<[string, string]>;
  private readonly remove: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.read = db.prepare('SELECT value FROM sync_state WHERE key = ?');
    this.write = db.prepare(
      'INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare('DELETE FROM sync_state WHERE key = ?');
  }

  get<T>(key: string, schema: z.ZodType<T>): T | null {
    const row = this.read.get(key);
    if (row === undefined) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  set(key: string, value: unknown): void {
    this.write.run(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.remove.run(key);
  }

  pairing(): Pairing | null {
    return this.get('pairing', pairingSchema);
  }

  cursor(): number {
    return this.get('cursor', z.number().int().nonnegative()) ?? 0;
  }

  setCursor(cursor: number): void {
    this.set('cursor', cursor);
  }
}
