/**
 * Providers' webhooks against a real PostgreSQL: each business's URLs (made once, the same for
 * every counter), delivery reports and STOP replies landing in that business's pull and realtime
 * notices and never in another's, a provider's retry appended once, clear 404s and 400s and never
 * a 500, pushed server-only rows refused, Meta's verification handshake, and the
 * X-Hub-Signature-256 check on a server that has the app secret. The same routes also run on the
 * embedded database once, since a single shop's server runs on PGlite.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkMutation,
  type Change,
  type MessageReportRow,
  type OptOutRow,
  type PairResponse,
  type PullResponse,
  type PushResponse,
} from '../../shared/sync/protocol';
import type { HookAnswer, HookUrls } from '../../server/hooks/routes';
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
import { mutation } from '../support/sync-rows';

const APP_SECRET = 'meta-app-secret-for-tests';

let cluster: PostgresCluster;
let server: RunningServer;
/** The same database behind a proxy it trusts, with Meta's app secret set. */
let secured: RunningServer;
let shopA: PairResponse;
let shopA2: PairResponse;
let shopB: PairResponse;
let hooksA: HookUrls;
let hooksB: HookUrls;

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startServerApp({ url: cluster.url });
  secured = await startServerApp({ url: cluster.url }, { whatsappAppSecret: APP_SECRET, trustProxy: true });
  shopA = await newBusiness(server.url, 'Mama Nkechi Provisions');
  shopA2 = await pairAnother(server.url, shopA.token, 'Till 2');
  shopB = await newBusiness(server.url, 'Alhaji Musa Electronics');
  hooksA = await ok<HookUrls>(server.url, 'GET', '/v1/hooks', { token: shopA.token });
  hooksB = await ok<HookUrls>(server.url, 'GET', '/v1/hooks', { token: shopB.token });
});

afterAll(async () => {
  await secured.close();
  await server.close();
  await cluster.stop();
});

/** The path of a webhook URL, to post it to whichever server instance. */
const pathOf = (url: string) => new URL(url).pathname;

const postJson = (base: string, url: string, body: unknown, headers: Record<string, string> = {}) =>
  call<HookAnswer>(base, 'POST', pathOf(url), { body, headers });

const postForm = (base: string, url: string, fields: Record<string, string>) =>
  call<HookAnswer>(base, 'POST', pathOf(url), {
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

async function pullAll(token: string, after = 0): Promise<Change[]> {
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const page = await ok<PullResponse>(server.url, 'GET', `/v1/pull?after=${cursor}&limit=500`, { token });
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return changes;
  }
}

async function changeCount(businessId: string): Promise<number> {
  const result = await server.db.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM changes WHERE business_id = $1',
    [businessId],
  );
  return result.rows[0]?.n ?? -1;
}

const cursorOf = async (token: string) =>
  (await ok<{ cursor: number }>(server.url, 'GET', '/v1/me', { token })).cursor;

const termiiReport = (messageId: string, status = 'DELIVERED') => ({
  type: 'outbound',
  id: '8248611476370959318',
  message_id: messageId,
  receiver: '2348031234567',
  sender: 'MamaNkechi',
  message: 'Sallah sale: 10% off rice this week',
  sent_at: '2026-06-12 10:29:01',
  cost: '3.9',
  status,
  channel: 'generic',
});

const whatsappEnvelope = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '2348012345678', phone_number_id: '106540352242922' },
            ...value,
          },
        },
      ],
    },
  ],
});

