/**
 * Providers' webhook bodies read into delivery reports and inbound messages, as each provider
 * documents them: Termii's JSON notices, Africa's Talking's form fields, the WhatsApp Cloud API's
 * entry/changes envelope; DND and blacklist answers as undeliverable; STOP in its many written
 * forms and nothing that only contains it; senders' numbers in E.164.
 */
import { describe, expect, it } from 'vitest';
import {
  isStopReply,
  parseAfricasTalkingWebhook,
  parseTermiiWebhook,
  parseWhatsAppWebhook,
  senderPhone,
  type DeliveryReport,
  type WebhookBatch,
  type WebhookParse,
} from '../../shared/campaigns/webhooks';

const NOW = Date.parse('2026-06-12T09:30:00Z');

function batchOf(result: WebhookParse): WebhookBatch {
  if (!result.ok) throw new Error(`expected a batch, got: ${result.reason}`);
  return result.batch;
}

function onlyReport(result: WebhookParse): DeliveryReport {
  const { reports } = batchOf(result);
  expect(reports).toHaveLength(1);
  const [report] = reports;
  if (report === undefined) throw new Error('no report');
  return report;
}

describe('STOP replies', () => {
  it.each([
    'STOP',
    'stop',
    'Stop',
    '  stop  ',
    'STOP.',
    'stop!!',
    '"Stop"',
    'STOP ALL',
    'stop  all',
    'StopAll',
    'UNSUBSCRIBE',
    'Cancel',
    'END',
    'quit',
    'OPT OUT',
    'opt-out',
    'OptOut',
    'Stop promotions',
    'ＳＴＯＰ',
    '\nstop\n',
  ])('%j is a STOP', (text) => expect(isStopReply(text)).toBe(true));

  it.each([
    "don't stop",
    'Dont stop',
    'please stop sending me this',
    'stopped',
    'nonstop',
    'bus stop',
    'Thanks',
    '',
    '   ',
    'STOPP',
    'the end is near',
  ])('%j is not a STOP', (text) => expect(isStopReply(text)).toBe(false));
});

describe('senders in E.164', () => {
  it.each([
    ['2348031234567', '+2348031234567'],
    ['+2348031234567', '+2348031234567'],
    ['08031234567', '+2348031234567'],
    ['0803 123 4567', '+2348031234567'],
    ['2347069549231', '+2347069549231'],
    // Abroad: kept as the international number it is.
    ['447700900123', '+447700900123'],
    ['+1 650 555 1111', '+16505551111'],
  ])('%s → %s', (raw, e164) => expect(senderPhone(raw)).toBe(e164));

  it.each(['MTN-Promo', '32811', '', '+0123'])('%j is no phone number', (raw) =>
    expect(senderPhone(raw)).toBeNull(),
  );
});

