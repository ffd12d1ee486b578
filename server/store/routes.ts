/**
 * The online store on the sync server: counters publish their storefront here and check an order's
 * payment (./publish-routes.ts), shoppers browse it, order and pay (./shop-routes.ts), and the
 * payment providers post their events (./payment-hooks.ts). Built once per server instance from
 * the shared context and the payment providers' addresses.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../app';
import { OrderLimit } from './order-limit';
import { StoreOrders } from './orders';
import { registerPaymentHookRoutes } from './payment-hooks';
import { PaymentSettlement } from './payment-settlement';
import { flutterwaveProvider } from './payments/flutterwave';
import { paystackProvider } from './payments/paystack';
import { registerPublishRoutes } from './publish-routes';
import { registerShopRoutes } from './shop-routes';
import { Storefronts } from './storefronts';

export interface StoreSettings {
  /** Provider API base URLs, without a trailing slash. */
  paystackUrl: string;
  flutterwaveUrl: string;
  paymentTimeoutMs: number;
  /** Order posts allowed per client address in the window. */
  orderLimit: { orders: number; windowMs: number };
}

export async function registerStoreRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const { db, metrics, now, store } = context;
  const storefronts = new Storefronts(db.pool, now);
  const orders = new StoreOrders(db.pool, now);
  const providers = {
    paystack: paystackProvider(store.paystackUrl, store.paymentTimeoutMs),
    flutterwave: flutterwaveProvider(store.flutterwaveUrl, store.paymentTimeoutMs),
  };
  const settlement = new PaymentSettlement(orders, providers, metrics);
  await registerPublishRoutes(app, context, { storefronts, orders, settlement });
  await registerPaymentHookRoutes(app, context, { orders, settlement });
  await registerShopRoutes(app, context, {
    storefronts,
    orders,
    providers,
    settlement,
    orderLimit: new OrderLimit(now, store.orderLimit.orders, store.orderLimit.windowMs),
  });
}
