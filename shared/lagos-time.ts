/**
 * Shop time is Lagos time (West Africa Time, UTC+1, no daylight saving): days for the
 * Z-report, quiet hours and "outside 06:00–22:00" are Lagos days and hours, whatever the
 * counter PC's own time zone is set to.
 */
const OFFSET_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` of the Lagos day that contains `at`. */
export function lagosDay(at: number): string {
  return new Date(at + OFFSET_MS).toISOString().slice(0, 10);
}

/** [from, to) in epoch ms of a Lagos day. */
export function lagosDayRange(day: string): { from: number; to: number } {
  const midnightUtc = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(midnightUtc)) throw new RangeError(`Not a day: ${day}`);
  const from = midnightUtc - OFFSET_MS;
  return { from, to: from + DAY_MS };
}

/** Hour of the day (0–23) in Lagos. */
export function lagosHour(at: number): number {
  return new Date(at + OFFSET_MS).getUTCHours();
}

/** Minutes since Lagos midnight (0–1439). */
export function lagosMinuteOfDay(at: number): number {
  const shifted = new Date(at + OFFSET_MS);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

/** `YYYY-MM` of the Lagos month that contains `at`. */
export function lagosMonth(at: number): string {
  return lagosDay(at).slice(0, 7);
}

/** The Monday (`YYYY-MM-DD`) that starts the Lagos week containing `at`. */
export function lagosWeekStart(at: number): string {
  const shifted = new Date(at + OFFSET_MS);
  const weekday = (shifted.getUTCDay() + 6) % 7;
  return lagosDay(at - weekday * DAY_MS);
}

/** `YYYY-MM-DD HH:MM` in Lagos, for records shown side by side. */
export function lagosDateTime(at: number): string {
  return new Date(at + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
