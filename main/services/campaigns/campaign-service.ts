/**
 * Campaigns: the cost before sending, writing one message row per recipient (the send loop takes
 * them from there), results per carrier and over time, automated triggers, and delivery reports
 * relayed by the sync server. Recipients are fixed when a campaign's messages are written (at
 * once, or when its scheduled time comes), from the rules as they stood when it was made.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import type {
  CampaignEstimate,
  CampaignInput,
  CampaignMessage,
  CampaignResults,
  CampaignSummary,
  CampaignTally,
  CampaignTrigger,
  ContactChannel,
  MessageStatus,
  Page,
  SegmentDefinition,
  SegmentSource,
  TriggerSetting,
} from '../../../shared/contract';
import { TRIGGERS } from '../../../shared/contract';
import { renderTemplate, type TemplateShop } from '../../../shared/campaigns/template';
import { inQuietHours, quietHoursEnd } from '../../../shared/campaigns/quiet-hours';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { lagosDay, lagosMonth } from '../../../shared/lagos-time';
import type { Carrier } from '../../../shared/phone';
import { smsSegments } from '../../../shared/sms';
import type { AuditLog } from '../audit/audit-log';
import type { CampaignSettingsStore } from './campaign-settings';
import type { TemplateService } from './template-service';

/** One customer a campaign goes to, as the segment engine lists them. */
export interface CampaignRecipient {
  customerId: string;
  displayName: string;
  firstName: string;
  lastName: string;
  /** E.164, or the email address. */
  recipient: string;
  carrier: Carrier | null;
  tier: string;
  points: number;
  totalSpentKobo: number;
  lastPurchaseAt: number | null;
  birthday: string | null;
  state: string | null;
}

/** What campaigns need of segments: resolve a source, count, and list recipients. */
export interface SegmentReader {
  resolve(source: SegmentSource): { segmentId: string | null; name: string; definition: SegmentDefinition };
  matching(definition: SegmentDefinition): number;
  recipients(
    definition: SegmentDefinition,
    channel: ContactChannel,
    kind: 'promotional' | 'transactional',
  ): Iterable<CampaignRecipient>;
}

interface CampaignRow {
  id: string;
  name: string;
  channel: ContactChannel;
  kind: 'promotional' | 'transactional';
  segment_id: string | null;
  segment_name: string;
  definition: string;
  template_id: string;
  template_b_id: string | null;
  split_percent: number;
  state: CampaignSummary['state'];
  trigger: CampaignTrigger | null;
  scheduled_at: number | null;
  enqueued_at: number | null;
  created_at: number;
  finished_at: number | null;
}

interface TriggerRule {
  definition: SegmentDefinition;
  /** The period a customer gets at most one message of this automation in. */
  period: (who: CampaignRecipient) => string;
  /** Only these customers (tier upgrades since the last run). */
  only?: Set<string>;
}

const WRITE_CHUNK = 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const TRIGGER_NAMES: Record<CampaignTrigger, string> = {
  birthday: 'Birthday greetings',
  lapsed: 'We miss you',
  'tier-upgrade': 'New tier',
  'points-ready': 'Points ready to redeem',
};
const TRIGGER_DEFAULT_THRESHOLD: Record<CampaignTrigger, number> = {
  birthday: 0,
  lapsed: 60,
  'tier-upgrade': 0,
  'points-ready': 500,
};

/** A stable split: the same customer always lands in the same variant of a campaign. */
function variantOf(campaignId: string, customerId: string, splitPercent: number): 'A' | 'B' {
  let hash = 2166136261;
  const key = `${campaignId}:${customerId}`;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % 100 < splitPercent ? 'B' : 'A';
}

export function emptyTally(): CampaignTally {
  return {
    recipients: 0,
    queued: 0,
    waiting: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    optedOut: 0,
    undeliverable: 0,
    costKobo: 0,
    deliveryRate: null,
  };
}

