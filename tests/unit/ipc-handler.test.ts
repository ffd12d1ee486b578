/**
 * The one handler wrapper, with the real handler table on a real shop database: foreign senders
 * refused before anything runs, unknown channels refused, every channel's input validated
 * (1,000 generated malformed payloads each), and a service exception turned into an
 * `internal` envelope and a log line, never a rejected promise.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi, type Mock } from 'vitest';
import { createDispatch, handleInvoke, type Dispatch, type HandlerTable } from '../../main/ipc/handler';
import { createHandlerTable } from '../../main/ipc/index';
import { printInBrowser } from '../../main/ipc/sales';
import { EventBus } from '../../main/services/app/event-bus';
import type { Log } from '../../main/services/app/log';
import { ShopRuntime } from '../../main/services/app/runtime';
import { NoUpdates } from '../../main/services/updates/update-service';
import { channelNames, channels, type ChannelInput, type ChannelName } from '../../shared/contract';
import { INTERNAL_ERROR_MESSAGE, KasuwaError, type Envelope } from '../../shared/errors';
import { MemoryKeychain, migrations, recordingLog, setupInput, tempDir } from './fixtures';

const TRUSTED_SENDER = { senderFrame: { url: 'app://kasuwa/index.html' } };
const PIN = '482915';

let scratch: ReturnType<typeof tempDir>;
let runtime: ShopRuntime;
let table: HandlerTable;

beforeAll(async () => {
  scratch = tempDir('kasuwa-ipc-');
  runtime = new ShopRuntime({
    dataDir: scratch.dir,
    keychain: new MemoryKeychain(),
    migrations,
    version: 'test',
    events: new EventBus(),
    log: recordingLog(),
  });
  expect(await runtime.start()).toMatchObject({ state: 'ready' });
  table = createHandlerTable({
    runtime,
    updates: new NoUpdates('Unit tests have no updater.'),
    events: new EventBus(),
    print: printInBrowser,
  });
});

afterAll(() => {
  runtime.close();
  scratch.remove();
});

type LogMethod = Log['error'];
type SpyLog = { [K in keyof Log]: Mock<LogMethod> };

function spyLog(): SpyLog {
  return {
    debug: vi.fn<LogMethod>(),
    info: vi.fn<LogMethod>(),
    warn: vi.fn<LogMethod>(),
    error: vi.fn<LogMethod>(),
  };
}

/** The real table with one handler replaced. */
function withHandler<C extends ChannelName>(channel: C, handler: HandlerTable[C]): HandlerTable {
  return { ...table, [channel]: handler };
}

function errorOf(envelope: Envelope<unknown>): { code: string; message: string; details?: unknown } {
  if (envelope.ok) throw new Error(`expected an error envelope, got ${JSON.stringify(envelope)}`);
  return envelope.error;
}

function valueOf(envelope: Envelope<unknown>): unknown {
  if (!envelope.ok) throw new Error(`expected a value, got ${JSON.stringify(envelope.error)}`);
  return envelope.value;
}

