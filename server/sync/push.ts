/**
 * Applies pushed batches of mutations, answering each as the protocol's PushResponse says:
 * each mutation applied at most once, replicas merged per field, ledgers appended, sale
 * disagreements left for the owner, invalid ones rejected without blocking the rest.
 *
 * The whole batch is one transaction (shared with batches of other tills of the business that
 * arrived meanwhile, see push-queue.ts) that first locks its business's row. That lock is what
 * makes the pull cursor safe: change seqs are handed out from `businesses.change_seq` only
 * while holding it, and it is released only by COMMIT, so a batch's seqs become visible after
 * every smaller seq has committed — even with several server processes on one database. A
 * counter that pulled up to N can never later find a change below N appear. It also orders
 * the at-most-once check: a second push of the same mutation ids waits for the lock, then
 * sees the first one's applied_mutations rows.
 *
 * Round trips while the lock is held: one read (applied ids and existing records together),
 * one write (every insert as one statement over a JSON document), COMMIT. The shape checks
 * (zod) happen before, without the lock.
 */
import type pg from 'pg';
import { clampHlcText, MAX_DRIFT_MS } from '../../shared/hlc';
import { EMPTY_REPLICA, mergeReplica, saleAmounts, sameReplica, type Replica } from '../../shared/sync/merge';
import {
  checkMutation,
  isReplicaEntity,
  mutationSchema,
  replicaSchema,
  type CheckedMutation,
  type MutationOp,
  type MutationResult,
  type PushResponse,
  type ReplicaData,
  type SaleRow,
} from '../../shared/sync/protocol';
import { describeInvalid } from '../http/api-error';
import { CHANGES_CHANNEL } from '../db/notices';
import { unstorableText } from '../db/storable-text';
import { DAY_MS, LAGOS_OFFSET_MS } from '../reads/sales-report';

export interface Pusher {
  businessId: string;
  branchId: string;
  deviceId: string;
}

export interface PushOutcome {
  response: PushResponse;
  /** How many changes the batch added (0: nothing for other counters to pull). */
  changesAdded: number;
  /** What each mutation came to, for the metrics. */
  tally: { entity: string; status: MutationResult['status']; resolution?: 'merged' | 'manual' }[];
}

interface ValidMutation {
  index: number;
  id: string;
  entityId: string;
  checked: CheckedMutation;
}

/** A pushed batch after the shape checks, which need no database and run before any lock. */
export interface CheckedBatch {
  pusher: Pusher;
  /** Filled in for the rejected ones already; the rest are answered under the lock. */
  results: (MutationResult | undefined)[];
  valid: ValidMutation[];
  tally: PushOutcome['tally'];
}

interface ChangeRow {
  seq: number;
  entity: string;
  entity_id: string;
  op: MutationOp;
  origin: string;
  branch: string;
  data: unknown;
}

// Locks the business row (NO KEY UPDATE: enough to serialise pushes, without blocking the
// foreign-key checks of pairing a device meanwhile).
const LOCK_BUSINESS = `SELECT change_seq FROM businesses WHERE id = $1 FOR NO KEY UPDATE`;

// One read for the batch: which mutation ids were applied before, and the current copy of every
// record the batch touches.
const READ_BATCH = `
  SELECT 'mutation' AS kind, mutation_id::text AS entity, NULL::text AS entity_id, NULL::jsonb AS data
    FROM applied_mutations
   WHERE business_id = $1 AND mutation_id = ANY($2::uuid[])
  UNION ALL
  SELECT 'record', r.entity, r.entity_id, r.data
    FROM unnest($3::text[], $4::text[]) AS k(entity, entity_id)
    CROSS JOIN LATERAL (
      SELECT entity, entity_id, data FROM records
       WHERE business_id = $1 AND entity = k.entity AND entity_id = k.entity_id
    ) AS r`;

