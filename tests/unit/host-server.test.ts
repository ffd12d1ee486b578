/**
 * The browser host on a real loopback socket with the real dispatch: the token, the Host and
 * Origin checks, the envelope round trip, events, and the renderer files with the
 * Content-Security-Policy — and nothing outside the renderer folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../main/host/assets';
import { startHost, type RunningHost } from '../../main/host/host-server';
import { createDispatch } from '../../main/ipc/handler';
import { createHandlerTable } from '../../main/ipc/index';
import { printInBrowser } from '../../main/ipc/sales';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import { NoUpdates } from '../../main/services/updates/update-service';
import { MemoryKeychain, migrations, recordingLog, tempDir, type RecordedLog } from './fixtures';

const TOKEN = 'test-token-0123456789abcdef';
const INDEX_HTML = '<!doctype html><title>Kasuwa</title>';

let scratch: ReturnType<typeof tempDir>;
let rendererDir: string;
let runtime: ShopRuntime;
let host: RunningHost;
let hostLog: RecordedLog;
const events = new EventBus();
const sockets: WebSocket[] = [];

beforeAll(async () => {
  scratch = tempDir('kasuwa-host-');
  rendererDir = path.join(scratch.dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("kasuwa")');
  writeFileSync(path.join(rendererDir, '.env'), 'SECRET=1');
  runtime = new ShopRuntime({
    dataDir: path.join(scratch.dir, 'data'),
    keychain: new MemoryKeychain(),
    migrations,
    version: 'test',
    events,
    log: recordingLog(),
  });
  expect(await runtime.start()).toMatchObject({ state: 'ready' });
  hostLog = recordingLog();
  host = await startHost({
    dispatch: createDispatch(
      createHandlerTable({
        runtime,
        updates: new NoUpdates('tests'),
        events: new EventBus(),
        print: printInBrowser,
      }),
      hostLog,
    ),
    events,
    log: hostLog,
    rendererDir,
    token: TOKEN,
    port: 0,
  });
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await host.close();
  runtime.close();
  scratch.remove();
});

function connect(query: string, headers: Record<string, string> = {}, urlPath = '/ws'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${urlPath}${query}`, { headers });
    sockets.push(ws);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${String(response.statusCode)}`));
      response.resume();
    });
  });
}

type Frame = Record<string, unknown>;

function text(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

function frames(ws: WebSocket, count: number): Promise<Frame[]> {
  return new Promise((resolve) => {
    const received: Frame[] = [];
    const onMessage = (data: WebSocket.RawData) => {
      received.push(JSON.parse(text(data)) as Frame);
      if (received.length === count) {
        ws.off('message', onMessage);
        resolve(received);
      }
    };
    ws.on('message', onMessage);
  });
}

async function nextFrame(ws: WebSocket): Promise<Frame> {
  const [frame] = await frames(ws, 1);
  if (frame === undefined) throw new Error('no frame');
  return frame;
}

function request(
  urlPath: string,
  options: { host?: string; method?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: urlPath,
        method: options.method ?? 'GET',
        headers: options.host === undefined ? {} : { host: options.host },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the socket', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('answers app:status with an envelope carrying the same id', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    ws.send(JSON.stringify({ id: 7, channel: 'app:status' }));
    expect(await frame).toEqual({
      type: 'result',
      id: 7,
      envelope: { ok: true, value: expect.objectContaining({ state: 'ready', version: 'test' }) as unknown },
    });
    ws.close();
  });

  it('keeps ids apart when several calls are in flight, and echoes string ids', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const answers = frames(ws, 3);
    ws.send(JSON.stringify({ id: 'a', channel: 'settings:get' }));
    ws.send(JSON.stringify({ id: 'b', channel: 'staff:verifyPin', input: { pin: 'abcd' } }));
    ws.send(JSON.stringify({ id: 'c', channel: 'app:quit' }));
    const byId = new Map((await answers).map((frame) => [frame.id, frame.envelope]));
    expect(byId.get('a')).toMatchObject({ ok: true, value: { receiptFooter: expect.any(String) as string } });
    expect(byId.get('b')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(byId.get('c')).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    ws.close();
  });

  it.each([
    ['a message that is not JSON', '{not json'],
    ['JSON without a channel', JSON.stringify({ input: {} })],
    ['a JSON array', JSON.stringify(['app:status'])],
    ['a JSON string', JSON.stringify('app:status')],
    ['JSON null', 'null'],
  ])('answers invalid_input to %s, and keeps the socket open', async (_label, text) => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    ws.send(text);
    expect(await frame).toEqual({
      type: 'result',
      id: null,
      envelope: { ok: false, error: { code: 'invalid_input', message: 'That request could not be read.' } },
    });
    const after = nextFrame(ws);
    ws.send(JSON.stringify({ id: 1, channel: 'app:status' }));
    expect(await after).toMatchObject({ id: 1, envelope: { ok: true } });
    ws.close();
  });

  it('answers invalid_input to a binary message', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    ws.send(Buffer.from(JSON.stringify({ id: 1, channel: 'app:status' })), { binary: true });
    expect(await frame).toMatchObject({
      id: null,
      envelope: { ok: false, error: { code: 'invalid_input' } },
    });
    ws.close();
  });

  it('passes events on the EventBus to connected pages', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    events.emit('progress', { taskId: 't1', label: 'Importing customers', done: 5, total: 10 });
    expect(await frame).toEqual({
      type: 'event',
      name: 'progress',
      payload: { taskId: 't1', label: 'Importing customers', done: 5, total: 10 },
    });
    const status = nextFrame(ws);
    events.emit('app:status', runtime.status());
    expect(await status).toMatchObject({ type: 'event', name: 'app:status', payload: { state: 'ready' } });
    ws.close();
  });

  it('accepts a same-origin page (Origin and Host of the loopback address)', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const ws = await connect(`?token=${TOKEN}`, {
        Origin: `http://${name}:${host.port}`,
        Host: `${name}:${host.port}`,
      });
      const frame = nextFrame(ws);
      ws.send(JSON.stringify({ id: 1, channel: 'app:status' }));
      expect(await frame).toMatchObject({ envelope: { ok: true } });
      ws.close();
    }
  });

  it.each([
    ['no token', '', {}, '/ws'],
    ['an empty token', '?token=', {}, '/ws'],
    ['a wrong token of the same length', `?token=${'x'.repeat(TOKEN.length)}`, {}, '/ws'],
    ['a wrong token of another length', '?token=wrong', {}, '/ws'],
    ['the token with a suffix', `?token=${TOKEN}x`, {}, '/ws'],
    ['a foreign Origin', `?token=${TOKEN}`, { Origin: 'http://evil.example' }, '/ws'],
    ['an Origin of another port', `?token=${TOKEN}`, { Origin: 'http://127.0.0.1:1' }, '/ws'],
    ['an opaque Origin', `?token=${TOKEN}`, { Origin: 'null' }, '/ws'],
    ['a foreign Host (DNS rebinding)', `?token=${TOKEN}`, { Host: 'evil.example' }, '/ws'],
    ['a Host without the port', `?token=${TOKEN}`, { Host: '127.0.0.1' }, '/ws'],
    ['another path', `?token=${TOKEN}`, {}, '/socket'],
  ])('refuses a socket with %s (401)', async (_label, query, headers, urlPath) => {
    const warnings = hostLog.lines.filter((line) => line.message === 'browser host refused a socket').length;
    await expect(connect(query, headers, urlPath)).rejects.toThrow(/HTTP 401/);
    expect(hostLog.lines.filter((line) => line.message === 'browser host refused a socket').length).toBe(
      warnings + 1,
    );
  });
});

describe('the renderer files', () => {
  it('serves index.html at / with the Content-Security-Policy and no caching', async () => {
    const page = await request('/');
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['cache-control']).toBe('no-store');
    expect((await request(`/?token=${TOKEN}`)).body).toBe(INDEX_HTML);
  });

  it('serves assets with their type, and HEAD without a body', async () => {
    const script = await request('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const head = await request('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(INDEX_HTML.length));
  });

  it.each([
    '/missing.js',
    '/assets',
    '/../data/kasuwa.db',
    '/%2e%2e/data/kasuwa.db',
    '/..%2fdata%2fkasuwa.db',
    '/..%5cdata%5ckasuwa.db',
    '/.env',
    '/index.html%00',
  ])('answers 404 for %j, never a file outside the renderer', async (urlPath) => {
    const response = await request(urlPath);
    expect(response.status).toBe(404);
    expect(response.body).toBe('Not found');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each(['/index.html/x', `/${'a'.repeat(5000)}`])(
    'answers 404 to %s, whatever error the file system gives, and keeps serving',
    async (urlPath) => {
      expect((await request(urlPath)).status).toBe(404);
      expect((await request('/')).status).toBe(200);
    },
  );

  it('refuses other methods', async () => {
    const response = await request('/', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it.each(['evil.example', 'evil.example:5170', '127.0.0.1', '192.168.1.5:80'])(
    'answers 421 to a request for Host %j (DNS rebinding)',
    async (hostHeader) => {
      const response = await request('/', { host: hostHeader });
      expect(response.status).toBe(421);
      expect(response.body).not.toContain('Kasuwa');
    },
  );

  it.each(['localhost', '127.0.0.1'])('serves the page to Host %s with the port', async (name) => {
    expect((await request('/', { host: `${name}:${host.port}` })).status).toBe(200);
  });
});

describe('closing the host', () => {
  it('drops connected pages and stops listening', async () => {
    const log = recordingLog();
    const other = await startHost({
      dispatch: () => Promise.resolve({ ok: true, value: null }),
      events: new EventBus(),
      log,
      rendererDir,
      token: TOKEN,
      port: 0,
    });
    const ws = new WebSocket(`ws://127.0.0.1:${other.port}/ws?token=${TOKEN}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await other.close();
    await closed;
    await expect(
      new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: other.port, path: '/' }, resolve);
        req.on('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
