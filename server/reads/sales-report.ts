/**
 * Sales per Lagos day (UTC+1 all year, no daylight saving). A push keeps `sale_facts` (one row
 * per sale) and `sale_days` (one row per day) in the same statement, so a report takes the
 * whole days of its range from `sale_days` and only the part-days at its two edges from
 * `sale_facts`: a month costs some thirty rows and two partial days, not every sale. Totals are
 * the sales as rung up; refunds are the counters' own ledger and are not netted here.
 */
import type pg from 'pg';
import { lagosDay } from '../../shared/lagos-time';
import type { SalesReportDay } from '../../shared/sync/protocol';

export const LAGOS_OFFSET_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

// $2..$3: the whole days (as day numbers); $4..$5 and $6..$7: the part-days before and after
// them (epoch ms), empty when the range starts or ends at a Lagos midnight.
const BY_DAY = `
  SELECT day, sales, total_kobo FROM sale_days
   WHERE business_id = $1 AND day >= $2 AND day < $3 AND sales <> 0
  UNION ALL
  SELECT ((created_at + ${LAGOS_OFFSET_MS}) / ${DAY_MS})::integer, count(*)::int8, sum(total_kobo)::int8
    FROM sale_facts
   WHERE business_id = $1 AND ((created_at >= $4 AND created_at < $5) OR (created_at >= $6 AND created_at < $7))
   GROUP BY 1`;

const dayNumber = (at: number) => Math.floor((at + LAGOS_OFFSET_MS) / DAY_MS);
const dayStart = (day: number) => day * DAY_MS - LAGOS_OFFSET_MS;

export async function salesByDay(
  pool: pg.Pool,
  businessId: string,
  from: number,
  to: number,
): Promise<SalesReportDay[]> {
  // Whole days are those that start at or after `from` and end at or before `to`.
  const firstWhole = Math.ceil((from + LAGOS_OFFSET_MS) / DAY_MS);
  const endWhole = Math.max(firstWhole, dayNumber(to));
  const headEnd = Math.min(to, dayStart(firstWhole));
  const head = [from, headEnd];
  // With no whole day in the range, the tail is whatever follows the head's midnight.
  const tail = [endWhole > firstWhole ? dayStart(endWhole) : headEnd, to];
  const result = await pool.query<{ day: number; sales: number; total_kobo: number }>({
    name: 'kasuwa_sales_by_day',
    text: BY_DAY,
    values: [businessId, firstWhole, endWhole, ...head, ...tail],
  });
  return result.rows
    .sort((a, b) => a.day - b.day)
    .map((row) => ({ day: lagosDay(dayStart(row.day)), sales: row.sales, totalKobo: row.total_kobo }));
}
