/**
 * Applies drizzle-kit's migrations from `server/migrations/` at start, all in one transaction,
 * and refuses a database that has migrations this build does not know (a newer server ran on
 * it) or whose applied migrations were edited since. An advisory lock lets several replicas
 * start at once on one database: one migrates, the others wait and find nothing left to do.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { inTransaction } from './database';

export interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

interface Journal {
  entries: { idx: number; tag: string }[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Any number will do, as long as only this code takes it. */
const MIGRATION_LOCK = 4_815_162_342;

export function loadMigrations(migrationsDir: string): Migration[] {
  let journalText: string;
  try {
    journalText = readFileSync(path.join(migrationsDir, 'meta', '_journal.json'), 'utf8');
  } catch {
    throw new MigrationError(
      `No migrations found in ${migrationsDir} (set KASUWA_SERVER_MIGRATIONS to the server/migrations folder).`,
    );
  }
  const journal = JSON.parse(journalText) as Journal;
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

export async function applyMigrations(
  pool: pg.Pool,
  migrations: Migration[],
  now: () => number = Date.now,
): Promise<MigrationReport> {
  return inTransaction(pool, async (client) => {
    // A migration may rebuild a large table: the request-sized timeouts do not apply here.
    await client.query(`SET LOCAL statement_timeout = 0`);
    await client.query(`SET LOCAL lock_timeout = 0`);
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS kasuwa_server_migrations (
      tag text PRIMARY KEY,
      hash text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const done = (
      await client.query<{ tag: string; hash: string }>('SELECT tag, hash FROM kasuwa_server_migrations')
    ).rows;
    const known = new Map(migrations.map((migration) => [migration.tag, migration]));
    const unknown = done.filter((row) => !known.has(row.tag)).map((row) => row.tag);
    if (unknown.length > 0) {
      throw new MigrationError(
        `This database was migrated by a newer Kasuwa sync server (${unknown.join(', ')}). Run that version or newer; nothing was changed.`,
      );
    }
    const changed = done.filter((row) => known.get(row.tag)?.hash !== row.hash).map((row) => row.tag);
    if (changed.length > 0) {
      throw new MigrationError(
        `Migrations ${changed.join(', ')} were edited after this database applied them; this build does not match the database. Nothing was changed.`,
      );
    }
    const doneTags = new Set(done.map((row) => row.tag));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (doneTags.has(migration.tag)) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO kasuwa_server_migrations (tag, hash, applied_at) VALUES ($1, $2, $3)', [
        migration.tag,
        migration.hash,
        now(),
      ]);
      applied.push(migration.tag);
    }
    return { applied, alreadyApplied: done.length };
  });
}

/** For /ready: the database answers and holds every migration this build knows. */
export async function migrationsInPlace(pool: pg.Pool, migrations: Migration[]): Promise<boolean> {
  const result = await pool.query<{ applied: number }>(
    'SELECT count(*)::int AS applied FROM kasuwa_server_migrations',
  );
  return (result.rows[0]?.applied ?? 0) >= migrations.length;
}
