/**
 * Push and pull against a real PostgreSQL: what each mutation comes to (applied, a repeat,
 * merged with a newer server copy, a sale left for the owner, rejected with its reason while the
 * rest of the batch applies), gzip bodies, the clock clamp, at-most-once under two concurrent
 * pushes of one batch, and pull pages that skip the caller's own changes but move past them.
 */
import { gzipSync } from 'node:zlib';
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc, MAX_DRIFT_MS, parseHlc } from '../../shared/hlc';
import {
  REPLICA_FIELDS,
  SYNC_ENTITIES,
  type MutationResult,
  type PairResponse,
  type PullResponse,
  type PushResponse,
  type ReplicaData,
  type SalesReportDay,
} from '../../shared/sync/protocol';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import {
  call,
  newBusiness,
  ok,
  pairAnother,
  startServerApp,
  type RunningServer,
} from '../support/sync-server-app';
import { customerData, messageRow, mutation, saleRow, stampAt } from '../support/sync-rows';

let cluster: PostgresCluster;
let server: RunningServer;
let tillA: PairResponse;
let tillB: PairResponse;

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startServerApp({ url: cluster.url });
  tillA = await newBusiness(server.url, 'Iya Bose Provisions');
  tillB = await pairAnother(server.url, tillA.token, 'Till 2');
});

afterAll(async () => {
  await server.close();
  await cluster.stop();
});

const push = (token: string, mutations: unknown[], deviceTime = Date.now()) =>
  ok<PushResponse>(server.url, 'POST', '/v1/push', { token, body: { deviceTime, mutations } });

const pull = (token: string, after: number, limit = 500) =>
  ok<PullResponse>(server.url, 'GET', `/v1/pull?after=${after}&limit=${limit}`, { token });

async function changeCount(): Promise<number> {
  const result = await server.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM changes WHERE business_id = $1',
    [tillA.businessId],
  );
  return result.rows[0]?.n ?? -1;
}

