/**
 * The message provider adapters against local stand-ins that speak each provider's documented
 * shapes (tests/support/fake-providers.ts) and a real SMTP server: what each adapter sends, how
 * each kind of answer becomes an outcome, settling after a lost answer, and that no secret ever
 * reaches a reason. Nothing here leaves 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AfricasTalkingProvider,
  nairaCostKobo,
} from '../../main/services/campaigns/providers/africas-talking';
import { createProvider } from '../../main/services/campaigns/providers';
import { retryAfterMs, scrub } from '../../main/services/campaigns/providers/http';
import type {
  OutgoingMessage,
  SendOutcome,
  SettleOutcome,
} from '../../main/services/campaigns/providers/provider';
import { SmtpProvider, type SmtpConfig } from '../../main/services/campaigns/providers/smtp';
import { TermiiProvider, type TermiiConfig } from '../../main/services/campaigns/providers/termii';
import { WhatsAppCloudProvider } from '../../main/services/campaigns/providers/whatsapp-cloud';
import type { CampaignSettings } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import {
  startFakeAfricasTalking,
  startFakeTermii,
  startFakeWhatsAppCloud,
  startReportCollector,
  startSmtpServer,
  type FakeAfricasTalking,
  type FakeProvider,
  type FakeTermii,
  type ReportCollector,
  type TestSmtpServer,
} from '../support/fake-providers';

const SECRETS = {
  termii: 'TLtermiiKey3f9a7c21d0',
  africastalking: 'atsk_5b71e0c4a9d2f3e8',
  whatsapp: 'EAAGwaToken91c0ffeeZZ',
  smtp: 'smtp-Pass 7Hq!x&y=z',
};
const ALL_SECRETS = Object.values(SECRETS);

/** Every reason any adapter gave in this file, checked as it comes and once more at the end. */
const reasons: string[] = [];

function seen<T extends SendOutcome | SettleOutcome>(outcome: T): T {
  if ('reason' in outcome) {
    reasons.push(outcome.reason);
    for (const secret of ALL_SECRETS) expect(outcome.reason).not.toContain(secret);
  }
  return outcome;
}

function sms(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: uuidv7(),
    channel: 'sms',
    to: '+2348031234567',
    body: 'Hello Ada, 10% off all wrappers at Mama Tunde Stores this week.',
    subject: '',
    whatsappTemplate: null,
    kind: 'promotional',
    ...overrides,
  };
}

const live = () => new AbortController().signal;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function jsonOf(text: string): unknown {
  return JSON.parse(text) as unknown;
}

// ── Termii ────────────────────────────────────────────────────────────────────────────────────

