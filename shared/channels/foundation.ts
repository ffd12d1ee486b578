/** Channels of the foundation: lock state, business profile, staff, settings, audit, updates. */
import { z } from 'zod';
import { channel, noInput, pin } from '../channel';
import { NIGERIAN_STATES } from '../states';

const passphrase = z.string().min(8, 'Use at least 8 characters').max(200);
const personName = z.string().trim().min(1, 'Enter a name').max(80);
const stateSchema = z.enum(NIGERIAN_STATES);

export const businessInputSchema = z.object({
  name: z.string().trim().min(2, 'Enter the business name').max(80),
  state: stateSchema,
  phone: z.string().trim().min(7, 'Enter a phone number').max(32),
  address: z.string().trim().max(200).default(''),
  email: z.union([z.literal(''), z.email('Enter a valid email address')]).default(''),
});

export const setupInputSchema = z.object({
  business: businessInputSchema,
  ownerName: personName,
  pin,
});

export const settingsPatchSchema = z
  .object({
    updateFeedUrl: z.union([z.null(), z.url({ protocol: /^https?$/ })]),
    receiptFooter: z.string().max(200),
  })
  .partial()
  .strict();

export interface BusinessProfile {
  id: string;
  name: string;
  state: (typeof NIGERIAN_STATES)[number];
  phone: string;
  address: string;
  email: string;
  createdAt: number;
  updatedAt: number;
}

export interface AppSettings {
  updateFeedUrl: string | null;
  receiptFooter: string;
}

export type StaffRole = 'owner' | 'manager' | 'cashier';

export interface StaffMember {
  id: string;
  name: string;
  role: StaffRole;
  active: boolean;
}

export type KeyStorage = 'keychain' | 'passphrase';

export type AppStatus =
  | { state: 'needs-passphrase'; firstRun: boolean; reason: string }
  | { state: 'error'; code: string; title: string; message: string }
  | {
      state: 'ready';
      setupDone: boolean;
      keyStorage: KeyStorage;
      dataDir: string;
      version: string;
    };

export interface AuditEntry {
  seq: number;
  at: number;
  actorStaffId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  details: string;
}

export interface AuditVerification {
  intact: boolean;
  checkedRows: number;
  firstBrokenSeq: number | null;
}

export type UpdateStatus =
  | { state: 'disabled'; reason: string }
  | { state: 'idle'; lastCheckedAt: number | null }
  | { state: 'checking' }
  | { state: 'available'; version: string }
  | { state: 'downloading'; version: string; percent: number }
  | { state: 'downloaded'; version: string; installsOnQuit: true }
  | { state: 'up-to-date'; lastCheckedAt: number }
  | { state: 'error'; message: string; lastCheckedAt: number | null };

export const foundationChannels = {
  'app:status': channel<AppStatus>()(noInput),
  'app:createPassphrase': channel<AppStatus>()(
    z.object({ passphrase, confirm: z.string() }).refine((v) => v.passphrase === v.confirm, {
      message: 'The two passphrases are not the same',
      path: ['confirm'],
    }),
  ),
  'app:unlock': channel<AppStatus>()(z.object({ passphrase: z.string().min(1).max(200) })),
  'business:get': channel<BusinessProfile | null>()(noInput),
  'business:setup': channel<BusinessProfile>()(setupInputSchema),
  'business:update': channel<BusinessProfile>()(businessInputSchema),
  'staff:list': channel<StaffMember[]>()(noInput),
  'staff:verifyPin': channel<StaffMember>()(z.object({ pin })),
  'staff:create': channel<StaffMember>()(
    z.object({
      name: personName,
      role: z.enum(['manager', 'cashier']),
      pin,
      /** Only the owner adds staff. */
      ownerPin: pin,
    }),
  ),
  'staff:setActive': channel<StaffMember>()(z.object({ id: z.uuid(), active: z.boolean(), ownerPin: pin })),
  'settings:get': channel<AppSettings>()(noInput),
  'settings:update': channel<AppSettings>()(settingsPatchSchema),
  'audit:list': channel<AuditEntry[]>()(
    z.object({
      limit: z.number().int().min(1).max(200).default(50),
      beforeSeq: z.number().int().positive().optional(),
    }),
  ),
  'audit:verify': channel<AuditVerification>()(noInput),
  'updates:status': channel<UpdateStatus>()(noInput),
  'updates:check': channel<UpdateStatus>()(noInput),
} as const;
