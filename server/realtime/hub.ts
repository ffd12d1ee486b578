/**
 * The realtime sockets of this server process, by business. A change notice from any server
 * process on the database (LISTEN/NOTIFY) becomes `{type:'changes', cursor}` on every socket of
 * that business; the counter then pulls. A revoked device's sockets are closed, and a socket
 * that stops answering pings is dropped.
 */
import type { RealtimeNotice } from '../../shared/sync/protocol';

/** What the hub needs of a socket: a `ws` WebSocket, as @fastify/websocket hands it over. */
export interface RealtimeSocket {
  readonly readyState: number;
  send(text: string): void;
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'pong', listener: () => void): unknown;
  once(event: 'close', listener: () => void): unknown;
}

const OPEN = 1;

interface Subscriber {
  socket: RealtimeSocket;
  deviceId: string;
  alive: boolean;
  /** Until the hello is sent, notices only raise this, so the hello always comes first. */
  greeted: boolean;
  heldCursor: number;
}

/** Close codes a counter can tell apart: it was unpaired, or the server is going away. */
export const CLOSE_REVOKED = 4401;
export const CLOSE_GOING_AWAY = 1001;

export class RealtimeHub {
  private readonly byBusiness = new Map<string, Set<Subscriber>>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    heartbeatMs: number,
    private readonly onCountChange: (open: number) => void,
  ) {
    this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
    this.heartbeat.unref();
  }

  get open(): number {
    let count = 0;
    for (const subscribers of this.byBusiness.values()) count += subscribers.size;
    return count;
  }

  /**
   * Subscribes a socket before its hello cursor is read (so no commit in between is missed);
   * the returned function sends the hello and then anything that arrived meanwhile.
   */
  add(
    businessId: string,
    deviceId: string,
    socket: RealtimeSocket,
  ): (cursor: number, serverTime: number) => void {
    const subscriber: Subscriber = { socket, deviceId, alive: true, greeted: false, heldCursor: -1 };
    let subscribers = this.byBusiness.get(businessId);
    if (subscribers === undefined) {
      subscribers = new Set();
      this.byBusiness.set(businessId, subscribers);
    }
    subscribers.add(subscriber);
    socket.on('pong', () => {
      subscriber.alive = true;
    });
    socket.once('close', () => {
      const current = this.byBusiness.get(businessId);
      current?.delete(subscriber);
      if (current?.size === 0) this.byBusiness.delete(businessId);
      this.onCountChange(this.open);
    });
    this.onCountChange(this.open);
    return (cursor, serverTime) => {
      if (socket.readyState !== OPEN) return;
      const hello: RealtimeNotice = { type: 'hello', cursor, serverTime };
      socket.send(JSON.stringify(hello));
      subscriber.greeted = true;
      if (subscriber.heldCursor > cursor) {
        const missed: RealtimeNotice = { type: 'changes', cursor: subscriber.heldCursor };
        socket.send(JSON.stringify(missed));
      }
    };
  }

  businesses(): string[] {
    return [...this.byBusiness.keys()];
  }

  announce(businessId: string, cursor: number): void {
    const notice: RealtimeNotice = { type: 'changes', cursor };
    const text = JSON.stringify(notice);
    for (const subscriber of this.byBusiness.get(businessId) ?? []) {
      if (!subscriber.greeted) subscriber.heldCursor = Math.max(subscriber.heldCursor, cursor);
      else if (subscriber.socket.readyState === OPEN) subscriber.socket.send(text);
    }
  }

  dropDevice(businessId: string, deviceId: string): void {
    for (const subscriber of this.byBusiness.get(businessId) ?? []) {
      if (subscriber.deviceId === deviceId) subscriber.socket.close(CLOSE_REVOKED, 'device revoked');
    }
  }

  private beat(): void {
    for (const subscribers of this.byBusiness.values()) {
      for (const subscriber of subscribers) {
        // No pong since the last ping: the link is gone (a counter lost power, say).
        if (!subscriber.alive) {
          subscriber.socket.terminate();
          continue;
        }
        subscriber.alive = false;
        subscriber.socket.ping();
      }
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const subscribers of this.byBusiness.values()) {
      for (const { socket } of subscribers) {
        socket.close(CLOSE_GOING_AWAY, 'server shutting down');
        // A counter that never answers the close frame must not hold the shutdown up.
        setTimeout(() => socket.terminate(), 1_000).unref();
      }
    }
  }
}