describe('Termii', () => {
  let fake: FakeTermii;
  let collector: ReportCollector;
  const termii = (overrides: Partial<TermiiConfig> = {}) =>
    new TermiiProvider({
      baseUrl: fake.url,
      senderId: 'Kasuwa',
      route: 'generic',
      apiKey: SECRETS.termii,
      ...overrides,
    });

  beforeEach(async () => {
    collector = await startReportCollector();
    fake = await startFakeTermii({
      apiKey: SECRETS.termii,
      senderIds: ['Kasuwa'],
      callbackUrl: collector.url,
      dnd: ['+2348059990000'],
      signingSecret: 'termii-webhook-secret',
    });
  });
  afterEach(async () => {
    await fake.close();
    await collector.close();
  });

  it('sends the documented request and answers sent with Termii’s message id', async () => {
    const message = sms();
    const outcome = seen(await termii().send(message, live()));
    expect(fake.accepted).toHaveLength(1);
    expect(outcome).toEqual({
      outcome: 'sent',
      providerMessageId: fake.accepted[0]?.providerMessageId,
      costKobo: null,
    });
    expect(jsonOf(fake.lastSend?.body ?? '')).toEqual({
      api_key: SECRETS.termii,
      to: '2348031234567',
      from: 'Kasuwa',
      sms: message.body,
      type: 'plain',
      channel: 'generic',
    });
    expect(fake.countTo('+2348031234567')).toBe(1);

    await fake.reportsSettled();
    expect(collector.received).toHaveLength(1);
    const report = collector.received[0];
    expect(jsonOf(report?.body ?? '')).toMatchObject({
      type: 'outbound',
      message_id: fake.accepted[0]?.providerMessageId,
      receiver: '2348031234567',
      sender: 'Kasuwa',
      message: message.body,
      status: 'DELIVERED',
      channel: 'generic',
    });
    const signature = createHmac('sha512', 'termii-webhook-secret')
      .update(report?.body ?? '')
      .digest('hex');
    expect(report?.headers['x-termii-signature']).toBe(signature);
  });

  it('429 is a retry after Termii’s Retry-After, and nothing was taken', async () => {
    fake.failNext(1, { answer: 429, retryAfterSeconds: 7 });
    const outcome = seen(await termii().send(sms(), live()));
    expect(outcome).toMatchObject({ outcome: 'retry', retryAfterMs: 7_000 });
    expect(fake.accepted).toHaveLength(0);
    expect(seen(await termii().send(sms(), live())).outcome).toBe('sent');
  });

  it('5xx is a retry', async () => {
    fake.failNext(1, { answer: 500 });
    expect(seen(await termii().send(sms(), live()))).toEqual({
      outcome: 'retry',
      reason: 'Termii: HTTP 500: Server Error',
      retryAfterMs: null,
    });
  });

  it('a wrong API key fails for good without repeating any key', async () => {
    const outcome = seen(await termii({ apiKey: 'TLwrongKey000000' }).send(sms(), live()));
    expect(outcome).toEqual({
      outcome: 'failed',
      reason: 'Termii refused the API key (check it in Settings)',
    });
    expect(fake.accepted).toHaveLength(0);
  });

  it('400 fails with Termii’s own words; an unregistered sender ID too', async () => {
    fake.failNext(1, { answer: 400, message: 'Insufficient balance' });
    expect(seen(await termii().send(sms(), live()))).toEqual({
      outcome: 'failed',
      reason: 'Termii: HTTP 400: Insufficient balance',
    });
    expect(seen(await termii({ senderId: 'Unknown' }).send(sms(), live()))).toEqual({
      outcome: 'failed',
      reason: 'Termii: HTTP 404: Invalid Sender Id',
    });
    expect(seen(await termii({ senderId: '' }).send(sms(), live())).outcome).toBe('failed');
    expect(seen(await termii().send(sms({ to: '08031234567' }), live())).outcome).toBe('failed');
    expect(fake.requests).toBe(2);
  });

  it('a DND number on the generic route is taken and then reported DND; the dnd route delivers it', async () => {
    expect(seen(await termii().send(sms({ to: '+2348059990000' }), live())).outcome).toBe('sent');
    expect(seen(await termii({ route: 'dnd' }).send(sms({ to: '+2348059990000' }), live())).outcome).toBe(
      'sent',
    );
    await fake.reportsSettled();
    const statuses = collector.received.map((r) => {
      const report = jsonOf(r.body) as { status: string; channel: string };
      return `${report.channel}:${report.status}`;
    });
    expect(statuses.sort()).toEqual(['dnd:DELIVERED', 'generic:DND Active on Phone Number']);
  });

  it('a refusal that names DND is undeliverable', async () => {
    fake.failNext(1, { answer: 400, message: 'DND Active on Phone Number' });
    expect(seen(await termii().send(sms(), live()))).toEqual({
      outcome: 'undeliverable',
      reason: 'Termii: DND Active on Phone Number',
    });
  });

  it('an answer that echoes the API key has it scrubbed from the reason', async () => {
    fake.failNext(1, { answer: 400, message: `The api key ${SECRETS.termii} is not on this route` });
    const outcome = seen(await termii().send(sms(), live()));
    expect(outcome).toEqual({
      outcome: 'failed',
      reason: 'Termii: HTTP 400: The api key *** is not on this route',
    });
  });

  it('no answer in time, or no server at all, is a retry; only the first may have been taken', async () => {
    fake.failNext(1, { answer: 'silent' });
    expect(seen(await termii({ timeoutMs: 200 }).send(sms(), live()))).toMatchObject({
      outcome: 'retry',
      reason: expect.stringContaining('no answer from 127.0.0.1') as string,
      ambiguous: true,
    });
    const port = await closedPort();
    const outcome = seen(await termii({ baseUrl: `http://127.0.0.1:${port}` }).send(sms(), live()));
    expect(outcome).toEqual({
      outcome: 'retry',
      reason: `Termii: could not reach 127.0.0.1:${port} (ECONNREFUSED)`,
      retryAfterMs: null,
      ambiguous: false,
    });
  });

  it('the caller’s abort rejects rather than guessing an outcome', async () => {
    fake.failNext(1, { answer: 'silent' });
    const stop = new AbortController();
    const sending = termii().send(sms(), stop.signal);
    setTimeout(() => stop.abort(new Error('sender stopped')), 50);
    await expect(sending).rejects.toThrow('sender stopped');
  });

  it('settles a message whose answer was lost from the history: sent, with Termii’s id', async () => {
    const message = sms();
    const sentSince = Date.now();
    fake.failNext(1, { answer: 'lost' });
    expect(seen(await termii().send(message, live())).outcome).toBe('retry');
    expect(fake.countTo(message.to)).toBe(1);

    const settled = seen(await termii().settle(message, sentSince, live()));
    expect(settled).toEqual({ outcome: 'sent', providerMessageId: fake.accepted[0]?.providerMessageId });
    // A clock a little ahead of Termii's still finds it; one far ahead does not.
    expect((await termii().settle(message, sentSince + 30_000, live())).outcome).toBe('sent');
    expect((await termii().settle(message, sentSince + 5 * 60_000, live())).outcome).toBe('not-sent');
  });

  it('settles to not-sent when the history has no such message, or only an older one', async () => {
    const message = sms();
    const sentSince = Date.now();
    expect(seen(await termii().send(sms({ to: '+2348031111111' }), live())).outcome).toBe('sent');
    expect(seen(await termii().send(sms({ body: 'Another text' }), live())).outcome).toBe('sent');
    fake.addHistory({ to: message.to, text: message.body, at: sentSince - 3 * 3_600_000 });
    expect(seen(await termii().settle(message, sentSince, live()))).toEqual({ outcome: 'not-sent' });
  });

  it('settles unknown when the history cannot be read', async () => {
    const message = sms();
    fake.failNext(1, { answer: 500 });
    expect(await termii().settle(message, Date.now(), live())).toEqual({ outcome: 'unknown' });
    expect(await termii({ apiKey: 'TLwrongKey000000' }).settle(message, Date.now(), live())).toEqual({
      outcome: 'unknown',
    });
    const port = await closedPort();
    expect(await termii({ baseUrl: `http://127.0.0.1:${port}` }).settle(message, Date.now(), live())).toEqual(
      {
        outcome: 'unknown',
      },
    );
  });

  it('reads Termii’s zone-less history times so that a Lagos clock still matches', async () => {
    const lagos = await startFakeTermii({ apiKey: SECRETS.termii, clockOffsetHours: 1 });
    try {
      const adapter = new TermiiProvider({
        baseUrl: lagos.url,
        senderId: 'Kasuwa',
        route: 'dnd',
        apiKey: SECRETS.termii,
      });
      const message = sms();
      const sentSince = Date.now();
      lagos.failNext(1, { answer: 'lost' });
      expect(seen(await adapter.send(message, live())).outcome).toBe('retry');
      expect(await adapter.settle(message, sentSince, live())).toEqual({
        outcome: 'sent',
        providerMessageId: lagos.accepted[0]?.providerMessageId,
      });
    } finally {
      await lagos.close();
    }
  });
});

