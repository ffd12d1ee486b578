/** The shop owner's words for what the sync loop reports: states, counts, speeds, records. */
import type { ConflictAction, SyncState, SyncStatus } from '../../../shared/contract';

export type Tone = 'good' | 'wait' | 'warn' | 'bad' | 'busy' | 'none';

const STATE_WORDS: Record<SyncState, string> = {
  'not-paired': 'Not paired',
  offline: 'Offline',
  paused: 'Paused',
  idle: 'Up to date',
  syncing: 'Syncing',
  error: 'Sync problem',
};

const STATE_TONES: Record<SyncState, Tone> = {
  'not-paired': 'none',
  offline: 'warn',
  paused: 'warn',
  idle: 'good',
  syncing: 'busy',
  error: 'bad',
};

/** A glyph beside the words, so the state never rests on colour alone. */
export const TONE_MARKS: Record<Tone, string> = {
  good: '✓',
  wait: '…',
  warn: '!',
  bad: '✕',
  busy: '↻',
  none: '○',
};

export function stateWords(status: SyncStatus): string {
  if (status.state === 'idle' && status.pending > 0) return 'Waiting to send';
  return STATE_WORDS[status.state];
}

export function stateTone(status: SyncStatus): Tone {
  if (status.state === 'idle' && status.pending > 0) return 'wait';
  return STATE_TONES[status.state];
}

/** The few words beside "Sync" in the navigation. */
export function indicatorWords(status: SyncStatus): string {
  switch (status.state) {
    case 'not-paired':
      return 'Not paired';
    case 'offline':
      return 'Offline';
    case 'paused':
      return 'Paused';
    case 'error':
      return 'Problem';
    case 'syncing':
      return 'Syncing';
    case 'idle':
      if (status.pending > 0) return `${count(status.pending)} waiting`;
      if (status.openConflicts > 0) return `${count(status.openConflicts)} to settle`;
      return 'Up to date';
  }
}

export function count(value: number): string {
  return value.toLocaleString('en-NG');
}

export function changes(value: number): string {
  return value === 1 ? '1 change' : `${count(value)} changes`;
}

export function linkSpeed(bytesPerSecond: number): string {
  if (bytesPerSecond >= 1_048_576) return `${(bytesPerSecond / 1_048_576).toFixed(1)} MB a second`;
  const kilobytes = bytesPerSecond / 1024;
  return `${kilobytes < 10 ? kilobytes.toFixed(1) : Math.round(kilobytes)} KB a second`;
}

export function powerWords(power: SyncStatus['power']): string {
  if (!power.onBattery) return 'On mains power';
  return power.batteryPercent === null ? 'On battery' : `On battery, ${power.batteryPercent} %`;
}

/** What a settled conflict's choice was, when the conflict no longer lists it as an action. */
export const RESOLUTION_WORDS: Record<ConflictAction, string> = {
  'keep-mine': "Kept this counter's copy",
  'keep-theirs': 'Kept the other copy',
  merge: 'Put both together',
};

const ENTITY_WORDS: Record<string, string> = {
  business: 'the business profile',
  staff: 'a staff member',
  customer: 'a customer',
  product: 'a product',
  setting: 'a setting',
  consent: "a customer's permission for messages",
  points: 'loyalty points',
  stock_move: 'a stock change',
  sale: 'a sale',
  refund: 'a refund',
  message: 'a message sent to a customer',
};

export function entityWords(entity: string): string {
  return ENTITY_WORDS[entity] ?? 'a record';
}
