/**
 * The browser host on a real loopback socket: the token, the Host and Origin checks, the
 * envelope round trip, events, and the renderer files with the Content-Security-Policy.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type RunningHost } from '../../main/host/host-server';
import { createDispatch } from '../../main/ipc/handler';
import { createHandlerTable } from '../../main/ipc/index';
import { printInBrowser } from '../../main/ipc/sales';
import { EventBus } from '../../main/services/app/event-bus';
import { ShopRuntime } from '../../main/services/app/runtime';
import { NoUpdates } from '../../main/services/updates/update-service';
import { MemoryKeychain, migrations, recordingLog, tempDir } from './fixtures';

const TOKEN = 'test-token-0123456789abcdef';
let scratch: ReturnType<typeof tempDir>;
let runtime: ShopRuntime;
let host: RunningHost;
const events = new EventBus();

beforeAll(async () => {
  scratch = tempDir('kasuwa-host-');
  const rendererDir = path.join(scratch.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Kasuwa</title>');
  runtime = new ShopRuntime({
    dataDir: path.join(scratch.dir, 'data'),
    keychain: new MemoryKeychain(),
    migrations,
    version: 'test',
    events,
    log: recordingLog(),
  });
  await runtime.start();
  const log = recordingLog();
  host = await startHost({
    dispatch: createDispatch(
      createHandlerTable({
        runtime,
        updates: new NoUpdates('tests'),
        events: new EventBus(),
        print: printInBrowser,
      }),
      log,
    ),
    events,
    log,
    rendererDir,
    token: TOKEN,
    port: 0,
  });
});

afterAll(async () => {
  await host.close();
  runtime.close();
  scratch.remove();
});

function connect(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) =>
      reject(new Error(`HTTP ${String(response.statusCode)}`)),
    );
  });
}

function nextFrame(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) =>
    ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)),
  );
}

function get(
  urlPath: string,
  hostHeader?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port: host.port,
        path: urlPath,
        headers: hostHeader === undefined ? {} : { host: hostHeader },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
  });
}

describe('browser host', () => {
  it('prints a loopback URL that carries the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('answers a call over the socket with the same envelope and id', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    ws.send(JSON.stringify({ id: 7, channel: 'app:status' }));
    expect(await frame).toMatchObject({
      type: 'result',
      id: 7,
      envelope: { ok: true, value: { state: 'ready' } },
    });
    const invalid = nextFrame(ws);
    ws.send(JSON.stringify({ id: 8, channel: 'staff:verifyPin', input: { pin: 'abcd' } }));
    expect(await invalid).toMatchObject({ id: 8, envelope: { ok: false, error: { code: 'invalid_input' } } });
    ws.close();
  });

  it('answers invalid_input to a message that is not JSON', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    ws.send('{not json');
    expect(await frame).toMatchObject({
      type: 'result',
      id: null,
      envelope: { ok: false, error: { code: 'invalid_input' } },
    });
    ws.close();
  });

  it('passes events to connected pages', async () => {
    const ws = await connect(`?token=${TOKEN}`);
    const frame = nextFrame(ws);
    events.emit('progress', { taskId: 't1', label: 'Importing', done: 5, total: 10 });
    expect(await frame).toEqual({
      type: 'event',
      name: 'progress',
      payload: { taskId: 't1', label: 'Importing', done: 5, total: 10 },
    });
    ws.close();
  });

  it.each([
    ['no token', '', {}],
    ['a wrong token', '?token=wrong-token-0123456789abcde', {}],
    ['a foreign Origin', `?token=${TOKEN}`, { Origin: 'http://evil.example' }],
    ['a foreign Host', `?token=${TOKEN}`, { Host: 'evil.example' }],
  ])('refuses a socket with %s', async (_label, query, headers) => {
    await expect(connect(query, headers)).rejects.toThrow(/401/);
  });

  it('serves the renderer with the Content-Security-Policy, and nothing outside it', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Kasuwa</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("object-src 'none'");
    expect((await get('/../data/kasuwa.db')).status).toBe(404);
    expect((await get('/', 'evil.example')).status).toBe(421);
  });
});
