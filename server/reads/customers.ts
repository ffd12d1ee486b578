/**
 * Customer reads on the server (the storefront's "is this a customer?", the load mix): the
 * current merged record, found by id or by its E.164 phone through the expression index on
 * the records' phone field. Scoped to the asking device's business like everything else. The
 * record's JSON goes out as PostgreSQL wrote it, never parsed and re-serialised on the way.
 */
import type pg from 'pg';

/** `{id, data}` as JSON text. */
export type CustomerRecordJson = string;

interface Row {
  id: string;
  data: string;
}

const asJson = (row: Row | undefined): CustomerRecordJson | null =>
  row === undefined ? null : `{"id":${JSON.stringify(row.id)},"data":${row.data}}`;

// A phone can sit on more than one record (a merged-away duplicate keeps it); the record
// still in use, then the most recently written, is the customer.
const BY_PHONE = `
  SELECT entity_id AS id, data::text AS data FROM records
   WHERE business_id = $1 AND entity = 'customer'
     AND (data -> 'fields' -> 'phone' ->> 'value') = $2
   ORDER BY (data -> 'fields' -> 'mergedIntoId' ->> 'value') IS NOT NULL, seq DESC
   LIMIT 1`;

const BY_ID = `SELECT entity_id AS id, data::text AS data FROM records WHERE business_id = $1 AND entity = 'customer' AND entity_id = $2`;

export async function customerByPhone(pool: pg.Pool, businessId: string, phone: string) {
  const result = await pool.query<Row>({
    name: 'kasuwa_customer_by_phone',
    text: BY_PHONE,
    values: [businessId, phone],
  });
  return asJson(result.rows[0]);
}

export async function customerById(pool: pg.Pool, businessId: string, id: string) {
  const result = await pool.query<Row>({
    name: 'kasuwa_customer_by_id',
    text: BY_ID,
    values: [businessId, id],
  });
  return asJson(result.rows[0]);
}