describe('replicas', () => {
  it('applies a new customer, and a repeat of the mutation is a duplicate carrying the server row', async () => {
    const stamp = stampAt(Date.now() - 60_000);
    const data = customerData({ firstName: 'Bose', lastName: 'Adeyemi', phone: '+2348031110001' }, stamp);
    const first = mutation('customer', 'cust-1', 'upsert', data);
    const answer = await push(tillA.token, [first]);
    expect(answer.results).toEqual([{ id: first.id, status: 'applied' }]);
    expect(answer.cursor).toBeGreaterThan(0);
    const before = await changeCount();

    const again = await push(tillA.token, [first]);
    expect(again.results[0]).toMatchObject({ id: first.id, status: 'applied', duplicate: true });
    const repeat = again.results[0] as Extract<MutationResult, { status: 'applied' }>;
    expect(repeat.server?.entityId).toBe('cust-1');
    expect((repeat.server?.data as ReplicaData).fields.firstName?.value).toBe('Bose');
    expect(again.cursor).toBe(answer.cursor);
    expect(await changeCount()).toBe(before);
  });

  it('merges an older edit into the newer server copy and answers a conflict with the merged row', async () => {
    const now = Date.now();
    const newer = customerData(
      { firstName: 'Chinedu', phone: '+2348031110002' },
      stampAt(now - 10_000, 'till-a'),
    );
    await push(tillA.token, [mutation('customer', 'cust-2', 'upsert', newer)]);

    // Till 2 edited the name earlier (offline) and adds an email the server has not seen.
    const older = customerData({ firstName: 'Chinedu O.' }, stampAt(now - 50_000, 'till-b'));
    older.fields.email = { value: 'chinedu@example.ng', hlc: stampAt(now - 40_000, 'till-b') };
    const stale = mutation('customer', 'cust-2', 'upsert', older);
    const answer = await push(tillB.token, [stale]);
    const result = answer.results[0];
    expect(result).toMatchObject({ id: stale.id, status: 'conflict', resolution: 'merged' });
    if (result?.status !== 'conflict') throw new Error('expected a conflict');
    const merged = result.server.data as ReplicaData;
    expect(result.server).toMatchObject({ entity: 'customer', entityId: 'cust-2' });
    expect(merged.fields.firstName?.value).toBe('Chinedu');
    expect(merged.fields.email?.value).toBe('chinedu@example.ng');
    expect(merged.fields.phone?.value).toBe('+2348031110002');

    // The stored record is the merged one, and Till 1 pulls it whole.
    const stored = await ok<{ id: string; data: ReplicaData }>(server.url, 'GET', '/v1/customers/cust-2', {
      token: tillA.token,
    });
    expect(stored.data).toEqual(merged);
  });

  it('records a push of exactly what the server holds without writing a change', async () => {
    const data = customerData({ firstName: 'Ngozi' }, stampAt(Date.now() - 5_000));
    const first = await push(tillA.token, [mutation('customer', 'cust-3', 'upsert', data)]);
    const before = await changeCount();
    const same = mutation('customer', 'cust-3', 'upsert', data);
    const answer = await push(tillB.token, [same]);
    expect(answer.results).toEqual([{ id: same.id, status: 'applied' }]);
    expect(answer.cursor).toBe(first.cursor);
    expect(await changeCount()).toBe(before);
    const recorded = await server.db.pool.query<{ seq: number | null }>(
      'SELECT seq FROM applied_mutations WHERE business_id = $1 AND mutation_id = $2',
      [tillA.businessId, same.id],
    );
    expect(recorded.rows).toEqual([{ seq: null }]);
  });

  it('clamps a clock a day fast to the allowed drift, and tells the counter the clamped stamp', async () => {
    const serverNow = server.clock.now();
    const fast = customerData({ firstName: 'Emeka' }, stampAt(serverNow + 24 * 60 * 60 * 1000, 'fast-till'));
    const sent = mutation('customer', 'cust-4', 'upsert', fast);
    const answer = await push(tillA.token, [sent]);
    const result = answer.results[0];
    expect(result).toMatchObject({ status: 'conflict', resolution: 'merged' });
    if (result?.status !== 'conflict') throw new Error('expected a conflict');
    const stamp = (result.server.data as ReplicaData).fields.firstName?.hlc ?? '';
    const clamped = parseHlc(stamp);
    expect(clamped.node).toBe('fast-till');
    expect(clamped.wall).toBeGreaterThanOrEqual(serverNow + MAX_DRIFT_MS);
    expect(clamped.wall).toBeLessThanOrEqual(Date.now() + MAX_DRIFT_MS);

    // An honest edit made a minute after now still wins over the clamped one later on.
    const later = customerData(
      { firstName: 'Emeka K.' },
      stampAt(serverNow + MAX_DRIFT_MS + 60_000, 'till-b'),
    );
    server.clock.advance(2 * MAX_DRIFT_MS);
    const answerLater = await push(tillB.token, [mutation('customer', 'cust-4', 'upsert', later)]);
    expect(answerLater.results[0]).toMatchObject({ status: 'applied' });
    server.clock.offsetMs = 0;
  });
});

describe('ledgers', () => {
  it('appends a message row once; an identical copy is a duplicate and a different one is rejected', async () => {
    const row = messageRow();
    const first = mutation('message', row.id, 'append', row);
    expect((await push(tillA.token, [first])).results).toEqual([{ id: first.id, status: 'applied' }]);
    const before = await changeCount();

    const copy = mutation('message', row.id, 'append', { ...row });
    expect((await push(tillB.token, [copy])).results).toEqual([
      { id: copy.id, status: 'applied', duplicate: true },
    ]);
    const different = mutation('message', row.id, 'append', { ...row, status: 'failed' });
    expect((await push(tillB.token, [different])).results).toEqual([
      { id: different.id, status: 'rejected', reason: 'a different row with this id already exists' },
    ]);
    expect(await changeCount()).toBe(before);
  });

  it('leaves a sale whose amounts differ for the owner, keeps the server copy, and takes the resolution', async () => {
    const createdAt = Date.parse('2026-03-10T12:00:00Z');
    const sale = saleRow({ totalKobo: 500_000, createdAt });
    await push(tillA.token, [mutation('sale', sale.id, 'append', sale)]);

    // The same sale with a different receipt number only is the same sale.
    const sameSale = mutation('sale', sale.id, 'append', { ...sale, receiptNumber: 'R-OTHER' });
    expect((await push(tillB.token, [sameSale])).results[0]).toMatchObject({
      status: 'applied',
      duplicate: true,
    });

    const disagreeing = saleRow({ id: sale.id, totalKobo: 450_000, createdAt });
    const conflicting = mutation('sale', sale.id, 'append', disagreeing);
    const answer = await push(tillB.token, [conflicting]);
    expect(answer.results[0]).toEqual({
      id: conflicting.id,
      status: 'conflict',
      resolution: 'manual',
      server: { entity: 'sale', entityId: sale.id, data: sale },
    });
    // A repeat meets the same question: nothing was recorded for it.
    expect((await push(tillB.token, [conflicting])).results[0]).toMatchObject({ status: 'conflict' });

    const report = () =>
      ok<SalesReportDay[]>(
        server.url,
        'GET',
        `/v1/reports/sales?from=${createdAt - 3_600_000}&to=${createdAt + 3_600_000}`,
        { token: tillA.token },
      );
    expect(await report()).toEqual([{ day: '2026-03-10', sales: 1, totalKobo: 500_000 }]);

    const resolve = mutation('sale', sale.id, 'resolve', disagreeing);
    const resolved = await push(tillA.token, [resolve]);
    expect(resolved.results).toEqual([{ id: resolve.id, status: 'applied' }]);
    const page = await pull(tillB.token, resolved.cursor - 1);
    expect(page.changes).toEqual([
      { seq: resolved.cursor, entity: 'sale', entityId: sale.id, op: 'resolve', data: disagreeing },
    ]);
    expect(await report()).toEqual([{ day: '2026-03-10', sales: 1, totalKobo: 450_000 }]);
  });
});

