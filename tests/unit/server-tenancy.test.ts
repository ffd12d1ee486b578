/**
 * Tenancy and revocation against a real PostgreSQL: a second business's token reads and writes
 * nothing of the first (pull, pushes of the very same entity ids, customer reads, reports,
 * devices, revocation, pairing codes), and a revoked token stops working at once, its
 * realtime socket closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  DeviceInfo,
  PairResponse,
  PullResponse,
  PushResponse,
  ReplicaData,
  SalesReportDay,
} from '../../shared/sync/protocol';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { connectRealtime, refusedStatus } from '../support/realtime-client';
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

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startServerApp({ url: cluster.url });
});

afterAll(async () => {
  await server.close();
  await cluster.stop();
});

const push = (token: string, mutations: unknown[]) =>
  ok<PushResponse>(server.url, 'POST', '/v1/push', { token, body: { deviceTime: Date.now(), mutations } });

describe('two businesses on one server', () => {
  let shopA: PairResponse;
  let shopB: PairResponse;
  const saleDay = Date.parse('2026-05-02T10:00:00Z');
  const sale = saleRow({ totalKobo: 1_200_000, createdAt: saleDay });
  const message = messageRow();

  beforeAll(async () => {
    shopA = await newBusiness(server.url, 'Shop A');
    shopB = await newBusiness(server.url, 'Shop B');
    await push(shopA.token, [
      mutation(
        'customer',
        'shared-id',
        'upsert',
        customerData({ firstName: 'Aisha', phone: '+2348031119999' }, stampAt(Date.now() - 1_000)),
      ),
      mutation('sale', sale.id, 'append', sale),
      mutation('message', message.id, 'append', message),
    ]);
  });

  it('shows B nothing of A: pull, customers, reports, devices', async () => {
    const page = await ok<PullResponse>(server.url, 'GET', '/v1/pull?after=0', { token: shopB.token });
    expect(page).toMatchObject({ changes: [], cursor: 0, hasMore: false });
    expect((await call(server.url, 'GET', '/v1/customers/shared-id', { token: shopB.token })).status).toBe(
      404,
    );
    expect(
      (await call(server.url, 'GET', '/v1/customers?phone=%2B2348031119999', { token: shopB.token })).status,
    ).toBe(404);
    const report = await ok<SalesReportDay[]>(
      server.url,
      'GET',
      `/v1/reports/sales?from=${saleDay - 86_400_000}&to=${saleDay + 86_400_000}`,
      { token: shopB.token },
    );
    expect(report).toEqual([]);
    const devices = await ok<DeviceInfo[]>(server.url, 'GET', '/v1/devices', { token: shopB.token });
    expect(devices.map((d) => d.id)).toEqual([shopB.deviceId]);

    // A sees its own, so the reads above were answered from the right business, not from nowhere.
    expect((await call(server.url, 'GET', '/v1/customers/shared-id', { token: shopA.token })).status).toBe(
      200,
    );
    const reportA = await ok<SalesReportDay[]>(
      server.url,
      'GET',
      `/v1/reports/sales?from=${saleDay - 86_400_000}&to=${saleDay + 86_400_000}`,
      { token: shopA.token },
    );
    expect(reportA).toEqual([{ day: '2026-05-02', sales: 1, totalKobo: 1_200_000 }]);
  });

  it('lets B push the very same entity ids as its own rows, leaving A’s untouched', async () => {
    const later = stampAt(Date.now());
    const answer = await push(shopB.token, [
      mutation('customer', 'shared-id', 'upsert', customerData({ firstName: 'Bola' }, later)),
      // A different sale under A's sale id: for B it is simply a new sale, not a conflict.
      mutation('sale', sale.id, 'append', { ...saleRow({ id: sale.id, totalKobo: 5 }), createdAt: saleDay }),
      mutation('message', message.id, 'append', { ...message, status: 'failed' }),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(answer.results.some((r) => r.status === 'applied' && r.duplicate === true)).toBe(false);

    const customerA = await ok<{ data: ReplicaData }>(server.url, 'GET', '/v1/customers/shared-id', {
      token: shopA.token,
    });
    expect(customerA.data.fields.firstName?.value).toBe('Aisha');
    const customerB = await ok<{ data: ReplicaData }>(server.url, 'GET', '/v1/customers/shared-id', {
      token: shopB.token,
    });
    expect(customerB.data.fields.firstName?.value).toBe('Bola');
    expect(customerB.data.fields.phone).toBeUndefined();

    const reportA = await ok<SalesReportDay[]>(
      server.url,
      'GET',
      `/v1/reports/sales?from=${saleDay - 86_400_000}&to=${saleDay + 86_400_000}`,
      { token: shopA.token },
    );
    expect(reportA).toEqual([{ day: '2026-05-02', sales: 1, totalKobo: 1_200_000 }]);

    // A pulls only its own three changes' worth of seq, none of B's.
    const secondTill = await pairAnother(server.url, shopA.token, 'A till 2');
    const pageA = await ok<PullResponse>(server.url, 'GET', '/v1/pull?after=0', { token: secondTill.token });
    expect(pageA.changes).toHaveLength(3);
    expect((pageA.changes[0]?.data as ReplicaData).fields.firstName?.value).toBe('Aisha');
  });

  it('keeps mutation ids per business: B’s push under A’s very mutation ids is B’s own', async () => {
    const row = messageRow();
    const shared = mutation('message', row.id, 'append', row);
    expect((await push(shopA.token, [shared])).results).toEqual([{ id: shared.id, status: 'applied' }]);
    // Same mutation id, same row id, from the other business: new there, not a repeat.
    expect((await push(shopB.token, [shared])).results).toEqual([{ id: shared.id, status: 'applied' }]);
    const rows = await server.db.pool.query<{ business_id: string }>(
      'SELECT business_id FROM applied_mutations WHERE mutation_id = $1 ORDER BY business_id',
      [shared.id],
    );
    expect(rows.rows.map((r) => r.business_id).sort()).toEqual([shopA.businessId, shopB.businessId].sort());
  });

  it('refuses B revoking A’s device, and A’s device keeps working', async () => {
    const answer = await call(server.url, 'POST', `/v1/devices/${shopA.deviceId}/revoke`, {
      token: shopB.token,
    });
    expect(answer.status).toBe(404);
    expect((await call(server.url, 'GET', '/v1/me', { token: shopA.token })).status).toBe(200);
  });

  it('refuses B a pairing code for A’s branch', async () => {
    const answer = await call(server.url, 'POST', '/v1/pairing-codes', {
      token: shopB.token,
      body: { branchId: shopA.branchId },
    });
    expect(answer.status).toBe(404);
    const codes = await server.db.pool.query('SELECT 1 FROM pairing_codes WHERE business_id = $1', [
      shopA.businessId,
    ]);
    // Only the code A itself made for its second till.
    expect(codes.rowCount).toBe(1);
  });
});

describe('revocation', () => {
  it('stops a revoked token at once on every route and closes its realtime socket', async () => {
    const owner = await newBusiness(server.url, 'Revoking Shop');
    const lost = await pairAnother(server.url, owner.token, 'Stolen till');
    const socket = await connectRealtime(server.url, lost.token);
    await socket.waitFor((n) => n.type === 'hello');

    const devices = await ok<DeviceInfo[]>(server.url, 'POST', `/v1/devices/${lost.deviceId}/revoke`, {
      token: owner.token,
    });
    expect(devices.find((d) => d.id === lost.deviceId)?.revokedAt).toEqual(expect.any(Number));
    expect(devices.find((d) => d.id === owner.deviceId)?.revokedAt).toBeNull();

    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('socket not closed')), 5_000)),
    ]);
    expect(closed.code).toBe(4401);

    for (const [method, path] of [
      ['GET', '/v1/me'],
      ['GET', '/v1/pull?after=0'],
      ['GET', '/v1/devices'],
      ['POST', '/v1/pairing-codes'],
    ] as const) {
      const answer = await call(server.url, method, path, {
        token: lost.token,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 'revoked', message: /unpaired/ } });
    }
    const pushed = await call(server.url, 'POST', '/v1/push', {
      token: lost.token,
      body: {
        deviceTime: Date.now(),
        mutations: [mutation('message', 'm', 'append', messageRow({ id: 'm' }))],
      },
    });
    expect(pushed.status).toBe(401);
    expect(await refusedStatus(server.url, lost.token)).toBe(401);
    expect((await call(server.url, 'GET', '/v1/me', { token: owner.token })).status).toBe(200);
  });

  it('lets a counter unpair itself', async () => {
    const owner = await newBusiness(server.url, 'Unpairing Shop');
    const leaving = await pairAnother(server.url, owner.token, 'Old laptop');
    const devices = await ok<DeviceInfo[]>(server.url, 'POST', `/v1/devices/${leaving.deviceId}/revoke`, {
      token: leaving.token,
    });
    expect(devices).toHaveLength(2);
    expect((await call(server.url, 'GET', '/v1/me', { token: leaving.token })).status).toBe(401);
    expect((await call(server.url, 'GET', '/v1/me', { token: owner.token })).status).toBe(200);
  });

  it('answers an unknown or missing token with 401 unauthorized', async () => {
    const unknown = await call(server.url, 'GET', '/v1/me', { token: 'x'.repeat(43) });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: { code: 'unauthorized' } });
    const missing = await call(server.url, 'GET', '/v1/devices');
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ error: { code: 'unauthorized', message: /Bearer/ } });
    const malformed = await call(server.url, 'GET', '/v1/me', { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    expect(await refusedStatus(server.url, 'not-a-token')).toBe(401);
  });
});
