/**
 * Sync server figures on this machine, everything on 127.0.0.1: a real PostgreSQL cluster
 * (durable settings: fsync on), the built server as its own process (as `npm run server` runs
 * it), and autocannon in this process. Seeds a business with four counters, 50,000 customers
 * and 20,000 sales (pushed in 1,000-mutation batches, which is the batch push figure), then runs
 * the mixed load for 20 s: 40 % customer reads (by phone and by id), 30 % pushes of one new
 * sale, 20 % pushes of message-log rows, 10 % a month's sales report — every push with fresh
 * mutation ids. Latency percentiles come from every response's own time.
 *
 * Standalone: `npx tsx tests/bench/server.ts` prints the figures as JSON.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import type { PairResponse, PairingCodeResponse, PushResponse } from '../../shared/sync/protocol';
import { startPostgres } from '../support/postgres';
import { customerData, messageRow, saleRow, stampAt } from '../support/sync-rows';
import { percentile, progress, round, type Figures } from './figures';

const CUSTOMERS = 50_000;
const SALES = 20_000;
const SEED_BATCH = 1_000;
const MIX_SECONDS = 20;
// Each connection waits for its answer before the next request (a closed loop), so this is
// how many requests are in flight: 32 is a large shop's tills and back office at once.
const CONNECTIONS = 32;
const MESSAGES_PER_PUSH = 5;
const DAY_MS = 24 * 60 * 60 * 1000;

// Durable like a production database (fsync, full pages), with memory for this machine's size.
const BENCH_SETTINGS = {
  fsync: 'on',
  full_page_writes: 'on',
  shared_buffers: '512MB',
  max_wal_size: '2GB',
  checkpoint_timeout: '15min',
};

interface BuiltServer {
  url: string;
  stop(): Promise<void>;
}

async function startBuiltServer(databaseUrl: string, outDir: string): Promise<BuiltServer> {
  execFileSync(process.execPath, ['resources/scripts/build.mjs', 'server'], {
    env: { ...process.env, KASUWA_OUT_DIR: outDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const child: ChildProcess = spawn(process.execPath, [path.join(outDir, 'server', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      KASUWA_SERVER_MIGRATIONS: path.resolve('server/migrations'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the sync server did not start in 60 s')), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the sync server exited (${code}) while starting`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const phoneOf = (i: number) => `+234803${String(i).padStart(7, '0')}`;

function customerMutation(i: number) {
  const stamp = stampAt(Date.now() - DAY_MS, 'seed');
  return {
    id: randomUUID(),
    entity: 'customer',
    entityId: `cust-${i}`,
    op: 'upsert',
    data: customerData(
      { firstName: `Customer ${i}`, lastName: 'Okafor', phone: phoneOf(i), state: 'Lagos', kind: 'person' },
      stamp,
    ),
  };
}

function saleMutation(createdAt: number, deviceId: string) {
  const sale = saleRow({ totalKobo: 50_000 + Math.floor(Math.random() * 2_000_000), createdAt, deviceId });
  return { id: randomUUID(), entity: 'sale', entityId: sale.id, op: 'append', data: sale };
}

interface Shop {
  tokens: string[];
  deviceIds: string[];
}

async function seed(url: string): Promise<{ shop: Shop; pushMutationsPerSecond: number }> {
  const first = await post<PairResponse>(`${url}/v1/businesses`, {
    businessName: 'Benchmark Supermarket',
    deviceName: 'Till 1',
  });
  const shop: Shop = { tokens: [first.token], deviceIds: [first.deviceId] };
  for (const name of ['Till 2', 'Till 3', 'Back office']) {
    const { code } = await post<PairingCodeResponse>(`${url}/v1/pairing-codes`, {}, first.token);
    const paired = await post<PairResponse>(`${url}/v1/pair`, { code, deviceName: name });
    shop.tokens.push(paired.token);
    shop.deviceIds.push(paired.deviceId);
  }

  progress(`server: seeding ${CUSTOMERS} customers`);
  for (let start = 0; start < CUSTOMERS; start += 2_000) {
    const mutations = Array.from({ length: 2_000 }, (_, k) => customerMutation(start + k));
    const answer = await post<PushResponse>(
      `${url}/v1/push`,
      { deviceTime: Date.now(), mutations },
      first.token,
    );
    if (answer.results.some((r) => r.status !== 'applied'))
      throw new Error('a seeded customer was not applied');
  }

  // The sales are the batch push figure: 1,000 mutations a batch, spread over the last 60 days.
  progress(`server: pushing ${SALES} sales in batches of ${SEED_BATCH}`);
  const now = Date.now();
  let pushMs = 0;
  for (let start = 0; start < SALES; start += SEED_BATCH) {
    const device = (start / SEED_BATCH) % shop.tokens.length;
    const mutations = Array.from({ length: SEED_BATCH }, () =>
      saleMutation(now - Math.floor(Math.random() * 60 * DAY_MS), shop.deviceIds[device] ?? ''),
    );
    const began = performance.now();
    const answer = await post<PushResponse>(
      `${url}/v1/push`,
      { deviceTime: Date.now(), mutations },
      shop.tokens[device],
    );
    pushMs += performance.now() - began;
    if (answer.results.some((r) => r.status !== 'applied')) throw new Error('a seeded sale was not applied');
  }
  return { shop, pushMutationsPerSecond: SALES / (pushMs / 1000) };
}

interface MixResult {
  rps: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function runMix(url: string, shop: Shop): Promise<MixResult> {
  const now = Date.now();
  const monthQuery = `/v1/reports/sales?from=${now - 30 * DAY_MS}&to=${now}`;
  let connection = 0;
  const tokenFor = (context: Record<string, unknown>) => {
    // Each autocannon connection is one counter, spread over the business's four devices.
    if (typeof context.token !== 'string') {
      const device = connection % shop.tokens.length;
      connection += 1;
      context.token = shop.tokens[device];
      context.deviceId = shop.deviceIds[device];
    }
    return { token: context.token as string, deviceId: context.deviceId as string };
  };
  const get = (pathFor: () => string): autocannon.Request => ({
    method: 'GET',
    setupRequest: (request, context) => ({
      ...request,
      path: pathFor(),
      headers: { authorization: `Bearer ${tokenFor(context as Record<string, unknown>).token}` },
    }),
  });
  // Bodies are made before the clock starts (each with fresh mutation ids), so the load
  // generator's own JSON work does not take CPU from the server it shares the machine with.
  const pushOf = (mutations: (deviceId: string) => unknown[], perDevice: number): autocannon.Request => {
    const ready = new Map(
      shop.deviceIds.map((deviceId) => [
        deviceId,
        Array.from({ length: perDevice }, () =>
          JSON.stringify({ deviceTime: Date.now(), mutations: mutations(deviceId) }),
        ),
      ]),
    );
    return {
      method: 'POST',
      path: '/v1/push',
      setupRequest: (request, context) => {
        const { token, deviceId } = tokenFor(context as Record<string, unknown>);
        const body =
          ready.get(deviceId)?.pop() ??
          JSON.stringify({ deviceTime: Date.now(), mutations: mutations(deviceId) });
        return {
          ...request,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        };
      },
    };
  };
  const randomCustomer = () => Math.floor(Math.random() * CUSTOMERS);
  const byPhone = get(() => `/v1/customers?phone=${encodeURIComponent(phoneOf(randomCustomer()))}`);
  const byId = get(() => `/v1/customers/cust-${randomCustomer()}`);
  // Enough for 2,000 requests a second (30 % sales, 20 % message logs) over the whole run.
  const perDevice = Math.ceil((2_000 * MIX_SECONDS) / shop.deviceIds.length);
  const newSale = pushOf((deviceId) => [saleMutation(Date.now(), deviceId)], Math.ceil(perDevice * 0.3));
  const messages = pushOf(
    () =>
      Array.from({ length: MESSAGES_PER_PUSH }, () => {
        const row = messageRow();
        return { id: randomUUID(), entity: 'message', entityId: row.id, op: 'append', data: row };
      }),
    Math.ceil(perDevice * 0.2),
  );
  const report = get(() => monthQuery);
  // Ten requests a round: four reads, three sales, two message logs, one report.
  const requests = [byPhone, newSale, byId, messages, byPhone, newSale, byId, report, newSale, messages];

  progress(`server: mixed load for ${MIX_SECONDS} s on ${CONNECTIONS} connections`);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, duration: MIX_SECONDS, requests, timeout: 10 },
      (error: Error | null, done: autocannon.Result) => (error === null ? resolve(done) : reject(error)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return {
    rps: result.requests.total / result.duration,
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export async function serverFigures(): Promise<Figures> {
  const scratch = path.resolve('.scratch', `bench-server-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  progress('server: starting PostgreSQL');
  const cluster = await startPostgres({ settings: BENCH_SETTINGS });
  let server: BuiltServer | undefined;
  try {
    server = await startBuiltServer(cluster.url, path.join(scratch, 'out'));
    const { shop, pushMutationsPerSecond } = await seed(server.url);
    const mix = await runMix(server.url, shop);
    // A benchmark that quietly counted failures as fast answers would be worse than none.
    if (mix.non2xx > 0 || mix.errors > 0) {
      throw new Error(`mixed load had ${mix.non2xx} non-2xx answers and ${mix.errors} errors`);
    }
    return {
      server_push_batch_mutations_per_s: {
        value: round(pushMutationsPerSecond, 0),
        unit: 'mutations/s',
        better: 'higher',
        target: 3_000,
      },
      server_mix_rps: { value: round(mix.rps, 0), unit: 'req/s', better: 'higher', target: 1_000 },
      server_mix_p95_ms: { value: round(mix.p95, 1), unit: 'ms', better: 'lower', target: 100 },
      server_mix_p99_ms: { value: round(mix.p99, 1), unit: 'ms', better: 'lower' },
    };
  } finally {
    await server?.stop();
    await cluster.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

// `npx tsx tests/bench/server.ts`; when bundled into `npm run bench`, run.ts calls serverFigures.
if (process.argv[1] !== undefined && /tests[\\/]bench[\\/]server\.ts$/.test(process.argv[1])) {
  serverFigures().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(
        `server bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