describe('a batch', () => {
  it('rejects invalid mutations with their reasons while the rest of the batch applies', async () => {
    const good = mutation('message', messageRow().id, 'append', null);
    const goodRow = messageRow({ id: good.entityId });
    good.data = goodRow;
    const batch = [
      { id: 'not-a-uuid', entity: 'customer', entityId: 'x', op: 'upsert', data: {} },
      mutation('loyalty_card', 'card-1', 'append', {}),
      mutation('customer', 'cust-9', 'append', customerData({ firstName: 'A' }, stampAt(Date.now()))),
      mutation('customer', 'cust-9', 'upsert', customerData({ shoeSize: '44' }, stampAt(Date.now()))),
      mutation('message', 'msg-x', 'append', { ...messageRow(), id: 'msg-y' }),
      good,
      'not even an object',
      // Text PostgreSQL cannot hold: a NUL from a scanner, half a surrogate pair from a bad file.
      mutation(
        'customer',
        'cust-nul',
        'upsert',
        customerData({ firstName: 'Ade\u0000' }, stampAt(Date.now())),
      ),
      mutation('message', 'msg-bad', 'append', { ...messageRow({ id: 'msg-bad' }), recipient: 'x\ud800' }),
    ];
    const answer = await push(tillA.token, batch);
    expect(answer.results.map((r) => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'applied',
      'rejected',
      'rejected',
      'rejected',
    ]);
    const reasons = answer.results.map((r) => (r.status === 'rejected' ? r.reason : ''));
    expect(reasons[0]).toMatch(/^id: /);
    expect(reasons[1]).toBe('unknown entity "loyalty_card"');
    expect(reasons[2]).toBe('customer records are upserted, not "append"');
    expect(reasons[3]).toBe('unknown customer field shoeSize');
    expect(reasons[4]).toBe('the row id and the mutation entityId differ');
    expect(reasons[7]).toBe('data.fields.firstName.value: text with a NUL character cannot be stored');
    expect(reasons[8]).toMatch(/^data\.recipient: text with a broken character/);
    expect(answer.results[0]?.id).toBe('not-a-uuid');
    const page = await pull(tillB.token, answer.cursor - 1);
    expect(page.changes.map((c) => c.entityId)).toEqual([goodRow.id]);
  });

  it('answers a mutation id sent twice in one batch once, and the copy as a duplicate', async () => {
    const row = messageRow();
    const once = mutation('message', row.id, 'append', row);
    const before = await changeCount();
    const answer = await push(tillA.token, [once, once]);
    expect(answer.results).toEqual([
      { id: once.id, status: 'applied' },
      { id: once.id, status: 'applied', duplicate: true },
    ]);
    expect(await changeCount()).toBe(before + 1);
  });

  it('takes a gzip body', async () => {
    const rows = Array.from({ length: 200 }, () => messageRow());
    const body = gzipSync(
      JSON.stringify({
        deviceTime: Date.now(),
        mutations: rows.map((r) => mutation('message', r.id, 'append', r)),
      }),
    );
    const answer = await call<PushResponse>(server.url, 'POST', '/v1/push', {
      token: tillA.token,
      rawBody: body,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toHaveLength(200);
    expect(answer.body.results.every((r) => r.status === 'applied')).toBe(true);
  });

  it('refuses a batch that is empty or larger than the protocol allows', async () => {
    const empty = await call(server.url, 'POST', '/v1/push', {
      token: tillA.token,
      body: { deviceTime: Date.now(), mutations: [] },
    });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: { code: 'invalid_input' } });
    const tooMany = await call(server.url, 'POST', '/v1/push', {
      token: tillA.token,
      body: { deviceTime: Date.now(), mutations: Array.from({ length: 2_001 }, () => ({})) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { code: 'invalid_input', message: /mutations/ } });
  });

  it('applies a batch at most once when two pushes of it race', async () => {
    const rows = Array.from({ length: 60 }, () => saleRow());
    const batch = rows.map((r) => mutation('sale', r.id, 'append', r));
    const before = await changeCount();
    const [first, second] = await Promise.all([push(tillA.token, batch), push(tillA.token, batch)]);
    expect(await changeCount()).toBe(before + 60);
    const duplicates = [first, second].map(
      (a) => a.results.filter((r) => r.status === 'applied' && r.duplicate).length,
    );
    expect(duplicates.sort((a, b) => a - b)).toEqual([0, 60]);
    expect([first, second].every((a) => a.results.every((r) => r.status === 'applied'))).toBe(true);
    const recorded = await server.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM applied_mutations WHERE business_id = $1 AND mutation_id = ANY($2::uuid[])',
      [tillA.businessId, batch.map((m) => m.id)],
    );
    expect(recorded.rows[0]?.n).toBe(60);
  });
});