/** Folds `status, count, cost` rows into a tally; `sending` counts as sent until answered. */
function tallyOf(rows: { status: MessageStatus; n: number; cost: number | null }[]): CampaignTally {
  const tally = emptyTally();
  for (const row of rows) {
    tally.recipients += row.n;
    switch (row.status) {
      case 'queued':
        tally.queued += row.n;
        break;
      case 'waiting':
        tally.waiting += row.n;
        break;
      case 'sending':
      case 'sent':
        tally.sent += row.n;
        tally.costKobo += row.cost ?? 0;
        break;
      case 'delivered':
        tally.delivered += row.n;
        tally.costKobo += row.cost ?? 0;
        break;
      // A message the provider refused costs nothing (the sender zeroes its cost); one that left
      // and then failed to arrive is charged, as the networks charge it.
      case 'failed':
        tally.failed += row.n;
        tally.costKobo += row.cost ?? 0;
        break;
      case 'opted-out':
        tally.optedOut += row.n;
        break;
      case 'undeliverable':
        tally.undeliverable += row.n;
        tally.costKobo += row.cost ?? 0;
        break;
    }
  }
  // Out of the messages whose fate is known: one sent without a report yet is neither.
  const settled = tally.delivered + tally.failed + tally.undeliverable;
  tally.deliveryRate = settled === 0 ? null : tally.delivered / settled;
  return tally;
}

type CampaignStatement = 'campaign' | 'tally' | 'insertMessage' | 'insertEvent' | 'triggerSend';

