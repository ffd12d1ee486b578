/**
 * When a promotional message may go: never in quiet hours (NCC: no promotional SMS between 20:00
 * and 08:00 Lagos time), and never more often than the frequency cap allows. Pure functions of
 * the time, so the send loop and the tests share them with a fake clock.
 */
import { lagosMinuteOfDay } from '../lagos-time';

function minutesOf(time: string): number {
  const [hours = '0', minutes = '0'] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}

export interface QuietHours {
  start: string;
  end: string;
}

/** True when `at` falls in quiet hours (which may wrap over midnight, as 20:00–08:00 does). */
export function inQuietHours(at: number, quiet: QuietHours): boolean {
  const now = lagosMinuteOfDay(at);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The first moment at or after `at` outside quiet hours (Lagos `end` o'clock). */
export function quietHoursEnd(at: number, quiet: QuietHours): number {
  if (!inQuietHours(at, quiet)) return at;
  const end = minutesOf(quiet.end);
  const now = lagosMinuteOfDay(at);
  const ahead = (end - now + 24 * 60) % (24 * 60);
  const startOfMinute = at - (at % 60_000);
  return startOfMinute + ahead * 60_000;
}
