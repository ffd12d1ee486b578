/**
 * Opens the sync server's database: any PostgreSQL through `DATABASE_URL` (a node-postgres Pool
 * of ten), or, without one, an embedded PGlite in a data folder, so a single shop's server
 * starts with one command and no installed database. Both are reached through the same
 * node-postgres Pool interface (PGlite through its node-postgres adapter, one connection, as it
 * is one backend), so every query, transaction and prepared statement is written once.
 * Change notices between server processes go through LISTEN/NOTIFY on both (./notices.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { PgliteNotices, PostgresNotices, type Notices } from './notices';
import * as schema from './schema';

export type Orm = NodePgDatabase<typeof schema>;

export interface ServerDatabase {
  kind: 'postgres' | 'pglite';
  pool: pg.Pool;
  orm: Orm;
  notices: Notices;
  close(): Promise<void>;
}

export interface DatabaseLog {
  warn(message: string): void;
}

export type DatabaseTarget = { url: string } | { dataDir: string };

// Seqs, kobo and epoch milliseconds are int8 columns; all stay far below 2^53, so they are read
// as numbers rather than node-postgres's default strings.
const types: pg.CustomTypesConfig = {
  getTypeParser: (id, format) =>
    id === pg.types.builtins.INT8 ? Number : (pg.types.getTypeParser(id, format) as unknown),
};

export async function openDatabase(target: DatabaseTarget, log: DatabaseLog): Promise<ServerDatabase> {
  if ('url' in target) {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 10,
      types,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // Nothing a request does takes long; a statement or lock wait that does is a fault (a
      // replica stuck holding a business's lock), answered as an error instead of a hang.
      statement_timeout: 30_000,
      lock_timeout: 10_000,
      idle_in_transaction_session_timeout: 60_000,
    });
    // A dropped idle connection (PostgreSQL restarting) must not end the process: the pool
    // replaces it on the next query, and /ready says 503 meanwhile.
    pool.on('error', (error) => log.warn(`database connection lost: ${error.message}`));
    const notices = new PostgresNotices(target.url, log);
    return {
      kind: 'postgres',
      pool,
      orm: drizzle({ client: pool, schema }),
      notices,
      async close() {
        await notices.close();
        await pool.end();
      },
    };
  }

  mkdirSync(target.dataDir, { recursive: true });
  const unlock = lockDataDir(target.dataDir);
  let lite: PGlite;
  try {
    lite = new PGlite(target.dataDir);
    await lite.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  // One backend: the pool hands out one connection and keeps it, so transactions never interleave.
  const adapter = createPgConfig(lite);
  // drizzle hands node-postgres a type-parser object as a query's `types`; node-postgres reads
  // only parameter type ids from it (none), while PGlite's adapter expects an array and throws.
  const { connection } = adapter;
  const parse = connection.parse.bind(connection);
  connection.parse = (query: { types?: unknown }) =>
    parse({ ...query, types: Array.isArray(query.types) ? query.types : undefined });
  const pool = new pg.Pool({
    connection: adapter.connection,
    user: adapter.user,
    database: adapter.database,
    max: 1,
    idleTimeoutMillis: 0,
    types,
  } as pg.PoolConfig);
  pool.on('error', (error) => log.warn(`embedded database error: ${error.message}`));
  const notices = new PgliteNotices(lite);
  return {
    kind: 'pglite',
    pool,
    orm: drizzle({ client: pool, schema }),
    notices,
    async close() {
      await notices.close();
      await pool.end();
      await lite.close();
      unlock();
    },
  };
}

const LOCK_FILE = 'kasuwa-server.lock';
/** Folders this process holds, told apart from a lock left by an earlier process of the same pid. */
const lockedHere = new Set<string>();

/**
 * PGlite does not lock its folder, and two servers writing one folder would destroy it (the
 * shop owner starting the server twice, say). A lock file names the process holding it; one
 * left by a process that is gone (a power cut) is taken over. A container restarted on the same
 * volume gets the same pid again, which is why a lock of our own pid counts only if this
 * process took it.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const dir = path.resolve(dataDir);
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(lockPath, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to someone else.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  if (
    holder !== undefined &&
    Number.isInteger(holder) &&
    holder > 0 &&
    (holder === process.pid ? lockedHere.has(dir) : alive(holder))
  ) {
    throw new Error(
      `Another Kasuwa sync server (process ${holder}) is using ${dir}. Stop it first, or give this one its own KASUWA_SERVER_DATA_DIR.`,
    );
  }
  writeFileSync(lockPath, `${process.pid}\n`);
  lockedHere.add(dir);
  return () => {
    lockedHere.delete(dir);
    rmSync(lockPath, { force: true });
  };
}

/**
 * Runs `work` in one transaction on one connection; a connection that failed mid-way is
 * destroyed rather than handed to the next request.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
