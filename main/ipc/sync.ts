/** sync:* — pairing, the loop's status, devices and the owner's conflict queue. */
import type { SyncService } from '../services/sync/sync-service';
import type { HandlerTable } from './handler';

type SyncChannel = Extract<keyof HandlerTable, `sync:${string}`>;

export function syncHandlers(deps: { sync: () => SyncService }): Pick<HandlerTable, SyncChannel> {
  return {
    'sync:status': () => deps.sync().status(),
    'sync:createBusiness': (input) => deps.sync().createBusiness(input),
    'sync:pair': (input) => deps.sync().pair(input),
    'sync:pairingCode': (input) =>
      deps.sync().pairingCode(input.branchName === undefined ? { ownerPin: input.ownerPin } : input),
    'sync:now': () => deps.sync().syncNow(),
    'sync:devices': () => deps.sync().devices(),
    'sync:revokeDevice': (input) => deps.sync().revokeDevice(input),
    'sync:unpair': (input) => deps.sync().unpair(input),
    'sync:conflicts': ({ status, offset, limit }) => deps.sync().conflicts(status, offset, limit),
    'sync:resolve': (input) => deps.sync().resolve(input),
    'sync:problems': ({ limit }) => deps.sync().problems(limit),
    'sync:webhooks': () => deps.sync().webhooks(),
  };
}
