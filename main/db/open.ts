/**
 * Opens the shop's encrypted SQLite file (SQLCipher scheme via better-sqlite3-multiple-ciphers)
 * with the settings a power cut demands: WAL, synchronous=FULL, foreign keys on.
 * Opening never creates or overwrites an existing file it cannot read.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { KasuwaError } from '../../shared/errors';
import { applyMigrations, type Migration } from './migrate';
import * as schema from './schema';

export type Orm = BetterSQLite3Database<typeof schema>;

export interface ShopDatabase {
  sqlite: Database.Database;
  orm: Orm;
  close(): void;
}

export interface OpenOptions {
  /** 32-byte key; null opens a plain (unencrypted) file, used only by benchmarks for comparison. */
  key: Buffer | null;
  create: boolean;
  migrations: Migration[];
}

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function applyCipherKey(db: Database.Database, key: Buffer): void {
  if (key.length !== 32) throw new Error('A database key is 32 bytes');
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  // A raw 256-bit key (x'…'): it is random already, so SQLCipher's PBKDF2 (≈200 ms a start) is skipped.
  db.pragma(`key="x'${key.toString('hex')}'"`);
}

export function openShopDatabase(file: string, options: OpenOptions): ShopDatabase {
  if (!options.create && !existsSync(file)) {
    throw new KasuwaError('not_found', 'The shop database file is missing.', { file });
  }
  const sqlite = new Database(file, { fileMustExist: !options.create });
  try {
    if (options.key !== null) applyCipherKey(sqlite, options.key);
    // The first read decrypts page 1: a wrong key or a damaged header fails here, before any write.
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // A write that fires triggers (the segment book's, the consent ledger's) keeps a statement
    // journal; in memory it is not encrypted and written to a temp file for every row.
    sqlite.pragma('temp_store = MEMORY');
    // Checkpoints run when the till is idle (see WalCheckpoints); this is only the ceiling that
    // stops the WAL growing without end if the idle moments never come.
    sqlite.pragma('wal_autocheckpoint = 10000');
    applyMigrations(sqlite, options.migrations);
  } catch (error) {
    sqlite.close();
    // Damage found anywhere while opening (page 1, or the migrations' pages) reads the same to the owner.
    const code = sqliteCode(error);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new KasuwaError(
        'database_corrupt',
        'The shop database cannot be read: it is damaged, or it was locked with a different key. Nothing has been changed; restore it from a backup.',
        { file, sqlite: code },
      );
    }
    throw error;
  }
  const orm = drizzle(sqlite, { schema });
  return { sqlite, orm, close: () => sqlite.close() };
}