describe('Termii', () => {
  const outbound = (status: string) => ({
    type: 'outbound',
    id: '8248611476370959318',
    message_id: '5964465985113503103',
    receiver: '2348031234567',
    sender: 'Kasuwa',
    message: 'Sallah sale: 10% off rice this week',
    sent_at: '2026-06-12 10:29:01',
    cost: '3.9',
    status,
    channel: 'generic',
  });

  it.each<[string, DeliveryReport['status'], string | null]>([
    ['DELIVERED', 'delivered', null],
    ['Delivered', 'delivered', null],
    ['DELIVERED | Message delivered to handset', 'delivered', null],
    ['Received', 'delivered', null],
    ['Message Sent', 'sent', null],
    ['Message Failed', 'failed', 'Message Failed'],
    ['Expired', 'failed', 'Expired'],
    ['DND Active on Phone Number', 'undeliverable', 'DND Active on Phone Number'],
    // Termii's docs: Rejected means do-not-disturb is active on the number.
    ['Rejected', 'undeliverable', 'Rejected'],
  ])('a report of %j is %s', (status, expected, reason) => {
    expect(onlyReport(parseTermiiWebhook(outbound(status), NOW))).toEqual({
      provider: 'termii',
      providerMessageId: '5964465985113503103',
      reference: null,
      status: expected,
      reason,
      at: NOW,
    });
  });

  it('takes a report without a type (as in an older example of Termii’s) and a numeric message id', () => {
    const { type: _type, ...untyped } = outbound('DELIVERED');
    expect(onlyReport(parseTermiiWebhook({ ...untyped, message_id: 5964465985113503 }, NOW))).toMatchObject({
      providerMessageId: '5964465985113503',
      status: 'delivered',
    });
  });

  it('reads an inbound message with its sender in E.164 and its own time', () => {
    const batch = batchOf(
      parseTermiiWebhook(
        {
          type: 'inbound',
          id: '8248611476370959318',
          message_id: '3905204342778053556',
          receiver: '12022214836',
          sender: '2347069549231',
          message: 'STOP ',
          received_at: '2026-06-12T08:51:03.000000Z',
          cost: null,
          command: 'Received',
          status: 'Received',
          channel: null,
        },
        NOW,
      ),
    );
    expect(batch.reports).toEqual([]);
    expect(batch.inbound).toEqual([
      {
        provider: 'termii',
        channel: 'sms',
        messageId: '3905204342778053556',
        phone: '+2347069549231',
        text: 'STOP ',
        at: Date.parse('2026-06-12T08:51:03Z'),
      },
    ]);
  });

  it('keeps a WhatsApp reply that came through Termii on the WhatsApp channel', () => {
    const batch = batchOf(
      parseTermiiWebhook(
        { type: 'inbound', message_id: 'w-1', sender: '2348031234567', message: 'stop', channel: 'whatsapp' },
        NOW,
      ),
    );
    expect(batch.inbound[0]).toMatchObject({ channel: 'whatsapp', at: NOW });
  });

  it('ignores device notices and statuses it does not know', () => {
    expect(
      batchOf(parseTermiiWebhook({ type: 'device_status', status: 'disconnected', device_id: 'd' }, NOW)),
    ).toEqual({ reports: [], inbound: [], ignored: 1 });
    expect(batchOf(parseTermiiWebhook(outbound('Queued at carrier'), NOW)).ignored).toBe(1);
  });

  it.each<[string, unknown, RegExp]>([
    ['a report without message_id', { type: 'outbound', status: 'DELIVERED' }, /message_id/],
    ['a report without status', { type: 'outbound', message_id: '1', status: '' }, /status/],
    ['an inbound without ids', { type: 'inbound', sender: '2348031234567', message: 'STOP' }, /message_id/],
    ['an object of nothing', {}, /no type and no status/],
    ['an array', [1, 2], /Termii/],
    ['text', 'DELIVERED', /Termii/],
    ['a type that is an object', { type: { a: 1 } }, /type/],
  ])('refuses %s with a reason', (_what, body, reason) => {
    const result = parseTermiiWebhook(body, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("Africa's Talking", () => {
  const report = (status: string, failureReason?: string) => ({
    id: 'ATXid_0f0e2b4cd41e5bbdfd2cd5f1dd4d6d2c',
    status,
    phoneNumber: '+2348031234567',
    networkCode: '62130',
    retryCount: '0',
    ...(failureReason === undefined ? {} : { failureReason }),
  });

  it.each<[string, string | undefined, DeliveryReport['status'], string | null]>([
    ['Success', undefined, 'delivered', null],
    ['Sent', undefined, 'sent', null],
    ['Submitted', undefined, 'sent', null],
    ['Buffered', undefined, 'sent', null],
    ['Failed', 'DeliveryFailure', 'failed', 'DeliveryFailure'],
    ['Failed', undefined, 'failed', 'Failed'],
    ['Rejected', 'UserInBlacklist', 'undeliverable', 'UserInBlacklist'],
    ['Rejected', 'UserInBlackList', 'undeliverable', 'UserInBlackList'],
    ['Failed', 'UserIsInactive', 'failed', 'UserIsInactive'],
    ['AbsentSubscriber', undefined, 'failed', 'AbsentSubscriber'],
    ['Expired', undefined, 'failed', 'Expired'],
  ])('a %s report (%s) is %s', (status, failureReason, expected, reason) => {
    expect(onlyReport(parseAfricasTalkingWebhook(report(status, failureReason), NOW))).toEqual({
      provider: 'africastalking',
      providerMessageId: 'ATXid_0f0e2b4cd41e5bbdfd2cd5f1dd4d6d2c',
      reference: null,
      status: expected,
      reason,
      at: NOW,
    });
  });

  it('reads an incoming SMS', () => {
    const batch = batchOf(
      parseAfricasTalkingWebhook(
        {
          from: '+2348031234567',
          to: '32811',
          text: 'Stop',
          date: '2026-06-12 10:29:40',
          id: 'a5bd5a7c-1f0b-4b8c-9b0f-9b5b6f1f6a2e',
          linkId: 'SampleLinkId123',
        },
        NOW,
      ),
    );
    expect(batch.inbound).toEqual([
      {
        provider: 'africastalking',
        channel: 'sms',
        messageId: 'a5bd5a7c-1f0b-4b8c-9b0f-9b5b6f1f6a2e',
        phone: '+2348031234567',
        text: 'Stop',
        // A date without a zone is not trusted: the arrival time stands.
        at: NOW,
      },
    ]);
  });

  it('ignores a status it does not know', () => {
    expect(batchOf(parseAfricasTalkingWebhook(report('Queued'), NOW)).ignored).toBe(1);
  });

  it.each<[string, unknown]>([
    ['a report without id', { status: 'Success', phoneNumber: '+2348031234567' }],
    ['an incoming message without id', { from: '+2348031234567', text: 'STOP' }],
    ['neither', { phoneNumber: '+2348031234567', senderId: 'Kasuwa' }],
    ['an array', ['id', 'status']],
    ['nested values', { id: 'x', status: { value: 'Success' } }],
  ])('refuses %s', (_what, body) => expect(parseAfricasTalkingWebhook(body, NOW).ok).toBe(false));
});

describe('WhatsApp Cloud API', () => {
  const envelope = (value: Record<string, unknown>, field = 'messages') => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field,
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
  const status = (fields: Record<string, unknown>) => ({
    id: 'wamid.HBgLMjM0ODAzMTIzNDU2NxUCABEYEjdCQzQ2RkE0QkNCMDU4QjNFAA==',
    timestamp: '1781256600',
    recipient_id: '2348031234567',
    ...fields,
  });

  it.each<[Record<string, unknown>, Partial<DeliveryReport>]>([
    [{ status: 'sent' }, { status: 'sent', reason: null }],
    [{ status: 'delivered' }, { status: 'delivered', reason: null }],
    [{ status: 'read' }, { status: 'delivered', reason: null }],
    [
      {
        status: 'failed',
        errors: [
          {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message undeliverable',
            error_data: { details: 'Unable to deliver message.' },
          },
        ],
      },
      { status: 'undeliverable', reason: '131026 Message undeliverable: Unable to deliver message.' },
    ],
    [
      { status: 'failed', errors: [{ code: 131050, title: 'User has stopped marketing messages' }] },
      { status: 'undeliverable', reason: '131050 User has stopped marketing messages' },
    ],
    [
      { status: 'failed', errors: [{ code: 131047, title: 'Re-engagement message' }] },
      { status: 'failed', reason: '131047 Re-engagement message' },
    ],
    [{ status: 'failed' }, { status: 'failed', reason: 'failed' }],
  ])('a status %j', (fields, expected) => {
    expect(onlyReport(parseWhatsAppWebhook(envelope({ statuses: [status(fields)] }), NOW))).toEqual({
      provider: 'whatsapp-cloud',
      providerMessageId: 'wamid.HBgLMjM0ODAzMTIzNDU2NxUCABEYEjdCQzQ2RkE0QkNCMDU4QjNFAA==',
      reference: null,
      at: 1_781_256_600_000,
      ...expected,
    });
  });

  it('carries our message id back from biz_opaque_callback_data', () => {
    const report = onlyReport(
      parseWhatsAppWebhook(
        envelope({
          statuses: [
            status({ status: 'delivered', biz_opaque_callback_data: '01890a5d-ac96-774b-bcce-b302099a8057' }),
          ],
        }),
        NOW,
      ),
    );
    expect(report.reference).toBe('01890a5d-ac96-774b-bcce-b302099a8057');
  });

  it('reads text, template-button and interactive replies, and ignores media', () => {
    const batch = batchOf(
      parseWhatsAppWebhook(
        envelope({
          contacts: [{ profile: { name: 'Bose' }, wa_id: '2348031234567' }],
          messages: [
            {
              from: '2348031234567',
              id: 'wamid.A',
              timestamp: '1781256601',
              type: 'text',
              text: { body: 'STOP' },
            },
            {
              from: '2348031234567',
              id: 'wamid.B',
              timestamp: '1781256602',
              type: 'button',
              button: { text: 'Stop promotions', payload: 'STOP_PROMOS' },
            },
            {
              from: '2348031234567',
              id: 'wamid.C',
              timestamp: '1781256603',
              type: 'interactive',
              interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Unsubscribe' } },
            },
            {
              from: '2348031234567',
              id: 'wamid.D',
              timestamp: '1781256604',
              type: 'image',
              image: { id: 'm' },
            },
          ],
        }),
        NOW,
      ),
    );
    expect(batch.inbound.map(({ messageId, text, phone, at }) => [messageId, text, phone, at])).toEqual([
      ['wamid.A', 'STOP', '+2348031234567', 1_781_256_601_000],
      ['wamid.B', 'Stop promotions', '+2348031234567', 1_781_256_602_000],
      ['wamid.C', 'Unsubscribe', '+2348031234567', 1_781_256_603_000],
    ]);
    expect(batch.inbound.every((m) => m.channel === 'whatsapp' && m.provider === 'whatsapp-cloud')).toBe(
      true,
    );
    expect(batch.ignored).toBe(1);
  });

  it('takes many entries and changes at once, and skips fields other than messages', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        ...envelope({ statuses: [status({ status: 'sent' }), status({ id: 'wamid.2', status: 'read' })] })
          .entry,
        ...envelope({ statuses: [status({ id: 'wamid.3', status: 'delivered' })] }).entry,
        ...envelope({ event: 'APPROVED' }, 'message_template_status_update').entry,
      ],
    };
    const batch = batchOf(parseWhatsAppWebhook(body, NOW));
    expect(batch.reports.map((r) => [r.providerMessageId, r.status])).toEqual([
      ['wamid.HBgLMjM0ODAzMTIzNDU2NxUCABEYEjdCQzQ2RkE0QkNCMDU4QjNFAA==', 'sent'],
      ['wamid.2', 'delivered'],
      ['wamid.3', 'delivered'],
    ]);
    expect(batch.ignored).toBe(1);
  });

  it('uses the arrival time when a timestamp is not seconds', () => {
    expect(
      onlyReport(
        parseWhatsAppWebhook(envelope({ statuses: [status({ status: 'sent', timestamp: 'soon' })] }), NOW),
      ).at,
    ).toBe(NOW);
  });

  it.each<[string, unknown, RegExp]>([
    ['no entry', { object: 'whatsapp_business_account' }, /entry/],
    ['another object', { object: 'page', entry: [] }, /object is "page"/],
    ['a status without id', envelope({ statuses: [{ status: 'sent' }] }), /statuses\.0\.id/],
    ['entries that are not a list', { entry: { changes: [] } }, /entry/],
    ['a number', 42, /WhatsApp/],
  ])('refuses %s with a reason', (_what, body, reason) => {
    const result = parseWhatsAppWebhook(body, NOW);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