// Every write of the batch in one statement: the changes, the current records (the last
// change per record), the sale facts and per-day totals for reports (a replaced sale's old
// amount leaves its day; every CTE reads the rows as they were before the statement), the
// applied mutation ids, the business's new change seq, and the notice PostgreSQL delivers at
// COMMIT.
const WRITE_BATCH = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb)
      AS c(seq bigint, entity text, entity_id text, op text, origin uuid, branch uuid, data jsonb)
  ),
  added AS (
    INSERT INTO changes (business_id, seq, entity, entity_id, op, origin_device_id, data, at)
    SELECT $1, seq, entity, entity_id, op, origin, data, $3 FROM input
  ),
  current AS (
    INSERT INTO records (business_id, entity, entity_id, data, seq)
    SELECT DISTINCT ON (entity, entity_id) $1, entity, entity_id, data, seq
      FROM input ORDER BY entity, entity_id, seq DESC
    ON CONFLICT (business_id, entity, entity_id) DO UPDATE SET data = EXCLUDED.data, seq = EXCLUDED.seq
  ),
  sales AS (
    SELECT DISTINCT ON (entity_id) entity_id AS sale_id, branch, data->>'deviceId' AS device_id,
           (data->>'createdAt')::bigint AS created_at, (data->>'totalKobo')::bigint AS total_kobo
      FROM input WHERE entity = 'sale' ORDER BY entity_id, seq DESC
  ),
  replaced AS (
    SELECT f.created_at, f.total_kobo FROM sales s
    CROSS JOIN LATERAL (
      SELECT created_at, total_kobo FROM sale_facts WHERE business_id = $1 AND sale_id = s.sale_id
    ) AS f
  ),
  facts AS (
    INSERT INTO sale_facts (business_id, sale_id, branch_id, device_id, created_at, total_kobo)
    SELECT $1, sale_id, branch, device_id, created_at, total_kobo FROM sales
    ON CONFLICT (business_id, sale_id) DO UPDATE
      SET device_id = EXCLUDED.device_id, created_at = EXCLUDED.created_at, total_kobo = EXCLUDED.total_kobo
  ),
  days AS (
    INSERT INTO sale_days (business_id, day, sales, total_kobo)
    SELECT $1, day, sum(sales), sum(total_kobo) FROM (
      SELECT ((created_at + ${LAGOS_OFFSET_MS}) / ${DAY_MS})::integer AS day, 1 AS sales, total_kobo FROM sales
      UNION ALL
      SELECT ((created_at + ${LAGOS_OFFSET_MS}) / ${DAY_MS})::integer, -1, -total_kobo FROM replaced
    ) AS moves GROUP BY day
    ON CONFLICT (business_id, day) DO UPDATE
      SET sales = sale_days.sales + EXCLUDED.sales, total_kobo = sale_days.total_kobo + EXCLUDED.total_kobo
  ),
  recorded AS (
    INSERT INTO applied_mutations (business_id, mutation_id, device_id, seq, status, at)
    SELECT $1, m.id, m.device, m.seq, m.status, $3
      FROM unnest($4::uuid[], $5::uuid[], $6::bigint[], $7::text[]) AS m(id, device, seq, status)
  ),
  moved AS (
    UPDATE businesses SET change_seq = $8 WHERE id = $1
  )
  SELECT pg_notify('${CHANGES_CHANNEL}', $1 || ':' || $8::text)`;

// A batch that changed nothing (every mutation a repeat of what the server holds) still
// records its mutation ids, so their next repeat is answered without a merge.
const RECORD_IDS = `
  INSERT INTO applied_mutations (business_id, mutation_id, device_id, seq, status, at)
  SELECT $1, m.id, m.device, m.seq, m.status, $2
    FROM unnest($3::uuid[], $4::uuid[], $5::bigint[], $6::text[]) AS m(id, device, seq, status)`;

const key = (entity: string, entityId: string) => `${entity}\u0000${entityId}`;

/** JSON with object keys sorted: jsonb does not keep key order, so copies compare this way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(inner).sort()) sorted[name] = (inner as Record<string, unknown>)[name];
    return sorted;
  });
}

/** A counter's clock that runs fast cannot win by it: stamps beyond the drift come back to it. */
function clampReplica(data: ReplicaData, limitWall: number): Replica {
  const clampAll = (stamps: ReplicaData['fields']) =>
    Object.fromEntries(
      Object.entries(stamps).map(([name, stamped]) => [
        name,
        { value: stamped.value, hlc: clampHlcText(stamped.hlc, limitWall) },
      ]),
    );
  return {
    fields: clampAll(data.fields),
    preferences: clampAll(data.preferences),
    notes: data.notes.map((note) => ({ ...note, hlc: clampHlcText(note.hlc, limitWall) })),
  };
}

/**
 * A stored replica as merge.ts compares it. jsonb keeps object keys in its own order
 * (`{hlc, value}`), and `sameReplica` compares JSON text, so the stored copy is rebuilt in the
 * protocol's shape (the schema's key order) before it is merged or compared.
 */
function storedReplica(data: unknown): Replica | undefined {
  if (data === undefined) return undefined;
  const parsed = replicaSchema.safeParse(data);
  // Only the server writes records, always from a checked mutation; a row that no longer reads
  // as a replica is treated as absent, so the pushed copy replaces it rather than failing a batch.
  return parsed.success ? parsed.data : undefined;
}

function idOf(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return '';
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' ? id.slice(0, 64) : '';
}

/** The shape checks of one pushed batch: each mutation parsed and checked, or rejected with why. */
export function checkBatch(pusher: Pusher, mutations: unknown[]): CheckedBatch {
  const results = new Array<MutationResult | undefined>(mutations.length);
  const tally: PushOutcome['tally'] = [];
  const valid: ValidMutation[] = [];
  mutations.forEach((raw, index) => {
    const parsed = mutationSchema.safeParse(raw);
    if (!parsed.success) {
      results[index] = { id: idOf(raw), status: 'rejected', reason: describeInvalid(parsed.error) };
      tally.push({ entity: 'invalid', status: 'rejected' });
      return;
    }
    const checked = checkMutation(parsed.data, 'push');
    const unstorable = checked.ok
      ? (unstorableText(parsed.data.entityId, 'entityId') ?? unstorableText(checked.value.data, 'data'))
      : null;
    if (!checked.ok || unstorable !== null) {
      const reason = checked.ok ? (unstorable ?? '') : checked.reason;
      results[index] = { id: parsed.data.id, status: 'rejected', reason };
      tally.push({ entity: parsed.data.entity, status: 'rejected' });
      return;
    }
    valid.push({ index, id: parsed.data.id, entityId: parsed.data.entityId, checked: checked.value });
  });
  return { pusher, results, valid, tally };
}

/**
 * Applies checked batches of one business in one transaction, in order, as if each had been
 * pushed alone one after the other: each answer's cursor is the seq after its own batch. The
 * push queue (push-queue.ts) groups batches that arrive while the business's lock is busy, so
 * a shop with many tills pays one lock and one commit for all of them.
 */
export async function applyBatches(
  pool: pg.Pool,
  businessId: string,
  batches: CheckedBatch[],
  now: () => number,
): Promise<PushOutcome[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const locked = await client.query<{ change_seq: number }>({
      name: 'kasuwa_push_lock',
      text: LOCK_BUSINESS,
      values: [businessId],
    });
    const startSeq = locked.rows[0]?.change_seq;
    if (startSeq === undefined) throw new Error(`business ${businessId} is gone`);

    const allValid = batches.flatMap((batch) => batch.valid);
    const mutationIds = [...new Set(allValid.map((m) => m.id))];
    const recordKeys = new Map<string, [string, string]>();
    for (const m of allValid)
      recordKeys.set(key(m.checked.entity, m.entityId), [m.checked.entity, m.entityId]);
    const read = await client.query<{
      kind: string;
      entity: string;
      entity_id: string | null;
      data: unknown;
    }>({
      name: 'kasuwa_push_read',
      text: READ_BATCH,
      values: [
        businessId,
        mutationIds,
        [...recordKeys.values()].map(([entity]) => entity),
        [...recordKeys.values()].map(([, entityId]) => entityId),
      ],
    });
    const appliedBefore = new Set<string>();
    const current = new Map<string, unknown>();
    for (const row of read.rows) {
      if (row.kind === 'mutation') appliedBefore.add(row.entity);
      else current.set(key(row.entity, row.entity_id ?? ''), row.data);
    }

    const at = now();
    const clampLimit = at + MAX_DRIFT_MS;
    let seq = startSeq;
    const changes: ChangeRow[] = [];
    const recordIds: { id: string; device: string; seq: number | null; status: 'applied' | 'conflict' }[] =
      [];
    // A mutation id twice in one transaction is answered like a repeat of the first.
    const answeredEarlier = new Map<string, MutationResult>();
    const cursors: number[] = [];
    // Copies: a group that fails is tried again batch by batch from the checked state.
    const answers: { results: (MutationResult | undefined)[]; tally: PushOutcome['tally'] }[] = [];

    const serverRow = (entity: string, entityId: string) => {
      const stored = current.get(key(entity, entityId));
      return { entity, entityId, data: isReplicaEntity(entity) ? (storedReplica(stored) ?? stored) : stored };
    };

    for (const batch of batches) {
      const { pusher } = batch;
      const results = [...batch.results];
      const tally = [...batch.tally];
      answers.push({ results, tally });
      const write = (entity: string, entityId: string, op: MutationOp, data: unknown) => {
        seq += 1;
        changes.push({
          seq,
          entity,
          entity_id: entityId,
          op,
          origin: pusher.deviceId,
          branch: pusher.branchId,
          data,
        });
        current.set(key(entity, entityId), data);
        return seq;
      };
      const record = (id: string, changeSeq: number | null, status: 'applied' | 'conflict') =>
        recordIds.push({ id, device: pusher.deviceId, seq: changeSeq, status });

      for (const m of batch.valid) {
        const { entity } = m.checked;
        const replica = isReplicaEntity(entity);
        const earlier = answeredEarlier.get(m.id);
        let result: MutationResult;
        if (appliedBefore.has(m.id) || (earlier !== undefined && earlier.status !== 'rejected')) {
          result =
            earlier?.status === 'conflict' && earlier.resolution === 'manual'
              ? earlier
              : replica
                ? { id: m.id, status: 'applied', duplicate: true, server: serverRow(entity, m.entityId) }
                : { id: m.id, status: 'applied', duplicate: true };
        } else if (m.checked.op === 'upsert') {
          const sent = m.checked.data;
          const existing = storedReplica(current.get(key(entity, m.entityId)));
          const merged = mergeReplica(existing ?? EMPTY_REPLICA, clampReplica(sent, clampLimit));
          const changed = existing === undefined || !sameReplica(existing, merged);
          const changeSeq = changed ? write(entity, m.entityId, 'upsert', merged) : null;
          if (sameReplica(merged, sent)) {
            result = { id: m.id, status: 'applied' };
            record(m.id, changeSeq, 'applied');
          } else {
            result = {
              id: m.id,
              status: 'conflict',
              resolution: 'merged',
              server: { entity, entityId: m.entityId, data: merged },
            };
            record(m.id, changeSeq, 'conflict');
          }
        } else if (m.checked.entity === 'sale' && m.checked.op === 'resolve') {
          // The owner's decision: the resolving copy replaces the server's.
          record(m.id, write(entity, m.entityId, 'resolve', m.checked.data), 'applied');
          result = { id: m.id, status: 'applied' };
        } else {
          const sent = m.checked.data;
          const existing = current.get(key(entity, m.entityId));
          if (existing === undefined) {
            record(m.id, write(entity, m.entityId, 'append', sent), 'applied');
            result = { id: m.id, status: 'applied' };
          } else if (
            entity === 'sale'
              ? saleAmounts(existing as SaleRow) === saleAmounts(sent as SaleRow)
              : canonicalJson(existing) === canonicalJson(sent)
          ) {
            record(m.id, null, 'applied');
            result = { id: m.id, status: 'applied', duplicate: true };
          } else if (entity === 'sale') {
            // The server keeps its copy; the owner decides, and a `resolve` settles it. Nothing
            // is recorded, so a repeat of this mutation meets the same question again.
            result = {
              id: m.id,
              status: 'conflict',
              resolution: 'manual',
              server: serverRow(entity, m.entityId),
            };
          } else {
            result = { id: m.id, status: 'rejected', reason: 'a different row with this id already exists' };
          }
        }
        results[m.index] = result;
        if (earlier === undefined) answeredEarlier.set(m.id, result);
        tally.push({
          entity,
          status: result.status,
          ...(result.status === 'conflict' ? { resolution: result.resolution } : {}),
        });
      }
      cursors.push(seq);
    }

    const idColumns = [
      recordIds.map((r) => r.id),
      recordIds.map((r) => r.device),
      recordIds.map((r) => r.seq),
      recordIds.map((r) => r.status),
    ] as const;
    if (changes.length > 0) {
      await client.query({
        name: 'kasuwa_push_write',
        text: WRITE_BATCH,
        values: [businessId, JSON.stringify(changes), at, ...idColumns, seq],
      });
    } else if (recordIds.length > 0) {
      await client.query({
        name: 'kasuwa_push_record_ids',
        text: RECORD_IDS,
        values: [businessId, at, ...idColumns],
      });
    }
    await client.query('COMMIT');

    const serverTime = now();
    let previous = startSeq;
    return answers.map(({ results, tally }, index) => {
      const cursor = cursors[index] ?? seq;
      const added = cursor - previous;
      previous = cursor;
      return {
        response: {
          serverTime,
          cursor,
          results: results.map((result) => result ?? { id: '', status: 'rejected', reason: 'not processed' }),
        },
        changesAdded: added,
        tally,
      };
    });
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
