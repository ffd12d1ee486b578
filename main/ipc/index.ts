/** All channels bound to their services; `satisfies` makes a missing channel a type error. */
import type { ShopRuntime } from '../services/app/runtime';
import type { UpdateService } from '../services/updates/update-service';
import { appHandlers } from './app';
import { businessHandlers } from './business';
import type { HandlerTable } from './handler';
import { settingsHandlers } from './settings';

export interface HandlerDeps {
  runtime: ShopRuntime;
  updates: UpdateService;
}

export function createHandlerTable({ runtime, updates }: HandlerDeps): HandlerTable {
  return {
    ...appHandlers(runtime),
    ...businessHandlers(runtime),
    ...settingsHandlers(runtime, updates),
  } satisfies HandlerTable;
}
