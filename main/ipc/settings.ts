/** settings:*, audit:* and updates:* — what the Settings area shows and changes. */
import type { ShopRuntime } from '../services/app/runtime';
import type { UpdateService } from '../services/updates/update-service';
import type { HandlerTable } from './handler';

export function settingsHandlers(
  runtime: ShopRuntime,
  updates: UpdateService,
): Pick<
  HandlerTable,
  'settings:get' | 'settings:update' | 'audit:list' | 'audit:verify' | 'updates:status' | 'updates:check'
> {
  return {
    'settings:get': () => runtime.require().settings.get(),
    'settings:update': (patch) => runtime.require().settings.update(patch, null),
    'audit:list': ({ limit, beforeSeq }) => runtime.require().audit.list(limit, beforeSeq),
    'audit:verify': () => runtime.require().audit.verify(),
    'updates:status': () => updates.status(),
    'updates:check': () => updates.check(),
  };
}