describe('webhook URLs', () => {
  it('hands each business its own URLs on its own origin, the same on every call and every counter', async () => {
    const key = pathOf(hooksA.termii).split('/').pop() ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hooksA).toEqual({
      termii: `${server.url}/hooks/termii/${key}`,
      africastalking: `${server.url}/hooks/africastalking/${key}`,
      whatsapp: `${server.url}/hooks/whatsapp/${key}`,
    });
    expect(await ok<HookUrls>(server.url, 'GET', '/v1/hooks', { token: shopA2.token })).toEqual(hooksA);
    expect(await ok<HookUrls>(server.url, 'GET', '/v1/hooks', { token: shopA.token })).toEqual(hooksA);
    expect(hooksB.termii).not.toBe(hooksA.termii);
  });

  it('believes X-Forwarded-Proto and -Host only on a server told to trust its proxy', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'sync.kasuwa.example' };
    const direct = await ok<HookUrls>(server.url, 'GET', '/v1/hooks', {
      token: shopA.token,
      headers: forwarded,
    });
    expect(direct.termii.startsWith(`${server.url}/hooks/termii/`)).toBe(true);
    const proxied = await ok<HookUrls>(secured.url, 'GET', '/v1/hooks', {
      token: shopA.token,
      headers: forwarded,
    });
    expect(proxied.termii).toBe(`https://sync.kasuwa.example${pathOf(hooksA.termii)}`);
  });

  it('needs a paired device', async () => {
    expect((await call(server.url, 'GET', '/v1/hooks')).status).toBe(401);
  });
});

