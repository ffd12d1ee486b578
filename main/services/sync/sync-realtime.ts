/**
 * The realtime link: a WebSocket to the sync server that says "changes exist after cursor N",
 * so a counter pulls a sale made at the next till within a second instead of at its next timed
 * sync. It reconnects with backoff after a drop and checks the link with pings; it is only a
 * hint, so losing it costs nothing but speed.
 */
import WebSocket from 'ws';
import { realtimeNoticeSchema } from '../../../shared/sync/protocol';
import { backoffDelay } from './backoff';

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

export interface RealtimeOptions {
  /** Where to connect, or null while not paired. */
  target: () => { serverUrl: string; token: string } | null;
  onNotice: (cursor: number) => void;
  onConnected: (connected: boolean) => void;
  random?: () => number;
}

export class RealtimeLink {
  private socket: WebSocket | null = null;
  private retry: NodeJS.Timeout | null = null;
  private ping: NodeJS.Timeout | null = null;
  private attempts = 0;
  private wanted = false;
  private connected = false;

  constructor(private readonly options: RealtimeOptions) {}

  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.wanted = true;
    if (this.socket === null && this.retry === null) this.connect();
  }

  stop(): void {
    this.wanted = false;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    this.drop();
  }

  /** Reconnect now (the link came back, or the counter was paired again). */
  restart(): void {
    this.stop();
    this.attempts = 0;
    this.start();
  }

  private connect(): void {
    const target = this.options.target();
    if (!this.wanted || target === null) return;
    const url = `${target.serverUrl.replace(/^http/i, 'ws')}/v1/realtime`;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${target.token}` },
      handshakeTimeout: 15_000,
    });
    this.socket = socket;
    let alive = true;
    socket.on('open', () => {
      this.attempts = 0;
      this.setConnected(true);
      this.ping = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
        setTimeout(() => {
          if (!alive) socket.terminate();
        }, PONG_WITHIN_MS).unref();
      }, PING_EVERY_MS);
      this.ping.unref();
    });
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data) => {
      alive = true;
      let parsed: unknown;
      try {
        const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Uint8Array);
        parsed = JSON.parse(bytes.toString('utf8'));
      } catch {
        return;
      }
      const notice = realtimeNoticeSchema.safeParse(parsed);
      if (notice.success) this.options.onNotice(notice.data.cursor);
    });
    // An 'error' is always followed by 'close'; the reconnect lives there.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      // A socket dropped on purpose (stop, restart) is not reconnected from here.
      if (this.socket !== socket) return;
      this.drop();
      if (!this.wanted) return;
      const delay = Math.max(1_000, backoffDelay(this.attempts, this.options.random ?? Math.random));
      this.attempts += 1;
      this.retry = setTimeout(() => {
        this.retry = null;
        this.connect();
      }, delay);
      this.retry.unref();
    });
  }

  private drop(): void {
    if (this.ping !== null) clearInterval(this.ping);
    this.ping = null;
    const socket = this.socket;
    this.socket = null;
    if (socket !== null && socket.readyState !== WebSocket.CLOSED) socket.terminate();
    this.setConnected(false);
  }

  private setConnected(connected: boolean): void {
    if (connected === this.connected) return;
    this.connected = connected;
    this.options.onConnected(connected);
  }
}
