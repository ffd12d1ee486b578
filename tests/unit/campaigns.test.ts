import { afterEach, describe, expect, it } from 'vitest';
import type {
  MessageProvider,
  OutgoingMessage,
  SendOutcome,
} from '../../main/services/campaigns/providers/provider';
import { inQuietHours, quietHoursEnd } from '../../shared/campaigns/quiet-hours';
import { renderTemplate, SAMPLE_RECIPIENT } from '../../shared/campaigns/template';
import { uuidv7 } from '../../shared/ids';
import { smsSegments, ucs2Characters } from '../../shared/sms';
import { createProvider } from '../../main/services/campaigns/providers';
import { startFakeAfricasTalking, startFakeTermii } from '../support/fake-providers';
import { MemoryKeychain } from './fixtures';
import { newCustomer, openTestShop, type TestShop } from './shop';

describe('smsSegments (GSM 03.38)', () => {
  it.each([
    ['', 'GSM-7', 0, 160, 0],
    ['a'.repeat(160), 'GSM-7', 1, 160, 160],
    ['a'.repeat(161), 'GSM-7', 2, 153, 161],
    ['a'.repeat(306), 'GSM-7', 2, 153, 306],
    ['a'.repeat(307), 'GSM-7', 3, 153, 307],
    // Extension characters take two septets.
    ['€'.repeat(80), 'GSM-7', 1, 160, 160],
    ['€'.repeat(81), 'GSM-7', 2, 153, 162],
    ['[x]{y}~^|\\', 'GSM-7', 1, 160, 18],
    // One character outside the alphabet makes it all UCS-2.
    ['Pay ₦500', 'UCS-2', 1, 70, 8],
    ['“Hi”', 'UCS-2', 1, 70, 4],
    ['x'.repeat(70), 'GSM-7', 1, 160, 70],
    ['₦'.repeat(70), 'UCS-2', 1, 70, 70],
    ['₦'.repeat(71), 'UCS-2', 2, 67, 71],
    // An emoji outside the BMP is two UTF-16 code units.
    ['🎉', 'UCS-2', 1, 70, 2],
    ['é à ñ Ü Δ', 'GSM-7', 1, 160, 9],
  ])('%j → %s, %i page(s) of %i', (text, encoding, segments, charsPerSegment, length) => {
    expect(smsSegments(text)).toEqual({ encoding, segments, charsPerSegment, length });
  });

  it('names the characters that force UCS-2, once each', () => {
    expect(ucs2Characters('Pay ₦500 or ₦600 — “today”')).toEqual(['₦', '—', '“', '”']);
    expect(ucs2Characters('Plain text only')).toEqual([]);
  });
});

describe('templates', () => {
  const shop = { name: 'Mama Nkechi Provisions', phone: '0803 123 4567' };

  it('fills personal fields and falls back to words, never undefined', () => {
    const full = renderTemplate(
      'Hi {{first_name}}, you have {{points}} points ({{tier}}) at {{shop_name}}',
      SAMPLE_RECIPIENT,
      shop,
    );
    expect(full.text).toBe('Hi Adaeze, you have 1,250 points (Silver) at Mama Nkechi Provisions');
    expect(full.fellBack).toEqual([]);
    expect(full.parameters).toEqual(['Adaeze', '1,250', 'Silver', 'Mama Nkechi Provisions']);

    const bare = renderTemplate(
      'Hi {{first_name}} {{last_name}}, {{points}} points, born {{birthday}}, {{ shop_name }}.',
      { ...SAMPLE_RECIPIENT, firstName: '', lastName: '', displayName: '', points: null, birthday: null },
      { name: '', phone: '' },
    );
    expect(bare.text).toBe('Hi there, 0 points, born your birthday, our shop.');
    expect(bare.text).not.toContain('undefined');
    expect(bare.fellBack).toEqual(['first_name', 'last_name', 'points', 'birthday', 'shop_name']);
  });

  it('leaves unknown fields as written and reports them', () => {
    const result = renderTemplate('Hi {{frist_name}}', SAMPLE_RECIPIENT, shop);
    expect(result.text).toBe('Hi {{frist_name}}');
    expect(result.unknownFields).toEqual(['frist_name']);
  });
});