describe('delivery reports and STOP replies', () => {
  it('turn into changes that business A’s counters pull (with a realtime notice) and business B never sees', async () => {
    const startA = await cursorOf(shopA.token);
    const startB = await cursorOf(shopB.token);
    const socket = await connectRealtime(server.url, shopA2.token);
    await socket.waitFor((n) => n.type === 'hello');

    const report = await postJson(server.url, hooksA.termii, termiiReport('5964465985113503103'));
    expect(report).toMatchObject({ status: 200, body: { added: 1, repeated: 0, ignored: 0 } });
    const stop = await postForm(server.url, hooksA.africastalking, {
      from: '+2348031234567',
      to: '32811',
      text: 'STOP',
      date: '2026-06-12 10:29:40',
      id: 'at-inbound-1',
      linkId: 'link-1',
    });
    expect(stop).toMatchObject({ status: 200, body: { added: 1 } });
    await socket.waitFor((n) => n.type === 'changes' && n.cursor === startA + 2);
    socket.socket.close();

    // Both tills of A pull both (no counter made them), and each reads as a counter checks a pull.
    for (const token of [shopA.token, shopA2.token]) {
      const pulled = await pullAll(token, startA);
      expect(pulled.map((c) => [c.seq, c.entity, c.op])).toEqual([
        [startA + 1, 'message_report', 'append'],
        [startA + 2, 'opt_out', 'append'],
      ]);
      for (const change of pulled) expect(checkMutation(change).ok).toBe(true);
      const [reportRow, optOutRow] = pulled.map((c) => c.data) as [MessageReportRow, OptOutRow];
      expect(reportRow).toMatchObject({
        provider: 'termii',
        providerMessageId: '5964465985113503103',
        reference: null,
        status: 'delivered',
        reason: null,
      });
      expect(pulled[0]?.entityId).toBe(reportRow.id);
      expect(optOutRow).toMatchObject({
        channel: 'sms',
        phone: '+2348031234567',
        text: 'STOP',
        provider: 'africastalking',
      });
    }
    const pulledByB = await pullAll(shopB.token, 0);
    expect(pulledByB.filter((c) => c.entity === 'message_report' || c.entity === 'opt_out')).toEqual([]);
    expect(await cursorOf(shopB.token)).toBe(startB);
  });

  it('appends a repeated webhook once', async () => {
    const body = termiiReport('777000111', 'DND Active on Phone Number');
    const first = await postJson(server.url, hooksA.termii, body);
    expect(first.body).toMatchObject({ added: 1, repeated: 0 });
    const before = await changeCount(shopA.businessId);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const again = await postJson(server.url, hooksA.termii, body);
      expect(again).toMatchObject({ status: 200, body: { added: 0, repeated: 1 } });
    }
    // Through another server instance too: the dedupe is in the database, not in a process.
    expect((await postJson(secured.url, hooksA.termii, body)).body).toMatchObject({ added: 0, repeated: 1 });
    // A later status of the same message is a report of its own.
    expect(
      (await postJson(server.url, hooksA.termii, termiiReport('777000111', 'Expired'))).body,
    ).toMatchObject({
      added: 1,
    });
    expect(await changeCount(shopA.businessId)).toBe(before + 1);

    const stop = { from: '+2348039998888', to: '32811', text: 'stop', id: 'at-inbound-2', date: '' };
    expect((await postForm(server.url, hooksA.africastalking, stop)).body).toMatchObject({ added: 1 });
    expect((await postForm(server.url, hooksA.africastalking, stop)).body).toMatchObject({
      added: 0,
      repeated: 1,
    });
  });

  it('reads a WhatsApp batch: read and delivered are one report, STOP an opt-out, other replies nothing', async () => {
    const start = await cursorOf(shopA.token);
    const status = (id: string, value: string) => ({
      id,
      status: value,
      timestamp: '1781256600',
      recipient_id: '2348031234567',
      biz_opaque_callback_data: '01890a5d-ac96-774b-bcce-b302099a8057',
    });
    const answer = await postJson(
      server.url,
      hooksA.whatsapp,
      whatsappEnvelope({
        statuses: [status('wamid.1', 'sent'), status('wamid.1', 'delivered'), status('wamid.1', 'read')],
        messages: [
          {
            from: '2348031234567',
            id: 'wamid.in.1',
            timestamp: '1781256700',
            type: 'text',
            text: { body: 'Stop.' },
          },
          {
            from: '2348031234567',
            id: 'wamid.in.2',
            timestamp: '1781256701',
            type: 'text',
            text: { body: 'Thanks!' },
          },
        ],
      }),
    );
    expect(answer).toMatchObject({ status: 200, body: { added: 3, repeated: 1, ignored: 1 } });
    const pulled = await pullAll(shopA.token, start);
    expect(
      pulled.map((c) => [c.entity, (c.data as { status?: string; channel?: string }).status ?? null]),
    ).toEqual([
      ['message_report', 'sent'],
      ['message_report', 'delivered'],
      ['opt_out', null],
    ]);
    expect(pulled[0]?.data).toMatchObject({
      provider: 'whatsapp-cloud',
      reference: '01890a5d-ac96-774b-bcce-b302099a8057',
      at: 1_781_256_600_000,
    });
    expect(pulled[2]?.data).toMatchObject({ channel: 'whatsapp', phone: '+2348031234567', text: 'Stop.' });
  });

  it('answers a webhook with nothing of use 200 and appends nothing', async () => {
    const before = await changeCount(shopA.businessId);
    const answer = await postJson(server.url, hooksA.termii, {
      type: 'device_status',
      status: 'disconnected',
    });
    expect(answer).toMatchObject({ status: 200, body: { added: 0, repeated: 0, ignored: 1 } });
    expect(await changeCount(shopA.businessId)).toBe(before);
  });
});

