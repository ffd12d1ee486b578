/**
 * Applies drizzle-kit migrations from `migrations/` in one transaction, and refuses a database
 * whose applied migrations this code does not know (made by a newer Kasuwa) or whose shipped
 * migrations were edited since they were applied.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { KasuwaError } from '../../shared/errors';

export interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

export function loadMigrations(migrationsDir: string): Migration[] {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8'),
  ) as Journal;
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const text = readFileSync(path.join(migrationsDir, `${tag}.sql`), 'utf8');
      return {
        tag,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: text
          .split('--> statement-breakpoint')
          .map((statement) => statement.trim())
          .filter((statement) => statement.length > 0),
      };
    });
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export function applyMigrations(
  db: Database.Database,
  migrations: Migration[],
  now: () => number = Date.now,
): MigrationReport {
  const run = db.transaction((): MigrationReport => {
    db.exec(`CREATE TABLE IF NOT EXISTS kasuwa_migrations (
      tag TEXT PRIMARY KEY NOT NULL,
      hash TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const done = db.prepare('SELECT tag, hash FROM kasuwa_migrations').all() as {
      tag: string;
      hash: string;
    }[];
    const known = new Map(migrations.map((m) => [m.tag, m]));
    const unknown = done.filter((row) => !known.has(row.tag)).map((row) => row.tag);
    if (unknown.length > 0) {
      throw new KasuwaError(
        'database_newer',
        'This shop database was last opened by a newer version of Kasuwa. Install that version (or newer) to open it; nothing has been changed.',
        { unknownMigrations: unknown },
      );
    }
    const changed = done.filter((row) => known.get(row.tag)?.hash !== row.hash).map((r) => r.tag);
    if (changed.length > 0) {
      throw new KasuwaError(
        'migration_changed',
        'This copy of Kasuwa does not match the database it is opening (a schema file was changed after it was applied). Reinstall Kasuwa; nothing has been changed.',
        { changedMigrations: changed },
      );
    }
    const doneTags = new Set(done.map((row) => row.tag));
    const record = db.prepare('INSERT INTO kasuwa_migrations (tag, hash, applied_at) VALUES (?, ?, ?)');
    const applied: string[] = [];
    for (const migration of migrations) {
      if (doneTags.has(migration.tag)) continue;
      for (const statement of migration.statements) db.exec(statement);
      record.run(migration.tag, migration.hash, now());
      applied.push(migration.tag);
    }
    return { applied, alreadyApplied: doneTags.size };
  });
  return run.immediate();
}
