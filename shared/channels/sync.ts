/**
 * Channels of the Sync screen: pairing this counter with the sync server (the first counter
 * creates the business, the others join with a one-time code), the status of the background
 * loop, the owner's "sync now", the devices of the business, and the queue of conflicts the
 * owner settles (both versions side by side).
 */
import { z } from 'zod';
import { channel, noInput, pageInput, pin, type Page } from '../channel';
import { pairingCode, type DeviceInfo } from '../sync/protocol';

export type SyncState = 'not-paired' | 'offline' | 'paused' | 'idle' | 'syncing' | 'error';

export interface SyncStatus {
  state: SyncState;
  /** Local writes not yet accepted by the server. */
  pending: number;
  lastSyncAt: number | null;
  /** The last failure, in words, until a sync succeeds again. */
  lastError: string | null;
  /** One sentence for the owner: what is happening and what to do. */
  message: string;
  server: {
    url: string;
    businessName: string;
    branchName: string;
    deviceName: string;
    deviceId: string;
  } | null;
  cursor: number;
  openConflicts: number;
  /** Mutations the server refused (with reasons on the Sync screen). */
  rejected: number;
  link: { bytesPerSecond: number | null; batchSize: number; gzip: boolean; realtime: boolean };
  power: { onBattery: boolean; batteryPercent: number | null };
  nextSyncAt: number | null;
}

export type ConflictKind = 'sale-amounts' | 'duplicate-customer' | 'duplicate-product';
export type ConflictAction = 'keep-mine' | 'keep-theirs' | 'merge';

export interface SyncConflict {
  id: string;
  kind: ConflictKind;
  /** A sentence: "Sale 3F2A1C-0042 has different amounts here and on another counter". */
  title: string;
  entityId: string;
  /** Both versions side by side, one row per thing that can differ. */
  rows: { label: string; mine: string; theirs: string; differs: boolean }[];
  actions: { action: ConflictAction; label: string }[];
  createdAt: number;
  resolvedAt: number | null;
  resolution: ConflictAction | null;
}

export interface SyncProblem {
  at: number;
  /** 'rejected' is a mutation the server refused; 'error' a failed sync attempt. */
  kind: 'rejected' | 'error';
  message: string;
  entity: string | null;
  entityId: string | null;
}

const serverUrl = z
  .string()
  .trim()
  .min(1, 'Enter the sync server address')
  .max(300)
  .transform((text) => (/^https?:\/\//i.test(text) ? text : `http://${text}`))
  .pipe(z.url({ protocol: /^https?$/, error: 'Enter an address such as http://192.168.0.10:8787' }))
  .transform((text) => text.replace(/\/+$/, ''));

const deviceName = z.string().trim().min(1, 'Name this counter').max(80);

export const syncChannels = {
  'sync:status': channel<SyncStatus>()(noInput),
  /** The first counter: creates the business on the server and pairs itself. */
  'sync:createBusiness': channel<SyncStatus>()(
    z.object({
      serverUrl,
      deviceName,
      branchName: z.string().trim().min(1).max(80).default('Main branch'),
      ownerPin: pin,
    }),
  ),
  /** Any other counter: joins with the code read off a counter already paired. */
  'sync:pair': channel<SyncStatus>()(z.object({ serverUrl, code: pairingCode, deviceName, ownerPin: pin })),
  'sync:pairingCode': channel<{ code: string; expiresAt: number }>()(
    z.object({ ownerPin: pin, branchName: z.string().trim().min(1).max(80).optional() }),
  ),
  /** The owner's "Sync now": runs even on a low battery. */
  'sync:now': channel<SyncStatus>()(noInput),
  'sync:devices': channel<DeviceInfo[]>()(noInput),
  'sync:revokeDevice': channel<DeviceInfo[]>()(z.object({ id: z.uuid(), ownerPin: pin })),
  'sync:unpair': channel<SyncStatus>()(z.object({ ownerPin: pin })),
  'sync:conflicts': channel<Page<SyncConflict>>()(
    z.object({ status: z.enum(['open', 'resolved']).default('open'), ...pageInput }),
  ),
  'sync:resolve': channel<SyncConflict>()(
    z.object({ id: z.uuid(), action: z.enum(['keep-mine', 'keep-theirs', 'merge']), ownerPin: pin }),
  ),
  /** The addresses to paste into the message providers' dashboards (delivery reports, STOP replies). */
  'sync:webhooks': channel<{ termii: string; africastalking: string; whatsapp: string }>()(noInput),
  'sync:problems': channel<SyncProblem[]>()(
    z.object({ limit: z.number().int().min(1).max(200).default(50) }),
  ),
} as const;
