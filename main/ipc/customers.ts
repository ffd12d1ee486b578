/** customers:* — the customer book. */
import type { EventBus } from '../services/app/event-bus';
import type { CustomerCsv } from '../services/customers/customer-csv';
import type { CustomerService } from '../services/customers/customer-service';
import type { TillSession } from '../services/sales/till-session';
import type { HandlerTable } from './handler';

type CustomerChannel = Extract<keyof HandlerTable, `customers:${string}`>;

export function customerHandlers(deps: {
  customers: () => CustomerService;
  csv: () => CustomerCsv;
  till: () => TillSession;
  events: EventBus;
}): Pick<HandlerTable, CustomerChannel> {
  const staffId = () => deps.till().current()?.id ?? null;
  return {
    'customers:search': (input) => deps.customers().search(input),
    'customers:list': (input) => deps.customers().list(input),
    'customers:get': ({ id }) => deps.customers().get(id),
    'customers:create': (input) => deps.customers().create(input, staffId()),
    'customers:update': (input) => deps.customers().update(input, staffId()),
    'customers:archive': ({ id, archived }) => deps.customers().archive(id, archived, staffId()),
    'customers:merge': ({ keepId, mergeId }) => deps.customers().merge(keepId, mergeId, staffId()),
    'customers:setConsent': (input) => deps.customers().setConsent(input, staffId()),
    'customers:purchases': ({ id, offset, limit }) => deps.customers().purchases(id, offset, limit),
    'customers:points': ({ id, offset, limit }) => deps.customers().points(id, offset, limit),
    'customers:consentHistory': ({ id }) => deps.customers().consentHistory(id),
    'customers:importPreview': ({ csv }) => deps.csv().preview(csv),
    'customers:import': (input) =>
      deps
        .csv()
        .import(input, staffId(), (done, total) =>
          deps.events.emit('progress', { taskId: input.taskId, label: 'Importing customers', done, total }),
        ),
    'customers:exportCsv': ({ offset, limit }) => deps.csv().exportPage(offset, limit),
  };
}
