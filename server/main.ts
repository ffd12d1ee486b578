/**
 * `npm run server` (and the container's CMD): the sync server process. Reads its settings from
 * the environment (config.ts), opens PostgreSQL or the embedded PGlite, applies migrations,
 * serves, and prints exactly one line on stdout when ready:
 *
 *   Kasuwa sync server is running at http://<host>:<port>
 *
 * Everything else (logs, errors) goes to stderr. SIGTERM or SIGINT stops it gracefully: no
 * new connections, open requests finished, sockets closed, database closed, exit 0.
 */
import type { AddressInfo } from 'node:net';
import { createSyncServer } from './app';
import { displayHost, readConfig } from './config';
import { openDatabase, type ServerDatabase } from './db/database';
import { applyMigrations, loadMigrations } from './db/migrate';

/** A shutdown that hangs (a stuck query) must still end the process. */
const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`kasuwa-server: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = readConfig(process.env, __dirname);
  const migrations = loadMigrations(config.migrationsDir);
  const warn = (message: string) => process.stderr.write(`kasuwa-server: ${message}\n`);
  const db: ServerDatabase = await openDatabase(
    config.databaseUrl === undefined ? { dataDir: config.dataDir } : { url: config.databaseUrl },
    { warn },
  );
  const report = await applyMigrations(db.pool, migrations);
  if (report.applied.length > 0) warn(`applied migrations ${report.applied.join(', ')}`);
  if (db.kind === 'pglite') warn(`embedded database in ${config.dataDir}`);

  const app = await createSyncServer({
    db,
    migrations,
    signup: config.signup,
    adminToken: config.adminToken,
    trustProxy: config.trustProxy,
    whatsappAppSecret: config.whatsappAppSecret,
    paystackUrl: config.paystackUrl,
    flutterwaveUrl: config.flutterwaveUrl,
    logger: { level: config.logLevel, stream: process.stderr },
  });
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`Kasuwa sync server is running at http://${displayHost(config.host)}:${port}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    setTimeout(() => fail('shutdown took too long; exiting'), SHUTDOWN_GRACE_MS).unref();
    app
      .close()
      .then(() => db.close())
      .then(
        () => process.exit(0),
        (error: unknown) => fail(`shutdown failed: ${String(error)}`),
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
