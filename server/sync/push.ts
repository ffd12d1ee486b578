/**
 * Applies a pushed batch of mutations for one device, as the protocol's PushResponse answers:
 * each mutation applied at most once, replicas merged per field, ledgers appended, sale
 * disagreements left for the owner, invalid ones rejected without blocking the rest.
 *
 * The whole batch is one transaction that first locks its business's row. That lock is what
 * makes the pull cursor safe: change seqs are handed out from `businesses.change_seq` only
 * while holding it, and it is released only by COMMIT, so a batch's seqs become visible after
 * every smaller seq has committed — even with several server processes on one database. A
 * counter that pulled up to N can never later find a change below N appear. It also orders
 * the at-most-once check: a second push of the same mutation ids waits for the lock, then
 * sees the first one's applied_mutations rows.
 *
 * Round trips while the lock is held: one read (applied ids and existing records together),
 * one write (every insert as one statement over a JSON document), COMMIT.
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

export interface Pusher {
  businessId: string;
  branchId: string;
  deviceId: string;
}

export interface PushOutcome {
  response: PushResponse;
  /** How many changes the batch added (0: nothing for other counters to pull). */
  changesAdded: number;
  /** What each valid mutation came to, for the metrics. */
  tally: { entity: string; status: MutationResult['status']; resolution?: 'merged' | 'manual' }[];
}

interface ValidMutation {
  index: number;
  id: string;
  entityId: string;
  checked: CheckedMutation;
}