describe('handleInvoke: the sender frame', () => {
  const hostile = [
    'https://evil.example',
    'https://evil.example/index.html',
    'file:///etc/passwd',
    'app://kasuwa.evil/',
    'app://evil@kasuwa/',
    'app://kasuwa:8080/index.html',
    'http://kasuwa/index.html',
    'http://127.0.0.1:5170/',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,hello',
    '',
  ];

  it.each(hostile)('refuses a call from %j before the handler runs', async (url) => {
    const real = table['app:status'];
    const spy = vi.fn(real);
    const log = spyLog();
    const dispatch = createDispatch(withHandler('app:status', spy), log);
    const envelope = await handleInvoke(dispatch, log, { senderFrame: { url } }, 'app:status', undefined);
    expect(errorOf(envelope).code).toBe('forbidden_sender');
    expect(spy).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledWith('ipc from a foreign sender refused', {
      channel: 'app:status',
      url,
    });
  });

  it('refuses a call without a sender frame (a frame that went away)', async () => {
    const spy = vi.fn(table['business:get']);
    const log = spyLog();
    const dispatch = createDispatch(withHandler('business:get', spy), log);
    const envelope = await handleInvoke(dispatch, log, { senderFrame: null }, 'business:get', undefined);
    expect(errorOf(envelope).code).toBe('forbidden_sender');
    expect(spy).not.toHaveBeenCalled();
  });

  it('checks the sender before the channel and the input', async () => {
    const dispatch = vi.fn<Dispatch>(() => Promise.resolve({ ok: true, value: null }));
    const foreign = { senderFrame: { url: 'https://evil.example' } };
    for (const [channel, input] of [
      ['no:such', undefined],
      ['staff:verifyPin', { pin: 'not a pin' }],
      ['business:setup', setupInput()],
    ] as const) {
      expect(errorOf(await handleInvoke(dispatch, spyLog(), foreign, channel, input)).code).toBe(
        'forbidden_sender',
      );
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it.each(['app://kasuwa/index.html', 'app://kasuwa/index.html#/settings', 'app://kasuwa/'])(
    'answers a call from our own page %j',
    async (url) => {
      const spy = vi.fn(table['app:status']);
      const dispatch = createDispatch(withHandler('app:status', spy), spyLog());
      const envelope = await handleInvoke(
        dispatch,
        spyLog(),
        { senderFrame: { url } },
        'app:status',
        undefined,
      );
      expect(valueOf(envelope)).toMatchObject({ state: 'ready', keyStorage: 'keychain', version: 'test' });
      expect(spy).toHaveBeenCalledTimes(1);
    },
  );
});

describe('createDispatch', () => {
  it.each([
    ['app:quit'],
    ['APP:STATUS'],
    ['constructor'],
    ['__proto__'],
    ['toString'],
    ['hasOwnProperty'],
    [''],
  ])('refuses the channel %j, which is not in the contract', async (name) => {
    const envelope = await handleInvoke(createDispatch(table, spyLog()), spyLog(), TRUSTED_SENDER, name, {});
    expect(errorOf(envelope)).toEqual({
      code: 'unknown_channel',
      message: 'Kasuwa does not know that request.',
    });
  });

  it('refuses channel names that are not strings', async () => {
    const dispatch = createDispatch(table, spyLog());
    for (const name of [42, null, undefined, {}, ['app:status'], Symbol('app:status')]) {
      expect(errorOf(await dispatch(name, undefined)).code).toBe('unknown_channel');
    }
  });

  it('turns a plain Error inside a service into an internal envelope with a human sentence and a log line', async () => {
    const log = spyLog();
    const failure = new Error('SQLITE_IOERR: disk I/O error at /home/ada/.config/Kasuwa/kasuwa.db');
    const dispatch = createDispatch(
      withHandler('settings:get', () => {
        throw failure;
      }),
      log,
    );
    const envelope = await handleInvoke(dispatch, log, TRUSTED_SENDER, 'settings:get', undefined);
    expect(envelope).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
    expect(errorOf(envelope).message).not.toContain('SQLITE');
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error).toHaveBeenCalledWith('handler failed', { channel: 'settings:get', error: failure });
  });

  it('does the same for a rejected promise and for a thrown non-Error', async () => {
    const log = spyLog();
    const rejecting = createDispatch(
      withHandler('audit:verify', () => Promise.reject(new TypeError('x is undefined'))),
      log,
    );
    await expect(rejecting('audit:verify', undefined)).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE },
    });
    const throwingString = createDispatch(
      withHandler('staff:list', () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a careless dependency might do
        throw 'a string';
      }),
      log,
    );
    expect(errorOf(await throwingString('staff:list', undefined)).code).toBe('internal');
    expect(log.error).toHaveBeenCalledTimes(2);
  });

  it("passes a service's own KasuwaError on with its code, sentence and details, without logging it as a failure", async () => {
    const log = spyLog();
    const dispatch = createDispatch(
      withHandler('business:get', () => {
        throw new KasuwaError('not_found', 'The shop is not set up yet.', { hint: 'setup' });
      }),
      log,
    );
    expect(await dispatch('business:get', undefined)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'The shop is not set up yet.', details: { hint: 'setup' } },
    });
    expect(log.error).not.toHaveBeenCalled();
  });

  it('answers invalid_input with the field and a sentence, without calling the service', async () => {
    const spy = vi.fn(table['staff:verifyPin']);
    const dispatch = createDispatch(withHandler('staff:verifyPin', spy), spyLog());
    const error = errorOf(await dispatch('staff:verifyPin', { pin: '12' }));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('(pin)');
    expect(error.message).toContain('A PIN is 4 to 6 digits');
    expect(error.details).toEqual([{ path: ['pin'], message: 'A PIN is 4 to 6 digits' }]);
    expect(spy).not.toHaveBeenCalled();
  });

  it('runs the real services end to end: setup, profile, PIN, settings, audit, updates', async () => {
    const dispatch = createDispatch(table, spyLog());
    const call = (channel: ChannelName, input?: unknown) =>
      handleInvoke(dispatch, spyLog(), TRUSTED_SENDER, channel, input);

    expect(valueOf(await call('business:get'))).toBeNull();
    const badPhone = errorOf(await call('business:setup', setupInput({ phone: '+44 7700 900123' })));
    expect(badPhone.code).toBe('invalid_input');
    expect(badPhone.details).toEqual([
      { path: ['business', 'phone'], message: expect.stringMatching(/Nigerian/) as string },
    ]);
    expect(valueOf(await call('business:get'))).toBeNull();

    expect(valueOf(await call('business:setup', setupInput({}, PIN)))).toMatchObject({
      name: 'Mama Nkechi Provisions',
      phone: '+2348031234567',
    });
    expect(errorOf(await call('business:setup', setupInput())).code).toBe('already_done');
    expect(valueOf(await call('app:status'))).toMatchObject({ state: 'ready', setupDone: true });
    expect(valueOf(await call('staff:verifyPin', { pin: PIN }))).toMatchObject({
      role: 'owner',
      active: true,
    });
    expect(errorOf(await call('staff:verifyPin', { pin: '000000' })).code).toBe('unauthorized');
    expect(valueOf(await call('staff:list'))).toEqual([
      expect.objectContaining({ name: 'Nkechi Obi', role: 'owner' }),
    ]);
    expect(valueOf(await call('settings:update', { receiptFooter: 'Na gode!' }))).toMatchObject({
      receiptFooter: 'Na gode!',
    });
    expect(valueOf(await call('settings:get'))).toMatchObject({
      receiptFooter: 'Na gode!',
      updateFeedUrl: null,
    });
    expect(valueOf(await call('audit:list', {}))).toHaveLength(3);
    expect(valueOf(await call('audit:verify'))).toEqual({
      intact: true,
      checkedRows: 3,
      firstBrokenSeq: null,
    });
    expect(valueOf(await call('updates:status'))).toEqual({
      state: 'disabled',
      reason: 'Unit tests have no updater.',
    });
    expect(valueOf(await call('updates:check'))).toMatchObject({ state: 'disabled' });
    expect(errorOf(await call('app:unlock', { passphrase: 'anything' })).code).toBe('already_done');
  });

  it('answers locked for domain channels while the database is not open', async () => {
    const locked = tempDir('kasuwa-ipc-locked-');
    try {
      const keychain = new MemoryKeychain();
      keychain.broken = true;
      const lockedRuntime = new ShopRuntime({
        dataDir: locked.dir,
        keychain,
        migrations,
        version: 'test',
        events: new EventBus(),
        log: recordingLog(),
      });
      await lockedRuntime.start();
      const dispatch = createDispatch(
        createHandlerTable({
          runtime: lockedRuntime,
          updates: new NoUpdates(''),
          events: new EventBus(),
          print: printInBrowser,
        }),
        spyLog(),
      );
      expect(valueOf(await dispatch('app:status', undefined))).toMatchObject({
        state: 'needs-passphrase',
        firstRun: true,
      });
      for (const channel of ['business:get', 'staff:list', 'settings:get', 'audit:verify'] as const) {
        expect(errorOf(await dispatch(channel, undefined)).code).toBe('locked');
      }
      const mismatch = errorOf(
        await dispatch('app:createPassphrase', { passphrase: 'correct horse', confirm: 'correct h0rse' }),
      );
      expect(mismatch.code).toBe('invalid_input');
      expect(mismatch.message).toContain('The two passphrases are not the same');
    } finally {
      locked.remove();
    }
  });
});