// ── Africa's Talking ─────────────────────────────────────────────────────────────────────────

describe("Africa's Talking", () => {
  let fake: FakeAfricasTalking;
  let collector: ReportCollector;
  const at = (overrides: { apiKey?: string; senderId?: string; username?: string } = {}) =>
    new AfricasTalkingProvider({
      baseUrl: fake.url,
      username: 'mamatunde',
      senderId: 'Kasuwa',
      apiKey: SECRETS.africastalking,
      ...overrides,
    });

  beforeEach(async () => {
    collector = await startReportCollector();
    fake = await startFakeAfricasTalking({
      username: 'mamatunde',
      apiKey: SECRETS.africastalking,
      senderId: 'Kasuwa',
      callbackUrl: collector.url,
      dnd: ['+2348059990000'],
    });
  });
  afterEach(async () => {
    await fake.close();
    await collector.close();
  });

  it('posts the documented form and answers sent with the message id and the cost in kobo', async () => {
    const message = sms();
    const outcome = seen(await at().send(message, live()));
    expect(outcome).toEqual({
      outcome: 'sent',
      providerMessageId: fake.accepted[0]?.providerMessageId,
      costKobo: 220,
    });
    expect(fake.accepted[0]?.providerMessageId).toMatch(/^ATXid_/);
    const request = fake.lastSend;
    expect(request?.headers.apikey).toBe(SECRETS.africastalking);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      username: 'mamatunde',
      to: '+2348031234567',
      message: message.body,
      from: 'Kasuwa',
    });

    await fake.reportsSettled();
    expect(collector.received).toHaveLength(1);
    expect(collector.received[0]?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(collector.received[0]?.body))).toEqual({
      id: fake.accepted[0]?.providerMessageId,
      status: 'Success',
      phoneNumber: '+2348031234567',
      networkCode: '62130',
      retryCount: '0',
    });
  });

  it('leaves out `from` without a sender ID; asks for enqueue only when told', async () => {
    expect(seen(await at({ senderId: '' }).send(sms(), live())).outcome).toBe('sent');
    expect(new URLSearchParams(fake.lastSend?.body).has('from')).toBe(false);
    const queued = new AfricasTalkingProvider({
      baseUrl: fake.url,
      username: 'mamatunde',
      senderId: 'Kasuwa',
      apiKey: SECRETS.africastalking,
      enqueue: true,
    });
    expect(seen(await queued.send(sms(), live())).outcome).toBe('sent');
    expect(new URLSearchParams(fake.lastSend?.body).get('enqueue')).toBe('1');
  });

  it('406 UserInBlacklist is undeliverable (DND)', async () => {
    expect(seen(await at().send(sms({ to: '+2348059990000' }), live()))).toEqual({
      outcome: 'undeliverable',
      reason: "Africa's Talking: UserInBlacklist (do-not-disturb)",
    });
    expect(fake.accepted).toHaveLength(0);
  });

  it('per-recipient refusals fail with the status as reason; 5xx statuses are retries', async () => {
    for (const [statusCode, status] of [
      [401, 'RiskHold'],
      [402, 'InvalidSenderId'],
      [403, 'InvalidPhoneNumber'],
      [404, 'UnsupportedNumberType'],
      [405, 'InsufficientBalance'],
      [407, 'CouldNotRoute'],
    ] as const) {
      fake.failNext(1, { answer: 'recipient', statusCode, status });
      expect(seen(await at().send(sms(), live()))).toEqual({
        outcome: 'failed',
        reason: `Africa's Talking: ${status}`,
      });
    }
    for (const [statusCode, status] of [
      [500, 'InternalServerError'],
      [501, 'GatewayError'],
      [502, 'RejectedByGateway'],
    ] as const) {
      fake.failNext(1, { answer: 'recipient', statusCode, status });
      expect(seen(await at().send(sms(), live()))).toEqual({
        outcome: 'retry',
        reason: `Africa's Talking: ${status}`,
        retryAfterMs: null,
      });
    }
    expect(fake.accepted).toHaveLength(0);
  });

  it('a refused sender ID (no recipients at all) fails', async () => {
    expect(seen(await at({ senderId: 'Other' }).send(sms(), live()))).toEqual({
      outcome: 'failed',
      reason: "Africa's Talking: InvalidSenderId",
    });
  });

  it('HTTP 401 fails; 429 retries after Retry-After; 500 retries; 400 fails', async () => {
    expect(seen(await at({ apiKey: 'atsk_wrong' }).send(sms(), live()))).toEqual({
      outcome: 'failed',
      reason: "Africa's Talking refused the username or API key (check them in Settings)",
    });
    expect(seen(await at({ username: 'someoneelse' }).send(sms(), live())).outcome).toBe('failed');
    fake.failNext(1, { answer: 429, retryAfterSeconds: 3 });
    expect(seen(await at().send(sms(), live()))).toMatchObject({ outcome: 'retry', retryAfterMs: 3_000 });
    fake.failNext(1, { answer: 500 });
    expect(seen(await at().send(sms(), live()))).toMatchObject({ outcome: 'retry', retryAfterMs: null });
    fake.failNext(1, { answer: 400, message: 'Invalid message length' });
    expect(seen(await at().send(sms(), live()))).toEqual({
      outcome: 'failed',
      reason: "Africa's Talking: HTTP 400: Invalid message length",
    });
    expect(fake.accepted).toHaveLength(0);
  });

  it('reads the price text into kobo without floating point, and never guesses', () => {
    expect(nairaCostKobo('NGN 2.2000')).toBe(220);
    expect(nairaCostKobo('NGN 0.8000')).toBe(80);
    expect(nairaCostKobo('NGN 4')).toBe(400);
    expect(nairaCostKobo('NGN 1.0050')).toBe(101);
    expect(nairaCostKobo('NGN 1.0049')).toBe(100);
    expect(nairaCostKobo('NGN 12.345')).toBe(1235);
    expect(nairaCostKobo(' NGN 0 ')).toBe(0);
    expect(nairaCostKobo('KES 0.8000')).toBeNull();
    expect(nairaCostKobo('0')).toBeNull();
    expect(nairaCostKobo('NGN -1')).toBeNull();
    expect(nairaCostKobo('')).toBeNull();
  });

  it('has no history to settle from: unknown', async () => {
    expect(await at().settle()).toEqual({ outcome: 'unknown' });
    expect(fake.requests).toBe(0);
  });
});

