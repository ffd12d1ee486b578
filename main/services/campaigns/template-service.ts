/** Message templates: saved, listed, soft-deleted, and previewed for a real recipient. */
import type Database from 'better-sqlite3-multiple-ciphers';
import { uuidv7 } from '../../../shared/ids';
import type { MessagePreview, MessageTemplate, TemplateInput } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import {
  renderTemplate,
  SAMPLE_RECIPIENT,
  type TemplateRecipient,
  type TemplateShop,
} from '../../../shared/campaigns/template';
import { smsSegments } from '../../../shared/sms';
import type { AuditLog } from '../audit/audit-log';

interface TemplateRow {
  id: string;
  name: string;
  channel: MessageTemplate['channel'];
  kind: MessageTemplate['kind'];
  body: string;
  subject: string;
  whatsapp_template: string | null;
  updated_at: number;
}

export interface RecipientRow {
  id: string;
  first_name: string;
  last_name: string;
  display_name: string;
  points_balance: number | null;
  tier: string | null;
  total_spent_kobo: number | null;
  last_purchase_at: number | null;
  birthday: string | null;
  state: string | null;
}

export function templateRecipient(row: RecipientRow): TemplateRecipient {
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    displayName: row.display_name,
    points: row.points_balance,
    tier: row.tier,
    totalSpentKobo: row.total_spent_kobo,
    lastPurchaseAt: row.last_purchase_at,
    birthday: row.birthday,
    state: row.state,
  };
}

export const RECIPIENT_COLUMNS = `c.id, c.first_name, c.last_name, c.display_name, s.points_balance, s.tier,
  s.total_spent_kobo, s.last_purchase_at, c.birthday, c.state`;

export class TemplateService {
  private readonly sql: Database.Database;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      audit: AuditLog;
      now: () => number;
      shop: () => TemplateShop;
    },
  ) {
    this.sql = deps.sql;
  }

  list(): MessageTemplate[] {
    const rows = this.sql
      .prepare('SELECT * FROM message_templates WHERE deleted_at IS NULL ORDER BY updated_at DESC')
      .all() as TemplateRow[];
    return rows.map(toTemplate);
  }

  get(id: string): MessageTemplate {
    const row = this.sql
      .prepare('SELECT * FROM message_templates WHERE id = ? AND deleted_at IS NULL')
      .get(id) as TemplateRow | undefined;
    if (row === undefined) throw new KasuwaError('not_found', 'That message template is not there any more.');
    return toTemplate(row);
  }

  save(input: TemplateInput, staffId: string | null): MessageTemplate {
    if (input.channel === 'email' && input.subject.trim() === '') {
      throw new KasuwaError('invalid_input', 'An email needs a subject.', [
        { path: ['subject'], message: 'Write a subject' },
      ]);
    }
    if (input.channel === 'whatsapp' && input.kind === 'promotional' && input.whatsappTemplate === null) {
      throw new KasuwaError(
        'invalid_input',
        'WhatsApp only delivers promotions through a template Meta approved: give its name and language.',
        [{ path: ['whatsappTemplate'], message: 'Name the approved template' }],
      );
    }
    const at = this.deps.now();
    const id = input.id ?? uuidv7(at);
    this.sql
      .transaction(() => {
        if (input.id !== undefined) this.get(input.id);
        this.sql
          .prepare(
            `INSERT INTO message_templates (id, name, channel, kind, body, subject, whatsapp_template, created_at, updated_at)
             VALUES (@id, @name, @channel, @kind, @body, @subject, @wa, @at, @at)
             ON CONFLICT (id) DO UPDATE SET name = @name, channel = @channel, kind = @kind, body = @body,
               subject = @subject, whatsapp_template = @wa, updated_at = @at`,
          )
          .run({
            id,
            name: input.name,
            channel: input.channel,
            kind: input.kind,
            body: input.body,
            subject: input.subject,
            wa: input.whatsappTemplate === null ? null : JSON.stringify(input.whatsappTemplate),
            at,
          });
        this.deps.audit.append({
          action: input.id === undefined ? 'template.create' : 'template.update',
          entity: 'message_template',
          entityId: id,
          actorStaffId: staffId,
          details: { name: input.name, channel: input.channel, kind: input.kind },
        });
      })
      .immediate();
    return this.get(id);
  }

  delete(id: string, staffId: string | null): void {
    this.sql
      .transaction(() => {
        this.get(id);
        this.sql.prepare('UPDATE message_templates SET deleted_at = ? WHERE id = ?').run(this.deps.now(), id);
        this.deps.audit.append({
          action: 'template.delete',
          entity: 'message_template',
          entityId: id,
          actorStaffId: staffId,
        });
      })
      .immediate();
  }

  /** The message as one customer would get it (sample words when there is nobody to show). */
  preview(input: {
    channel: MessageTemplate['channel'];
    body: string;
    subject: string;
    customerId: string | null;
  }): MessagePreview {
    const row =
      input.customerId === null
        ? undefined
        : (this.sql
            .prepare(
              `SELECT ${RECIPIENT_COLUMNS} FROM customers c LEFT JOIN customer_stats s ON s.customer_id = c.id WHERE c.id = ?`,
            )
            .get(input.customerId) as RecipientRow | undefined);
    if (input.customerId !== null && row === undefined) {
      throw new KasuwaError('not_found', 'That customer is not in the book.');
    }
    const who = row === undefined ? SAMPLE_RECIPIENT : templateRecipient(row);
    const shop = this.deps.shop();
    const text = renderTemplate(input.body, who, shop);
    const subject = renderTemplate(input.subject, who, shop);
    return {
      text: text.text,
      subject: subject.text,
      fellBack: [...new Set([...text.fellBack, ...subject.fellBack])],
      unknownFields: [...new Set([...text.unknownFields, ...subject.unknownFields])],
      sms: input.channel === 'sms' ? smsSegments(text.text) : null,
      customer: row === undefined ? null : { id: row.id, displayName: row.display_name },
    };
  }
}

function toTemplate(row: TemplateRow): MessageTemplate {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    kind: row.kind,
    body: row.body,
    subject: row.subject,
    whatsappTemplate:
      row.whatsapp_template === null
        ? null
        : (JSON.parse(row.whatsapp_template) as MessageTemplate['whatsappTemplate']),
    updatedAt: row.updated_at,
  };
}
