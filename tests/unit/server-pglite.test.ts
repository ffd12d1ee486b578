/**
 * The sync server on its embedded default, PGlite in a data folder (no installed database):
 * pairing, a push with a merged conflict, pull from the other counter, a realtime notice
 * through PGlite's own LISTEN/NOTIFY, readiness, one server per folder, and the data still
 * there after the server closes and opens the folder again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  MeResponse,
  PairResponse,
  PullResponse,
  PushResponse,
  ReplicaData,
} from '../../shared/sync/protocol';
import { openDatabase } from '../../server/db/database';
import { connectRealtime } from '../support/realtime-client';
import {
  call,
  newBusiness,
  ok,
  pairAnother,
  startServerApp,
  type RunningServer,
} from '../support/sync-server-app';
import { customerData, mutation, saleRow, stampAt } from '../support/sync-rows';

let dataDir: string;
let server: RunningServer;
let till1: PairResponse;
let till2: PairResponse;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-pglite-'));
  server = await startServerApp({ dataDir });
  till1 = await newBusiness(server.url, 'Embedded Stores');
  till2 = await pairAnother(server.url, till1.token, 'Till 2');
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('on PGlite', () => {
  it('is ready, pushes, merges, pulls and notifies like on PostgreSQL', async () => {
    expect(server.db.kind).toBe('pglite');
    expect((await call(server.url, 'GET', '/ready')).status).toBe(200);
    const socket = await connectRealtime(server.url, till2.token);
    await socket.waitFor((n) => n.type === 'hello');

    const now = Date.now();
    const sale = saleRow();
    const first = await ok<PushResponse>(server.url, 'POST', '/v1/push', {
      token: till1.token,
      body: {
        deviceTime: now,
        mutations: [
          mutation(
            'customer',
            'c-1',
            'upsert',
            customerData({ firstName: 'Tunde' }, stampAt(now - 1_000, 'till-1')),
          ),
          mutation('sale', sale.id, 'append', sale),
        ],
      },
    });
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(await socket.waitFor((n) => n.type === 'changes' && n.cursor === first.cursor)).toBeDefined();

    const stale = await ok<PushResponse>(server.url, 'POST', '/v1/push', {
      token: till2.token,
      body: {
        deviceTime: now,
        mutations: [
          mutation(
            'customer',
            'c-1',
            'upsert',
            customerData({ firstName: 'T.' }, stampAt(now - 9_000, 'till-2')),
          ),
        ],
      },
    });
    expect(stale.results[0]).toMatchObject({ status: 'conflict', resolution: 'merged' });

    const page = await ok<PullResponse>(server.url, 'GET', '/v1/pull?after=0', { token: till2.token });
    expect(page.changes.map((c) => [c.entity, c.op])).toEqual([
      ['customer', 'upsert'],
      ['sale', 'append'],
    ]);
    expect((page.changes[0]?.data as ReplicaData).fields.firstName?.value).toBe('Tunde');
    expect(page.cursor).toBe(first.cursor);
    socket.socket.close();
    await socket.closed;
  });

  it('refuses a second server on the same folder while the first one runs', async () => {
    await expect(openDatabase({ dataDir }, { warn: () => undefined })).rejects.toThrow(
      /Another Kasuwa sync server \(process \d+\) is using/,
    );
    expect((await call(server.url, 'GET', '/ready')).status).toBe(200);
  });

  it('keeps everything when the server closes and opens the folder again', async () => {
    const before = await ok<MeResponse>(server.url, 'GET', '/v1/me', { token: till1.token });
    await server.close();
    server = await startServerApp({ dataDir });
    const after = await ok<MeResponse>(server.url, 'GET', '/v1/me', { token: till1.token });
    expect(after.cursor).toBe(before.cursor);
    expect(after.cursor).toBeGreaterThan(0);
    const customer = await ok<{ data: ReplicaData }>(server.url, 'GET', '/v1/customers/c-1', {
      token: till2.token,
    });
    expect(customer.data.fields.firstName?.value).toBe('Tunde');
  });
});
