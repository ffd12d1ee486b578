/**
 * The real sync server as its own process (`node out/server/main.js`, what `npm run server`
 * runs), for tests where counters talk to it over HTTP and where it must be killed mid-work:
 * on a PostgreSQL database of the test's, or with no DATABASE_URL on its embedded PGlite in a
 * folder of the test's (the default a shop gets, which must work without PostgreSQL installed).
 * Bound to 127.0.0.1. Needs the build (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface SyncServerProcess {
  url: string;
  port: number;
  readonly running: boolean;
  /** SIGKILL, as a crash or a pulled plug would. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful exit (SIGKILL if it hangs). */
  stop(): Promise<void>;
  /** Starts it again on the same port and database (stopping it first if it runs). */
  restart(): Promise<void>;
  /** What it wrote on stderr, for a failing test's message. */
  stderr(): string;
}

/** A PostgreSQL URL, or the folder of an embedded PGlite database. */
export type ServerDatabase = string | { embeddedDir: string };

const SERVER_ENTRY = path.resolve('out/server/main.js');
const READY = /Kasuwa sync server is running at (http:\/\/[^\s]+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export async function startSyncServer(
  database: ServerDatabase,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<SyncServerProcess> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: build first (node resources/scripts/build.mjs server)`);
  }
  // Whatever the shell has, the database is the one asked for.
  const { DATABASE_URL: _fromShell, ...inherited } = process.env;
  const databaseEnv =
    typeof database === 'string'
      ? { DATABASE_URL: database }
      : { KASUWA_SERVER_DATA_DIR: database.embeddedDir };
  let child: ChildProcess | null = null;
  let log = '';
  let port = options.port ?? 0;
  let url = '';

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, [SERVER_ENTRY], {
        env: {
          ...inherited,
          ...databaseEnv,
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'warn',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      let out = '';
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`the sync server did not start in ${START_TIMEOUT_MS / 1000} s:\n${log}`));
      }, START_TIMEOUT_MS);
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = READY.exec(out);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          url = match[1];
          port = Number(new URL(url).port);
          resolve();
        }
      });
      proc.stderr.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-20_000);
      });
      // After a start, this is a no-op: the promise has settled.
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (child === proc) child = null;
        reject(new Error(`the sync server exited (${String(code ?? signal)}) before it was ready:\n${log}`));
      });
    });

  const waitExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const proc = child;
      child = null;
      if (proc === null || proc.exitCode !== null || proc.signalCode !== null) {
        resolve();
        return;
      }
      const hung = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      proc.once('exit', () => {
        clearTimeout(hung);
        resolve();
      });
      proc.kill(signal);
    });

  await launch();
  return {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    get running() {
      return child !== null;
    },
    kill: () => waitExit('SIGKILL'),
    stop: () => waitExit('SIGTERM'),
    restart: async () => {
      await waitExit('SIGTERM');
      await launch();
    },
    stderr: () => log,
  };
}
