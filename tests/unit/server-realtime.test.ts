/**
 * Realtime notices across server processes: two server instances on one PostgreSQL database,
 * a counter's socket on instance B hears about a push that landed on instance A (LISTEN/NOTIFY,
 * delivered at commit), the hello carries the cursor, a revocation made through A closes the
 * socket on B, a socket that stops answering pings is dropped, and notices resume after
 * PostgreSQL restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PairResponse, PushResponse } from '../../shared/sync/protocol';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { connectRealtime } from '../support/realtime-client';
import {
  call,
  newBusiness,
  ok,
  pairAnother,
  startServerApp,
  type RunningServer,
} from '../support/sync-server-app';
import { messageRow, mutation } from '../support/sync-rows';

let cluster: PostgresCluster;
let serverA: RunningServer;
let serverB: RunningServer;
let till1: PairResponse;
let till2: PairResponse;

beforeAll(async () => {
  cluster = await startPostgres();
  serverA = await startServerApp({ url: cluster.url });
  serverB = await startServerApp({ url: cluster.url }, { heartbeatMs: 150 });
  till1 = await newBusiness(serverA.url, 'Two Replica Stores');
  till2 = await pairAnother(serverA.url, till1.token, 'Till 2');
});

afterAll(async () => {
  await serverA.close();
  await serverB.close();
  await cluster.stop();
});

const pushMessages = (server: RunningServer, token: string, count = 1) =>
  ok<PushResponse>(server.url, 'POST', '/v1/push', {
    token,
    body: {
      deviceTime: Date.now(),
      mutations: Array.from({ length: count }, () => {
        const row = messageRow();
        return mutation('message', row.id, 'append', row);
      }),
    },
  });

describe('realtime across two server instances', () => {
  it('greets with the cursor, then tells a socket on B about a push through A', async () => {
    const before = await pushMessages(serverA, till1.token, 2);
    const socket = await connectRealtime(serverB.url, till2.token);
    const hello = await socket.waitFor((n) => n.type === 'hello');
    expect(hello).toMatchObject({ type: 'hello', cursor: before.cursor });
    if (hello.type !== 'hello') throw new Error('expected the hello');
    expect(Math.abs(hello.serverTime - Date.now())).toBeLessThan(5_000);

    const pushed = await pushMessages(serverA, till1.token, 3);
    expect(await socket.waitFor((n) => n.type === 'changes' && n.cursor === pushed.cursor)).toEqual({
      type: 'changes',
      cursor: pushed.cursor,
    });
    socket.socket.close();
    await socket.closed;
  });

  it('takes the token as ?token= and says nothing for a push that changed nothing', async () => {
    const socket = await connectRealtime(serverB.url, till2.token, { via: 'query' });
    await socket.waitFor((n) => n.type === 'hello');
    const row = messageRow();
    const first = await ok<PushResponse>(serverA.url, 'POST', '/v1/push', {
      token: till1.token,
      body: { deviceTime: Date.now(), mutations: [mutation('message', row.id, 'append', row)] },
    });
    await socket.waitFor((n) => n.type === 'changes' && n.cursor === first.cursor);
    const count = socket.notices.length;
    // The same row again under a new mutation id: a duplicate, no change, so no notice.
    await ok<PushResponse>(serverA.url, 'POST', '/v1/push', {
      token: till1.token,
      body: { deviceTime: Date.now(), mutations: [mutation('message', row.id, 'append', row)] },
    });
    const marker = await pushMessages(serverA, till1.token);
    await socket.waitFor((n) => n.type === 'changes' && n.cursor === marker.cursor);
    expect(socket.notices.slice(count)).toEqual([{ type: 'changes', cursor: marker.cursor }]);
    socket.socket.close();
    await socket.closed;
  });

  it('counts open sockets in the metrics of the instance that holds them', async () => {
    const socket = await connectRealtime(serverB.url, till2.token);
    await socket.waitFor((n) => n.type === 'hello');
    const metricsB = await call<string>(serverB.url, 'GET', '/metrics');
    expect(metricsB.body).toMatch(/^kasuwa_realtime_sockets 1$/m);
    const metricsA = await call<string>(serverA.url, 'GET', '/metrics');
    expect(metricsA.body).toMatch(/^kasuwa_realtime_sockets 0$/m);
    socket.socket.close();
    await socket.closed;
  });

  it('closes the socket on B when the device is revoked through A', async () => {
    const doomed = await pairAnother(serverA.url, till1.token, 'Doomed till');
    const socket = await connectRealtime(serverB.url, doomed.token);
    await socket.waitFor((n) => n.type === 'hello');
    // B has seen the token just now (and remembers who it is).
    expect((await call(serverB.url, 'GET', '/v1/me', { token: doomed.token })).status).toBe(200);
    await ok(serverA.url, 'POST', `/v1/devices/${doomed.deviceId}/revoke`, { token: till1.token, body: {} });
    const closed = await Promise.race([
      socket.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('socket not closed')), 5_000)),
    ]);
    expect(closed).toEqual({ code: 4401, reason: 'device revoked' });
    // The notice that closed the socket also made B forget the device: the token is refused there.
    const refused = await call(serverB.url, 'GET', '/v1/me', { token: doomed.token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'revoked' } });
  });

  it('drops a socket that stops answering pings', async () => {
    const silent = await connectRealtime(serverB.url, till2.token, { autoPong: false });
    await silent.waitFor((n) => n.type === 'hello');
    // B pings every 150 ms and drops a socket that missed one pong.
    const closed = await Promise.race([
      silent.closed,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('silent socket kept')), 5_000)),
    ]);
    expect(closed.code).toBe(1006);
  });

  it('keeps notifying after PostgreSQL restarts', async () => {
    const socket = await connectRealtime(serverB.url, till2.token);
    await socket.waitFor((n) => n.type === 'hello');
    await cluster.kill();
    await cluster.restart();
    // The listener reconnects with backoff; pushes before that are announced on its return.
    const deadline = Date.now() + 20_000;
    let pushed: PushResponse | undefined;
    while (pushed === undefined && Date.now() < deadline) {
      pushed = await pushMessages(serverA, till1.token).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        return undefined;
      });
    }
    if (pushed === undefined) throw new Error('pushes did not resume after the restart');
    const cursor = pushed.cursor;
    expect(await socket.waitFor((n) => n.type === 'changes' && n.cursor >= cursor, 15_000)).toMatchObject({
      type: 'changes',
    });
    // And the listener is live again, not only announcing where things stood on its return.
    const after = await pushMessages(serverA, till1.token);
    await socket.waitFor((n) => n.type === 'changes' && n.cursor === after.cursor, 10_000);
    socket.socket.close();
    await socket.closed;
  });
});