describe('refusals', () => {
  it('answers an unknown key or provider 404', async () => {
    const unknownKey = `/hooks/termii/${'x'.repeat(43)}`;
    expect(await call(server.url, 'POST', unknownKey, { body: termiiReport('1') })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect((await call(server.url, 'POST', '/hooks/termii/short', { body: termiiReport('1') })).status).toBe(
      404,
    );
    const key = pathOf(hooksA.termii).split('/').pop() ?? '';
    expect((await call(server.url, 'POST', `/hooks/twilio/${key}`, { body: termiiReport('1') })).status).toBe(
      404,
    );
  });

  it.each<[string, string, { body?: unknown; rawBody?: string; headers?: Record<string, string> }, RegExp]>([
    [
      'JSON that does not parse',
      'termii',
      { rawBody: '{"type":', headers: { 'content-type': 'application/json' } },
      /neither JSON nor form/,
    ],
    ['an empty body', 'termii', { rawBody: '', headers: { 'content-type': 'application/json' } }, /empty/],
    ['no body at all', 'whatsapp', {}, /empty/],
    [
      'a report without its message id',
      'termii',
      { body: { type: 'outbound', status: 'DELIVERED' } },
      /message_id/,
    ],
    [
      'a form that is neither a report nor a message',
      'africastalking',
      {
        rawBody: 'phoneNumber=%2B2348031234567',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      /Africa's Talking/,
    ],
    [
      'a WhatsApp body without entries',
      'whatsapp',
      { body: { object: 'whatsapp_business_account' } },
      /entry/,
    ],
    ['a Termii body at the WhatsApp URL', 'whatsapp', { body: termiiReport('1') }, /entry/],
    [
      'text PostgreSQL cannot store',
      'africastalking',
      {
        rawBody: 'from=%2B2348031234567&text=STOP%00&id=nul-1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      /NUL/,
    ],
  ])('answers %s 400 with the reason', async (_what, provider, options, reason) => {
    const before = await changeCount(shopA.businessId);
    const answer = await call<{ error: { code: string; message: string } }>(
      server.url,
      'POST',
      pathOf(hooksA[provider as keyof HookUrls]),
      options,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_input');
    expect(answer.body.error.message).toMatch(reason);
    expect(await changeCount(shopA.businessId)).toBe(before);
  });

  it('refuses message_report and opt_out rows pushed by a counter, with the reason', async () => {
    const report: MessageReportRow = {
      id: '01890a5d-ac96-774b-bcce-b302099a8057',
      provider: 'termii',
      providerMessageId: 'forged',
      reference: null,
      status: 'delivered',
      reason: null,
      at: Date.now(),
    };
    const optOut: OptOutRow = {
      id: '01890a5d-ac96-774b-bcce-b302099a8058',
      channel: 'sms',
      phone: '+2348031234567',
      text: 'STOP',
      provider: 'termii',
      at: Date.now(),
    };
    const before = await changeCount(shopA.businessId);
    const answer = await ok<PushResponse>(server.url, 'POST', '/v1/push', {
      token: shopA.token,
      body: {
        deviceTime: Date.now(),
        mutations: [
          mutation('message_report', report.id, 'append', report),
          mutation('opt_out', optOut.id, 'append', optOut),
        ],
      },
    });
    expect(answer.results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual([
      'message_report rows are written by the sync server, never pushed',
      'opt_out rows are written by the sync server, never pushed',
    ]);
    expect(await changeCount(shopA.businessId)).toBe(before);
  });
});

describe("Meta's verification and signature", () => {
  const verify = (base: string, key: string, query: Record<string, string>) =>
    fetch(`${base}/hooks/whatsapp/${key}?${new URLSearchParams(query).toString()}`);

  it('answers the handshake with the challenge as text when the verify token is the key', async () => {
    const key = pathOf(hooksA.whatsapp).split('/').pop() ?? '';
    const answer = await verify(server.url, key, {
      'hub.mode': 'subscribe',
      'hub.verify_token': key,
      'hub.challenge': '1158201444',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await answer.text()).toBe('1158201444');

    const wrongToken = await verify(server.url, key, {
      'hub.mode': 'subscribe',
      'hub.verify_token': 'guess',
      'hub.challenge': '1',
    });
    expect(wrongToken.status).toBe(403);
    const otherKey = pathOf(hooksB.whatsapp).split('/').pop() ?? '';
    const othersToken = await verify(server.url, key, {
      'hub.mode': 'subscribe',
      'hub.verify_token': otherKey,
      'hub.challenge': '1',
    });
    expect(othersToken.status).toBe(403);
    expect((await verify(server.url, key, { 'hub.verify_token': key, 'hub.challenge': '1' })).status).toBe(
      403,
    );
    const unknown = 'y'.repeat(43);
    expect(
      (
        await verify(server.url, unknown, {
          'hub.mode': 'subscribe',
          'hub.verify_token': unknown,
          'hub.challenge': '1',
        })
      ).status,
    ).toBe(404);
  });

  it('takes a WhatsApp post on a server with the app secret only when its signature matches its bytes', async () => {
    const text = JSON.stringify(
      whatsappEnvelope({
        statuses: [
          { id: 'wamid.signed', status: 'delivered', timestamp: '1781256600', recipient_id: '2348031234567' },
        ],
      }),
    );
    const sign = (secret: string, body: string) =>
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const post = (headers: Record<string, string>, body = text) =>
      call<HookAnswer>(secured.url, 'POST', pathOf(hooksA.whatsapp), {
        rawBody: body,
        headers: { 'content-type': 'application/json', ...headers },
      });

    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-hub-signature-256': sign('another-secret', text) })).status).toBe(401);
    expect((await post({ 'x-hub-signature-256': 'sha256=zz' })).status).toBe(401);
    // The same JSON with other spacing is other bytes: Meta's signature is over exactly what came.
    expect((await post({ 'x-hub-signature-256': sign(APP_SECRET, text) }, ` ${text}`)).status).toBe(401);
    const signed = await post({ 'x-hub-signature-256': sign(APP_SECRET, text) });
    expect(signed).toMatchObject({ status: 200, body: { added: 1 } });
    // A server without the secret takes it unsigned (the URL's key is then the only check).
    const unsigned = await call<HookAnswer>(server.url, 'POST', pathOf(hooksA.whatsapp), {
      rawBody: text,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned).toMatchObject({ status: 200, body: { added: 0, repeated: 1 } });
  });
});

describe('metrics', () => {
  it('counts webhooks by provider and outcome', async () => {
    const metrics = await call<string>(server.url, 'GET', '/metrics');
    const count = (provider: string, outcome: string) =>
      Number(
        new RegExp(
          `^kasuwa_webhooks_total\\{provider="${provider}",outcome="${outcome}"\\} (\\d+)$`,
          'm',
        ).exec(metrics.body)?.[1] ?? 0,
      );
    expect(count('termii', 'appended')).toBeGreaterThanOrEqual(3);
    expect(count('termii', 'duplicate')).toBeGreaterThanOrEqual(3);
    expect(count('termii', 'invalid')).toBeGreaterThanOrEqual(1);
    expect(count('termii', 'unknown_key')).toBeGreaterThanOrEqual(2);
    expect(count('unknown', 'unknown_key')).toBeGreaterThanOrEqual(1);
    expect(count('whatsapp', 'verified')).toBeGreaterThanOrEqual(1);
    expect(count('whatsapp', 'refused')).toBeGreaterThanOrEqual(1);
    expect(count('africastalking', 'appended')).toBeGreaterThanOrEqual(2);
    const securedMetrics = await call<string>(secured.url, 'GET', '/metrics');
    expect(securedMetrics.body).toMatch(
      /^kasuwa_webhooks_total\{provider="whatsapp",outcome="bad_signature"\} 4$/m,
    );
  });
});

describe('on the embedded database', () => {
  it('appends a report once and the business’s counter pulls it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-hooks-'));
    const embedded = await startServerApp({ dataDir });
    try {
      const shop = await newBusiness(embedded.url, 'Iya Basira Foods');
      const hooks = await ok<HookUrls>(embedded.url, 'GET', '/v1/hooks', { token: shop.token });
      const form = new URLSearchParams({ id: 'ATXid_1', status: 'Success', phoneNumber: '+2348031234567' });
      const post = () =>
        call<HookAnswer>(embedded.url, 'POST', pathOf(hooks.africastalking), {
          rawBody: form.toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      expect((await post()).body).toMatchObject({ added: 1 });
      expect((await post()).body).toMatchObject({ added: 0, repeated: 1 });
      const page = await ok<PullResponse>(embedded.url, 'GET', '/v1/pull?after=0', { token: shop.token });
      expect(page.changes.map((c) => [c.entity, (c.data as MessageReportRow).status])).toEqual([
        ['message_report', 'delivered'],
      ]);
    } finally {
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