describe('any batch at all', () => {
  it('answers every mutation of an arbitrary batch, and never with a server error', async () => {
    const stamp = fc
      .record({
        wall: fc.integer({ min: 0, max: 999_999_999_999_999 }),
        counter: fc.integer({ min: 0, max: 65_535 }),
        node: fc.string({ minLength: 1, maxLength: 8 }).filter((n) => !/[\n\r]/.test(n)),
      })
      .map(formatHlc);
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 10 }),
      fc.constant('\u0000'),
    );
    const stamped = fc.record({ value: fc.option(text), hlc: stamp });
    const customer = fc.record({
      fields: fc.dictionary(fc.constantFrom(...REPLICA_FIELDS.customer, 'shoeSize'), stamped, { maxKeys: 5 }),
      preferences: fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), stamped, { maxKeys: 3 }),
      notes: fc.array(
        fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), text: fc.string(), hlc: stamp }),
        {
          maxLength: 3,
        },
      ),
    });
    const entityId = fc.constantFrom('fuzz-1', 'fuzz-2', 'fuzz-3');
    const oneMutation = fc.oneof(
      fc.record({
        id: fc.uuid(),
        entity: fc.constant('customer'),
        entityId,
        op: fc.constant('upsert'),
        data: customer,
      }),
      fc.record({
        id: fc.uuid(),
        entity: fc.constantFrom(...SYNC_ENTITIES, 'nonsense'),
        entityId,
        op: fc.constantFrom('upsert', 'append', 'resolve', 'delete'),
        data: fc.anything(),
      }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(oneMutation, { minLength: 1, maxLength: 15 }), async (mutations) => {
        const answer = await call<PushResponse>(server.url, 'POST', '/v1/push', {
          token: tillA.token,
          body: { deviceTime: Date.now(), mutations },
        });
        // A key such as __proto__ is refused whole (400); anything else gets a result per mutation.
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 400) return;
        expect(answer.body.results).toHaveLength(mutations.length);
        for (const result of answer.body.results) {
          expect(['applied', 'conflict', 'rejected']).toContain(result.status);
          if (result.status === 'rejected') expect(result.reason.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 80, seed: 1_234 },
    );
    expect((await call(server.url, 'GET', '/ready')).status).toBe(200);
  });
});

