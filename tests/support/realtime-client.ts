/**
 * A counter's realtime socket for the sync server's tests: connects with the token in the
 * Authorization header or in `?token=`, collects every notice, and waits (bounded) for the
 * next notice that matches or for the close.
 */
import WebSocket from 'ws';
import { realtimeNoticeSchema, type RealtimeNotice } from '../../shared/sync/protocol';

export interface RealtimeClient {
  socket: WebSocket;
  notices: RealtimeNotice[];
  /** Resolves with the first notice (seen already or still to come) that matches. */
  waitFor(match: (notice: RealtimeNotice) => boolean, timeoutMs?: number): Promise<RealtimeNotice>;
  closed: Promise<{ code: number; reason: string }>;
}

export function realtimeUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/v1/realtime`;
}

export async function connectRealtime(
  baseUrl: string,
  token: string,
  options: { via?: 'header' | 'query'; autoPong?: boolean } = {},
): Promise<RealtimeClient> {
  const via = options.via ?? 'header';
  const url =
    via === 'query' ? `${realtimeUrl(baseUrl)}?token=${encodeURIComponent(token)}` : realtimeUrl(baseUrl);
  const socket = new WebSocket(url, {
    headers: via === 'header' ? { authorization: `Bearer ${token}` } : {},
    autoPong: options.autoPong ?? true,
  });
  const notices: RealtimeNotice[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    notices.push(realtimeNoticeSchema.parse(JSON.parse(data.toString())));
    for (const wake of waiters) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`realtime refused with HTTP ${response.statusCode}`)),
    );
  });
  return {
    socket,
    notices,
    closed,
    waitFor(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = notices.find(match);
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching notice within ${timeoutMs} ms; got ${JSON.stringify(notices)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** The HTTP status a refused upgrade answered with. */
export function refusedStatus(baseUrl: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(realtimeUrl(baseUrl), { headers: { authorization: `Bearer ${token}` } });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the socket opened'));
    });
    socket.once('error', () => undefined);
  });
}
