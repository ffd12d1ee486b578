/**
 * Change notices between every server process on one database, so a counter connected to one
 * replica hears about a push that landed on another. A push (or a revocation) calls
 * `pg_notify` inside its own transaction, so PostgreSQL delivers the notice exactly when the
 * change commits, never before and never for a rolled-back batch. One interface, two listeners:
 * a dedicated LISTEN connection on PostgreSQL (reconnecting when the database comes back), and
 * PGlite's own listen on the embedded database.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Payload `<businessId>:<cursor>`: the business's change seq after the commit. */
export const CHANGES_CHANNEL = 'kasuwa_changes';
/** Payload `<businessId>:<deviceId>`: that device's token was revoked; drop its sockets. */
export const REVOKED_CHANNEL = 'kasuwa_revoked';

export type Notice =
  | { kind: 'changes'; businessId: string; cursor: number }
  | { kind: 'revoked'; businessId: string; deviceId: string };

export interface NoticeHandlers {
  notice(notice: Notice): void;
  /** The listener was away (database restart) and may have missed notices. */
  resumed(): void;
}

export interface Notices {
  start(handlers: NoticeHandlers): Promise<void>;
  close(): Promise<void>;
}

export function parseNotice(channel: string, payload: string): Notice | null {
  const split = payload.lastIndexOf(':');
  if (split <= 0) return null;
  const businessId = payload.slice(0, split);
  const rest = payload.slice(split + 1);
  if (channel === CHANGES_CHANNEL) {
    const cursor = Number(rest);
    return Number.isSafeInteger(cursor) ? { kind: 'changes', businessId, cursor } : null;
  }
  if (channel === REVOKED_CHANNEL) return { kind: 'revoked', businessId, deviceId: rest };
  return null;
}

interface WarnLog {
  warn(message: string): void;
}

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;

export class PostgresNotices implements Notices {
  private client: pg.Client | undefined;
  private handlers: NoticeHandlers | undefined;
  private closed = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly log: WarnLog,
  ) {}

  async start(handlers: NoticeHandlers): Promise<void> {
    this.handlers = handlers;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      const notice = parseNotice(message.channel, message.payload ?? '');
      if (notice !== null) this.handlers?.notice(notice);
    });
    client.on('error', (error) => {
      this.log.warn(`change listener lost its connection: ${error.message}`);
      this.reconnectLater(client);
    });
    client.on('end', () => this.reconnectLater(client));
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}; LISTEN ${REVOKED_CHANNEL}`);
    this.client = client;
    this.retryMs = RETRY_FIRST_MS;
  }

  private reconnectLater(lost: pg.Client): void {
    if (this.closed || this.client !== lost) return;
    this.client = undefined;
    lost.end().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => this.handlers?.resumed(),
        (error: unknown) => {
          this.log.warn(`change listener cannot reconnect yet: ${String(error)}`);
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.scheduleRetry();
        },
      );
    }, this.retryMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

export class PgliteNotices implements Notices {
  private stops: (() => Promise<void>)[] = [];

  constructor(private readonly lite: PGlite) {}

  // Called before the pool serves anything: PGlite runs LISTEN on its one backend directly.
  async start(handlers: NoticeHandlers): Promise<void> {
    for (const channel of [CHANGES_CHANNEL, REVOKED_CHANNEL]) {
      const stop = await this.lite.listen(channel, (payload) => {
        const notice = parseNotice(channel, payload);
        if (notice !== null) handlers.notice(notice);
      });
      this.stops.push(() => stop());
    }
  }

  async close(): Promise<void> {
    const stops = this.stops;
    this.stops = [];
    if (this.lite.closed) return;
    for (const stop of stops) await stop().catch(() => undefined);
  }
}
