/**
 * Changes the sync server makes itself (delivery reports and opt-outs from providers' webhooks,
 * the online store's orders and payments),
 * appended to a business's change log exactly as a push appends a counter's (see
 * ../sync/push.ts): under the business's row lock, with the next seqs from
 * `businesses.change_seq`, each row kept in `records` too, and the change notice delivered at
 * COMMIT so realtime sockets hear of it on every server process. Their origin is the nil UUID,
 * which is no counter's, so every counter of the business pulls them.
 *
 * A row's id is made from what identifies it (a report's provider, message id and status; a
 * reply's provider and message id), so a provider retrying a webhook finds its row already in
 * `records` and nothing is appended twice.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { MessageReportRow, OptOutRow, StoreOrderRow, StorePaymentRow } from '../../shared/sync/protocol';
import { inTransaction } from '../db/database';
import { CHANGES_CHANNEL } from '../db/notices';

/** The origin of changes no counter made. */
export const SERVER_ORIGIN = '00000000-0000-0000-0000-000000000000';

export type ServerRow =
  | { entity: 'message_report'; data: MessageReportRow }
  | { entity: 'opt_out'; data: OptOutRow }
  | { entity: 'store_order'; data: StoreOrderRow }
  | { entity: 'store_payment'; data: StorePaymentRow };

export interface AppendOutcome {
  /** Rows new to the log. */
  added: number;
  /** Rows the log already held (a provider's retry), or given twice. */
  repeated: number;
}

/**
 * A UUID (version 8, RFC 9562's layout for ids made by one's own scheme) from the sha256 of the
 * business, the entity and the parts that identify the row.
 */
export function serverRowId(businessId: string, entity: ServerRow['entity'], parts: string[]): string {
  const hex = createHash('sha256')
    .update([businessId, entity, ...parts].join('\u0000'))
    .digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const LOCK_BUSINESS = `SELECT change_seq FROM businesses WHERE id = $1 FOR NO KEY UPDATE`;

const HELD_ALREADY = `
  SELECT entity_id FROM records
   WHERE business_id = $1 AND entity = ANY($2::text[]) AND entity_id = ANY($3::text[])`;

const WRITE_ROWS = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS c(seq bigint, entity text, entity_id text, data jsonb)
  ),
  added AS (
    INSERT INTO changes (business_id, seq, entity, entity_id, op, origin_device_id, data, at)
    SELECT $1, seq, entity, entity_id, 'append', $4::uuid, data, $3 FROM input
  ),
  current AS (
    INSERT INTO records (business_id, entity, entity_id, data, seq)
    SELECT $1, entity, entity_id, data, seq FROM input
  ),
  moved AS (
    UPDATE businesses SET change_seq = $5 WHERE id = $1
  )
  SELECT pg_notify('${CHANGES_CHANNEL}', $1 || ':' || $5::text)`;

/** Appends the rows the business's log does not hold yet, in the order given, in one transaction. */
export async function appendServerRows(
  pool: pg.Pool,
  businessId: string,
  rows: ServerRow[],
  now: () => number,
): Promise<AppendOutcome> {
  if (rows.length === 0) return { added: 0, repeated: 0 };
  return inTransaction(pool, (client) => appendServerRowsIn(client, businessId, rows, now));
}

/**
 * The same inside a transaction the caller holds, for work that must decide under the business's
 * row lock what to append (an online order takes the last unit of stock or it does not).
 */
export async function appendServerRowsIn(
  client: pg.PoolClient,
  businessId: string,
  rows: ServerRow[],
  now: () => number,
): Promise<AppendOutcome> {
  // The same row twice in one webhook (a "delivered" and a "read" are both delivered) is one row.
  const unique = [...new Map(rows.map((row) => [`${row.entity}\u0000${row.data.id}`, row])).values()];
  if (unique.length === 0) return { added: 0, repeated: 0 };
  const locked = await client.query<{ change_seq: number }>(LOCK_BUSINESS, [businessId]);
  const startSeq = locked.rows[0]?.change_seq;
  if (startSeq === undefined) throw new Error(`business ${businessId} is gone`);

  const held = await client.query<{ entity_id: string }>(HELD_ALREADY, [
    businessId,
    [...new Set(unique.map((row) => row.entity))],
    unique.map((row) => row.data.id),
  ]);
  const heldIds = new Set(held.rows.map((row) => row.entity_id));
  const fresh = unique.filter((row) => !heldIds.has(row.data.id));
  if (fresh.length === 0) return { added: 0, repeated: rows.length };

  const changes = fresh.map((row, index) => ({
    seq: startSeq + index + 1,
    entity: row.entity,
    entity_id: row.data.id,
    data: row.data,
  }));
  const cursor = startSeq + fresh.length;
  await client.query(WRITE_ROWS, [businessId, JSON.stringify(changes), now(), SERVER_ORIGIN, cursor]);
  return { added: fresh.length, repeated: rows.length - fresh.length };
}
