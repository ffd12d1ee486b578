/**
 * The IPC contract: the only place a channel name or payload shape is written. The preload,
 * the main-process handlers and the browser host are all derived from these two tables.
 */
import { z } from 'zod';
import { campaignChannels, type CampaignProgress, type SenderStatus } from './channels/campaigns';
import { customerChannels } from './channels/customers';
import { foundationChannels } from './channels/foundation';
import { productChannels } from './channels/products';
import { reportChannels } from './channels/reports';
import { saleChannels } from './channels/sales';
import { storeChannels, type StoreOrdersEvent } from './channels/store';
import { syncChannels, type SyncStatus } from './channels/sync';
import type { AppStatus, UpdateStatus } from './channels/foundation';
import type { Envelope } from './errors';

export * from './channel';
export * from './channels/campaigns';
export * from './channels/customers';
export * from './channels/foundation';
export * from './channels/products';
export * from './channels/reports';
export * from './channels/sales';
export * from './channels/store';
export * from './channels/sync';

export const channels = {
  ...foundationChannels,
  ...customerChannels,
  ...productChannels,
  ...saleChannels,
  ...reportChannels,
  ...syncChannels,
  ...campaignChannels,
  ...storeChannels,
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
  'sync:status': z.custom<SyncStatus>((value) => typeof value === 'object' && value !== null),
  'update:status': z.custom<UpdateStatus>((value) => typeof value === 'object' && value !== null),
  'campaigns:progress': z.custom<CampaignProgress>((value) => typeof value === 'object' && value !== null),
  'campaigns:sender': z.custom<SenderStatus>((value) => typeof value === 'object' && value !== null),
  'store:orders': z.custom<StoreOrdersEvent>((value) => typeof value === 'object' && value !== null),
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
