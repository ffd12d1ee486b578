/** store:* — the builder's draft and checklist, preview and test order, publish, online orders. */
import type { StoreServices } from '../services/store/store-services';
import type { StoreOrders } from '../services/store/store-orders';
import type { TillSession } from '../services/sales/till-session';
import type { HandlerTable } from './handler';

type StoreChannel = Extract<keyof HandlerTable, `store:${string}`>;

export function storeHandlers(deps: {
  store: () => StoreServices;
  orders: () => StoreOrders;
  till: () => TillSession;
}): Pick<HandlerTable, StoreChannel> {
  const staffId = () => deps.till().current()?.id ?? null;
  return {
    'store:state': () => deps.store().state(),
    'store:saveDraft': (input) => deps.store().saveDraft(input, staffId()),
    'store:setPaymentKey': (input) => deps.store().setPaymentKey(input, staffId()),
    'store:preview': () => deps.store().previewUrl(),
    'store:testOrder': () => deps.store().testOrder(),
    'store:publish': () => deps.store().publish(staffId()),
    'store:export': ({ folder }) => deps.store().exportSite(folder),
    'store:orders': (input) => deps.orders().list(input),
    'store:fulfilOrder': ({ id }) => deps.orders().fulfil(id, deps.till().require()),
    'store:cancelOrder': ({ id, reason }) => deps.orders().cancel(id, reason, staffId()),
    'store:paymentHooks': () => deps.store().paymentHooks(),
    'store:checkPayment': ({ id }) => deps.store().checkPayment(id),
  };
}