// ── WhatsApp Cloud API ───────────────────────────────────────────────────────────────────────

describe('WhatsApp Cloud API', () => {
  let fake: FakeProvider;
  let collector: ReportCollector;
  const wa = (accessToken = SECRETS.whatsapp, phoneNumberId = '106540352242922') =>
    new WhatsAppCloudProvider({ baseUrl: fake.url, phoneNumberId, accessToken });
  const templated = (parameters = ['Ada', '10%']) =>
    sms({ channel: 'whatsapp', whatsappTemplate: { name: 'weekly_offer', language: 'en', parameters } });

  beforeEach(async () => {
    collector = await startReportCollector();
    fake = await startFakeWhatsAppCloud({
      accessToken: SECRETS.whatsapp,
      phoneNumberId: '106540352242922',
      templates: { weekly_offer: 2, thank_you: 0 },
      callbackUrl: collector.url,
      appSecret: 'meta-app-secret',
      dnd: ['+2348059990000'],
    });
  });
  afterEach(async () => {
    await fake.close();
    await collector.close();
  });

  it('sends an approved template in the documented shape, our id as callback data', async () => {
    const message = templated();
    const outcome = seen(await wa().send(message, live()));
    const taken = fake.accepted[0];
    expect(outcome).toEqual({ outcome: 'sent', providerMessageId: taken?.providerMessageId, costKobo: null });
    expect(taken?.providerMessageId).toMatch(/^wamid\./);
    expect(taken?.reference).toBe(message.id);
    expect(fake.lastSend?.path).toBe('/v21.0/106540352242922/messages');
    expect(fake.lastSend?.headers.authorization).toBe(`Bearer ${SECRETS.whatsapp}`);
    expect(jsonOf(fake.lastSend?.body ?? '')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '2348031234567',
      biz_opaque_callback_data: message.id,
      type: 'template',
      template: {
        name: 'weekly_offer',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ada' },
              { type: 'text', text: '10%' },
            ],
          },
        ],
      },
    });
  });

  it('a template without variables has no components; a message without a template is text', async () => {
    const plain = sms({
      channel: 'whatsapp',
      whatsappTemplate: { name: 'thank_you', language: 'en', parameters: [] },
    });
    expect(seen(await wa().send(plain, live())).outcome).toBe('sent');
    expect(jsonOf(fake.lastSend?.body ?? '')).toMatchObject({
      template: { name: 'thank_you', language: { code: 'en' } },
    });
    expect(jsonOf(fake.lastSend?.body ?? '')).not.toHaveProperty('template.components');

    const session = sms({ channel: 'whatsapp', body: 'Your order is ready for pickup.' });
    expect(seen(await wa().send(session, live())).outcome).toBe('sent');
    expect(jsonOf(fake.lastSend?.body ?? '')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '2348031234567',
      biz_opaque_callback_data: session.id,
      type: 'text',
      text: { preview_url: false, body: 'Your order is ready for pickup.' },
    });
  });

  it('reports sent, then delivered or failed, in Meta’s webhook format, signed', async () => {
    const message = templated();
    expect(seen(await wa().send(message, live())).outcome).toBe('sent');
    await fake.reportsSettled();
    expect(collector.received).toHaveLength(2);
    const statuses = collector.received.map((report) => {
      expect(report.headers['x-hub-signature-256']).toBe(
        `sha256=${createHmac('sha256', 'meta-app-secret').update(report.body).digest('hex')}`,
      );
      const body = jsonOf(report.body) as {
        object: string;
        entry: {
          changes: { field: string; value: { metadata: unknown; statuses: Record<string, unknown>[] } }[];
        }[];
      };
      expect(body.object).toBe('whatsapp_business_account');
      const change = body.entry[0]?.changes[0];
      expect(change?.field).toBe('messages');
      expect(change?.value.metadata).toMatchObject({ phone_number_id: '106540352242922' });
      return change?.value.statuses[0];
    });
    expect(statuses.map((s) => s?.status).sort()).toEqual(['delivered', 'sent']);
    for (const status of statuses) {
      expect(status).toMatchObject({
        id: fake.accepted[0]?.providerMessageId,
        recipient_id: '2348031234567',
        biz_opaque_callback_data: message.id,
      });
    }
  });

  it('a bad token fails; 429 retries after Retry-After; pair rate limit and 5xx retry', async () => {
    expect(seen(await wa('EAAGexpired').send(templated(), live()))).toEqual({
      outcome: 'failed',
      reason: 'WhatsApp refused the access token (expired or revoked: renew it in Settings)',
    });
    fake.failNext(1, { answer: 429, retryAfterSeconds: 2 });
    expect(seen(await wa().send(templated(), live()))).toEqual({
      outcome: 'retry',
      reason: 'WhatsApp: (#130429) Rate limit hit',
      retryAfterMs: 2_000,
    });
    fake.failNext(1, { answer: 400, code: 131056, message: 'Pair rate limit hit' });
    expect(seen(await wa().send(templated(), live()))).toMatchObject({
      outcome: 'retry',
      retryAfterMs: null,
    });
    fake.failNext(1, { answer: 400, code: 80007, message: 'Rate limit issues' });
    expect(seen(await wa().send(templated(), live())).outcome).toBe('retry');
    fake.failNext(1, { answer: 500 });
    expect(seen(await wa().send(templated(), live())).outcome).toBe('retry');
    expect(fake.accepted).toHaveLength(0);
  });

  it('other 400s fail: a bad parameter, an unknown template, a wrong parameter count', async () => {
    fake.failNext(1, { answer: 400, code: 100, message: 'Invalid parameter' });
    expect(seen(await wa().send(templated(), live()))).toEqual({
      outcome: 'failed',
      reason: 'WhatsApp: HTTP 400: (#100) Invalid parameter',
    });
    const unknown = sms({
      channel: 'whatsapp',
      whatsappTemplate: { name: 'nope', language: 'en', parameters: [] },
    });
    expect(seen(await wa().send(unknown, live()))).toMatchObject({ outcome: 'failed' });
    expect(seen(await wa().send(templated(['Ada']), live()))).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('132000') as string,
    });
    expect(seen(await wa(SECRETS.whatsapp, '999').send(templated(), live())).outcome).toBe('failed');
    expect(fake.accepted).toHaveLength(0);
  });

  it('131026 is undeliverable', async () => {
    expect(seen(await wa().send(templated(), live()))).toMatchObject({ outcome: 'sent' });
    expect(seen(await wa().send(sms({ channel: 'whatsapp', to: '+2348059990000' }), live()))).toEqual({
      outcome: 'undeliverable',
      reason: 'WhatsApp: (#131026) Message undeliverable',
    });
  });

  it('has nothing to settle from: unknown', async () => {
    expect(await wa().settle()).toEqual({ outcome: 'unknown' });
  });
});

