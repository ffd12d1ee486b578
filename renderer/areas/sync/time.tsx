/** Times on the Sync screen: "5 minutes ago" beside the Lagos date and time, and a ticking clock. */
import { useEffect, useState } from 'react';

const RELATIVE = new Intl.RelativeTimeFormat('en-NG', { numeric: 'auto' });
const DATE_TIME = new Intl.DateTimeFormat('en-NG', {
  timeZone: 'Africa/Lagos',
  dateStyle: 'medium',
  timeStyle: 'short',
});
const TIME = new Intl.DateTimeFormat('en-NG', { timeZone: 'Africa/Lagos', timeStyle: 'short' });

/** The current time, updated every `everyMs` while the component is on screen. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function relativeTime(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 10) return seconds <= 0 ? 'just now' : 'in a few seconds';
  if (Math.abs(seconds) < 60) return RELATIVE.format(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return RELATIVE.format(minutes, 'minute');
  const hours = Math.round(seconds / 3600);
  if (Math.abs(hours) < 24) return RELATIVE.format(hours, 'hour');
  return RELATIVE.format(Math.round(seconds / 86_400), 'day');
}

export function shopDateTime(at: number): string {
  return DATE_TIME.format(at);
}

export function shopTime(at: number): string {
  return TIME.format(at);
}

/** Minutes and seconds left, as 9:05; never below 0:00. */
export function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * "5 minutes ago (2 Dec 2026, 14:05)": the relative time first, the exact one beside it. A time
 * that has happened never reads as "in a few seconds", whatever a slow clock tick or another
 * computer's clock says.
 */
export function When({ at, now, future = false }: { at: number; now: number; future?: boolean }) {
  return (
    <>
      <time dateTime={new Date(at).toISOString()}>{relativeTime(future ? at : Math.min(at, now), now)}</time>{' '}
      <span className="muted">({shopDateTime(at)})</span>
    </>
  );
}