describe('many tills at once', () => {
  it('answers each of many concurrent pushes on its own, with its own cursor and origin', async () => {
    const tillC = await pairAnother(server.url, tillA.token, 'Till 3');
    const tills = [tillA, tillB, tillC];
    const start = (await ok<{ cursor: number }>(server.url, 'GET', '/v1/me', { token: tillA.token })).cursor;
    const sent = Array.from({ length: 30 }, (_, i) => ({
      till: tills[i % 3] ?? tillA,
      rows: [messageRow(), messageRow()],
    }));
    const answers = await Promise.all(
      sent.map(({ till, rows }) =>
        push(
          till.token,
          rows.map((row) => mutation('message', row.id, 'append', row)),
        ),
      ),
    );
    for (const answer of answers) expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // As if each had been pushed alone, one after the other: cursors 2 apart, none shared.
    const cursors = answers.map((a) => a.cursor).sort((a, b) => a - b);
    expect(cursors).toEqual(Array.from({ length: 30 }, (_, i) => start + 2 * (i + 1)));

    // Each change kept the till that made it: Till 1 pulls exactly Till 2's and Till 3's rows.
    const page = await pull(tillA.token, start, 500);
    const fromOthers = sent.filter(({ till }) => till !== tillA).flatMap(({ rows }) => rows.map((r) => r.id));
    expect(page.changes.map((c) => c.entityId).sort()).toEqual(fromOthers.sort());
    expect(page.cursor).toBe(start + 60);
    // Thirty pushes at once shared transactions: fewer groups than pushes.
    const metrics = await call<string>(server.url, 'GET', '/metrics');
    const groups = Number(/^kasuwa_push_group_batches_count (\d+)$/m.exec(metrics.body)?.[1]);
    const batches = Number(/^kasuwa_push_group_batches_sum (\d+)$/m.exec(metrics.body)?.[1]);
    expect(batches).toBeGreaterThan(groups);
  });
});

describe('pull', () => {
  it('pages in seq order, leaves out the caller’s own changes and still moves the cursor past them', async () => {
    const start = (await ok<{ cursor: number }>(server.url, 'GET', '/v1/me', { token: tillA.token })).cursor;
    const fromA = Array.from({ length: 12 }, () => messageRow());
    const fromB = Array.from({ length: 6 }, () => messageRow());
    // Interleaved: A, B, A, B … then the rest of A.
    for (let i = 0; i < 12; i += 1) {
      const rowA = fromA[i];
      if (rowA !== undefined) await push(tillA.token, [mutation('message', rowA.id, 'append', rowA)]);
      const rowB = fromB[i];
      if (rowB !== undefined) await push(tillB.token, [mutation('message', rowB.id, 'append', rowB)]);
    }
    const seen: string[] = [];
    let cursor = start;
    let pages = 0;
    for (;;) {
      const page = await pull(tillB.token, cursor, 5);
      pages += 1;
      expect(page.cursor).toBeGreaterThan(cursor);
      for (const change of page.changes) expect(change.seq).toBeGreaterThan(cursor);
      seen.push(...page.changes.map((c) => c.entityId));
      cursor = page.cursor;
      if (!page.hasMore) break;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toEqual(fromA.map((r) => r.id));
    expect(cursor).toBe(start + 18);
    // 18 changes in pages of 5: four pages, the last one short.
    expect(pages).toBe(4);

    const empty = await pull(tillB.token, cursor);
    expect(empty).toMatchObject({ changes: [], cursor, hasMore: false });
  });

  it('sends a large page gzipped to a client that accepts it', async () => {
    const address = new URL(server.url);
    const answer = await new Promise<{ encoding: string | undefined; bytes: number }>((resolve, reject) => {
      const request = http.get(
        {
          host: address.hostname,
          port: address.port,
          path: '/v1/pull?after=0&limit=500',
          headers: { authorization: `Bearer ${tillB.token}`, 'accept-encoding': 'gzip' },
        },
        (response) => {
          let bytes = 0;
          response.on('data', (chunk: Buffer) => (bytes += chunk.length));
          response.on('end', () => resolve({ encoding: response.headers['content-encoding'], bytes }));
        },
      );
      request.on('error', reject);
    });
    expect(answer.encoding).toBe('gzip');
    const plain = await call<PullResponse>(server.url, 'GET', '/v1/pull?after=0&limit=500', {
      token: tillB.token,
    });
    expect(JSON.stringify(plain.body).length).toBeGreaterThan(answer.bytes * 3);
  });

  it('refuses a bad cursor or limit with a sentence', async () => {
    for (const query of ['after=-1', 'after=abc', 'limit=0', 'limit=5001']) {
      const answer = await call(server.url, 'GET', `/v1/pull?${query}`, { token: tillA.token });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        error: { code: 'invalid_input', message: /^The pull query is not valid: / },
      });
    }
  });
});