// ── SMTP ─────────────────────────────────────────────────────────────────────────────────────

describe('SMTP', () => {
  let server: TestSmtpServer;
  const open: SmtpProvider[] = [];
  const smtp = (overrides: Partial<SmtpConfig> = {}) => {
    const provider = new SmtpProvider({
      host: server.host,
      port: server.port,
      secure: false,
      username: 'shop@mamatunde.ng',
      password: SECRETS.smtp,
      from: 'Mama Tunde Stores <shop@mamatunde.ng>',
      ...overrides,
    });
    open.push(provider);
    return provider;
  };
  const email = (overrides: Partial<OutgoingMessage> = {}) =>
    sms({ channel: 'email', to: 'ada@example.ng', subject: 'This week at Mama Tunde', ...overrides });

  beforeEach(async () => {
    server = await startSmtpServer({ username: 'shop@mamatunde.ng', password: SECRETS.smtp });
  });
  afterEach(async () => {
    for (const provider of open.splice(0)) await provider.close();
    await server.close();
  });

  it('accepted is sent, with our Message-ID as the provider’s id', async () => {
    const message = email();
    const outcome = seen(await smtp().send(message, live()));
    expect(outcome).toEqual({ outcome: 'sent', providerMessageId: `<${message.id}@kasuwa>`, costKobo: null });
    expect(server.messages).toHaveLength(1);
    const received = server.messages[0];
    expect(received?.messageId).toBe(`<${message.id}@kasuwa>`);
    expect(received?.subject).toBe('This week at Mama Tunde');
    expect(received?.envelopeTo).toEqual(['ada@example.ng']);
    expect(received?.envelopeFrom).toBe('shop@mamatunde.ng');
    expect(received?.user).toBe('shop@mamatunde.ng');
    expect(received?.body).toContain('Hello Ada');
  });

  it('one pooled transporter carries many messages', async () => {
    const provider = smtp();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => provider.send(email({ to: `customer${i}@example.ng` }), live())),
    );
    expect(outcomes.every((o) => seen(o).outcome === 'sent')).toBe(true);
    expect(server.messages).toHaveLength(20);
  });

  it('451 is a retry, 550 fails', async () => {
    server.failNext(1, 451);
    expect(seen(await smtp().send(email(), live()))).toMatchObject({ outcome: 'retry', retryAfterMs: null });
    server.rejectRecipient('gone@example.ng', 550);
    expect(seen(await smtp().send(email({ to: 'gone@example.ng' }), live()))).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('550') as string,
    });
    expect(server.messages).toHaveLength(0);
  });

  it('a wrong password fails without repeating it; a server that is down is a retry', async () => {
    expect(seen(await smtp({ password: 'not-the-password' }).send(email(), live()))).toEqual({
      outcome: 'failed',
      reason: 'The SMTP server refused the username or password (check them in Settings)',
    });
    const port = await closedPort();
    expect(seen(await smtp({ port }).send(email(), live()))).toMatchObject({ outcome: 'retry' });
  });

  it('sends without logging in to a server that needs none', async () => {
    const anonymous = await startSmtpServer();
    const provider = smtp({ port: anonymous.port, username: '', password: '' });
    try {
      expect(seen(await provider.send(email(), live())).outcome).toBe('sent');
      expect(anonymous.messages[0]?.user).toBeNull();
    } finally {
      await provider.close();
      await anonymous.close();
    }
  });

  it('refuses what is not an email address, and has nothing to settle from', async () => {
    expect(seen(await smtp().send(email({ to: 'not an address' }), live())).outcome).toBe('failed');
    expect(await smtp().settle()).toEqual({ outcome: 'unknown' });
  });
});