describe('quiet hours (Lagos time)', () => {
  const quiet = { start: '20:00', end: '08:00' };
  // Lagos is UTC+1: 19:59 Lagos is 18:59Z.
  it.each([
    ['2026-12-02T18:59:00Z', false],
    ['2026-12-02T19:00:00Z', true],
    ['2026-12-02T23:30:00Z', true],
    ['2026-12-03T06:59:00Z', true],
    ['2026-12-03T07:00:00Z', false],
    ['2026-12-03T12:00:00Z', false],
  ])('%s in quiet hours: %s', (iso, expected) => {
    expect(inQuietHours(Date.parse(iso), quiet)).toBe(expected);
  });

  it('waits until 08:00 Lagos the next morning', () => {
    expect(new Date(quietHoursEnd(Date.parse('2026-12-02T21:15:30Z'), quiet)).toISOString()).toBe(
      '2026-12-03T07:00:00.000Z',
    );
    expect(new Date(quietHoursEnd(Date.parse('2026-12-03T05:00:00Z'), quiet)).toISOString()).toBe(
      '2026-12-03T07:00:00.000Z',
    );
    const noon = Date.parse('2026-12-03T11:00:00Z');
    expect(quietHoursEnd(noon, quiet)).toBe(noon);
  });
});

/** A provider in memory for the loop's own rules; the adapters are tested against HTTP fakes. */
class RecordingProvider implements MessageProvider {
  readonly name = 'termii' as const;
  readonly channel = 'sms' as const;
  readonly delivered: OutgoingMessage[] = [];
  answers: SendOutcome['outcome'][] = [];

  send(message: OutgoingMessage): Promise<SendOutcome> {
    const next = this.answers.shift() ?? 'sent';
    if (next === 'retry')
      return Promise.resolve({ outcome: 'retry', reason: 'HTTP 503', retryAfterMs: 1000 });
    if (next === 'failed') return Promise.resolve({ outcome: 'failed', reason: 'HTTP 401: invalid API key' });
    if (next === 'undeliverable') return Promise.resolve({ outcome: 'undeliverable', reason: 'DND' });
    this.delivered.push(message);
    return Promise.resolve({
      outcome: 'sent',
      providerMessageId: `tm-${this.delivered.length}`,
      costKobo: null,
    });
  }

  settle(): Promise<{ outcome: 'unknown' }> {
    return Promise.resolve({ outcome: 'unknown' });
  }
}

