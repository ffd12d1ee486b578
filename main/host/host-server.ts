/**
 * The browser host: the built renderer over HTTP on loopback, and the same contract over a
 * WebSocket that requires the random token printed at start. Requests are checked for a
 * loopback Host (DNS rebinding) and, on the socket, a same-origin Origin and the token.
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../services/app/event-bus';
import type { Log } from '../services/app/log';
import type { Dispatch } from '../ipc/handler';
import { mimeType, resolveAssetPath, SECURITY_HEADERS } from './assets';

export interface HostOptions {
  dispatch: Dispatch;
  events: EventBus;
  log: Log;
  rendererDir: string;
  token: string;
  port: number;
  hostname?: '127.0.0.1' | '::1';
}

export interface RunningHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

// Large enough for a customer CSV import (the contract caps a file at 30 MB).
const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const hostname = options.hostname ?? '127.0.0.1';
  let allowedHosts = new Set<string>();

  const server = http.createServer((request, response) => {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = resolveAssetPath(options.rendererDir, request.url ?? '/');
    let stat: ReturnType<typeof statSync> | undefined;
    try {
      stat = file === null ? undefined : statSync(file, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR, ENAMETOOLONG …: whatever a hostile URL provokes is a 404, never a crash.
      stat = undefined;
    }
    if (file === null || stat === undefined || !stat.isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...SECURITY_HEADERS }).end('Not found');
      return;
    }
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': mimeType(file),
      'Content-Length': stat.size,
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (request.method === 'HEAD') response.end();
    else
      createReadStream(file)
        .on('error', () => response.destroy())
        .pipe(response);
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const host = request.headers.host ?? '';
    const origin = request.headers.origin;
    const originOk = origin === undefined || allowedHosts.has(origin.replace(/^http:\/\//, ''));
    if (
      url.pathname !== '/ws' ||
      !allowedHosts.has(host) ||
      !originOk ||
      !sameToken(url.searchParams.get('token'), options.token)
    ) {
      options.log.warn('browser host refused a socket', { path: url.pathname, host, origin });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws));
  });

  sockets.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let id: unknown = null;
        let message: unknown;
        try {
          const bytes = Array.isArray(data)
            ? Buffer.concat(data)
            : data instanceof ArrayBuffer
              ? Buffer.from(data)
              : data;
          message = isBinary ? undefined : JSON.parse(bytes.toString('utf8'));
        } catch {
          message = undefined;
        }
        if (typeof message === 'object' && message !== null && 'id' in message) {
          const given = message.id;
          id = typeof given === 'number' || typeof given === 'string' ? given : null;
        }
        if (typeof message !== 'object' || message === null || !('channel' in message)) {
          ws.send(
            JSON.stringify({
              type: 'result',
              id,
              envelope: {
                ok: false,
                error: { code: 'invalid_input', message: 'That request could not be read.' },
              },
            }),
          );
          return;
        }
        const request = message as { channel: unknown; input?: unknown };
        const envelope = await options.dispatch(request.channel, request.input);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, envelope }));
      })();
    });
  });

  const unsubscribe = options.events.subscribe((name, payload) => {
    const frame = JSON.stringify({ type: 'event', name, payload });
    for (const client of sockets.clients) {
      if (client.readyState === client.OPEN) client.send(frame);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = loopbackHosts(port);
  const urlHost = hostname === '::1' ? '[::1]' : hostname;

  return {
    url: `http://${urlHost}:${port}/?token=${encodeURIComponent(options.token)}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
