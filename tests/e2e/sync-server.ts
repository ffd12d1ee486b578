/**
 * The sync server as `npm run server` starts it for a single shop: no DATABASE_URL, so on its
 * embedded PGlite database, here in a temp folder of its own, bound to 127.0.0.1. e2e runs it
 * this way on purpose: it must not need PostgreSQL installed, and it proves the embedded default
 * works. `stop()` then `start()` is a server that went away and came back: the same data folder
 * and the same port, so paired counters find it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSyncServer } from '../support/sync-server-process';

export interface EmbeddedSyncServer {
  /** `http://127.0.0.1:<port>`, the address a counter is given. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly running: boolean;
  /** Starts it again on the same port and data folder (after `stop()`). */
  start(): Promise<void>;
  /** SIGTERM and wait for its graceful exit (SIGKILL if it hangs); the data folder stays. */
  stop(): Promise<void>;
  /** Stops it if it runs and removes its data folder. Safe to call twice. */
  dispose(): Promise<void>;
  /** The tail of its stderr, for a failing test's message. */
  log(): string;
}

export async function startEmbeddedSyncServer(): Promise<EmbeddedSyncServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-e2e-server-'));
  let server;
  try {
    server = await startSyncServer({ embeddedDir: path.join(dataDir, 'pglite') });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const child = server;
  return {
    get url() {
      return child.url;
    },
    get port() {
      return child.port;
    },
    dataDir,
    get running() {
      return child.running;
    },
    start: async () => {
      if (!child.running) await child.restart();
    },
    stop: () => child.stop(),
    dispose: async () => {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    log: () => child.stderr(),
  };
}
