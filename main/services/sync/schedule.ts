/**
 * When to sync next, from the power and the network: every 30 s on mains, every 5 min on a
 * battery below 20 %, not at all below 5 % unless the owner forces it, soon after a local
 * write while online, at once on waking from sleep or on getting the link back. Pure: the
 * inputs come from main/platform (Electron's powerMonitor and net) through the caller.
 */
export interface SyncConditions {
  online: boolean;
  onBattery: boolean;
  /** 0–100, null where unknown (a desktop with no battery). */
  batteryPercent: number | null;
  ownerForced: boolean;
}

export type SyncTrigger = 'timer' | 'local-write' | 'resume' | 'reconnect' | 'server-notice' | 'owner';

export type SyncDecision =
  { action: 'sync-now' } | { action: 'wait'; delayMs: number } | { action: 'paused'; reason: string };

export const MAINS_INTERVAL_MS = 30_000;
export const LOW_BATTERY_INTERVAL_MS = 5 * 60_000;
export const WRITE_DEBOUNCE_MS = 2_000;

export function syncInterval(conditions: SyncConditions): number | null {
  const battery = conditions.onBattery ? conditions.batteryPercent : null;
  if (battery !== null && battery < 5 && !conditions.ownerForced) return null;
  if (battery !== null && battery < 20) return LOW_BATTERY_INTERVAL_MS;
  return MAINS_INTERVAL_MS;
}

export function decideSync(trigger: SyncTrigger, conditions: SyncConditions): SyncDecision {
  if (!conditions.online)
    return { action: 'paused', reason: 'No internet: sales are kept here and sent when the link is back.' };
  const interval = syncInterval(conditions);
  if (interval === null && trigger !== 'owner') {
    return {
      action: 'paused',
      reason: 'Battery below 5 %: syncing is paused to keep the till running. The owner can sync now.',
    };
  }
  switch (trigger) {
    case 'local-write':
      return { action: 'wait', delayMs: WRITE_DEBOUNCE_MS };
    case 'timer':
      return { action: 'wait', delayMs: interval ?? LOW_BATTERY_INTERVAL_MS };
    case 'resume':
    case 'reconnect':
    case 'server-notice':
    case 'owner':
      return { action: 'sync-now' };
  }
}

/**
 * Batch size and compression from the link measured on the last requests: a batch should take
 * about four seconds on the wire, so a 2G-grade link (a few kilobytes a second) gets small
 * batches that still finish long before their time limit, and a fast one gets big batches.
 * `wireBytesPerMutation` is what one mutation took on the wire last time (compressed or not).
 */
export function batchForLink(
  bytesPerSecond: number | null,
  wireBytesPerMutation: number,
): { size: number; gzip: boolean } {
  if (bytesPerSecond === null) return { size: 100, gzip: true };
  const secondsPerBatch = 4;
  const size = Math.floor((bytesPerSecond * secondsPerBatch) / Math.max(1, wireBytesPerMutation));
  return { size: Math.max(5, Math.min(1_000, size)), gzip: bytesPerSecond < 5_000_000 };
}
