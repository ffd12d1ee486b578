/**
 * The sync server in the test's own process, on a real database (a PostgreSQL cluster from
 * ./postgres.ts, or an embedded PGlite folder), listening on 127.0.0.1 at a free port, with a
 * clock the test can move and a small JSON client. Tests drive it over real HTTP and
 * WebSockets, as counters do.
 */
import type { FastifyInstance } from 'fastify';
import type { PairResponse, PairingCodeResponse } from '../../shared/sync/protocol';
import { createSyncServer, type SyncServerOptions } from '../../server/app';
import { openDatabase, type DatabaseTarget, type ServerDatabase } from '../../server/db/database';
import { applyMigrations, loadMigrations } from '../../server/db/migrate';

export const SERVER_MIGRATIONS = 'server/migrations';

/** Wall time plus an offset the test moves (pairing codes expiring, clocks running fast). */
export class TestClock {
  offsetMs = 0;
  readonly now = () => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  db: ServerDatabase;
  clock: TestClock;
  /** Closes the server, then its database connections (the cluster stays up). */
  close(): Promise<void>;
}

export async function startServerApp(
  target: DatabaseTarget,
  options: Partial<Omit<SyncServerOptions, 'db' | 'migrations' | 'now'>> = {},
): Promise<RunningServer> {
  const db = await openDatabase(target, { warn: () => undefined });
  const migrations = loadMigrations(SERVER_MIGRATIONS);
  await applyMigrations(db.pool, migrations);
  const clock = new TestClock();
  const app = await createSyncServer({ ...options, db, migrations, now: clock.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    db,
    clock,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await db.close();
    },
  };
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** A body sent as it is (a string that is not JSON, gzip bytes). */
  rawBody?: string | Uint8Array;
}

/** One request; the answer's JSON is parsed whatever the status, so tests read error bodies too. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (the metrics text): the test reads the text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Like `call`, but a non-2xx answer fails the test with the server's sentence. */
export async function ok<T>(baseUrl: string, method: string, path: string, options: CallOptions = {}) {
  const answer = await call<T>(baseUrl, method, path, options);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

export async function newBusiness(baseUrl: string, businessName: string, deviceName = 'Till 1') {
  return ok<PairResponse>(baseUrl, 'POST', '/v1/businesses', { body: { businessName, deviceName } });
}

/** A second (third …) counter of the business that `token` belongs to. */
export async function pairAnother(
  baseUrl: string,
  token: string,
  deviceName: string,
  request: { branchId?: string; branchName?: string } = {},
) {
  const { code } = await ok<PairingCodeResponse>(baseUrl, 'POST', '/v1/pairing-codes', {
    token,
    body: request,
  });
  return ok<PairResponse>(baseUrl, 'POST', '/v1/pair', { body: { code, deviceName } });
}