interface ChangeRow {
  seq: number;
  entity: string;
  entity_id: string;
  op: MutationOp;
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
    JOIN records r ON r.business_id = $1 AND r.entity = k.entity AND r.entity_id = k.entity_id`;

// Every write of the batch in one statement: the changes, the current records (the last
// change per record), the sale facts for reports, the applied mutation ids, the business's new
// change seq, and the notice that PostgreSQL delivers at COMMIT.
const WRITE_BATCH = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb)
      AS c(seq bigint, entity text, entity_id text, op text, data jsonb)
  ),
  added AS (
    INSERT INTO changes (business_id, seq, entity, entity_id, op, origin_device_id, data, at)
    SELECT $1, seq, entity, entity_id, op, $3, data, $4 FROM input
  ),
  current AS (
    INSERT INTO records (business_id, entity, entity_id, data, seq)
    SELECT DISTINCT ON (entity, entity_id) $1, entity, entity_id, data, seq
      FROM input ORDER BY entity, entity_id, seq DESC
    ON CONFLICT (business_id, entity, entity_id) DO UPDATE SET data = EXCLUDED.data, seq = EXCLUDED.seq
  ),
  facts AS (
    INSERT INTO sale_facts (business_id, sale_id, branch_id, device_id, created_at, total_kobo)
    SELECT DISTINCT ON (entity_id) $1, entity_id, $5, data->>'deviceId',
           (data->>'createdAt')::bigint, (data->>'totalKobo')::bigint
      FROM input WHERE entity = 'sale' ORDER BY entity_id, seq DESC
    ON CONFLICT (business_id, sale_id) DO UPDATE
      SET device_id = EXCLUDED.device_id, created_at = EXCLUDED.created_at, total_kobo = EXCLUDED.total_kobo
  ),
  recorded AS (
    INSERT INTO applied_mutations (business_id, mutation_id, device_id, seq, status, at)
    SELECT $1, m.id, $3, m.seq, m.status, $4
      FROM unnest($6::uuid[], $7::bigint[], $8::text[]) AS m(id, seq, status)
  ),
  moved AS (
    UPDATE businesses SET change_seq = $9 WHERE id = $1
  )
  SELECT pg_notify('${CHANGES_CHANNEL}', $1 || ':' || $9::text)`;

// A batch that changed nothing (every mutation a repeat of what the server holds) still
// records its mutation ids, so their next repeat is answered without a merge.
const RECORD_IDS = `
  INSERT INTO applied_mutations (business_id, mutation_id, device_id, seq, status, at)
  SELECT $1, m.id, $2, m.seq, m.status, $3
    FROM unnest($4::uuid[], $5::bigint[], $6::text[]) AS m(id, seq, status)`;

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

export async function applyPush(
  pool: pg.Pool,
  pusher: Pusher,
  mutations: unknown[],
  now: () => number,
): Promise<PushOutcome> {
  const results: (MutationResult | undefined)[] = new Array<MutationResult | undefined>(mutations.length);
  const tally: PushOutcome['tally'] = [];
  const valid: ValidMutation[] = [];

  // Checking the shapes needs no database: it happens before the lock is taken.
  mutations.forEach((raw, index) => {
    const parsed = mutationSchema.safeParse(raw);
    if (!parsed.success) {
      results[index] = { id: idOf(raw), status: 'rejected', reason: describeInvalid(parsed.error) };
      return;
    }
    const checked = checkMutation(parsed.data);
    if (!checked.ok) {
      results[index] = { id: parsed.data.id, status: 'rejected', reason: checked.reason };
      return;
    }
    valid.push({ index, id: parsed.data.id, entityId: parsed.data.entityId, checked: checked.value });
  });
  for (const result of results) {
    if (result !== undefined) tally.push({ entity: 'invalid', status: result.status });
  }

  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const locked = await client.query<{ change_seq: number }>({
      name: 'kasuwa_push_lock',
      text: LOCK_BUSINESS,
      values: [pusher.businessId],
    });
    const startSeq = locked.rows[0]?.change_seq;
    if (startSeq === undefined) throw new Error(`business ${pusher.businessId} is gone`);

    const mutationIds = [...new Set(valid.map((m) => m.id))];
    const recordKeys = new Map<string, [string, string]>();
    for (const m of valid) recordKeys.set(key(m.checked.entity, m.entityId), [m.checked.entity, m.entityId]);
    const read = await client.query<{
      kind: string;
      entity: string;
      entity_id: string | null;
      data: unknown;
    }>({
      name: 'kasuwa_push_read',
      text: READ_BATCH,
      values: [
        pusher.businessId,
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

    const now0 = now();
    const clampLimit = now0 + MAX_DRIFT_MS;
    let seq = startSeq;
    const changes: ChangeRow[] = [];
    const recordIds: { id: string; seq: number | null; status: 'applied' | 'conflict' }[] = [];
    // A mutation id twice in one batch is answered like a repeat of the first.
    const answeredInBatch = new Map<string, MutationResult>();

    const serverRow = (entity: string, entityId: string) => {
      const stored = current.get(key(entity, entityId));
      return { entity, entityId, data: isReplicaEntity(entity) ? (storedReplica(stored) ?? stored) : stored };
    };
    const write = (entity: string, entityId: string, op: MutationOp, data: unknown) => {
      seq += 1;
      changes.push({ seq, entity, entity_id: entityId, op, data });
      current.set(key(entity, entityId), data);
      return seq;
    };

    for (const m of valid) {
      const { entity } = m.checked;
      const replica = isReplicaEntity(entity);
      const earlier = answeredInBatch.get(m.id);
      if (appliedBefore.has(m.id) || (earlier !== undefined && earlier.status !== 'rejected')) {
        const repeat: MutationResult =
          earlier?.status === 'conflict' && earlier.resolution === 'manual'
            ? earlier
            : replica
              ? { id: m.id, status: 'applied', duplicate: true, server: serverRow(entity, m.entityId) }
              : { id: m.id, status: 'applied', duplicate: true };
        results[m.index] = repeat;
        tally.push({
          entity,
          status: repeat.status,
          ...(repeat.status === 'conflict' ? { resolution: repeat.resolution } : {}),
        });
        continue;
      }

      let result: MutationResult;
      if (m.checked.op === 'upsert') {
        const sent = m.checked.data;
        const existing = storedReplica(current.get(key(entity, m.entityId)));
        const merged = mergeReplica(existing ?? EMPTY_REPLICA, clampReplica(sent, clampLimit));
        const changed = existing === undefined || !sameReplica(existing, merged);
        const changeSeq = changed ? write(entity, m.entityId, 'upsert', merged) : null;
        if (sameReplica(merged, sent)) {
          result = { id: m.id, status: 'applied' };
          recordIds.push({ id: m.id, seq: changeSeq, status: 'applied' });
        } else {
          result = {
            id: m.id,
            status: 'conflict',
            resolution: 'merged',
            server: { entity, entityId: m.entityId, data: merged },
          };
          recordIds.push({ id: m.id, seq: changeSeq, status: 'conflict' });
        }
      } else if (m.checked.entity === 'sale' && m.checked.op === 'resolve') {
        // The owner's decision: the resolving copy replaces the server's.
        const changeSeq = write(entity, m.entityId, 'resolve', m.checked.data);
        result = { id: m.id, status: 'applied' };
        recordIds.push({ id: m.id, seq: changeSeq, status: 'applied' });
      } else {
        const sent = m.checked.data;
        const existing = current.get(key(entity, m.entityId));
        if (existing === undefined) {
          const changeSeq = write(entity, m.entityId, 'append', sent);
          result = { id: m.id, status: 'applied' };
          recordIds.push({ id: m.id, seq: changeSeq, status: 'applied' });
        } else if (
          entity === 'sale'
            ? saleAmounts(existing as SaleRow) === saleAmounts(sent as SaleRow)
            : canonicalJson(existing) === canonicalJson(sent)
        ) {
          result = { id: m.id, status: 'applied', duplicate: true };
          recordIds.push({ id: m.id, seq: null, status: 'applied' });
        } else if (entity === 'sale') {
          // The server keeps its copy; the owner decides, and a `resolve` settles it. Nothing is
          // recorded, so a repeat of this mutation meets the same question again.
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
      answeredInBatch.set(m.id, result);
      tally.push({
        entity,
        status: result.status,
        ...(result.status === 'conflict' ? { resolution: result.resolution } : {}),
      });
    }

    const idColumns = [
      recordIds.map((r) => r.id),
      recordIds.map((r) => r.seq),
      recordIds.map((r) => r.status),
    ] as const;
    if (changes.length > 0) {
      await client.query({
        name: 'kasuwa_push_write',
        text: WRITE_BATCH,
        values: [
          pusher.businessId,
          JSON.stringify(changes),
          pusher.deviceId,
          now0,
          pusher.branchId,
          ...idColumns,
          seq,
        ],
      });
    } else if (recordIds.length > 0) {
      await client.query({
        name: 'kasuwa_push_record_ids',
        text: RECORD_IDS,
        values: [pusher.businessId, pusher.deviceId, now0, ...idColumns],
      });
    }
    await client.query('COMMIT');

    return {
      response: {
        serverTime: now(),
        cursor: seq,
        results: results.map((result) => result ?? { id: '', status: 'rejected', reason: 'not processed' }),
      },
      changesAdded: changes.length,
      tally,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
