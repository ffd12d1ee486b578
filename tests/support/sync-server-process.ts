/**
 * The real sync server as its own process (`node out/server/main.js`, what `npm run server`
 * runs) on a PostgreSQL database of the test's, for tests where counters talk to it over HTTP
 * and where it must be killed mid-work. Needs the build (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface SyncServerProcess {
  url: string;
  port: number;
  /** SIGKILL, as a crash or a pulled plug would. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and database. */
  restart(): Promise<void>;
  /** What it wrote on stderr, for a failing test's message. */
  stderr(): string;
}

const SERVER_ENTRY = path.resolve('out/server/main.js');
const READY = /Kasuwa sync server is running at (http:\/\/[^\s]+)/;

export async function startSyncServer(
  databaseUrl: string,
  options: { port?: number; env?: Record<string, string> } = {},
): Promise<SyncServerProcess> {
  if (!existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: build first (node resources/scripts/build.mjs server)`);
  }
  let child: ChildProcess | null = null;
  let log = '';
  let port = options.port ?? 0;
  let url = '';

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, [SERVER_ENTRY], {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
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
        reject(new Error(`the sync server did not start in 60 s:\n${log}`));
      }, 60_000);
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
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the sync server exited (${code}) before it was ready:\n${log}`));
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
      proc.once('exit', () => resolve());
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
    kill: () => waitExit('SIGKILL'),
    stop: () => waitExit('SIGTERM'),
    restart: async () => {
      await waitExit('SIGTERM');
      url = '';
      await launch();
    },
    stderr: () => log,
  };
}
