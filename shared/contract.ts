/**
 * The IPC contract: the only place a channel name or payload shape is written. The preload,
 * the main-process handlers and the browser host are all derived from these two tables.
 */
import { z } from 'zod';
import type { Envelope } from './errors';
import { NIGERIAN_STATES } from './states';

/** A channel pairs a zod input schema with its result type (a type only: results are ours). */
interface Channel<I extends z.ZodType, R> {
  input: I;
  result?: R;
}

function channel<R>() {
  return <I extends z.ZodType>(input: I): Channel<I, R> => ({ input });
}

const noInput = z.undefined();

const pin = z.string().regex(/^\d{4,6}$/, 'A PIN is 4 to 6 digits');
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

export const channels = {
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

/** The one IPC channel that carries events from main to the renderer. */
export const EVENT_CHANNEL = 'kasuwa:event';

export const events = {
  progress: z.object({
    taskId: z.string(),
    label: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  'sync:status': z.object({
    state: z.enum(['not-paired', 'offline', 'idle', 'syncing', 'error']),
    pending: z.number().int().nonnegative(),
    lastSyncAt: z.number().nullable(),
    message: z.string(),
  }),
  'update:status': z.custom<UpdateStatus>((value) => typeof value === 'object' && value !== null),
  'app:status': z.custom<AppStatus>((value) => typeof value === 'object' && value !== null),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelParsedInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelResult<C extends ChannelName> = Exclude<Channels[C]['result'], undefined>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channelNames = Object.keys(channels) as ChannelName[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;

type Method<C extends ChannelName> =
  undefined extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<Envelope<ChannelResult<C>>>
    : (input: ChannelInput<C>) => Promise<Envelope<ChannelResult<C>>>;

type DomainApi<D extends string> = {
  [C in ChannelName as C extends `${D}:${infer A}` ? A : never]: Method<C>;
};

/** `window.kasuwa`: one method per channel, grouped by domain, plus typed events. */
export type KasuwaApi = { [D in DomainOf<ChannelName>]: DomainApi<D> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** Builds the API object from any transport; used by the preload and the browser-host client. */
export function buildKasuwaApi(
  invoke: (channel: ChannelName, input: unknown) => Promise<Envelope<unknown>>,
  subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void,
): KasuwaApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of channelNames) {
    const [domain = '', action = ''] = name.split(':');
    const group = (api[domain] ??= {});
    group[action] = (input?: unknown) => invoke(name, input);
  }
  const on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`);
    return subscribe(event, listener);
  };
  return Object.assign(api, { on }) as unknown as KasuwaApi;
}