describe('campaigns and the send loop', () => {
  let shop: TestShop;
  let provider: RecordingProvider;

  afterEach(() => shop.close());

  async function openShop() {
    provider = new RecordingProvider();
    shop = openTestShop({
      keychain: new MemoryKeychain(),
      createProvider: () => provider,
      random: () => 0.5,
    });
    // 11:00 Lagos, outside quiet hours.
    shop.clock.now = Date.parse('2026-12-02T10:00:00Z');
    await shop.campaigns.setCredentials({ provider: 'termii', apiKey: 'TL-secret' }, null);
    return shop;
  }

  function customers() {
    const ada = newCustomer(shop, '0803 111 2222', 'Ada', { consent: { sms: true } });
    const bayo = newCustomer(shop, '0802 333 4444', 'Bayo', { consent: { sms: true } });
    const chi = newCustomer(shop, '0805 555 6666', 'Chi', { consent: { sms: false } });
    return { ada, bayo, chi };
  }

  function smsTemplate(body = 'Hi {{first_name}}, 10% off at {{shop_name}} today') {
    return shop.campaigns.templates.save(
      { name: 'Promo', channel: 'sms', kind: 'promotional', body, subject: '', whatsappTemplate: null },
      null,
    );
  }

  const everyone = { definition: { match: 'all' as const, rules: [] } };

  it('prices before sending: consent filters, pages × rate, and the ₦ sign costs UCS-2 pages', async () => {
    await openShop();
    customers();
    const plain = smsTemplate();
    const estimate = shop.campaigns.campaigns.estimate({
      segment: everyone,
      templateId: plain.id,
      templateBId: null,
      scheduledAt: null,
    });
    expect(estimate).toMatchObject({ matching: 3, recipients: 2, excluded: { noConsent: 1, noAddress: 0 } });
    expect(estimate).toMatchObject({
      pagesPerMessage: 1,
      encoding: 'GSM-7',
      perMessageKobo: 1200,
      costKobo: 2400,
    });

    const naira = smsTemplate(`Hi {{first_name}}, ${'big sale '.repeat(7)}from ₦500`);
    const dear = shop.campaigns.campaigns.estimate({
      segment: everyone,
      templateId: naira.id,
      templateBId: null,
      scheduledAt: null,
    });
    expect(dear.encoding).toBe('UCS-2');
    expect(dear.pagesPerMessage).toBe(2);
    expect(dear.costKobo).toBe(2 * 2 * 1200);
  });

  it('sends each consenting customer one message, records delivery per carrier, and never sends twice', async () => {
    await openShop();
    customers();
    const template = smsTemplate();
    const campaign = shop.campaigns.campaigns.create(
      {
        name: 'December',
        segment: everyone,
        templateId: template.id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: null,
      },
      null,
    );
    expect(campaign.tally).toMatchObject({ recipients: 2, queued: 2 });
    await shop.campaigns.sender.pass();
    await shop.campaigns.sender.pass();
    expect(provider.delivered.map((m) => m.to).sort()).toEqual(['+2348023334444', '+2348031112222']);
    expect(provider.delivered[0]?.body).toMatch(/^Hi (Ada|Bayo), 10% off at Test Stores today$/);

    shop.campaigns.campaigns.recordReport({
      id: uuidv7(),
      provider: 'termii',
      providerMessageId: 'tm-1',
      reference: null,
      status: 'delivered',
      reason: null,
      at: shop.clock.now,
    });
    const results = shop.campaigns.campaigns.results(campaign.id);
    expect(results.state).toBe('done');
    expect(results.tally).toMatchObject({
      recipients: 2,
      sent: 1,
      delivered: 1,
      costKobo: 2400,
      deliveryRate: 1, // one delivered, one still without a report: only known fates count
    });
    expect(results.perCarrier.map((c) => [c.carrier, c.tally.delivered, c.tally.sent])).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/MTN|Airtel/), 1, 0],
        [expect.stringMatching(/MTN|Airtel/), 0, 1],
      ]),
    );
    // A repeated report and another pass change nothing.
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(2);
  });

  it('holds promotional SMS in quiet hours and sends at 08:00 Lagos', async () => {
    await openShop();
    customers();
    shop.clock.now = Date.parse('2026-12-02T20:30:00Z'); // 21:30 Lagos
    const campaign = shop.campaigns.campaigns.create(
      {
        name: 'Night',
        segment: everyone,
        templateId: smsTemplate().id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: null,
      },
      null,
    );
    expect(campaign.tally).toMatchObject({ waiting: 2 });
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(0);
    shop.clock.now = Date.parse('2026-12-03T07:00:01Z'); // 08:00 Lagos
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(2);
  });

  it('caps promotions at one per customer per 24 h, and a transactional message is not capped', async () => {
    await openShop();
    customers();
    const template = smsTemplate();
    const make = (name: string) =>
      shop.campaigns.campaigns.create(
        {
          name,
          segment: everyone,
          templateId: template.id,
          templateBId: null,
          splitPercent: 50,
          scheduledAt: null,
        },
        null,
      );
    make('First');
    await shop.campaigns.sender.pass();
    const second = make('Second');
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(2);
    expect(shop.campaigns.campaigns.summary(second.id).tally.waiting).toBe(2);
    const held = shop.campaigns.campaigns.messages({
      campaignId: second.id,
      status: 'waiting',
      offset: 0,
      limit: 10,
    });
    expect(held.rows[0]?.reason).toContain('Frequency cap');

    shop.clock.now += 24 * 60 * 60 * 1000 + 1000;
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(4);
    expect(shop.campaigns.campaigns.summary(second.id).state).toBe('done');
  });

  it('skips a customer who withdrew consent after the campaign was written, as opted-out', async () => {
    await openShop();
    const { ada } = customers();
    const campaign = shop.campaigns.campaigns.create(
      {
        name: 'Promo',
        segment: everyone,
        templateId: smsTemplate().id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: null,
      },
      null,
    );
    shop.customers.setConsent(
      { customerId: ada.id, channel: 'sms', granted: false, source: 'counter', wording: 'Customer asked' },
      null,
    );
    await shop.campaigns.sender.pass();
    expect(provider.delivered.map((m) => m.to)).toEqual(['+2348023334444']);
    expect(shop.campaigns.campaigns.summary(campaign.id).tally).toMatchObject({ sent: 1, optedOut: 1 });
  });

  it('a STOP reply relayed by sync withdraws consent with its wording, once however often it arrives', async () => {
    await openShop();
    const { ada } = customers();
    const optOut = {
      id: uuidv7(),
      channel: 'sms' as const,
      phone: '+2348031112222',
      text: 'STOP',
      provider: 'termii',
      at: shop.clock.now,
    };
    shop.db.sqlite.transaction(() => {
      shop.campaigns.campaigns.recordOptOut(optOut);
      shop.campaigns.campaigns.recordOptOut(optOut);
    })();
    const history = shop.customers.consentHistory(ada.id).filter((entry) => entry.channel === 'sms');
    expect(history.map((entry) => [entry.granted, entry.source, entry.wording])).toEqual([
      [false, 'STOP reply (termii)', 'STOP'],
      [true, 'counter', ''],
    ]);
    expect(
      shop.campaigns.campaigns.estimate({
        segment: everyone,
        templateId: smsTemplate().id,
        templateBId: null,
        scheduledAt: null,
      }).recipients,
    ).toBe(1);
  });

  it('retries 5xx with backoff, fails 401 with the reason, marks DND undeliverable', async () => {
    await openShop();
    customers();
    newCustomer(shop, '0809 777 8888', 'Dayo', { consent: { sms: true } });
    provider.answers = ['retry', 'failed', 'undeliverable'];
    const campaign = shop.campaigns.campaigns.create(
      {
        name: 'Mixed',
        segment: everyone,
        templateId: smsTemplate().id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: null,
      },
      null,
    );
    await shop.campaigns.sender.pass();
    let tally = shop.campaigns.campaigns.summary(campaign.id).tally;
    expect(tally).toMatchObject({ queued: 1, failed: 1, undeliverable: 1 });
    const failed = shop.campaigns.campaigns.messages({
      campaignId: campaign.id,
      status: 'failed',
      offset: 0,
      limit: 5,
    });
    expect(failed.rows[0]?.reason).toBe('HTTP 401: invalid API key');
    await shop.campaigns.sender.pass(); // not due yet: backoff
    expect(provider.delivered).toHaveLength(0);
    shop.clock.now += 60_000;
    await shop.campaigns.sender.pass();
    tally = shop.campaigns.campaigns.summary(campaign.id).tally;
    expect(tally).toMatchObject({ sent: 1, failed: 1, undeliverable: 1 });
  });

  it('a scheduled campaign writes its messages when its time comes; cancel holds the rest', async () => {
    await openShop();
    customers();
    const at = shop.clock.now + 2 * 60 * 60 * 1000;
    const campaign = shop.campaigns.campaigns.create(
      {
        name: 'Later',
        segment: everyone,
        templateId: smsTemplate().id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: at,
      },
      null,
    );
    expect(campaign).toMatchObject({ state: 'scheduled', tally: { recipients: 0 } });
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(0);
    shop.clock.now = at + 1;
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(2);

    const other = shop.campaigns.campaigns.create(
      {
        name: 'Cancelled',
        segment: everyone,
        templateId: smsTemplate().id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: at + 10 * 60 * 60 * 1000,
      },
      null,
    );
    expect(shop.campaigns.campaigns.cancel(other.id, null).state).toBe('cancelled');
  });

  it('splits A/B by a stable share and reports each variant', async () => {
    await openShop();
    for (let index = 0; index < 40; index += 1) {
      newCustomer(shop, `0803 200 ${String(1000 + index)}`, `C${index}`, { consent: { sms: true } });
    }
    const a = smsTemplate('A: hi {{first_name}}');
    const b = smsTemplate('B: hello {{first_name}}');
    const campaign = shop.campaigns.campaigns.create(
      {
        name: 'AB',
        segment: everyone,
        templateId: a.id,
        templateBId: b.id,
        splitPercent: 50,
        scheduledAt: null,
      },
      null,
    );
    await shop.campaigns.sender.pass();
    const results = shop.campaigns.campaigns.results(campaign.id);
    const [a2, b2] = results.templates.map((variant) => variant.tally.recipients);
    expect(results.templates.map((variant) => variant.variant)).toEqual(['A', 'B']);
    expect((a2 ?? 0) + (b2 ?? 0)).toBe(40);
    expect(a2).toBeGreaterThan(8);
    expect(b2).toBeGreaterThan(8);
    const bodies = provider.delivered.map((m) => m.body[0]);
    expect(bodies.filter((letter) => letter === 'B')).toHaveLength(b2 ?? -1);
  });

  it('birthday automation sends once a year per customer, however often it runs', async () => {
    await openShop();
    const template = smsTemplate('Happy birthday {{first_name}}!');
    newCustomer(shop, '0803 999 0000', 'Efe', { consent: { sms: true }, birthday: '12-02' });
    newCustomer(shop, '0803 999 0001', 'Femi', { consent: { sms: true }, birthday: '07-15' });
    shop.campaigns.campaigns.setTrigger(
      { trigger: 'birthday', enabled: true, templateId: template.id },
      null,
    );
    await shop.campaigns.sender.pass();
    expect(provider.delivered.map((m) => m.body)).toEqual(['Happy birthday Efe!']);
    shop.clock.now += 2 * 60 * 60 * 1000;
    await shop.campaigns.sender.pass();
    expect(provider.delivered).toHaveLength(1);
  });

  it('keeps provider secrets out of the database', async () => {
    await openShop();
    const dump = shop.db.sqlite
      .prepare(`SELECT group_concat(value, '') AS all_values FROM settings`)
      .get() as { all_values: string | null };
    const audit = shop.db.sqlite.prepare(`SELECT group_concat(details, '') AS d FROM audit_log`).get() as {
      d: string | null;
    };
    expect(dump.all_values ?? '').not.toContain('TL-secret');
    expect(audit.d ?? '').not.toContain('TL-secret');
    expect((await shop.campaigns.sender.status()).configured.termii).toBe(true);
  });

  it('an answer lost after the provider took the message is settled, never sent twice', async () => {
    const termii = await startFakeTermii({ apiKey: 'TL-secret' });
    const talking = await startFakeAfricasTalking({ apiKey: 'AT-secret', username: 'sandbox' });
    try {
      shop = openTestShop({
        keychain: new MemoryKeychain(),
        createProvider: (name, secret) => createProvider(name, shop.campaigns.settings.get(), secret),
      });
      shop.clock.now = Date.parse('2026-12-02T10:00:00Z');
      await shop.campaigns.setCredentials({ provider: 'termii', apiKey: 'TL-secret' }, null);
      await shop.campaigns.setCredentials({ provider: 'africastalking', apiKey: 'AT-secret' }, null);
      shop.campaigns.updateSettings(
        {
          termii: { baseUrl: termii.url, senderId: 'Test', channel: 'generic' },
          africastalking: { baseUrl: talking.url, username: 'sandbox', senderId: '' },
        },
        null,
      );
      customers();
      // Termii's history shows what it took: the message whose answer was lost is found there.
      termii.failNext(1, { answer: 'lost' });
      const first = shop.campaigns.campaigns.create(
        {
          name: 'Lost answers',
          segment: everyone,
          templateId: smsTemplate().id,
          templateBId: null,
          splitPercent: 50,
          scheduledAt: null,
        },
        null,
      );
      await shop.campaigns.sender.pass();
      expect(termii.accepted).toHaveLength(2);
      expect(shop.campaigns.campaigns.summary(first.id).tally).toMatchObject({ sent: 2, queued: 0 });
      const firstRows = shop.campaigns.campaigns.messages({
        campaignId: first.id,
        status: 'sent',
        offset: 0,
        limit: 5,
      });
      expect(firstRows.rows.map((row) => row.reason)).toEqual([null, null]);
      for (const message of termii.accepted) expect(termii.countTo(message.to)).toBe(1);
      shop.clock.now += 25 * 60 * 60 * 1000;
      await shop.campaigns.sender.pass();
      expect(termii.accepted).toHaveLength(2);

      // Africa's Talking has no history to ask: the message counts as sent, unconfirmed, not resent.
      shop.campaigns.updateSettings({ smsProvider: 'africastalking' }, null);
      talking.failNext(1, { answer: 'lost' });
      const second = shop.campaigns.campaigns.create(
        {
          name: 'Via AT',
          segment: everyone,
          templateId: smsTemplate().id,
          templateBId: null,
          splitPercent: 50,
          scheduledAt: null,
        },
        null,
      );
      await shop.campaigns.sender.pass();
      shop.clock.now += 60 * 60 * 1000;
      await shop.campaigns.sender.pass();
      expect(talking.accepted).toHaveLength(2);
      for (const message of talking.accepted) expect(talking.countTo(message.to)).toBe(1);
      const rows = shop.campaigns.campaigns.messages({
        campaignId: second.id,
        status: 'sent',
        offset: 0,
        limit: 5,
      }).rows;
      expect(rows).toHaveLength(2);
      expect(rows.filter((row) => row.reason?.startsWith('Unconfirmed'))).toHaveLength(1);
    } finally {
      await termii.close();
      await talking.close();
    }
  });
});