export class CampaignService {
  private readonly sql: Database.Database;
  private readonly s: Record<CampaignStatement, Database.Statement>;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      audit: AuditLog;
      templates: TemplateService;
      segments: SegmentReader;
      settings: CampaignSettingsStore;
      shop: () => TemplateShop;
      now: () => number;
      /** Wakes the send loop: new messages were written. */
      kick: () => void;
      /** Delivery reports changed these campaigns' tallies (called inside the pull's transaction). */
      reported?: (campaignIds: string[]) => void;
    },
  ) {
    this.sql = deps.sql;
    const p = (text: string) => this.sql.prepare(text);
    this.s = {
      campaign: p('SELECT * FROM campaigns WHERE id = ?'),
      tally: p(
        `SELECT status, count(*) AS n, sum(cost_kobo) AS cost FROM messages WHERE campaign_id = ? GROUP BY status`,
      ),
      insertMessage: p(
        `INSERT OR IGNORE INTO messages (id, campaign_id, customer_id, channel, kind, variant, recipient, carrier,
           subject, body, whatsapp_template, pages, cost_kobo, status, reason, not_before, created_at, updated_at)
         VALUES (@id, @campaignId, @customerId, @channel, @kind, @variant, @recipient, @carrier, @subject, @body,
           @whatsappTemplate, @pages, @costKobo, @status, @reason, @notBefore, @at, @at)`,
      ),
      insertEvent: p(
        `INSERT INTO message_events (message_id, status, reason, source, at) VALUES (?, ?, ?, ?, ?)`,
      ),
      triggerSend: p(
        `INSERT OR IGNORE INTO trigger_sends (trigger, customer_id, period, message_id, at) VALUES (?, ?, ?, ?, ?)`,
      ),
    };
  }

  // ── Cost before sending ─────────────────────────────────────────────────────────────────

  estimate(input: {
    segment: SegmentSource;
    templateId: string;
    templateBId: string | null;
    scheduledAt: number | null;
  }): CampaignEstimate {
    const template = this.deps.templates.get(input.templateId);
    const templateB = input.templateBId === null ? null : this.deps.templates.get(input.templateBId);
    if (templateB !== null && templateB.channel !== template.channel) {
      throw new KasuwaError('invalid_input', 'Both templates of an A/B split must use the same channel.');
    }
    const { definition } = this.deps.segments.resolve(input.segment);
    const settings = this.deps.settings.get();
    const shop = this.deps.shop();
    const matching = this.deps.segments.matching(definition);
    let recipients = 0;
    let costKobo = 0;
    let pagesPerMessage = 0;
    let ucs2 = false;
    for (const who of this.deps.segments.recipients(definition, template.channel, template.kind)) {
      recipients += 1;
      const chosen =
        templateB !== null && variantOf('estimate', who.customerId, 50) === 'B' ? templateB : template;
      const priced = this.price(chosen.channel, renderTemplate(chosen.body, recipientWords(who), shop).text);
      costKobo += priced.costKobo;
      pagesPerMessage = Math.max(pagesPerMessage, priced.pages);
      if (priced.encoding === 'UCS-2') ucs2 = true;
    }
    let withAddress = matching;
    if (template.channel === 'email') {
      withAddress = 0;
      for (const _ of this.deps.segments.recipients(definition, 'email', 'transactional')) withAddress += 1;
    }
    const at = input.scheduledAt ?? this.deps.now();
    const waits =
      template.kind === 'promotional' && template.channel === 'sms' && inQuietHours(at, settings.quietHours);
    return {
      matching,
      recipients,
      excluded: {
        noConsent: template.kind === 'promotional' ? Math.max(0, withAddress - recipients) : 0,
        noAddress: matching - withAddress,
      },
      pagesPerMessage,
      encoding: template.channel === 'sms' ? (ucs2 ? 'UCS-2' : 'GSM-7') : null,
      perMessageKobo: this.price(template.channel, '').perPageKobo,
      costKobo,
      waitsUntil: waits ? quietHoursEnd(at, settings.quietHours) : null,
    };
  }

  private price(channel: ContactChannel, text: string) {
    const rates = this.deps.settings.get().rates;
    if (channel === 'sms') {
      const sms = smsSegments(text);
      const pages = Math.max(1, sms.segments);
      return {
        pages,
        encoding: sms.encoding,
        perPageKobo: rates.smsPageKobo,
        costKobo: pages * rates.smsPageKobo,
      };
    }
    const perPageKobo = channel === 'whatsapp' ? rates.whatsappKobo : rates.emailKobo;
    return { pages: 1, encoding: null, perPageKobo, costKobo: perPageKobo };
  }

  // ── Making and writing campaigns ────────────────────────────────────────────────────────

  create(input: CampaignInput, staffId: string | null): CampaignSummary {
    const template = this.deps.templates.get(input.templateId);
    if (input.templateBId !== null) {
      const b = this.deps.templates.get(input.templateBId);
      if (b.channel !== template.channel) {
        throw new KasuwaError('invalid_input', 'Both templates of an A/B split must use the same channel.');
      }
    }
    const segment = this.deps.segments.resolve(input.segment);
    const at = this.deps.now();
    const id = uuidv7(at);
    const later = input.scheduledAt !== null && input.scheduledAt > at;
    this.sql
      .transaction(() => {
        this.sql
          .prepare(
            `INSERT INTO campaigns (id, name, channel, kind, segment_id, segment_name, definition, template_id,
               template_b_id, split_percent, state, trigger, scheduled_at, created_at, created_by_staff_id)
             VALUES (@id, @name, @channel, @kind, @segmentId, @segmentName, @definition, @templateId, @templateBId,
               @splitPercent, @state, NULL, @scheduledAt, @at, @staffId)`,
          )
          .run({
            id,
            name: input.name,
            channel: template.channel,
            kind: template.kind,
            segmentId: segment.segmentId,
            segmentName: segment.name,
            definition: JSON.stringify(segment.definition),
            templateId: input.templateId,
            templateBId: input.templateBId,
            splitPercent: input.templateBId === null ? 0 : input.splitPercent,
            state: later ? 'scheduled' : 'sending',
            scheduledAt: input.scheduledAt,
            at,
            staffId,
          });
        this.deps.audit.append({
          action: 'campaign.create',
          entity: 'campaign',
          entityId: id,
          actorStaffId: staffId,
          details: {
            name: input.name,
            channel: template.channel,
            segment: segment.name,
            scheduledAt: input.scheduledAt,
          },
        });
      })
      .immediate();
    if (!later) this.writeMessages(id);
    return this.summary(id);
  }

  /**
   * Writes the campaign's messages in chunks of their own transactions; a crash part way is
   * finished by `writeDueCampaigns` on the next start, and the unique (campaign, customer) index
   * means a customer written before the crash is not written twice.
   */
  writeMessages(campaignId: string, trigger: Pick<TriggerRule, 'period' | 'only'> | null = null): number {
    const campaign = this.row(campaignId);
    if (campaign.enqueued_at !== null || campaign.state === 'cancelled') return 0;
    const definition = JSON.parse(campaign.definition) as SegmentDefinition;
    const templateA = this.deps.templates.get(campaign.template_id);
    const templateB =
      campaign.template_b_id === null ? null : this.deps.templates.get(campaign.template_b_id);
    const settings = this.deps.settings.get();
    const shop = this.deps.shop();
    let written = 0;
    // The segment engine reads its list a page at a time (no statement stays open between pages),
    // so each chunk is written as it comes: a campaign to a million customers never holds them all.
    const writeChunk = (chunk: CampaignRecipient[]) =>
      this.sql
        .transaction(() => {
          const at = this.deps.now();
          const quiet =
            campaign.kind === 'promotional' &&
            campaign.channel === 'sms' &&
            inQuietHours(at, settings.quietHours);
          for (const who of chunk) {
            const variant =
              templateB === null ? 'A' : variantOf(campaign.id, who.customerId, campaign.split_percent);
            const template = variant === 'B' && templateB !== null ? templateB : templateA;
            const words = recipientWords(who);
            const text = renderTemplate(template.body, words, shop);
            const subject = renderTemplate(template.subject, words, shop).text;
            const priced = this.price(campaign.channel, text.text);
            const id = uuidv7(at);
            if (trigger !== null && campaign.trigger !== null) {
              const fresh = this.s.triggerSend.run(
                campaign.trigger,
                who.customerId,
                trigger.period(who),
                id,
                at,
              );
              if (fresh.changes === 0) continue;
            }
            const result = this.s.insertMessage.run({
              id,
              campaignId: campaign.id,
              customerId: who.customerId,
              channel: campaign.channel,
              kind: campaign.kind,
              variant,
              recipient: who.recipient,
              carrier: campaign.channel === 'email' ? null : who.carrier,
              subject,
              body: text.text,
              whatsappTemplate:
                template.whatsappTemplate === null
                  ? null
                  : JSON.stringify({ ...template.whatsappTemplate, parameters: text.parameters }),
              pages: priced.pages,
              costKobo: priced.costKobo,
              status: quiet ? 'waiting' : 'queued',
              reason: quiet ? 'Quiet hours: promotional SMS waits until 08:00' : null,
              notBefore: quiet ? quietHoursEnd(at, settings.quietHours) : at,
              at,
            });
            if (result.changes === 1) {
              written += 1;
              this.s.insertEvent.run(id, quiet ? 'waiting' : 'queued', null, 'sender', at);
            }
          }
        })
        .immediate();
    let chunk: CampaignRecipient[] = [];
    for (const who of this.deps.segments.recipients(definition, campaign.channel, campaign.kind)) {
      if (trigger?.only !== undefined && !trigger.only.has(who.customerId)) continue;
      chunk.push(who);
      if (chunk.length === WRITE_CHUNK) {
        writeChunk(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeChunk(chunk);
    const at = this.deps.now();
    this.sql
      .prepare(
        `UPDATE campaigns SET enqueued_at = ?, state = CASE WHEN ? = 0 AND NOT EXISTS
           (SELECT 1 FROM messages WHERE campaign_id = campaigns.id) THEN 'done' ELSE 'sending' END,
           finished_at = CASE WHEN ? = 0 AND NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = campaigns.id)
             THEN ? ELSE finished_at END
         WHERE id = ?`,
      )
      .run(at, written, written, at, campaignId);
    if (written > 0) this.deps.kick();
    return written;
  }

  /** Campaigns whose time has come, and any whose writing a crash cut short. */
  writeDueCampaigns(): number {
    const due = this.sql
      .prepare(
        `SELECT id FROM campaigns WHERE enqueued_at IS NULL AND trigger IS NULL
           AND (state = 'sending' OR (state = 'scheduled' AND scheduled_at <= ?)) ORDER BY created_at`,
      )
      .all(this.deps.now()) as { id: string }[];
    let written = 0;
    for (const { id } of due) {
      this.sql.prepare(`UPDATE campaigns SET state = 'sending' WHERE id = ? AND state = 'scheduled'`).run(id);
      written += this.writeMessages(id);
    }
    return written;
  }

  cancel(id: string, staffId: string | null): CampaignSummary {
    this.sql
      .transaction(() => {
        const campaign = this.row(id);
        if (campaign.state === 'done' || campaign.state === 'cancelled') {
          throw new KasuwaError(
            'already_done',
            `That campaign has already ${campaign.state === 'done' ? 'finished' : 'been cancelled'}.`,
          );
        }
        const at = this.deps.now();
        const held = this.sql
          .prepare(`SELECT id FROM messages WHERE campaign_id = ? AND status IN ('queued', 'waiting')`)
          .all(id) as { id: string }[];
        this.sql
          .prepare(
            `UPDATE messages SET status = 'failed', reason = 'Campaign cancelled', cost_kobo = 0, updated_at = ?
             WHERE campaign_id = ? AND status IN ('queued', 'waiting')`,
          )
          .run(at, id);
        for (const message of held)
          this.s.insertEvent.run(message.id, 'failed', 'Campaign cancelled', 'sender', at);
        this.sql
          .prepare(`UPDATE campaigns SET state = 'cancelled', finished_at = ? WHERE id = ?`)
          .run(at, id);
        this.deps.audit.append({
          action: 'campaign.cancel',
          entity: 'campaign',
          entityId: id,
          actorStaffId: staffId,
          details: { held: held.length },
        });
      })
      .immediate();
    return this.summary(id);
  }

  /** Marks campaigns done once none of their messages waits or is out; returns their ids. */
  finishSettled(): string[] {
    const done = this.sql
      .prepare(
        `SELECT c.id FROM campaigns c WHERE c.state = 'sending' AND c.enqueued_at IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.status IN ('queued', 'waiting', 'sending'))`,
      )
      .all() as { id: string }[];
    const at = this.deps.now();
    for (const { id } of done)
      this.sql.prepare(`UPDATE campaigns SET state = 'done', finished_at = ? WHERE id = ?`).run(at, id);
    return done.map(({ id }) => id);
  }

  // ── Automated triggers ──────────────────────────────────────────────────────────────────

  triggers(): TriggerSetting[] {
    const rows = this.sql.prepare('SELECT * FROM campaign_triggers').all() as {
      trigger: CampaignTrigger;
      enabled: number;
      template_id: string | null;
      threshold: number;
      last_run_at: number | null;
    }[];
    const byName = new Map(rows.map((row) => [row.trigger, row]));
    return TRIGGERS.map((trigger) => {
      const row = byName.get(trigger);
      return {
        trigger,
        enabled: row?.enabled === 1,
        templateId: row?.template_id ?? null,
        threshold: row?.threshold ?? TRIGGER_DEFAULT_THRESHOLD[trigger],
        lastRunAt: row?.last_run_at ?? null,
      };
    });
  }

  setTrigger(
    input: {
      trigger: CampaignTrigger;
      enabled: boolean;
      templateId: string | null;
      threshold?: number | undefined;
    },
    staffId: string | null,
  ): TriggerSetting {
    if (input.enabled && input.templateId === null) {
      throw new KasuwaError('invalid_input', 'Pick the template this automation sends.');
    }
    if (input.templateId !== null) this.deps.templates.get(input.templateId);
    const current = this.trigger(input.trigger);
    const threshold = input.threshold ?? current.threshold;
    this.sql
      .transaction(() => {
        // Tier upgrades count from the moment the automation is switched on, not from the shop's history.
        const since = input.enabled && !current.enabled ? this.deps.now() : current.lastRunAt;
        this.sql
          .prepare(
            `INSERT INTO campaign_triggers (trigger, enabled, template_id, threshold, last_run_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (trigger) DO UPDATE SET enabled = excluded.enabled, template_id = excluded.template_id,
               threshold = excluded.threshold, last_run_at = excluded.last_run_at`,
          )
          .run(input.trigger, input.enabled ? 1 : 0, input.templateId, threshold, since);
        this.deps.audit.append({
          action: 'campaign.trigger',
          entity: 'campaign_trigger',
          entityId: input.trigger,
          actorStaffId: staffId,
          details: { enabled: input.enabled, templateId: input.templateId, threshold },
        });
      })
      .immediate();
    return this.trigger(input.trigger);
  }

  private trigger(name: CampaignTrigger): TriggerSetting {
    const setting = this.triggers().find((candidate) => candidate.trigger === name);
    if (setting === undefined) throw new KasuwaError('not_found', 'That automation does not exist.');
    return setting;
  }

  /**
   * Runs the automations that are on: each writes a campaign of the customers it finds today,
   * at most one message per customer per period (a birthday a year, a lapse once, a tier once,
   * points once a month), so running twice in a day sends nothing twice.
   */
  runTriggers(): number {
    const at = this.deps.now();
    let written = 0;
    for (const setting of this.triggers()) {
      if (!setting.enabled || setting.templateId === null) continue;
      const template = this.deps.templates.get(setting.templateId);
      const rule = this.triggerRule(setting, at);
      if (rule.only !== undefined && rule.only.size === 0) {
        this.sql
          .prepare('UPDATE campaign_triggers SET last_run_at = ? WHERE trigger = ?')
          .run(at, setting.trigger);
        continue;
      }
      const id = uuidv7(at);
      const day = lagosDay(at);
      this.sql
        .transaction(() => {
          this.sql
            .prepare(
              `INSERT INTO campaigns (id, name, channel, kind, segment_id, segment_name, definition, template_id,
                 template_b_id, split_percent, state, trigger, scheduled_at, created_at)
               VALUES (?, ?, ?, ?, NULL, ?, ?, ?, NULL, 0, 'sending', ?, NULL, ?)`,
            )
            .run(
              id,
              `${TRIGGER_NAMES[setting.trigger]} · ${day}`,
              template.channel,
              template.kind,
              TRIGGER_NAMES[setting.trigger],
              JSON.stringify(rule.definition),
              template.id,
              setting.trigger,
              at,
            );
          this.sql
            .prepare('UPDATE campaign_triggers SET last_run_at = ? WHERE trigger = ?')
            .run(at, setting.trigger);
        })
        .immediate();
      const count = this.writeMessages(id, rule);
      if (count === 0) {
        // Nobody new today: the empty campaign is not kept in the list.
        this.sql
          .prepare(
            'DELETE FROM campaigns WHERE id = ? AND NOT EXISTS (SELECT 1 FROM messages WHERE campaign_id = ?)',
          )
          .run(id, id);
      }
      written += count;
    }
    return written;
  }

  private triggerRule(setting: TriggerSetting, at: number): TriggerRule {
    switch (setting.trigger) {
      case 'birthday':
        return {
          definition: { match: 'all', rules: [{ field: 'birthdayWithin', days: 1 }] },
          period: () => lagosDay(at).slice(0, 4),
        };
      case 'lapsed':
        // One "we miss you" per quiet spell: the period is the last purchase the spell began after,
        // and only spells that began in the last 30 days past the threshold are looked at.
        return {
          definition: {
            match: 'all',
            rules: [
              { field: 'lastPurchase', op: 'more-than', days: setting.threshold },
              { field: 'purchaseCount', op: 'at-least', value: 1 },
              { field: 'lastPurchase', op: 'within', days: setting.threshold + 30 },
            ],
          },
          period: (who) => `after:${String(who.lastPurchaseAt)}`,
        };
      case 'points-ready':
        return {
          definition: {
            match: 'all',
            rules: [{ field: 'points', op: 'at-least', value: setting.threshold }],
          },
          period: () => lagosMonth(at),
        };
      case 'tier-upgrade': {
        // Customers whose tier went up since the last run, from the loyalty ledger's tier changes;
        // one message per customer per tier reached.
        const since = setting.lastRunAt ?? at - DAY_MS;
        const rank: Record<string, number> = { bronze: 0, silver: 1, gold: 2, platinum: 3 };
        const rows = this.sql
          .prepare(
            `SELECT customer_id, from_tier, to_tier FROM loyalty_events WHERE kind = 'tier_change' AND created_at > ?`,
          )
          .all(since) as { customer_id: string; from_tier: string; to_tier: string }[];
        const only = new Set(
          rows
            .filter((row) => (rank[row.to_tier] ?? 0) > (rank[row.from_tier] ?? 0))
            .map((row) => row.customer_id),
        );
        return {
          definition: {
            match: 'all',
            rules: [{ field: 'tier', op: 'in', values: ['silver', 'gold', 'platinum'] }],
          },
          period: (who) => `tier:${who.tier}`,
          only,
        };
      }
    }
  }

  // ── Delivery reports ────────────────────────────────────────────────────────────────────

  /**
   * A provider's delivery report, relayed by the sync server: kept, and applied to its message
   * when the message is known (a report can arrive before the send loop recorded the provider's
   * id, after a crash; `applyWaitingReports` picks it up then). Runs inside the pull transaction.
   */
  recordReport(report: {
    id: string;
    provider: string;
    providerMessageId: string;
    reference: string | null;
    status: 'sent' | 'delivered' | 'failed' | 'undeliverable';
    reason: string | null;
    at: number;
  }): void {
    const inserted = this.sql
      .prepare(
        `INSERT OR IGNORE INTO message_reports (id, provider, provider_message_id, status, reason, at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(report.id, report.provider, report.providerMessageId, report.status, report.reason, report.at);
    if (inserted.changes === 0) return;
    if (report.reference !== null) {
      this.sql
        .prepare(
          `UPDATE messages SET provider_message_id = coalesce(provider_message_id, ?) WHERE id = ? AND provider = ?`,
        )
        .run(report.providerMessageId, report.reference, report.provider);
    }
    this.applyWaitingReports();
  }

  /** Applies kept reports to messages now known by provider id; a later report never undoes a final one. */
  applyWaitingReports(): number {
    const reports = this.sql
      .prepare(
        `SELECT r.id, r.status, r.reason, r.at, m.id AS message_id, m.campaign_id, m.status AS current
         FROM message_reports r JOIN messages m ON m.provider = r.provider AND m.provider_message_id = r.provider_message_id
         WHERE r.applied_at IS NULL ORDER BY r.at`,
      )
      .all() as {
      id: string;
      status: string;
      reason: string | null;
      at: number;
      message_id: string;
      campaign_id: string | null;
      current: MessageStatus;
    }[];
    const at = this.deps.now();
    for (const report of reports) {
      const final =
        report.current === 'delivered' || report.current === 'failed' || report.current === 'undeliverable';
      if (!final && report.status !== 'sent') {
        this.sql
          .prepare(
            `UPDATE messages SET status = ?, reason = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END,
               updated_at = ? WHERE id = ?`,
          )
          .run(report.status, report.reason, report.status, report.at, at, report.message_id);
        this.s.insertEvent.run(report.message_id, report.status, report.reason, 'report', report.at);
      }
      this.sql.prepare('UPDATE message_reports SET applied_at = ? WHERE id = ?').run(at, report.id);
    }
    const touched = [...new Set(reports.map((report) => report.campaign_id))].filter((id) => id !== null);
    if (touched.length > 0) this.deps.reported?.(touched);
    return reports.length;
  }

  /**
   * A STOP reply relayed by the sync server: every customer with that number stops getting
   * promotions on that channel. Each counter makes the same consent rows (ids derived from the
   * opt-out and the customer), so none is pushed and none is doubled. Runs inside the pull.
   */
  recordOptOut(row: {
    id: string;
    channel: ContactChannel;
    phone: string;
    text: string;
    provider: string;
    at: number;
  }): number {
    const column = row.channel === 'whatsapp' ? 'coalesce(whatsapp, phone)' : 'phone';
    const customers = this.sql
      .prepare(`SELECT id FROM customers WHERE ${column} = ? AND merged_into_id IS NULL`)
      .all(row.phone) as { id: string }[];
    let written = 0;
    for (const customer of customers) {
      const result = this.sql
        .prepare(
          `INSERT OR IGNORE INTO customer_consents (id, customer_id, channel, granted, source, wording, staff_id, created_at)
           VALUES (?, ?, ?, 0, ?, ?, NULL, ?)`,
        )
        .run(
          derivedId(`${row.id}:${customer.id}`),
          customer.id,
          row.channel,
          `STOP reply (${row.provider})`,
          row.text,
          row.at,
        );
      written += result.changes;
    }
    if (written > 0) {
      this.deps.audit.append({
        action: 'consent.withdraw',
        entity: 'customer',
        entityId: customers[0]?.id ?? null,
        actorStaffId: null,
        details: {
          source: 'stop-reply',
          provider: row.provider,
          channel: row.channel,
          customers: customers.length,
        },
      });
    }
    return written;
  }

  // ── Reading ─────────────────────────────────────────────────────────────────────────────

  list(page: { offset: number; limit: number }): Page<CampaignSummary> {
    const total = (this.sql.prepare('SELECT count(*) AS n FROM campaigns').get() as { n: number }).n;
    const ids = this.sql
      .prepare('SELECT id FROM campaigns ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?')
      .all(page.limit, page.offset) as { id: string }[];
    return { total, rows: ids.map(({ id }) => this.summary(id)) };
  }

  summary(id: string): CampaignSummary {
    const row = this.row(id);
    return {
      id: row.id,
      name: row.name,
      channel: row.channel,
      kind: row.kind,
      state: row.state,
      trigger: row.trigger,
      scheduledAt: row.scheduled_at,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      tally: tallyOf(this.s.tally.all(id) as { status: MessageStatus; n: number; cost: number | null }[]),
    };
  }

  results(id: string): CampaignResults {
    const summary = this.summary(id);
    const row = this.row(id);
    type Grouped = { key: string | null; status: MessageStatus; n: number; cost: number | null };
    /** Counts by `column` and status; `column` is one of two fixed names, never input. */
    const grouped = (column: 'variant' | 'carrier') => {
      const rows = this.sql
        .prepare(
          `SELECT ${column} AS key, status, count(*) AS n, sum(cost_kobo) AS cost FROM messages WHERE campaign_id = ?
           GROUP BY ${column}, status`,
        )
        .all(id) as Grouped[];
      const byKey = new Map<string | null, Grouped[]>();
      for (const item of rows) byKey.set(item.key, [...(byKey.get(item.key) ?? []), item]);
      return byKey;
    };
    const variants = grouped('variant');
    const templates: CampaignResults['templates'] = [];
    for (const [variant, templateId] of [
      ['A', row.template_id],
      ['B', row.template_b_id],
    ] as const) {
      if (templateId === null) continue;
      let name = 'Deleted template';
      try {
        name = this.deps.templates.get(templateId).name;
      } catch {
        // A deleted template keeps its results under a plain name.
      }
      templates.push({ variant, templateId, name, tally: tallyOf(variants.get(variant) ?? []) });
    }
    const carriers = grouped('carrier');
    const order: (Carrier | 'email')[] = ['MTN', 'Airtel', 'Glo', '9mobile', 'others', 'email'];
    const perCarrier = order
      .map((carrier) => {
        const rows =
          carrier === 'email'
            ? row.channel === 'email'
              ? (carriers.get(null) ?? [])
              : []
            : (carriers.get(carrier) ?? []);
        return { carrier, tally: tallyOf(rows) };
      })
      .filter((entry) => entry.tally.recipients > 0);
    const timeline = this.sql
      .prepare(
        `SELECT (e.at / ${HOUR_MS}) * ${HOUR_MS} AS at,
           sum(e.status = 'sent') AS sent, sum(e.status = 'delivered') AS delivered,
           sum(e.status IN ('failed', 'undeliverable')) AS failed
         FROM message_events e JOIN messages m ON m.id = e.message_id
         WHERE m.campaign_id = ? AND e.status IN ('sent', 'delivered', 'failed', 'undeliverable')
         GROUP BY 1 ORDER BY 1`,
      )
      .all(id) as CampaignResults['timeline'];
    return { ...summary, segmentName: row.segment_name, templates, perCarrier, timeline };
  }

  messages(input: {
    campaignId: string;
    status: MessageStatus | null;
    offset: number;
    limit: number;
  }): Page<CampaignMessage> {
    this.row(input.campaignId);
    const filter = input.status === null ? '' : 'AND m.status = @status';
    const total = (
      this.sql
        .prepare(`SELECT count(*) AS n FROM messages m WHERE m.campaign_id = @campaignId ${filter}`)
        .get({ campaignId: input.campaignId, status: input.status }) as { n: number }
    ).n;
    const rows = this.sql
      .prepare(
        `SELECT m.id, m.customer_id, coalesce(c.display_name, m.recipient) AS display_name, m.recipient, m.carrier,
           m.variant, m.status, m.reason, m.cost_kobo, m.updated_at
         FROM messages m LEFT JOIN customers c ON c.id = m.customer_id
         WHERE m.campaign_id = @campaignId ${filter} ORDER BY m.id LIMIT @limit OFFSET @offset`,
      )
      .all({
        campaignId: input.campaignId,
        status: input.status,
        limit: input.limit,
        offset: input.offset,
      }) as {
      id: string;
      customer_id: string | null;
      display_name: string;
      recipient: string;
      carrier: Carrier | null;
      variant: 'A' | 'B';
      status: MessageStatus;
      reason: string | null;
      cost_kobo: number;
      updated_at: number;
    }[];
    return {
      total,
      rows: rows.map((row) => ({
        id: row.id,
        customerId: row.customer_id,
        displayName: row.display_name,
        recipient: row.recipient,
        carrier: row.carrier,
        variant: row.variant,
        status: row.status,
        reason: row.reason,
        costKobo: row.cost_kobo,
        updatedAt: row.updated_at,
      })),
    };
  }

  private row(id: string): CampaignRow {
    const row = this.s.campaign.get(id) as CampaignRow | undefined;
    if (row === undefined) throw new KasuwaError('not_found', 'That campaign is not there.');
    return row;
  }
}

/** A UUID-shaped id every counter derives alike from the same words (sha-256, version 8). */
function derivedId(words: string): string {
  const hex = createHash('sha256').update(words).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function recipientWords(who: CampaignRecipient) {
  return {
    firstName: who.firstName,
    lastName: who.lastName,
    displayName: who.displayName,
    points: who.points,
    tier: who.tier,
    totalSpentKobo: who.totalSpentKobo,
    lastPurchaseAt: who.lastPurchaseAt,
    birthday: who.birthday,
    state: who.state,
  };
}
