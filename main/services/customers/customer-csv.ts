/**
 * Customers in and out as CSV. Import checks every row on its own and keeps the good ones:
 * a bad row (bad number, unknown state, duplicate …) is reported with its line and the reason,
 * and never stops the rest. Rows are written in chunks, one transaction each, yielding between
 * chunks so progress reaches the screen. Export pages through the book in a stable order.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import {
  CONTACT_CHANNELS,
  CUSTOMER_CSV_FIELDS,
  type customerChannels,
  type CsvImportReport,
  type CsvPreview,
  type CsvRejectedRow,
  type CustomerCsvField,
} from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { parseNigerianPhone } from '../../../shared/phone';
import { NIGERIAN_STATES, type NigerianState } from '../../../shared/states';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import { notesAfterEdit, notesText } from '../sync/replicas';
import type { SyncRecorder } from '../sync/sync-recorder';
import type { ConsentRow } from '../../../shared/sync/protocol';
import { toCsvRow } from './csv-text';

type ImportInput = z.output<(typeof customerChannels)['customers:import']['input']>;

const IMPORT_WORDING = 'Imported from a CSV file';

const CHUNK = 10_000;

/** Header words that name each field, lower-case, in the order they are tried. */
const HEADER_HINTS: Record<CustomerCsvField, string[]> = {
  firstName: ['first name', 'firstname', 'first', 'given name', 'other names'],
  lastName: ['last name', 'lastname', 'surname', 'family name'],
  displayName: ['name', 'full name', 'customer', 'customer name', 'display name'],
  phone: ['phone', 'phone number', 'mobile', 'mobile number', 'gsm', 'telephone', 'tel', 'number'],
  whatsapp: ['whatsapp', 'whatsapp number'],
  email: ['email', 'e-mail', 'email address'],
  address: ['address', 'street', 'home address'],
  state: ['state', 'state of residence'],
  lgaCity: ['lga', 'city', 'town', 'lga/city'],
  tags: ['tags', 'tag', 'group', 'groups'],
  notes: ['notes', 'note', 'comment', 'comments'],
  birthday: ['birthday', 'dob', 'date of birth', 'birth date'],
  smsConsent: ['sms', 'sms consent', 'sms opt in', 'consent'],
  whatsappConsent: ['whatsapp consent', 'whatsapp opt in'],
  emailConsent: ['email consent', 'email opt in'],
};

const STATE_NAMES = new Map<string, NigerianState>(
  NIGERIAN_STATES.map((state) => [state.toLowerCase().replace(/[\s-]/g, ''), state]),
);
STATE_NAMES.set('abuja', 'FCT');
STATE_NAMES.set('fctabuja', 'FCT');
STATE_NAMES.set('federalcapitalterritory', 'FCT');

function stateFrom(text: string): NigerianState | null | undefined {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[\s-]|state$/g, '');
  if (key === '') return null;
  return STATE_NAMES.get(key);
}

function consentFrom(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'opt in', 'opted in'].includes(value)) return true;
  if (['no', 'n', 'false', '0', '', 'opt out', 'opted out'].includes(value)) return false;
  return undefined;
}