const ID = '0196f0b4-0000-7000-8000-000000000001';
const OTHER_ID = '0196f0b4-0000-7000-8000-000000000002';

/** One well-formed input per channel: the seeds that malformed payloads are mutated from. */
const VALID: { [C in ChannelName]: ChannelInput<C> } = {
  'app:status': undefined,
  'app:createPassphrase': { passphrase: 'correct horse battery', confirm: 'correct horse battery' },
  'app:unlock': { passphrase: 'correct horse battery' },
  'business:get': undefined,
  'business:setup': setupInput(),
  'business:update': { name: 'Mama Nkechi Provisions', state: 'Lagos', phone: '0803 123 4567' },
  'staff:list': undefined,
  'staff:verifyPin': { pin: '1234' },
  'settings:get': undefined,
  'settings:update': { receiptFooter: 'Thank you!', updateFeedUrl: 'https://updates.kasuwa.ng/feed' },
  'audit:list': { limit: 20, beforeSeq: 10 },
  'audit:verify': undefined,
  'updates:status': undefined,
  'updates:check': undefined,
  'staff:create': { name: 'Musa Bello', role: 'manager', pin: '5555', ownerPin: '1234' },
  'staff:setActive': { id: ID, active: false, ownerPin: '1234' },
  'customers:search': { query: '0803 12', limit: 50 },
  'customers:list': { sort: 'spend', direction: 'desc', offset: 0, limit: 50 },
  'customers:get': { id: ID },
  'customers:create': { firstName: 'Ngozi', phone: '0803 555 1234', consent: { sms: true } },
  'customers:update': { id: ID, firstName: 'Ngozi', phone: '0803 555 1234' },
  'customers:archive': { id: ID, archived: true },
  'customers:merge': { keepId: ID, mergeId: OTHER_ID },
  'customers:setConsent': { customerId: ID, channel: 'sms', granted: false, source: 'STOP reply' },
  'customers:purchases': { id: ID, offset: 0, limit: 20 },
  'customers:points': { id: ID, offset: 0, limit: 20 },
  'customers:consentHistory': { id: ID },
  'customers:importPreview': { csv: 'Name,Phone\r\nAda,08031234567\r\n' },
  'customers:import': {
    csv: 'Name,Phone\r\nAda,08031234567\r\n',
    mapping: { displayName: 0, phone: 1 },
    taskId: 'import-1',
  },
  'customers:exportCsv': { offset: 0, limit: 1000 },
  'products:search': { query: 'indomie', limit: 10 },
  'products:list': { offset: 0, limit: 50 },
  'products:get': { id: ID },
  'products:create': { name: 'Indomie Chicken 70g', priceKobo: 15_000, openingStock: 24 },
  'products:update': { id: ID, name: 'Indomie Chicken 70g', priceKobo: 16_000 },
  'products:archive': { id: ID, archived: true },
  'products:adjustStock': { productId: ID, kind: 'receive', quantity: 12 },
  'products:stockMoves': { productId: ID, offset: 0, limit: 20 },
  'till:signIn': { pin: '1234' },
  'till:signOut': undefined,
  'till:current': undefined,
  'sales:record': {
    saleId: ID,
    lines: [{ productId: OTHER_ID, quantity: 2 }],
    customerId: null,
    payments: [{ method: 'cash', amountKobo: 30_000, tenderedKobo: 50_000 }],
  },
  'sales:get': { id: ID },
  'sales:list': { offset: 0, limit: 50 },
  'sales:receiptText': { id: ID },
  'sales:refund': { saleId: ID, kind: 'refund', method: 'cash', reason: 'Damaged', approverPin: '5555' },
  'loyalty:rules': undefined,
  'loyalty:updateRules': {
    pointsPer100Naira: 1,
    pointValueKobo: 100,
    tierThresholdsKobo: { silver: 5_000_000, gold: 20_000_000, platinum: 50_000_000 },
  },
  'risk:queue': { status: 'open', offset: 0, limit: 20 },
  'risk:review': { saleId: ID, status: 'cleared', ownerPin: '1234' },
  'printing:print': { paper: '80mm' },
  'reports:endOfDay': { day: '2026-11-24' },
  'reports:closeDay': { day: '2026-11-24', countedCashKobo: 1_000_000, pin: '1234' },
  'reports:salesByPeriod': { from: 0, to: 1, groupBy: 'day' },
  'reports:byMethod': { from: 0, to: 1 },
  'reports:byCashier': { from: 0, to: 1 },
  'reports:topCustomers': { from: 0, to: 1, limit: 10 },
  'reports:topProducts': { from: 0, to: 1, limit: 10 },
  'reports:exportSalesCsv': { from: 0, to: 1, offset: 0, limit: 1000 },
  'sync:status': undefined,
  'sync:createBusiness': {
    serverUrl: 'http://192.168.0.10:8787',
    deviceName: 'Front counter',
    branchName: 'Yaba',
    ownerPin: '1234',
  },
  'sync:pair': {
    serverUrl: 'http://192.168.0.10:8787',
    code: 'K7F3-9QX2',
    deviceName: 'Back counter',
    ownerPin: '1234',
  },
  'sync:pairingCode': { ownerPin: '1234' },
  'sync:now': undefined,
  'sync:devices': undefined,
  'sync:revokeDevice': { id: ID, ownerPin: '1234' },
  'sync:unpair': { ownerPin: '1234' },
  'sync:conflicts': { status: 'open', offset: 0, limit: 20 },
  'sync:resolve': { id: ID, action: 'keep-mine', ownerPin: '1234' },
  'sync:problems': { limit: 20 },
  'sync:webhooks': undefined,
  'campaigns:segments': undefined,
  'campaigns:countSegment': {
    definition: { match: 'all', rules: [{ field: 'lastPurchase', op: 'more-than', days: 60 }] },
  },
  'campaigns:segmentMembers': { segment: { segmentId: ID }, offset: 0, limit: 20 },
  'campaigns:saveSegment': {
    name: 'Lapsed Lagos',
    definition: { rules: [{ field: 'state', op: 'in', values: ['Lagos'] }] },
  },
  'campaigns:deleteSegment': { id: ID },
  'campaigns:templates': undefined,
  'campaigns:saveTemplate': { name: 'Thank you', channel: 'sms', body: 'Hi {{first_name}}, thank you!' },
  'campaigns:deleteTemplate': { id: ID },
  'campaigns:preview': { channel: 'sms', body: 'Hi {{first_name}}', customerId: ID },
  'campaigns:estimate': { segment: { segmentId: ID }, templateId: OTHER_ID },
  'campaigns:create': { name: 'December promo', segment: { segmentId: ID }, templateId: OTHER_ID },
  'campaigns:list': { offset: 0, limit: 20 },
  'campaigns:results': { id: ID },
  'campaigns:messages': { campaignId: ID, status: 'failed', offset: 0, limit: 20 },
  'campaigns:cancel': { id: ID },
  'campaigns:triggers': undefined,
  'campaigns:setTrigger': { trigger: 'birthday', enabled: true, templateId: ID },
  'campaigns:settings': undefined,
  'campaigns:updateSettings': { quietHours: { start: '20:00', end: '08:00' } },
  'campaigns:setCredentials': { provider: 'termii', apiKey: 'TL-test-key' },
  'campaigns:senderStatus': undefined,
  'store:state': undefined,
  'store:saveDraft': { section: 'business', value: { name: 'Mama Put Provisions', state: 'Lagos' } },
  'store:setPaymentKey': { provider: 'paystack', secretKey: 'sk_test_abc123' },
  'store:preview': undefined,
  'store:testOrder': undefined,
  'store:publish': undefined,
  'store:export': { folder: '/tmp/kasuwa-store' },
  'store:orders': { status: 'pending', offset: 0, limit: 20 },
  'store:fulfilOrder': { id: ID },
  'store:cancelOrder': { id: ID, reason: 'Customer changed their mind' },
  'store:paymentHooks': undefined,
  'store:checkPayment': { id: ID },
};

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Near misses of a valid value: a field replaced, removed or added, at any depth. */
function nearMisses(valid: unknown): fc.Arbitrary<unknown> {
  if (typeof valid !== 'object' || valid === null) return anything;
  const fields = valid as Record<string, unknown>;
  const keys = Object.keys(fields);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), anything).map(([key, value]) => ({ ...fields, [key]: value })),
    fc
      .constantFrom(...keys)
      .map((key) => Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key))),
    fc.tuple(fc.string(), anything).map(([key, value]) => ({ ...fields, [key]: value })),
    fc
      .constantFrom(...keys)
      .chain((key) => nearMisses(fields[key]).map((value) => ({ ...fields, [key]: value }))),
    fc.constantFrom(...keys).map((key) => ({ ...fields, [key]: String(fields[key]) + '\u0000'.repeat(300) })),
  );
}

