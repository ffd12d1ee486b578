/**
 * `npm run serve`: Kasuwa without Electron. The same services and handlers as the desktop app,
 * the renderer served on 127.0.0.1, the contract over a token-guarded WebSocket. Prints one
 * line with the URL (and its token) on stdout; everything else goes to stderr and the log.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadMigrations } from '../db/migrate';
import { createDispatch } from '../ipc/handler';
import { createHandlerTable } from '../ipc/index';
import { printInBrowser } from '../ipc/sales';
import { loadKeychain } from '../platform/keychain';
import { OsNetwork, OsPower } from '../platform/power-os';
import { EventBus } from '../services/app/event-bus';
import { createLog } from '../services/app/log';
import { ShopRuntime } from '../services/app/runtime';
import { NoUpdates } from '../services/updates/update-service';
import { dataDirFromEnv } from './data-dir';
import { startHost } from './host-server';

declare const KASUWA_VERSION: string;

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const dataDir = dataDirFromEnv();
  const log = createLog({
    dir: path.join(dataDir, 'logs'),
    level: process.env.KASUWA_LOG_LEVEL === 'debug' ? 'debug' : 'info',
  });
  const portText = process.env.KASUWA_PORT ?? '5170';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`KASUWA_PORT must be a port number (0-65535), not "${portText}"`);
  }
  const events = new EventBus();
  const power = new OsPower();
  await power.start();
  const runtime = new ShopRuntime({
    dataDir,
    keychain: process.env.KASUWA_KEYCHAIN === 'off' ? null : await loadKeychain(),
    migrations: loadMigrations(path.join(root, 'migrations')),
    version: KASUWA_VERSION,
    events,
    log,
    power,
    network: new OsNetwork(),
  });
  const updates = new NoUpdates(
    'Browser mode runs from the installed copy; the desktop app installs updates.',
  );
  const dispatch = createDispatch(
    createHandlerTable({ runtime, updates, events, print: printInBrowser }),
    log,
  );
  await runtime.start();
  const host = await startHost({
    dispatch,
    events,
    log,
    rendererDir: path.resolve(__dirname, '..', 'renderer'),
    token: randomBytes(24).toString('base64url'),
    port,
  });
  log.info('browser host listening', { port: host.port, dataDir });
  process.stdout.write(`Kasuwa is running at ${host.url}\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void host.close().finally(() => {
      runtime.close();
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`Kasuwa could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
