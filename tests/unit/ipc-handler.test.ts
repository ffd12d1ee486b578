/**
 * The one handler wrapper: foreign senders refused before anything runs, unknown channels
 * refused, every channel's input validated (1,000 malformed payloads each, generated), and a
 * service exception turned into an `internal` envelope and a log line, never a crash.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDispatch, handleInvoke, type HandlerTable } from '../../main/ipc/handler';
import { createHandlerTable } from '../../main/ipc/index';
import { printInBrowser } from '../../main/ipc/sales';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import { NoUpdates } from '../../main/services/updates/update-service';
import { channelNames, channels } from '../../shared/contract';
import { INTERNAL_ERROR_MESSAGE, KasuwaError } from '../../shared/errors';
import { MemoryKeychain, migrations, recordingLog, tempDir } from './fixtures';

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
  await runtime.start();
  table = createHandlerTable({
    runtime,
    updates: new NoUpdates('tests'),
    events: new EventBus(),
    print: printInBrowser,
  });
});

afterAll(() => {
  runtime.close();
  scratch.remove();
});

describe('handleInvoke', () => {
  const hostile = [
    'https://evil.example/index.html',
    'file:///etc/passwd',
    'app://kasuwa.evil/index.html',
    'app://evil@kasuwa/index.html',
    'app://kasuwa:8080/index.html',
    'http://kasuwa/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    '',
  ];

  it.each(hostile)('refuses a call from %j before the handler runs', async (url) => {
    const spy = vi.fn(() => null);
    const dispatch = createDispatch(
      { ...table, 'app:status': spy } as unknown as HandlerTable,
      recordingLog(),
    );
    const log = recordingLog();
    const envelope = await handleInvoke(dispatch, log, { senderFrame: { url } }, 'app:status', undefined);
    expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(spy).not.toHaveBeenCalled();
    expect(log.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('refuses a call without a sender frame', async () => {
    const envelope = await handleInvoke(
      createDispatch(table, recordingLog()),
      recordingLog(),
      { senderFrame: null },
      'app:status',
      undefined,
    );
    expect(envelope).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });

  it("answers a call from Kasuwa's own page", async () => {
    const envelope = await handleInvoke(
      createDispatch(table, recordingLog()),
      recordingLog(),
      { senderFrame: { url: 'app://kasuwa/index.html#/settings' } },
      'app:status',
      undefined,
    );
    expect(envelope).toMatchObject({ ok: true, value: { state: 'ready', setupDone: false } });
  });
});

describe('createDispatch', () => {
  it('refuses a channel that is not in the contract', async () => {
    const dispatch = createDispatch(table, recordingLog());
    for (const name of ['app:quit', 'constructor', '__proto__', 42, null]) {
      expect(await dispatch(name, undefined)).toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' },
      });
    }
  });

  it('turns an exception inside a service into an internal envelope and a log line', async () => {
    const log = recordingLog();
    const failing = {
      ...table,
      'settings:get': () => {
        throw new TypeError("Cannot read properties of undefined (reading 'secret')");
      },
    } as HandlerTable;
    const envelope = await createDispatch(failing, log)('settings:get', undefined);
    expect(envelope).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'handler failed' }));
  });

  it("passes a service's own error on with its code and sentence", async () => {
    const failing = {
      ...table,
      'business:get': () => {
        throw new KasuwaError('not_found', 'The shop is not set up yet.');
      },
    } as HandlerTable;
    expect(await createDispatch(failing, recordingLog())('business:get', undefined)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'The shop is not set up yet.' },
    });
  });

  it.each(channelNames)('answers invalid_input to 1,000 malformed %s payloads', async (channel) => {
    const log = recordingLog();
    const spies = Object.fromEntries(channelNames.map((name) => [name, vi.fn(() => null)]));
    const dispatch = createDispatch(spies as unknown as HandlerTable, log);
    const schema = channels[channel].input;
    const malformed = fc
      .oneof(
        fc.anything(),
        fc.dictionary(fc.string(), fc.anything()),
        fc.record({
          passphrase: fc.anything(),
          pin: fc.anything(),
          business: fc.anything(),
          limit: fc.anything(),
        }),
      )
      .filter((value) => !schema.safeParse(value).success);
    await fc.assert(
      fc.asyncProperty(malformed, async (payload) => {
        const envelope = await dispatch(channel, payload);
        expect(envelope.ok).toBe(false);
        expect(!envelope.ok && envelope.error.code).toBe('invalid_input');
        expect(!envelope.ok && typeof envelope.error.message).toBe('string');
      }),
      { numRuns: 1000 },
    );
    expect(spies[channel]).not.toHaveBeenCalled();
    expect(log.lines).toEqual([]);
  });
});
