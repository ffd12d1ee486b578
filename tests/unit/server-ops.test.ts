/**
 * What operators and the storefront see, against a real PostgreSQL: /health, /ready (503 while
 * PostgreSQL is down, 200 again after it restarts), /metrics, the sales report by Lagos day,
 * customer lookup by phone and id, bad input answered cleanly (not JSON, too large, unknown
 * route, bad encodings), and migrations that refuse a database from a newer server.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lagosDay } from '../../shared/lagos-time';
import type {
  PairResponse,
  PushResponse,
  ReplicaData,
  SaleRow,
  SalesReportDay,
} from '../../shared/sync/protocol';
import { openDatabase } from '../../server/db/database';
import { applyMigrations, loadMigrations, MigrationError } from '../../server/db/migrate';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import {
  call,
  newBusiness,
  ok,
  SERVER_MIGRATIONS,
  startServerApp,
  type RunningServer,
} from '../support/sync-server-app';
import { customerData, messageRow, mutation, saleRow, stampAt } from '../support/sync-rows';

let cluster: PostgresCluster;
let server: RunningServer;
let till: PairResponse;

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startServerApp({ url: await createDatabase(cluster.url, 'ops') });
  till = await newBusiness(server.url, 'Ops Stores');
});

afterAll(async () => {
  await server.close();
  await cluster.stop();
});

const push = (mutations: unknown[]) =>
  ok<PushResponse>(server.url, 'POST', '/v1/push', {
    token: till.token,
    body: { deviceTime: Date.now(), mutations },
  });

describe('sales report', () => {
  it('groups sales by Lagos day (UTC+1) and keeps to the range asked for', async () => {
    const late = Date.parse('2026-04-01T23:30:00Z'); // 00:30 on 2 April in Lagos
    const early = Date.parse('2026-04-01T22:59:59Z'); // 23:59:59 on 1 April in Lagos
    const outside = Date.parse('2026-05-15T12:00:00Z');
    await push(
      [
        saleRow({ totalKobo: 100_000, createdAt: early }),
        saleRow({ totalKobo: 200_000, createdAt: late }),
        saleRow({ totalKobo: 300_000, createdAt: late + 3_600_000 }),
        saleRow({ totalKobo: 999_999, createdAt: outside }),
      ].map((row) => mutation('sale', row.id, 'append', row)),
    );
    const from = Date.parse('2026-03-31T23:00:00Z'); // Lagos midnight, 1 April
    const to = Date.parse('2026-04-30T23:00:00Z');
    const report = await ok<SalesReportDay[]>(server.url, 'GET', `/v1/reports/sales?from=${from}&to=${to}`, {
      token: till.token,
    });
    expect(report).toEqual([
      { day: '2026-04-01', sales: 1, totalKobo: 100_000 },
      { day: '2026-04-02', sales: 2, totalKobo: 500_000 },
    ]);
  });

  it('matches a plain count of the sales in any range, part-days and resolved sales included', async () => {
    const shop = await newBusiness(server.url, 'Report Check');
    const DAY = 86_400_000;
    const base = Date.parse('2026-06-01T00:00:00Z');
    // A fixed pseudo-random spread, so a failure reproduces.
    let state = 20_260_601;
    const next = () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return state / 2_147_483_648;
    };
    const sales = Array.from({ length: 400 }, (_, i) =>
      saleRow({ totalKobo: 1_000 + i, createdAt: base + Math.floor(next() * 20 * DAY) }),
    );
    const pushAll = (mutations: unknown[]) =>
      ok<PushResponse>(server.url, 'POST', '/v1/push', {
        token: shop.token,
        body: { deviceTime: Date.now(), mutations },
      });
    await pushAll(sales.map((row) => mutation('sale', row.id, 'append', row)));
    // The owner's resolutions move twenty sales to other days and amounts.
    const resolutions = sales
      .slice(0, 20)
      .map((row) =>
        saleRow({ id: row.id, totalKobo: row.totalKobo + 7, createdAt: row.createdAt + 3 * DAY + 1 }),
      );
    await pushAll(resolutions.map((row) => mutation('sale', row.id, 'resolve', row)));
    const final: SaleRow[] = [...resolutions, ...sales.slice(20)];

    const expected = (from: number, to: number): SalesReportDay[] => {
      const days = new Map<string, SalesReportDay>();
      for (const sale of final) {
        if (sale.createdAt < from || sale.createdAt >= to) continue;
        const day = lagosDay(sale.createdAt);
        const entry = days.get(day) ?? { day, sales: 0, totalKobo: 0 };
        entry.sales += 1;
        entry.totalKobo += sale.totalKobo;
        days.set(day, entry);
      }
      return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
    };
    const lagosMidnight = (day: number) => base - 3_600_000 + day * DAY;
    const instant = fc.oneof(
      fc.integer({ min: base - 2 * DAY, max: base + 26 * DAY }),
      fc.integer({ min: -2, max: 26 }).map(lagosMidnight),
    );
    await fc.assert(
      fc.asyncProperty(
        instant,
        fc.oneof(fc.integer({ min: 1, max: 12 * DAY }), fc.constant(DAY)),
        async (from, span) => {
          const to = from + span;
          const report = await ok<SalesReportDay[]>(
            server.url,
            'GET',
            `/v1/reports/sales?from=${from}&to=${to}`,
            {
              token: shop.token,
            },
          );
          expect(report).toEqual(expected(from, to));
        },
      ),
      { numRuns: 120, seed: 4_242 },
    );
  });

  it('refuses a range that is backwards, too long or not numbers', async () => {
    for (const query of ['from=10&to=5', `from=0&to=${500 * 86_400_000}`, 'from=a&to=b', 'to=5']) {
      const answer = await call(server.url, 'GET', `/v1/reports/sales?${query}`, { token: till.token });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: 'invalid_input', message: /report range/ } });
    }
  });
});

describe('customer lookup', () => {
  beforeAll(async () => {
    const stamp = stampAt(Date.now() - 10_000);
    await push([
      mutation(
        'customer',
        'cust-phone',
        'upsert',
        customerData({ firstName: 'Funke', phone: '+2348091234567' }, stamp),
      ),
      // A merged-away duplicate still holding the number: the live record is the answer.
      mutation(
        'customer',
        'cust-old',
        'upsert',
        customerData(
          { firstName: 'Funke (old)', phone: '+2348091234567', mergedIntoId: 'cust-phone' },
          stamp,
        ),
      ),
    ]);
  });

  it('finds a customer by E.164 phone, with the + sent as %2B, raw or left off', async () => {
    for (const phone of ['%2B2348091234567', '+2348091234567', '2348091234567']) {
      const found = await ok<{ id: string; data: ReplicaData }>(
        server.url,
        'GET',
        `/v1/customers?phone=${phone}`,
        {
          token: till.token,
        },
      );
      expect(found.id).toBe('cust-phone');
      expect(found.data.fields.firstName?.value).toBe('Funke');
    }
  });

  it('finds a customer by id, and answers 404 and 400 cleanly', async () => {
    const found = await ok<{ id: string }>(server.url, 'GET', '/v1/customers/cust-old', {
      token: till.token,
    });
    expect(found.id).toBe('cust-old');
    const missing = await call(server.url, 'GET', '/v1/customers?phone=%2B2348000000000', {
      token: till.token,
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found', message: /no such customer/ } });
    expect((await call(server.url, 'GET', '/v1/customers/nobody', { token: till.token })).status).toBe(404);
    const bad = await call(server.url, 'GET', '/v1/customers?phone=0803-abc', { token: till.token });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { message: /E\.164/ } });
  });

  it('finds the phone through its index', async () => {
    // The table is small here, so the planner is made to show which index it would take.
    const client = await server.db.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT entity_id FROM records WHERE business_id = $1 AND entity = 'customer'
           AND (data -> 'fields' -> 'phone' ->> 'value') = $2`,
        [till.businessId, '+2348091234567'],
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/records_customer_phone/);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});

describe('bad input', () => {
  it('answers a body that is not JSON, an empty body or the wrong media type with 400', async () => {
    const notJson = await call(server.url, 'POST', '/v1/push', {
      token: till.token,
      rawBody: '{"deviceTime": 1, "mutations": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({
      error: { code: 'invalid_input', message: 'The request body is not valid JSON.' },
    });
    const empty = await call(server.url, 'POST', '/v1/businesses', {
      rawBody: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    const text = await call(server.url, 'POST', '/v1/pair', {
      rawBody: 'code=ABCD',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ error: { message: /JSON/ } });
    const wrongShape = await call(server.url, 'POST', '/v1/push', { token: till.token, body: [1, 2, 3] });
    expect(wrongShape.status).toBe(400);
  });

  it('answers a body over the limit with 413, compressed or not', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const business = await call(server.url, 'POST', '/v1/businesses', {
      body: { businessName: big, deviceName: 'Till' },
    });
    expect(business.status).toBe(413);
    expect(business.body).toMatchObject({ error: { code: 'too_large' } });

    // A 33 MB push inflated from a small gzip body (a zip bomb in miniature).
    const bomb = gzipSync(
      JSON.stringify({ deviceTime: 1, mutations: [{ pad: 'y'.repeat(33 * 1024 * 1024) }] }),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const pushed = await call(server.url, 'POST', '/v1/push', {
      token: till.token,
      rawBody: bomb,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(pushed.status).toBe(413);
  });

  it('answers a gzip body that does not inflate, or another encoding, with 400', async () => {
    const broken = await call(server.url, 'POST', '/v1/push', {
      token: till.token,
      rawBody: 'definitely not gzip',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ error: { message: /gzip/ } });
    const brotli = await call(server.url, 'POST', '/v1/push', {
      token: till.token,
      rawBody: '{}',
      headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
    });
    expect(brotli.status).toBe(400);
  });

  it('answers text PostgreSQL cannot hold with 400, not a failed statement', async () => {
    const business = await call(server.url, 'POST', '/v1/businesses', {
      body: { businessName: 'Null\u0000Shop', deviceName: 'Till' },
    });
    expect(business.status).toBe(400);
    expect(business.body).toMatchObject({ error: { message: /businessName: text with a NUL character/ } });
    const customer = await call(server.url, 'GET', '/v1/customers/a%00b', { token: till.token });
    expect(customer.status).toBe(400);
  });

  it('answers an unknown route with 404 and a bad device id with 400', async () => {
    const unknown = await call(server.url, 'GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      error: { code: 'not_found', message: 'There is no GET /v1/nothing-here here.' },
    });
    const badId = await call(server.url, 'POST', '/v1/devices/not-a-uuid/revoke', {
      token: till.token,
      body: {},
    });
    expect(badId.status).toBe(400);
    // The server is still serving after all of the above.
    expect((await call(server.url, 'GET', '/v1/me', { token: till.token })).status).toBe(200);
  });
});

describe('health, readiness and metrics', () => {
  it('exposes request, push, pull, mutation, conflict and socket metrics with process defaults', async () => {
    const row = messageRow();
    await push([mutation('message', row.id, 'append', row)]);
    await push([mutation('message', row.id, 'append', { ...row, status: 'failed' })]);
    await ok(server.url, 'GET', '/v1/pull?after=0', { token: till.token });
    // An edit older than the server's copy: merged.
    const stamp = stampAt(Date.now() - 60_000);
    await push([
      mutation('customer', 'cust-metrics', 'upsert', customerData({ firstName: 'New' }, stampAt(Date.now()))),
    ]);
    await push([mutation('customer', 'cust-metrics', 'upsert', customerData({ firstName: 'Old' }, stamp))]);
    const metrics = await call<string>(server.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = metrics.body;
    expect(text).toMatch(
      /kasuwa_http_request_duration_seconds_count\{method="POST",route="\/v1\/push",status="200"\} \d+/,
    );
    expect(text).toMatch(/kasuwa_push_batch_mutations_count \d+/);
    expect(text).toMatch(/kasuwa_pull_page_changes_count [1-9]/);
    expect(text).toMatch(/kasuwa_mutations_total\{status="applied",entity="message"\} \d+/);
    expect(text).toMatch(/kasuwa_mutations_total\{status="rejected",entity="message"\} 1/);
    expect(text).toMatch(/kasuwa_conflicts_total\{resolution="merged"\} [1-9]/);
    expect(text).toMatch(/kasuwa_conflicts_total\{resolution="manual"\} 0/);
    expect(text).toMatch(/^kasuwa_realtime_sockets 0$/m);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    expect(text).toMatch(/nodejs_eventloop_lag_seconds/);
  });

  it('is healthy without the database, and ready only while PostgreSQL answers', async () => {
    expect(await call(server.url, 'GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(server.url, 'GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });

    await cluster.kill();
    try {
      const ready = await call(server.url, 'GET', '/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ error: { code: 'unavailable' } });
      expect(await call(server.url, 'GET', '/health')).toMatchObject({ status: 200 });
      const pushed = await call(server.url, 'GET', '/v1/me', { token: till.token });
      expect(pushed.status).toBe(503);
      expect(pushed.body).toMatchObject({ error: { code: 'unavailable' } });
    } finally {
      await cluster.restart();
    }
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = (await call(server.url, 'GET', '/ready')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect((await call(server.url, 'GET', '/v1/me', { token: till.token })).status).toBe(200);
  });
});

describe('migrations', () => {
  it('applies once, then finds nothing to do', async () => {
    const url = await createDatabase(cluster.url, 'migrate_twice');
    const db = await openDatabase({ url }, { warn: () => undefined });
    try {
      const migrations = loadMigrations(SERVER_MIGRATIONS);
      const first = await applyMigrations(db.pool, migrations);
      expect(first.applied).toEqual(migrations.map((m) => m.tag));
      const second = await applyMigrations(db.pool, migrations);
      expect(second).toEqual({ applied: [], alreadyApplied: migrations.length });
    } finally {
      await db.close();
    }
  });

  it('refuses a database migrated by a newer server, and one whose migration was edited, changing nothing', async () => {
    const url = await createDatabase(cluster.url, 'migrate_newer');
    const db = await openDatabase({ url }, { warn: () => undefined });
    try {
      const migrations = loadMigrations(SERVER_MIGRATIONS);
      await applyMigrations(db.pool, migrations);
      await db.pool.query(
        `INSERT INTO kasuwa_server_migrations (tag, hash, applied_at) VALUES ('9999_from_the_future', 'x', 1)`,
      );
      await expect(applyMigrations(db.pool, migrations)).rejects.toThrow(MigrationError);
      await expect(applyMigrations(db.pool, migrations)).rejects.toThrow(/newer Kasuwa sync server/);

      await db.pool.query(`DELETE FROM kasuwa_server_migrations WHERE tag = '9999_from_the_future'`);
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, hash: 'edited' } : m));
      await expect(applyMigrations(db.pool, edited)).rejects.toThrow(
        /edited after this database applied them/,
      );
      const tables = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM kasuwa_server_migrations`,
      );
      expect(tables.rows[0]?.n).toBe(migrations.length);
    } finally {
      await db.close();
    }
  });

  it('fills the per-day sales from the sales recorded before that table existed', async () => {
    const url = await createDatabase(cluster.url, 'migrate_backfill');
    const db = await openDatabase({ url }, { warn: () => undefined });
    try {
      const migrations = loadMigrations(SERVER_MIGRATIONS);
      await applyMigrations(db.pool, migrations.slice(0, 1));
      const business = '01a23700-0000-7000-8000-000000000001';
      await db.pool.query(`INSERT INTO businesses (id, name, created_at) VALUES ($1, 'Old Shop', 0)`, [
        business,
      ]);
      const lateEvening = Date.parse('2026-02-03T23:30:00Z'); // 4 February in Lagos
      for (const [id, at, total] of [
        ['s1', lateEvening, 100],
        ['s2', lateEvening + 60_000, 250],
        ['s3', Date.parse('2026-02-03T10:00:00Z'), 40],
      ] as const) {
        await db.pool.query(
          `INSERT INTO sale_facts (business_id, sale_id, branch_id, device_id, created_at, total_kobo)
           VALUES ($1, $2, $1, 'till', $3, $4)`,
          [business, id, at, total],
        );
      }
      await applyMigrations(db.pool, migrations);
      const days = await db.pool.query<{ day: number; sales: number; total_kobo: number }>(
        'SELECT day, sales, total_kobo FROM sale_days ORDER BY day',
      );
      expect(days.rows.map((r) => [lagosDay(r.day * 86_400_000), r.sales, r.total_kobo])).toEqual([
        ['2026-02-03', 1, 40],
        ['2026-02-04', 2, 350],
      ]);
    } finally {
      await db.close();
    }
  });

  it('says where it looked when the migrations folder is missing', () => {
    expect(() => loadMigrations('/nonexistent/kasuwa')).toThrow(/KASUWA_SERVER_MIGRATIONS/);
  });
});
