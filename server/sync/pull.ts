/**
 * Pages of a business's change log after a cursor, for a counter's pull. A counter's own
 * changes are left out (it has them), but the cursor still moves past them. The stored JSON
 * of each change goes into the answer as PostgreSQL wrote it, never parsed and re-serialised,
 * which is most of a large page's cost.
 */
import type pg from 'pg';

export interface PullPage {
  /** The PullResponse as JSON text. */
  body: string;
  /** Changes sent (own ones not counted). */
  sent: number;
}

const READ_PAGE = `
  SELECT seq, entity, entity_id, op, origin_device_id = $3 AS own,
         CASE WHEN origin_device_id = $3 THEN NULL ELSE data::text END AS data
    FROM changes
   WHERE business_id = $1 AND seq > $2
   ORDER BY seq
   LIMIT $4`;

export async function readPullPage(
  pool: pg.Pool,
  puller: { businessId: string; deviceId: string },
  after: number,
  limit: number,
  now: () => number,
): Promise<PullPage> {
  const result = await pool.query<{
    seq: number;
    entity: string;
    entity_id: string;
    op: string;
    own: boolean;
    data: string | null;
  }>({
    name: 'kasuwa_pull_page',
    text: READ_PAGE,
    values: [puller.businessId, after, puller.deviceId, limit],
  });
  const parts: string[] = [];
  let cursor = after;
  for (const row of result.rows) {
    cursor = row.seq;
    if (row.own || row.data === null) continue;
    parts.push(
      `{"seq":${row.seq},"entity":${JSON.stringify(row.entity)},"entityId":${JSON.stringify(row.entity_id)},"op":${JSON.stringify(row.op)},"data":${row.data}}`,
    );
  }
  const hasMore = result.rows.length === limit;
  return {
    body: `{"serverTime":${now()},"changes":[${parts.join(',')}],"cursor":${cursor},"hasMore":${hasMore}}`,
    sent: parts.length,
  };
}