// ── The factory, a campaign's worth, and secrets ─────────────────────────────────────────────

describe('createProvider', () => {
  it('builds each adapter from the settings and the keychain’s secret', async () => {
    const termii = await startFakeTermii({ apiKey: SECRETS.termii });
    const at = await startFakeAfricasTalking({ username: 'mamatunde', apiKey: SECRETS.africastalking });
    const whatsapp = await startFakeWhatsAppCloud({
      accessToken: SECRETS.whatsapp,
      phoneNumberId: '106540352242922',
    });
    const mail = await startSmtpServer({ password: SECRETS.smtp });
    const settings: CampaignSettings = {
      rates: { smsPageKobo: 400, whatsappKobo: 900, emailKobo: 0 },
      quietHours: { start: '20:00', end: '08:00' },
      frequencyCap: { messages: 3, hours: 168 },
      smsProvider: 'termii',
      termii: { baseUrl: termii.url, senderId: 'Kasuwa', channel: 'dnd' },
      africastalking: { baseUrl: at.url, username: 'mamatunde', senderId: '' },
      whatsapp: { baseUrl: whatsapp.url, phoneNumberId: '106540352242922' },
      smtp: { host: mail.host, port: mail.port, secure: false, username: 'shop', from: 'shop@mamatunde.ng' },
      throttlePerSecond: { termii: 10, africastalking: 10, 'whatsapp-cloud': 20, smtp: 5 },
    };
    try {
      const providers = [
        createProvider('termii', settings, SECRETS.termii),
        createProvider('africastalking', settings, SECRETS.africastalking),
        createProvider('whatsapp-cloud', settings, SECRETS.whatsapp),
        createProvider('smtp', settings, SECRETS.smtp),
      ];
      expect(providers.map((p) => `${p.name}/${p.channel}`)).toEqual([
        'termii/sms',
        'africastalking/sms',
        'whatsapp-cloud/whatsapp',
        'smtp/email',
      ]);
      for (const provider of providers) {
        const message =
          provider.channel === 'email'
            ? sms({ channel: 'email', to: 'ada@example.ng', subject: 'Hi' })
            : sms();
        expect(seen(await provider.send(message, live())).outcome).toBe('sent');
      }
      expect(jsonOf(termii.lastSend?.body ?? '')).toMatchObject({ channel: 'dnd', from: 'Kasuwa' });
      expect([
        termii.accepted.length,
        at.accepted.length,
        whatsapp.accepted.length,
        mail.messages.length,
      ]).toEqual([1, 1, 1, 1]);
      for (const provider of providers) await provider.close();
    } finally {
      await Promise.all([termii.close(), at.close(), whatsapp.close(), mail.close()]);
    }
  });
});

