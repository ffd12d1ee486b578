/** All channels bound to their services; `satisfies` makes a missing channel a type error. */
import type { ShopRuntime } from '../services/app/runtime';
import type { UpdateService } from '../services/updates/update-service';
import type { EventBus } from '../services/app/event-bus';
import { appHandlers } from './app';
import { businessHandlers } from './business';
import { campaignHandlers } from './campaigns';
import { customerHandlers } from './customers';
import type { HandlerTable } from './handler';
import { productHandlers } from './products';
import { reportHandlers } from './reports';
import { saleHandlers, type PrintReceipt } from './sales';
import { settingsHandlers } from './settings';
import { storeHandlers } from './store';
import { syncHandlers } from './sync';

export interface HandlerDeps {
  runtime: ShopRuntime;
  updates: UpdateService;
  events: EventBus;
  print: PrintReceipt;
}

export function createHandlerTable({ runtime, updates, events, print }: HandlerDeps): HandlerTable {
  // Services exist only once the database is open; until then each call answers `locked`.
  const shop = () => runtime.require();
  const till = () => shop().till;
  return {
    ...appHandlers(runtime),
    ...businessHandlers(runtime),
    ...settingsHandlers(runtime, updates),
    ...customerHandlers({ customers: () => shop().customers, csv: () => shop().customerCsv, till, events }),
    ...productHandlers({ products: () => shop().products, till }),
    ...saleHandlers({
      sales: () => shop().sales,
      till,
      loyalty: () => shop().loyalty,
      risk: () => shop().risk,
      print,
    }),
    ...reportHandlers({ reports: () => shop().reports, till }),
    ...syncHandlers({ sync: () => shop().sync }),
    ...campaignHandlers({ campaigns: () => shop().campaigns, till }),
    ...storeHandlers({ store: () => shop().store, orders: () => shop().storeOrders, till }),
  } satisfies HandlerTable;
}
