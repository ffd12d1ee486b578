/**
 * The send loop: takes due message rows while the link is up, checks consent, quiet hours and
 * the frequency cap at the moment of sending, and hands them to their provider at its throttle.
 *
 * Never twice: a batch is marked `sending` in one transaction before any provider is asked, and
 * the answers are recorded in the next. A crash in between leaves rows `sending`; on start they
 * are settled from the provider's own history where it has one, and otherwise recorded as sent
 * but unconfirmed, never sent again (a delivery report can still confirm them).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  CampaignProgress,
  ContactChannel,
  MessageStatus,
  ProviderName,
  SenderStatus,
} from '../../../shared/contract';
import { inQuietHours, quietHoursEnd } from '../../../shared/campaigns/quiet-hours';
import { backoffDelay } from '../sync/backoff';
import type { NetworkSource } from '../sync/conditions';
import type { CampaignService } from './campaign-service';
import type { CampaignSettingsStore } from './campaign-settings';
import type { MessageProvider, OutgoingMessage, SendOutcome } from './providers/provider';

interface MessageRow {
  id: string;
  campaign_id: string | null;
  customer_id: string | null;
  channel: ContactChannel;
  kind: 'promotional' | 'transactional';
  recipient: string;
  subject: string;
  body: string;
  whatsapp_template: string | null;
  status: MessageStatus;
  attempts: number;
  provider: string | null;
  sending_since: number | null;
}

export type ProviderFactory = (name: ProviderName, secret: string) => MessageProvider;

const BATCH = 200;
const MAX_ATTEMPTS = 8;
const IDLE_MS = 30_000;
const NOT_SET_UP_PAUSE_MS = 30_000;
const CONCURRENCY = 16;
const HOUR_MS = 60 * 60 * 1000;

const PROVIDER_LABEL: Record<ProviderName, string> = {
  termii: 'Termii',
  africastalking: "Africa's Talking",
  'whatsapp-cloud': 'WhatsApp',
  smtp: 'Email (SMTP)',
};

function outgoing(row: MessageRow): OutgoingMessage {
  return {
    id: row.id,
    channel: row.channel,
    to: row.recipient,
    body: row.body,
    subject: row.subject,
    whatsappTemplate:
      row.whatsapp_template === null
        ? null
        : (JSON.parse(row.whatsapp_template) as OutgoingMessage['whatsappTemplate']),
    kind: row.kind,
  };
}

type SenderStatement =
  | 'due'
  | 'inFlight'
  | 'consent'
  | 'recentPromotions'
  | 'hold'
  | 'claim'
  | 'sent'
  | 'retry'
  | 'final'
  | 'event'
  | 'counts'
  | 'nextDue'
  | 'nextScheduled'
  | 'waitingChannels';

export class MessageSender {
  private readonly sql: Database.Database;
  private readonly s: Record<SenderStatement, Database.Statement>;
  private readonly providers = new Map<ProviderName, { secret: string; provider: MessageProvider }>();
  private readonly pausedUntil = new Map<ProviderName, number>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private abort = new AbortController();
  private lastError: string | null = null;
  private lastTriggerHour = -1;
  private unsubscribeNetwork: (() => void) | null = null;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      campaigns: CampaignService;
      settings: CampaignSettingsStore;
      network: NetworkSource;
      createProvider: ProviderFactory;
      now: () => number;
      random?: () => number;
      onProgress: (progress: CampaignProgress) => void;
      onStatus: (status: SenderStatus) => void;
      log: (message: string, fields: Record<string, unknown>) => void;
    },
  ) {
    this.sql = deps.sql;
    const p = (text: string) => this.sql.prepare(text);
    this.s = {
      due: p(
        `SELECT id, campaign_id, customer_id, channel, kind, recipient, subject, body, whatsapp_template, status,
           attempts, provider, sending_since
         FROM messages WHERE status IN ('queued', 'waiting') AND not_before <= @now AND channel IN (SELECT value FROM json_each(@channels))
         ORDER BY not_before, id LIMIT ${BATCH}`,
      ),
      inFlight: p(
        `SELECT id, campaign_id, customer_id, channel, kind, recipient, subject, body, whatsapp_template, status,
           attempts, provider, sending_since FROM messages WHERE status = 'sending'`,
      ),
      consent: p(
        'SELECT consent_sms, consent_whatsapp, consent_email FROM customer_stats WHERE customer_id = ?',
      ),
      recentPromotions: p(
        `SELECT count(*) AS n, min(sent_at) AS oldest FROM messages
         WHERE customer_id = ? AND kind = 'promotional' AND sent_at >= ? AND status IN ('sending', 'sent', 'delivered')`,
      ),
      hold: p(`UPDATE messages SET status = ?, reason = ?, not_before = ?, updated_at = ? WHERE id = ?`),
      claim: p(
        `UPDATE messages SET status = 'sending', attempts = attempts + 1, sending_since = @at, sent_at = @at,
           provider = @provider, updated_at = @at WHERE id = @id AND status IN ('queued', 'waiting')`,
      ),
      sent: p(
        `UPDATE messages SET status = @status, provider_message_id = @ref, reason = @reason, sending_since = NULL,
           sent_at = @at, delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END, updated_at = @at
         WHERE id = @id`,
      ),
      retry: p(
        `UPDATE messages SET status = 'queued', reason = @reason, sending_since = NULL, sent_at = NULL, not_before = @notBefore,
           updated_at = @at WHERE id = @id`,
      ),
      final: p(
        `UPDATE messages SET status = @status, reason = @reason, sending_since = NULL, sent_at = NULL, cost_kobo = 0,
           updated_at = @at WHERE id = @id`,
      ),
      event: p(`INSERT INTO message_events (message_id, status, reason, source, at) VALUES (?, ?, ?, ?, ?)`),
      nextDue: p(`SELECT min(not_before) AS at FROM messages WHERE status IN ('queued', 'waiting')`),
      nextScheduled: p(`SELECT min(scheduled_at) AS at FROM campaigns WHERE state = 'scheduled'`),
      waitingChannels: p(
        `SELECT DISTINCT channel FROM messages WHERE status IN ('queued', 'waiting') LIMIT 3`,
      ),
      counts: p(
        `SELECT status, count(*) AS n FROM messages WHERE status IN ('queued', 'waiting', 'sending') GROUP BY status`,
      ),
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.unsubscribeNetwork = this.deps.network.onChange(() => this.kick());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.unsubscribeNetwork?.();
    this.kick();
    await this.loop;
    this.loop = null;
    this.closeProviders();
  }

  private closeProviders(): void {
    for (const { provider } of this.providers.values()) void provider.close?.().catch(() => undefined);
    this.providers.clear();
  }

  /** New messages or a changed setting: look now rather than at the next idle tick. */
  kick(): void {
    this.wake?.();
  }

  async status(): Promise<SenderStatus> {
    const counts = new Map(
      (this.s.counts.all() as { status: MessageStatus; n: number }[]).map((row) => [row.status, row.n]),
    );
    return {
      online: this.deps.network.online(),
      configured: await this.deps.settings.configured(),
      queued: counts.get('queued') ?? 0,
      waiting: counts.get('waiting') ?? 0,
      sending: counts.get('sending') ?? 0,
      lastError: this.lastError,
    };
  }

  private async run(): Promise<void> {
    try {
      await this.settleInFlight();
    } catch (error) {
      this.deps.log('campaigns: settling in-flight messages failed', { error: String(error) });
    }
    while (this.running) {
      let worked = 0;
      try {
        worked = await this.pass();
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.deps.log('campaigns: send pass failed', { error: this.lastError });
      }
      if (this.stopping()) break;
      if (worked === 0) await this.idle(this.nextWakeIn());
    }
  }

  /** Read through a method: `stop()` flips it while a pass is out. */
  private stopping(): boolean {
    return !this.running;
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  private nextWakeIn(): number {
    const next = this.s.nextDue.get() as { at: number | null };
    const scheduled = this.s.nextScheduled.get() as { at: number | null };
    const candidates = [next.at, scheduled.at].filter((at): at is number => at !== null);
    const soonest = candidates.length === 0 ? Infinity : Math.min(...candidates) - this.deps.now();
    return Math.max(50, Math.min(IDLE_MS, soonest));
  }

  /** Rows a crash left `sending`: ask the provider's history, or record them unconfirmed. */
  async settleInFlight(): Promise<number> {
    const rows = this.s.inFlight.all() as MessageRow[];
    const settings = this.deps.settings.get();
    for (const row of rows) {
      const name = (row.provider ?? this.providerFor(row.channel, settings.smsProvider)) as ProviderName;
      const provider = await this.provider(name);
      let outcome: Awaited<ReturnType<MessageProvider['settle']>> = { outcome: 'unknown' };
      if (provider !== null) {
        try {
          outcome = await provider.settle(outgoing(row), row.sending_since ?? 0, this.abort.signal);
        } catch {
          outcome = { outcome: 'unknown' };
        }
      }
      const at = this.deps.now();
      this.sql
        .transaction(() => {
          if (outcome.outcome === 'sent') {
            this.s.sent.run({
              id: row.id,
              status: 'sent',
              ref: outcome.providerMessageId,
              reason: null,
              at,
            });
            this.s.event.run(row.id, 'sent', 'Confirmed from the provider after a restart', 'restart', at);
          } else if (outcome.outcome === 'not-sent') {
            this.s.retry.run({
              id: row.id,
              reason: 'The app stopped before the provider took it',
              notBefore: at,
              at,
            });
            this.s.event.run(row.id, 'queued', 'Not sent before a restart', 'restart', at);
          } else {
            const reason = 'Unconfirmed: the app stopped while the provider was answering; not sent again';
            this.s.sent.run({ id: row.id, status: 'sent', ref: null, reason, at });
            this.s.event.run(row.id, 'sent', reason, 'restart', at);
          }
        })
        .immediate();
    }
    return rows.length;
  }

  /** One pass: due scheduled campaigns, automations (hourly), then one batch of due messages. */
  async pass(): Promise<number> {
    let worked = this.deps.campaigns.writeDueCampaigns();
    const hour = Math.floor(this.deps.now() / HOUR_MS);
    if (hour !== this.lastTriggerHour) {
      this.lastTriggerHour = hour;
      worked += this.deps.campaigns.runTriggers();
    }
    const now = this.deps.now();
    if (!this.deps.network.online()) {
      this.emitStatus();
      return 0;
    }
    const settings = this.deps.settings.get();
    const channels: ContactChannel[] = [];
    const ready = new Map<ProviderName, MessageProvider>();
    for (const channel of ['sms', 'whatsapp', 'email'] as const) {
      const name = this.providerFor(channel, settings.smsProvider);
      if ((this.pausedUntil.get(name) ?? 0) > now) continue;
      const provider = await this.provider(name);
      if (provider === null) {
        this.pausedUntil.set(name, now + NOT_SET_UP_PAUSE_MS);
        continue;
      }
      ready.set(name, provider);
      channels.push(channel);
    }
    if (channels.length === 0) {
      this.noteNotSetUp();
      this.emitStatus();
      return 0;
    }
    const due = this.s.due.all({ now, channels: JSON.stringify(channels) }) as MessageRow[];
    if (due.length === 0) {
      this.noteNotSetUp();
      this.finish();
      return worked;
    }
    const claimed = this.claim(due, settings, now);
    const outcomes = await this.sendAll(claimed, settings, ready);
    this.record(outcomes);
    this.finish(new Set(due.map((row) => row.campaign_id).filter((id): id is string => id !== null)));
    return worked + due.length;
  }

  private noteNotSetUp(): void {
    const waiting = this.s.waitingChannels.all() as { channel: ContactChannel }[];
    const settings = this.deps.settings.get();
    const missing = waiting
      .map(({ channel }) => this.providerFor(channel, settings.smsProvider))
      .filter((name) => !this.providers.has(name));
    if (missing.length > 0) {
      this.lastError = `${missing.map((name) => PROVIDER_LABEL[name]).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set up: add the key in Campaigns → Settings. Messages wait until then.`;
    }
  }

  private providerFor(channel: ContactChannel, sms: 'termii' | 'africastalking'): ProviderName {
    return channel === 'sms' ? sms : channel === 'whatsapp' ? 'whatsapp-cloud' : 'smtp';
  }

  private async provider(name: ProviderName): Promise<MessageProvider | null> {
    const secret = await this.deps.settings.secret(name);
    if (secret === null) {
      this.providers.delete(name);
      return null;
    }
    const cached = this.providers.get(name);
    if (cached !== undefined && cached.secret === secret) return cached.provider;
    void cached?.provider.close?.().catch(() => undefined);
    const provider = this.deps.createProvider(name, secret);
    this.providers.set(name, { secret, provider });
    return provider;
  }

  /** Settings or a secret changed: adapters are made again on the next pass. */
  reconfigure(): void {
    this.closeProviders();
    this.pausedUntil.clear();
    this.lastError = null;
    this.kick();
  }

  /**
   * In one transaction: holds what must wait (quiet hours, the cap), marks opted-out customers,
   * and marks the rest `sending`. Only rows marked here are handed to a provider.
   */
  private claim(
    rows: MessageRow[],
    settings: ReturnType<CampaignSettingsStore['get']>,
    now: number,
  ): MessageRow[] {
    const claimed: MessageRow[] = [];
    const capWindow = settings.frequencyCap.hours * HOUR_MS;
    this.sql
      .transaction(() => {
        const promotedInBatch = new Map<string, number>();
        for (const row of rows) {
          if (row.kind === 'promotional') {
            if (row.customer_id !== null && !this.consents(row.customer_id, row.channel)) {
              this.s.final.run({
                id: row.id,
                status: 'opted-out',
                reason: 'No consent for this channel',
                at: now,
              });
              this.s.event.run(row.id, 'opted-out', 'No consent for this channel', 'sender', now);
              continue;
            }
            if (row.channel === 'sms' && inQuietHours(now, settings.quietHours)) {
              this.hold(
                row,
                'Quiet hours: promotional SMS waits until 08:00',
                quietHoursEnd(now, settings.quietHours),
                now,
              );
              continue;
            }
            if (row.customer_id !== null) {
              const recent = this.s.recentPromotions.get(row.customer_id, now - capWindow) as {
                n: number;
                oldest: number | null;
              };
              const inBatch = promotedInBatch.get(row.customer_id) ?? 0;
              if (recent.n + inBatch >= settings.frequencyCap.messages) {
                const until = (recent.oldest ?? now) + capWindow;
                this.hold(
                  row,
                  `Frequency cap: at most ${settings.frequencyCap.messages} promotion(s) per ${settings.frequencyCap.hours} h`,
                  Math.max(until, now + 60_000),
                  now,
                );
                continue;
              }
              promotedInBatch.set(row.customer_id, inBatch + 1);
            }
          }
          const provider = this.providerFor(row.channel, settings.smsProvider);
          if (this.s.claim.run({ id: row.id, at: now, provider }).changes === 1) {
            claimed.push({ ...row, provider, sending_since: now });
          }
        }
      })
      .immediate();
    return claimed;
  }

  private hold(row: MessageRow, reason: string, until: number, now: number): void {
    this.s.hold.run('waiting', reason, until, now, row.id);
    if (row.status !== 'waiting') this.s.event.run(row.id, 'waiting', reason, 'sender', now);
  }

  private consents(customerId: string, channel: ContactChannel): boolean {
    const row = this.s.consent.get(customerId) as
      { consent_sms: number; consent_whatsapp: number; consent_email: number } | undefined;
    if (row === undefined) return false;
    return (
      (channel === 'sms'
        ? row.consent_sms
        : channel === 'whatsapp'
          ? row.consent_whatsapp
          : row.consent_email) === 1
    );
  }

  /** Sends each provider's rows at its throttle, a few at a time; answers come back in any order. */
  private async sendAll(
    rows: MessageRow[],
    settings: ReturnType<CampaignSettingsStore['get']>,
    ready: Map<ProviderName, MessageProvider>,
  ): Promise<{ row: MessageRow; outcome: SendOutcome }[]> {
    const byProvider = new Map<ProviderName, MessageRow[]>();
    for (const row of rows) {
      const name = row.provider as ProviderName;
      byProvider.set(name, [...(byProvider.get(name) ?? []), row]);
    }
    const results: { row: MessageRow; outcome: SendOutcome }[] = [];
    await Promise.all(
      [...byProvider].map(async ([name, list]) => {
        const provider = ready.get(name);
        if (provider === undefined) return;
        const interval = 1000 / settings.throttlePerSecond[name];
        const started = Date.now();
        let next = 0;
        const worker = async () => {
          for (let index = next; index < list.length; index = next) {
            next += 1;
            const row = list[index];
            if (row === undefined) break;
            const wait = started + index * interval - Date.now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            let outcome: SendOutcome;
            try {
              outcome = await provider.send(outgoing(row), this.abort.signal);
              if (outcome.outcome === 'retry' && outcome.ambiguous === true) {
                outcome = await this.settleAmbiguous(provider, row, outcome);
              }
            } catch (error) {
              // The loop is stopping: the row stays `sending` for the next start to settle.
              if (this.abort.signal.aborted) continue;
              outcome = await this.settleAmbiguous(provider, row, {
                outcome: 'retry',
                reason: error instanceof Error ? error.message : String(error),
                retryAfterMs: null,
                ambiguous: true,
              });
            }
            results.push({ row, outcome });
          }
        };
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
      }),
    );
    return results;
  }

  /**
   * No answer after the request left: the provider may have the message. Its history decides;
   * where it cannot tell, the message counts as sent (unconfirmed) rather than risk a double.
   */
  private async settleAmbiguous(
    provider: MessageProvider,
    row: MessageRow,
    failure: Extract<SendOutcome, { outcome: 'retry' }>,
  ): Promise<SendOutcome> {
    let settled: Awaited<ReturnType<MessageProvider['settle']>>;
    try {
      settled = await provider.settle(outgoing(row), row.sending_since ?? this.deps.now(), this.abort.signal);
    } catch {
      settled = { outcome: 'unknown' };
    }
    if (settled.outcome === 'sent') {
      return { outcome: 'sent', providerMessageId: settled.providerMessageId, costKobo: null };
    }
    if (settled.outcome === 'not-sent') return { ...failure, ambiguous: false };
    return { outcome: 'sent', providerMessageId: '', costKobo: null, unconfirmed: failure.reason };
  }

  private record(results: { row: MessageRow; outcome: SendOutcome }[]): void {
    if (results.length === 0) return;
    const at = this.deps.now();
    const random = this.deps.random ?? Math.random;
    let error: string | null = null;
    this.sql
      .transaction(() => {
        for (const { row, outcome } of results) {
          switch (outcome.outcome) {
            case 'sent': {
              const status = outcome.delivered === true ? 'delivered' : 'sent';
              const reason =
                outcome.unconfirmed === undefined
                  ? null
                  : `Unconfirmed (${outcome.unconfirmed}); not sent again so it cannot arrive twice`;
              const ref = outcome.providerMessageId === '' ? null : outcome.providerMessageId;
              this.s.sent.run({ id: row.id, status, ref, reason, at });
              this.s.event.run(row.id, status, reason, 'sender', at);
              break;
            }
            case 'retry': {
              error = outcome.reason;
              const attempts = row.attempts + 1;
              if (attempts >= MAX_ATTEMPTS) {
                const reason = `Gave up after ${attempts} tries: ${outcome.reason}`;
                this.s.final.run({ id: row.id, status: 'failed', reason, at });
                this.s.event.run(row.id, 'failed', reason, 'sender', at);
              } else {
                const delay = Math.max(
                  outcome.retryAfterMs ?? 0,
                  backoffDelay(attempts, random, { baseMs: 2_000, maxMs: 10 * 60_000 }),
                );
                this.s.retry.run({ id: row.id, reason: outcome.reason, notBefore: at + delay, at });
              }
              break;
            }
            case 'failed':
            case 'undeliverable':
              this.s.final.run({ id: row.id, status: outcome.outcome, reason: outcome.reason, at });
              this.s.event.run(row.id, outcome.outcome, outcome.reason, 'sender', at);
              break;
          }
        }
        this.deps.campaigns.applyWaitingReports();
      })
      .immediate();
    this.lastError = error;
  }

  /** Tells the screen where these campaigns stand (after delivery reports came in with a pull). */
  progressFor(campaignIds: string[]): void {
    // Called a moment after the pull committed: the shop may have closed since.
    if (!this.sql.open) return;
    for (const id of campaignIds) {
      const summary = this.deps.campaigns.summary(id);
      this.deps.onProgress({ campaignId: id, state: summary.state, tally: summary.tally });
    }
  }

  private finish(touched: Set<string> = new Set()): void {
    for (const id of this.deps.campaigns.finishSettled()) touched.add(id);
    this.progressFor([...touched]);
    this.emitStatus();
  }

  private emitStatus(): void {
    void this.status().then(
      (status) => this.deps.onStatus(status),
      () => undefined,
    );
  }
}
