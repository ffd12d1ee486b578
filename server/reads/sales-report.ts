/**
 * Sales per Lagos day (UTC+1 all year, no daylight saving) from `sale_facts`, the one-row-per-
 * sale table a push keeps, so a month's report never opens sale JSON. Totals are the sales as
 * rung up; refunds are the counters' own ledger and are not netted here.
 */
import type pg from 'pg';
import { lagosDay } from '../../shared/lagos-time';
import type { SalesReportDay } from '../../shared/sync/protocol';

const LAGOS_OFFSET_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const BY_DAY = `
  SELECT (created_at + ${LAGOS_OFFSET_MS}) / ${DAY_MS} AS day_index, count(*)::int8 AS sales,
         sum(total_kobo)::int8 AS total_kobo
    FROM sale_facts
   WHERE business_id = $1 AND created_at >= $2 AND created_at < $3
   GROUP BY 1 ORDER BY 1`;

export async function salesByDay(
  pool: pg.Pool,
  businessId: string,
  from: number,
  to: number,
): Promise<SalesReportDay[]> {
  const result = await pool.query<{ day_index: number; sales: number; total_kobo: number }>({
    name: 'kasuwa_sales_by_day',
    text: BY_DAY,
    values: [businessId, from, to],
  });
  return result.rows.map((row) => ({
    day: lagosDay(row.day_index * DAY_MS - LAGOS_OFFSET_MS),
    sales: row.sales,
    totalKobo: row.total_kobo,
  }));
}
