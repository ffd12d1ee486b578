/**
 * The sync server as it really starts (`node out/server/main.js`, built here into a scratch
 * folder): one ready line on stdout and nothing else there, logs on stderr, the embedded PGlite
 * by default and PostgreSQL through DATABASE_URL, SIGTERM ending it gracefully with exit 0 even
 * with a realtime socket open, a clear exit 1 for bad settings, the settings' defaults, and a
 * Dockerfile that starts the container the same way.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '../../shared/sync/protocol';
import { displayHost, readConfig } from '../../server/config';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { connectRealtime } from '../support/realtime-client';
import { newBusiness, ok } from '../support/sync-server-app';

const READY_LINE = /^Kasuwa sync server is running at (http:\/\/127\.0\.0\.1:(\d+))\n$/;

let scratch: string;
let entry: string;
let cluster: PostgresCluster;

beforeAll(async () => {
  // Inside the repository (.scratch/ is ignored), so the bundle finds node_modules as out/ does.
  mkdirSync('.scratch', { recursive: true });
  scratch = mkdtempSync(path.resolve('.scratch', 'server-process-'));
  execFileSync(process.execPath, ['resources/scripts/build.mjs', 'server'], {
    env: { ...process.env, KASUWA_OUT_DIR: path.join(scratch, 'out') },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  entry = path.join(scratch, 'out', 'server', 'main.js');
  cluster = await startPostgres();
});

afterAll(async () => {
  await cluster.stop();
  rmSync(scratch, { recursive: true, force: true });
});

interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

async function launch(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [entry], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      HOST: '127.0.0.1',
      PORT: '0',
      // The build lives in a temp folder, so the repository's migrations are named.
      KASUWA_SERVER_MIGRATIONS: path.resolve('server/migrations'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!READY_LINE.test(stdout)) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = READY_LINE.exec(stdout)?.[1] ?? '';
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited };
}

describe('the built server process', () => {
  it('starts on the embedded database with one line on stdout, and stops on SIGTERM with exit 0', async () => {
    const dataDir = path.join(scratch, 'pglite-data');
    const server = await launch({ KASUWA_SERVER_DATA_DIR: dataDir });
    let token: string;
    try {
      ({ token } = await newBusiness(server.url, 'Process Stores'));
      const me = await ok<MeResponse>(server.url, 'GET', '/v1/me', { token });
      expect(me.businessName).toBe('Process Stores');
      expect(server.stderr()).toContain(`embedded database in ${dataDir}`);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toMatch(READY_LINE);

    // Started again on the folder it released: the business and its counter are still there.
    const again = await launch({ KASUWA_SERVER_DATA_DIR: dataDir });
    try {
      expect((await ok<MeResponse>(again.url, 'GET', '/v1/me', { token })).businessName).toBe(
        'Process Stores',
      );
    } finally {
      again.child.kill('SIGTERM');
    }
    expect(await again.exited).toBe(0);
  }, 120_000); // two cold starts of the embedded database on a busy machine

  it('runs on PostgreSQL through DATABASE_URL and closes an open socket on SIGTERM', async () => {
    const server = await launch({ DATABASE_URL: cluster.url, LOG_LEVEL: 'warn' });
    const paired = await newBusiness(server.url, 'Postgres Stores');
    const socket = await connectRealtime(server.url, paired.token);
    await socket.waitFor((n) => n.type === 'hello');
    server.child.kill('SIGTERM');
    expect(await socket.closed).toMatchObject({ code: 1001 });
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toMatch(READY_LINE);
  });

  it('exits 1 with a sentence on stderr for a bad setting or a missing migrations folder', async () => {
    for (const env of [
      { PORT: 'eighty' },
      { KASUWA_SIGNUP: 'maybe' },
      { KASUWA_SERVER_MIGRATIONS: '/nonexistent' },
    ]) {
      const child = spawn(process.execPath, [entry], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: scratch,
          HOST: '127.0.0.1',
          DATABASE_URL: cluster.url,
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^kasuwa-server: (Bad setting|No migrations found)/);
    }
  });
});

describe('the image', () => {
  it('starts the container exactly as `npm run server` starts the server, migrations where it looks', () => {
    const dockerfile = readFileSync('server/deploy/Dockerfile', 'utf8');
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.server).toBe('node out/server/main.js');
    expect(dockerfile).toMatch(/^CMD \["node", "out\/server\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^RUN node resources\/scripts\/build\.mjs server$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/out\/server out\/server$/m);
    expect(dockerfile).toMatch(/^COPY server\/migrations server\/migrations$/m);
    expect(dockerfile.match(/^WORKDIR \/app$/gm)).toHaveLength(2);
    // From /app/out/server the server looks for ../../server/migrations: /app/server/migrations.
    expect(readConfig({}, '/app/out/server').migrationsDir).toBe('/app/server/migrations');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8787$/m);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/health/);
  });
});

describe('settings', () => {
  it('defaults to port 8787 on every interface, open sign-up and ~/.kasuwa-server', () => {
    const config = readConfig({}, '/srv/kasuwa/out/server');
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 8787,
      host: '0.0.0.0',
      signup: 'open',
      logLevel: 'info',
      migrationsDir: '/srv/kasuwa/server/migrations',
    });
    expect(config.dataDir).toBe(path.join(os.homedir(), '.kasuwa-server'));
    expect(readConfig({ PORT: '0', KASUWA_SERVER_DATA_DIR: '/data/x' }, '/x').port).toBe(0);
    expect(() => readConfig({ PORT: '70000' }, '/x')).toThrow(/PORT/);
    expect(config.trustProxy).toBe(false);
    const hops = readConfig({ KASUWA_TRUST_PROXY: '1' }, '/x').trustProxy;
    if (typeof hops !== 'function') throw new Error('expected a hop count');
    expect([hops('10.0.0.1', 0), hops('10.0.0.2', 1)]).toEqual([true, false]);
    expect(readConfig({ KASUWA_TRUST_PROXY: '10.0.0.0/8, 192.168.0.1' }, '/x').trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.0.1',
    ]);
    expect(() => readConfig({ KASUWA_ADMIN_TOKEN: 'short' }, '/x')).toThrow(/KASUWA_ADMIN_TOKEN/);
  });

  it('shows a wildcard bind as the loopback address in the ready line', () => {
    expect(displayHost('0.0.0.0')).toBe('127.0.0.1');
    expect(displayHost('::')).toBe('[::1]');
    expect(displayHost('192.168.1.20')).toBe('192.168.1.20');
  });
});