describe('every channel refuses malformed input', () => {
  it('has a valid seed for every channel, and the schema accepts it', () => {
    expect(Object.keys(VALID).sort()).toEqual([...channelNames].sort());
    for (const name of channelNames)
      expect(channels[name].input.safeParse(VALID[name]).success, name).toBe(true);
  });

  it.each(channelNames)(
    'answers invalid_input to 1,000 malformed %s payloads, never calling the service',
    async (channel) => {
      const log = spyLog();
      const spies = Object.fromEntries(channelNames.map((name) => [name, vi.fn(() => null)]));
      const dispatch = createDispatch(spies as unknown as HandlerTable, log);
      const schema = channels[channel].input;
      const malformed = fc
        .oneof(
          { arbitrary: anything, weight: 2 },
          { arbitrary: nearMisses(VALID[channel]), weight: 3 },
          {
            arbitrary: fc.record(
              { passphrase: anything, confirm: anything, pin: anything, business: anything, limit: anything },
              { requiredKeys: [] },
            ),
            weight: 1,
          },
        )
        .filter((value) => !schema.safeParse(value).success);
      await fc.assert(
        fc.asyncProperty(malformed, async (payload) => {
          const envelope = await handleInvoke(dispatch, log, TRUSTED_SENDER, channel, payload);
          expect(envelope.ok).toBe(false);
          const error = errorOf(envelope);
          expect(error.code).toBe('invalid_input');
          expect(error.message).toMatch(/^Some of what was sent is not right/);
          expect(Array.isArray(error.details)).toBe(true);
        }),
        { numRuns: 1000 },
      );
      expect(spies[channel]).not.toHaveBeenCalled();
      expect(log.error).not.toHaveBeenCalled();
    },
  );
});
