/**
 * A real PostgreSQL cluster for the sync server's tests and benchmark: initdb into a fresh temp
 * folder, `postgres` on a free 127.0.0.1 port with its unix socket in that folder, and a
 * `stop()` that always removes the folder. Run as root (as CI does), initdb and postgres refuse
 * to start, so they run as the `postgres` user (or `nobody`) and the folder is handed to it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** The same database over the cluster's unix socket (in its temp folder): no TCP on the way. */
  socketUrl: string;
  port: number;
  /** Fast shutdown, then the folder is removed. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster, as a crash would; the folder stays for `restart()`. */
  kill(): Promise<void>;
  /** Starts the cluster again on the same port (after `kill()`, or stopping it first). */
  restart(): Promise<void>;
}

export interface ClusterOptions {
  /** Extra `-c name=value` settings; tests run with fsync off unless they say otherwise. */
  settings?: Record<string, string>;
}

const NOT_FOUND = 'PostgreSQL server binaries not found; install the postgresql package';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export function postgresBinDir(): string {
  const hasServer = (dir: string) =>
    existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'postgres'));
  const fromEnv = process.env.PG_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (hasServer(fromEnv)) return fromEnv;
    throw new Error(`${NOT_FOUND} (PG_BIN=${fromEnv} has no initdb and postgres)`);
  }
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = path.join(debianRoot, version, 'bin');
      if (hasServer(dir)) return dir;
    }
  }
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (hasServer(dir)) return dir;
  } catch {
    // No pg_config on the PATH: fall through to the sentence below.
  }
  throw new Error(NOT_FOUND);
}

/** initdb and postgres refuse to run as root; as root they run as this user instead. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && Number.isInteger(gid)) return { uid, gid };
    } catch {
      // No such user: try the next one.
    }
  }
  throw new Error('Running as root, but neither a postgres nor a nobody user exists to run PostgreSQL');
}

function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  chownSync(dir, owner.uid, owner.gid);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    chownSync(path.join(entry.parentPath, entry.name), owner.uid, owner.gid);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Running {
  child: ChildProcess | undefined;
  reaper: ChildProcess | undefined;
  dir: string;
}

// A test process that exits before its afterAll still takes its clusters with it.
const running = new Set<Running>();
process.once('exit', () => {
  for (const cluster of running) {
    cluster.reaper?.kill('SIGKILL');
    cluster.child?.kill('SIGKILL');
    rmSync(cluster.dir, { recursive: true, force: true });
  }
});

/**
 * A test process killed outright (a worker timed out, the run was interrupted) runs no exit
 * handler, so each cluster has a small watcher of its own: once this process is gone, it kills
 * the postmaster (checked by its data folder, never a pid reused by something else) and
 * removes the folder.
 */
function watchOver(postmaster: ChildProcess, dir: string): ChildProcess | undefined {
  if (postmaster.pid === undefined) return undefined;
  const script = [
    'while kill -0 "$OWNER" 2>/dev/null; do sleep 1; done',
    'if grep -qF "$DIR" "/proc/$POSTMASTER/cmdline" 2>/dev/null; then kill -KILL "$POSTMASTER"; fi',
    'sleep 1; rm -rf "$DIR"',
  ].join('\n');
  const reaper = spawn('sh', ['-c', script], {
    detached: true,
    stdio: 'ignore',
    env: { OWNER: String(process.pid), POSTMASTER: String(postmaster.pid), DIR: dir, PATH: process.env.PATH },
  });
  reaper.unref();
  return reaper;
}

export async function startPostgres(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const owner = serverUser();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-pg-'));
  const dataDir = path.join(dir, 'data');
  const state: Running = { child: undefined, reaper: undefined, dir };
  running.add(state);
  const spawnOptions = owner === undefined ? {} : { uid: owner.uid, gid: owner.gid };
  if (owner !== undefined) chownTree(dir, owner);

  try {
    execFileSync(
      path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...spawnOptions, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    running.delete(state);
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || String(error)}`, { cause: error });
  }

  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const socketUrl = `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    fsync: 'off',
    full_page_writes: 'off',
    max_connections: '200',
    ...options.settings,
  };
  let log = '';

  async function start(): Promise<void> {
    log = '';
    const args = ['-D', dataDir, '-p', String(port), '-k', dir];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const child = spawn(path.join(bin, 'postgres'), args, {
      ...spawnOptions,
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Only the tail is kept, for the error message of a cluster that would not start.
    child.stderr.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4_000);
    });
    state.child = child;
    state.reaper?.kill('SIGKILL');
    state.reaper = watchOver(child, dir);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`postgres exited while starting: ${log}`);
      }
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        await delay(50);
      }
    }
    child.kill('SIGKILL');
    throw new Error(`postgres did not accept connections within ${START_TIMEOUT_MS} ms: ${log}`);
  }

  async function waitForExit(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  async function startAfterCrash(): Promise<void> {
    // After a SIGKILL the old backends notice the postmaster is gone within moments; until
    // then a new postmaster refuses the shared memory they still hold, so try a few times.
    let lastError: unknown;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      try {
        await start();
        return;
      } catch (error) {
        lastError = error;
        await delay(250);
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  await start().catch((error: unknown) => {
    state.reaper?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    running.delete(state);
    throw error;
  });

  let stopped = false;
  return {
    url,
    socketUrl,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      state.reaper?.kill('SIGKILL');
      if (state.child !== undefined) await waitForExit(state.child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
      running.delete(state);
    },
    async kill() {
      if (state.child !== undefined) await waitForExit(state.child, 'SIGKILL');
    },
    async restart() {
      if (state.child !== undefined) await waitForExit(state.child, 'SIGINT');
      await startAfterCrash();
    },
  };
}

/** A fresh, empty database on the cluster, so test files (or tests) can share one cluster. */
export async function createDatabase(clusterUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