describe('a campaign’s worth through the fakes', () => {
  it('2,000 messages at 50 at a time: each recipient once, delivery per carrier as set', async () => {
    const collector = await startReportCollector();
    const fake = await startFakeTermii({
      apiKey: SECRETS.termii,
      callbackUrl: collector.url,
      failureShare: { '0803': 0.1, '0802': 0.25 },
    });
    try {
      const adapter = new TermiiProvider({
        baseUrl: fake.url,
        senderId: 'Kasuwa',
        route: 'dnd',
        apiKey: SECRETS.termii,
      });
      const prefixes = ['803', '802', '805', '809'];
      const numbers = Array.from(
        { length: 2_000 },
        (_, i) => `+234${prefixes[i % 4] ?? '803'}${String(1_000_000 + i).padStart(7, '0')}`,
      );
      let next = 0;
      let sent = 0;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          while (next < numbers.length) {
            const to = numbers[next] ?? '';
            next += 1;
            const outcome = await adapter.send(sms({ to }), live());
            if (outcome.outcome === 'sent') sent += 1;
          }
        }),
      );
      expect(sent).toBe(2_000);
      expect(fake.accepted).toHaveLength(2_000);
      expect(numbers.every((to) => fake.countTo(to) === 1)).toBe(true);

      await fake.reportsSettled();
      expect(fake.reports).toEqual({ posted: 2_000, failed: 0, dropped: 0 });
      const failedByPrefix = new Map<string, number>();
      for (const report of collector.received) {
        const { receiver, status } = jsonOf(report.body) as { receiver: string; status: string };
        if (status === 'Message Failed') {
          const prefix = receiver.slice(3, 6);
          failedByPrefix.set(prefix, (failedByPrefix.get(prefix) ?? 0) + 1);
        }
      }
      expect(Object.fromEntries(failedByPrefix)).toEqual({ '803': 50, '802': 125 });
    } finally {
      await fake.close();
      await collector.close();
    }
  });
});

describe('the shared HTTP ground', () => {
  it('reads Retry-After as seconds or a date', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(retryAfterMs(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it('scrubs secrets as written and as encoded, and keeps reasons short', () => {
    const secret = SECRETS.smtp;
    expect(scrub(`auth ${secret} and ${encodeURIComponent(secret)}`, [secret])).toBe('auth *** and ***');
    expect(scrub(new URLSearchParams({ api_key: secret }).toString(), [secret])).toBe('api_key=***');
    expect(scrub('x'.repeat(500), [])).toHaveLength(200);
  });

  it('no reason given anywhere in this file carries a secret', () => {
    expect(reasons.length).toBeGreaterThan(40);
    for (const reason of reasons) for (const secret of ALL_SECRETS) expect(reason).not.toContain(secret);
  });
});
