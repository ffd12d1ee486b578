/**
 * The sync server as `npm run server` starts it for a single shop: `out/server/main.js` with no
 * DATABASE_URL, so on its embedded PGlite database, here in a temp folder of its own, bound to
 * 127.0.0.1. e2e runs it this way on purpose: it must not need PostgreSQL installed, and it
 * proves the embedded default works. `stop()` then `start()` is a server that went away and
 * came back: the same data folder, and the same port, so paired counters find it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

const SERVER_ENTRY = path.resolve('out/server/main.js');
const READY = /Kasuwa sync server is running at (http:\/\/\S+)/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startEmbeddedSyncServer(): Promise<EmbeddedSyncServer> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: build first (node resources/scripts/build.mjs)`);
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-e2e-server-'));
  // Whatever the shell has, this server is the embedded one.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  let child: ChildProcess | null = null;
  let port = 0;
  let url = '';
  let stderr = '';

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, [SERVER_ENTRY], {
        env: {
          ...inherited,
          KASUWA_SERVER_DATA_DIR: path.join(dataDir, 'pglite'),
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let stdout = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`the sync server did not start in ${START_TIMEOUT_MS / 1000} s:\n${stderr}`));
      }, START_TIMEOUT_MS);
      proc.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = READY.exec(stdout);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          url = match[1];
          port = Number(new URL(url).port);
          resolve();
        }
      });
      proc.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-20_000);
      });
      // Once ready, this reject is a no-op: the promise has settled.
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (child === proc) child = null;
        reject(
          new Error(`the sync server exited (${String(code ?? signal)}) before it was ready:\n${stderr}`),
        );
      });
    });

  const stop = async () => {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    const hung = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(hung);
  };

  try {
    await launch();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    dataDir,
    get running() {
      return child !== null;
    },
    start: async () => {
      if (child !== null) return;
      await launch();
    },
    stop,
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    log: () => stderr,
  };
}