function birthdayFrom(text: string): string | null | undefined {
  const value = text.trim();
  if (value === '') return null;
  if (/^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(value)) return value;
  const dmy = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/.exec(value);
  if (dmy !== null) {
    const [, day = '', month = '', year] = dmy;
    if (Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= 31) {
      const md = `${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
      return year === undefined ? md : `${year}-${md}`;
    }
  }
  return undefined;
}

function parseCsv(csv: string): string[][] {
  try {
    const records: unknown = parse(csv, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    });
    return records as string[][];
  } catch (error) {
    throw new KasuwaError(
      'invalid_input',
      `The file is not a CSV Kasuwa can read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export class CustomerCsv {
  private readonly sql: Database.Database;

  constructor(
    private readonly deps: { db: ShopDatabase; audit: AuditLog; sync: SyncRecorder; now: () => number },
  ) {
    this.sql = deps.db.sqlite;
  }

  preview(csv: string): CsvPreview {
    const rows = parseCsv(csv);
    const headers = rows[0] ?? [];
    const suggestedMapping: CsvPreview['suggestedMapping'] = {};
    const used = new Set<number>();
    const lower = headers.map((header) => header.trim().toLowerCase());
    for (const field of CUSTOMER_CSV_FIELDS) {
      for (const hint of HEADER_HINTS[field]) {
        const index = lower.findIndex((header, i) => header === hint && !used.has(i));
        if (index >= 0) {
          suggestedMapping[field] = index;
          used.add(index);
          break;
        }
      }
    }
    return { headers, sample: rows.slice(1, 6), rowCount: Math.max(0, rows.length - 1), suggestedMapping };
  }

  async import(
    input: ImportInput,
    staffId: string | null,
    onProgress: (done: number, total: number) => void,
  ): Promise<CsvImportReport> {
    if (input.mapping.phone === undefined) {
      throw new KasuwaError('invalid_input', 'Choose which column holds the phone number.', [
        { path: ['mapping', 'phone'], message: 'Choose the phone column' },
      ]);
    }
    const rows = parseCsv(input.csv);
    const data = input.hasHeader ? rows.slice(1) : rows;
    const firstLine = input.hasHeader ? 2 : 1;
    const rejected: CsvRejectedRow[] = [];
    const seenInFile = new Map<string, number>();
    const exists = this.sql.prepare(
      'SELECT display_name FROM customers WHERE phone = ? AND merged_into_id IS NULL',
    );
    const insert = this.sql.prepare(
      `INSERT INTO customers (id, first_name, last_name, display_name, search_name, phone, phone_national, carrier,
         whatsapp, email, address, state, lga_city, kind, tags, notes, notes_log, preferences, birthday,
         created_by_staff_id, sync_clock, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'individual', ?, ?, ?, '{}', ?, ?, ?, ?, ?)`,
    );
    const insertStats = this.sql.prepare('INSERT INTO customer_stats (customer_id) VALUES (?)');
    const insertConsent = this.sql.prepare(
      `INSERT INTO customer_consents (id, customer_id, channel, granted, source, wording, staff_id, created_at)
       VALUES (?, ?, ?, 1, 'import', '${IMPORT_WORDING}', ?, ?)`,
    );
    const cell = (row: string[], field: CustomerCsvField): string => {
      const index = input.mapping[field];
      return index === undefined ? '' : (row[index] ?? '').trim();
    };
    let imported = 0;
    onProgress(0, data.length);

    for (let start = 0; start < data.length; start += CHUNK) {
      const chunk = data.slice(start, start + CHUNK);
      this.sql
        .transaction(() => {
          const at = this.deps.now();
          // A chunk is one edit: one clock value for all its rows, kept once.
          const stamp = this.deps.sync.stamp();
          const clockText = JSON.stringify({ '*': stamp });
          chunk.forEach((raw, offset) => {
            const line = firstLine + start + offset;
            const reject = (reason: string) => rejected.push({ line, reason, raw });
            const phone = parseNigerianPhone(cell(raw, 'phone'));
            if (!phone.ok) return reject(`Phone: ${phone.error}`);
            const whatsappText = cell(raw, 'whatsapp');
            const whatsapp = whatsappText === '' ? phone : parseNigerianPhone(whatsappText);
            if (!whatsapp.ok) return reject(`WhatsApp: ${whatsapp.error}`);
            const earlier = seenInFile.get(phone.e164);
            if (earlier !== undefined)
              return reject(`The same number is already on line ${earlier} of this file.`);
            const holder = exists.get(phone.e164) as { display_name: string } | undefined;
            if (holder !== undefined)
              return reject(`${holder.display_name} already has this number in Kasuwa.`);
            const stateText = cell(raw, 'state');
            const state = stateFrom(stateText);
            if (state === undefined) return reject(`"${stateText}" is not a Nigerian state.`);
            const email = cell(raw, 'email');
            if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
              return reject(`"${email}" is not an email address.`);
            const birthdayText = cell(raw, 'birthday');
            const birthday = birthdayFrom(birthdayText);
            if (birthday === undefined)
              return reject(`Birthday "${birthdayText}" is not a date (use MM-DD or DD/MM/YYYY).`);
            const consent: Partial<Record<(typeof CONTACT_CHANNELS)[number], boolean>> = {};
            for (const [channel, field] of [
              ['sms', 'smsConsent'],
              ['whatsapp', 'whatsappConsent'],
              ['email', 'emailConsent'],
            ] as const) {
              const value = consentFrom(cell(raw, field));
              if (value === undefined) return reject(`${field} "${cell(raw, field)}" is not yes or no.`);
              consent[channel] = value;
            }
            const first = cell(raw, 'firstName');
            const last = cell(raw, 'lastName');
            const displayName = cell(raw, 'displayName') || `${first} ${last}`.trim();
            if (displayName === '') return reject('The row has no name.');
            const tags = [
              ...new Set(
                cell(raw, 'tags')
                  .split(/[;,|]/)
                  .map((tag) => tag.trim())
                  .filter((tag) => tag !== ''),
              ),
            ];
            const id = uuidv7(at);
            const notesLog = notesAfterEdit([], cell(raw, 'notes'), stamp);
            insert.run(
              id,
              first,
              last,
              displayName,
              displayName.toLowerCase(),
              phone.e164,
              phone.national,
              phone.carrier,
              whatsapp.e164,
              email,
              cell(raw, 'address'),
              state,
              cell(raw, 'lgaCity'),
              JSON.stringify(tags),
              notesText(notesLog),
              JSON.stringify(notesLog),
              birthday,
              staffId,
              clockText,
              at,
              at,
            );
            insertStats.run(id);
            this.deps.sync.replicaInserted('customer', id);
            for (const channel of CONTACT_CHANNELS) {
              if (consent[channel] !== true) continue;
              const consentId = uuidv7(at);
              insertConsent.run(consentId, id, channel, staffId, at);
              this.deps.sync.ledgerInserted('consent', consentId, {
                id: consentId,
                customerId: id,
                channel,
                granted: true,
                source: 'import',
                wording: IMPORT_WORDING,
                staffId,
                createdAt: at,
              } satisfies ConsentRow);
            }
            seenInFile.set(phone.e164, line);
            imported += 1;
            return undefined;
          });
          if (start + CHUNK >= data.length) {
            this.deps.audit.append({
              actorStaffId: staffId,
              action: 'customer.import',
              entity: 'customer',
              entityId: null,
              details: { imported, rejected: rejected.length },
            });
          }
        })
        .immediate();
      onProgress(Math.min(data.length, start + CHUNK), data.length);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { imported, rejected };
  }

  exportPage(offset: number, limit: number): { csv: string; rows: number; done: boolean } {
    const rows = this.sql
      .prepare(
        `SELECT c.first_name, c.last_name, c.display_name, c.phone, c.whatsapp, c.email, c.address, c.state, c.lga_city,
           c.tags, c.birthday, coalesce(s.total_spent_kobo, 0) AS spent, coalesce(s.purchase_count, 0) AS purchases,
           coalesce(s.points_balance, 0) AS points, coalesce(s.tier, 'bronze') AS tier, c.created_at
         FROM customers c LEFT JOIN customer_stats s ON s.customer_id = c.id
         WHERE c.merged_into_id IS NULL ORDER BY c.created_at, c.id LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as Record<string, string | number | null>[];
    const lines = rows.map((row) =>
      toCsvRow([
        row.first_name,
        row.last_name,
        row.display_name,
        row.phone,
        row.whatsapp,
        row.email,
        row.address,
        row.state,
        row.lga_city,
        (JSON.parse(String(row.tags)) as string[]).join('; '),
        row.birthday,
        (Number(row.spent) / 100).toFixed(2),
        row.purchases,
        row.points,
        row.tier,
        new Date(Number(row.created_at)).toISOString(),
      ]),
    );
    const header =
      offset === 0
        ? [
            toCsvRow([
              'First name',
              'Last name',
              'Name',
              'Phone',
              'WhatsApp',
              'Email',
              'Address',
              'State',
              'LGA/City',
              'Tags',
              'Birthday',
              'Total spent (NGN)',
              'Purchases',
              'Points',
              'Tier',
              'Customer since',
            ]),
          ]
        : [];
    return {
      csv: [...header, ...lines].map((line) => `${line}\r\n`).join(''),
      rows: rows.length,
      done: rows.length < limit,
    };
  }
}
