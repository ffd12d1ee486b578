/**
 * What a published store is to the sync server and to a shopper: the storefront config the
 * counter publishes beside the site's files (products with their online prices and stock, the
 * delivery options and zones, the payment methods), the order a shopper's checkout sends, and
 * its pricing. The server prices every order itself from the published config with
 * `priceOrder`; what a browser says a thing costs is never believed.
 */
import { z } from 'zod';
import { kobo } from '../channel';
import { parseNigerianPhone } from '../phone';
import { NIGERIAN_STATES, type NigerianState } from '../states';
import { zoneForCustomer } from '../delivery-zones';
import type { StoreOrderRow } from '../sync/protocol';
import { COURIERS, PAYMENT_OPTIONS, deliveryZoneSchema, storeSlugSchema, type PaymentOption } from './draft';

export const DELIVERY_OPTIONS = ['pickup', 'local', ...COURIERS] as const;
export type DeliveryOption = (typeof DELIVERY_OPTIONS)[number];

const days = z.object({ min: z.number().int().min(0).max(90), max: z.number().int().min(0).max(90) });

export const storefrontConfigSchema = z.object({
  slug: storeSlugSchema,
  name: z.string().min(1).max(80),
  /** Digits of the shop's WhatsApp number in E.164 without "+", for wa.me links; '' if none. */
  whatsapp: z.string().regex(/^(\d{8,15})?$/),
  phone: z.string().max(30),
  /** The shop's own state: local delivery reaches only it. */
  shopState: z.enum(NIGERIAN_STATES).nullable(),
  products: z
    .array(
      z.object({
        id: z.uuid(),
        name: z.string().min(1).max(120),
        priceKobo: kobo,
        /** Units that may be ordered when published: stock on hand less pending orders. */
        available: z.number().int().min(0).max(1_000_000_000),
      }),
    )
    .max(5000),
  zones: z.array(deliveryZoneSchema).max(60),
  delivery: z
    .array(
      z.object({
        id: z.enum(DELIVERY_OPTIONS),
        label: z.string().min(1).max(60),
        /**
         * `free` (pickup), `fixed` (local delivery at `priceKobo`), `zone` (the zone's price plus
         * `priceKobo` as a surcharge), `quoted` (the price is agreed after the order).
         */
        pricing: z.enum(['free', 'fixed', 'zone', 'quoted']),
        priceKobo: kobo,
        /** Days on top of the zone's estimate (zone pricing) or the estimate itself (fixed). */
        days,
        note: z.string().max(200),
      }),
    )
    .max(DELIVERY_OPTIONS.length),
  payments: z
    .array(
      z.object({
        id: z.enum(PAYMENT_OPTIONS),
        label: z.string().min(1).max(60),
        /** Shown after the order: account details for a transfer, the note for pay on delivery. */
        instructions: z.string().max(400),
      }),
    )
    .max(PAYMENT_OPTIONS.length),
});
export type StorefrontConfig = z.output<typeof storefrontConfigSchema>;

/** At most this many of one product in one order, and this many lines. */
export const MAX_ORDER_QUANTITY = 100;
export const MAX_ORDER_LINES = 50;

/**
 * A shopper's order as the checkout sends it: a plain HTML form (no JavaScript needed) or the
 * cart's JSON. In a form each line is an `item` field "productId:quantity".
 */
export const orderInputSchema = z.object({
  items: z
    .array(
      z.object({
        productId: z.uuid('That product is not in this store'),
        quantity: z.coerce.number().int().min(1, 'Order at least one').max(MAX_ORDER_QUANTITY),
      }),
    )
    .min(1, 'Your cart is empty')
    .max(MAX_ORDER_LINES, 'That is too many different items for one order'),
  name: z.string().trim().min(2, 'Enter your name').max(120),
  phone: z.string().trim().min(1, 'Enter your phone number').max(30),
  email: z.union([z.email('Enter a valid email address').max(200), z.literal('')]).default(''),
  state: z.enum(NIGERIAN_STATES, 'Choose your state'),
  /** LGA, town or area: it picks the Lagos zone. */
  lgaCity: z.string().trim().max(120).default(''),
  address: z.string().trim().max(300).default(''),
  delivery: z.enum(DELIVERY_OPTIONS, 'Choose how you want your order'),
  payment: z.enum(PAYMENT_OPTIONS, 'Choose how you will pay'),
  note: z.string().trim().max(500).default(''),
});
export type OrderInput = z.output<typeof orderInputSchema>;

/** Reads the checkout form's fields (repeated `item` fields are "productId:quantity"). */
export function orderInputFromForm(fields: Record<string, string | string[] | undefined>): unknown {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  const one = (name: string) => list(fields[name])[0];
  return {
    items: list(fields.item).map((entry) => {
      const [productId = '', quantity = '1'] = entry.split(':');
      return { productId, quantity };
    }),
    name: one('name') ?? '',
    phone: one('phone') ?? '',
    email: one('email') ?? '',
    state: one('state') ?? '',
    lgaCity: one('lgaCity') ?? '',
    address: one('address') ?? '',
    delivery: one('delivery') ?? '',
    payment: one('payment') ?? '',
    note: one('note') ?? '',
  };
}

export interface PricedLine {
  productId: string;
  name: string;
  unitPriceKobo: number;
  quantity: number;
  totalKobo: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  subtotalKobo: number;
  deliveryKobo: number;
  /** The delivery price is agreed with the customer after the order (a quoted courier). */
  deliveryQuoted: boolean;
  deliveryLabel: string;
  zoneId: string | null;
  /** "1–3 days", from the zone's and the option's estimates. */
  deliveryDays: { min: number; max: number };
  totalKobo: number;
  /** E.164. */
  phone: string;
}

export type PricingResult = { ok: true; value: PricedOrder } | { ok: false; field: string; message: string };

/**
 * Prices an order from the published config: the online price of each product, the delivery
 * option's price for the customer's state (and Lagos LGA), and checks the stock still orderable
 * (`available`, which the server lowers as orders come in) and the options the store offers.
 */
export function priceOrder(
  config: StorefrontConfig,
  input: OrderInput,
  available: (productId: string) => number = (id) =>
    config.products.find((product) => product.id === id)?.available ?? 0,
): PricingResult {
  const phone = parseNigerianPhone(input.phone);
  if (!phone.ok) return { ok: false, field: 'phone', message: phone.error };
  const products = new Map(config.products.map((product) => [product.id, product]));
  const quantities = new Map<string, number>();
  for (const item of input.items) {
    quantities.set(item.productId, (quantities.get(item.productId) ?? 0) + item.quantity);
  }
  const lines: PricedLine[] = [];
  for (const [productId, quantity] of quantities) {
    const product = products.get(productId);
    if (product === undefined) {
      return {
        ok: false,
        field: 'items',
        message: 'One of the items is no longer sold here. Refresh the page.',
      };
    }
    if (quantity > MAX_ORDER_QUANTITY) {
      return {
        ok: false,
        field: 'items',
        message: `At most ${MAX_ORDER_QUANTITY} of ${product.name} in one order`,
      };
    }
    const left = available(productId);
    if (quantity > left) {
      return {
        ok: false,
        field: 'items',
        message: left === 0 ? `${product.name} is sold out` : `Only ${left} of ${product.name} left`,
      };
    }
    lines.push({
      productId,
      name: product.name,
      unitPriceKobo: product.priceKobo,
      quantity,
      totalKobo: product.priceKobo * quantity,
    });
  }
  const option = config.delivery.find((candidate) => candidate.id === input.delivery);
  if (option === undefined)
    return { ok: false, field: 'delivery', message: 'This store does not offer that delivery option' };
  if (!config.payments.some((payment) => payment.id === input.payment)) {
    return { ok: false, field: 'payment', message: 'This store does not take that payment method' };
  }
  if (option.id !== 'pickup' && input.address.trim() === '') {
    return { ok: false, field: 'address', message: 'Enter the delivery address' };
  }
  let deliveryKobo = 0;
  let zoneId: string | null = null;
  let deliveryDays = option.days;
  if (option.pricing === 'fixed') {
    if (config.shopState !== null && input.state !== config.shopState) {
      return { ok: false, field: 'delivery', message: `${option.label} reaches ${config.shopState} only` };
    }
    deliveryKobo = option.priceKobo;
  } else if (option.pricing === 'zone' || option.pricing === 'quoted') {
    const zone = zoneForCustomer(input.state, input.lgaCity, config.zones);
    if (zone === null)
      return { ok: false, field: 'state', message: `This store does not deliver to ${input.state} yet` };
    zoneId = zone.id;
    const zoneDays = config.zones.find((candidate) => candidate.id === zone.id)?.days ?? { min: 1, max: 5 };
    deliveryDays = { min: zoneDays.min + option.days.min, max: zoneDays.max + option.days.max };
    if (option.pricing === 'zone') deliveryKobo = zone.priceKobo + option.priceKobo;
  }
  const subtotalKobo = lines.reduce((sum, line) => sum + line.totalKobo, 0);
  return {
    ok: true,
    value: {
      lines,
      subtotalKobo,
      deliveryKobo,
      deliveryQuoted: option.pricing === 'quoted',
      deliveryLabel: option.label,
      zoneId,
      deliveryDays,
      totalKobo: subtotalKobo + deliveryKobo,
      phone: phone.e164,
    },
  };
}

export const ORDER_PAYMENT_STATUSES = [
  'awaiting-payment',
  'paid',
  'failed',
  'on-delivery',
  'awaiting-transfer',
] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

/** The payment status an order starts in for each method. */
export function initialPaymentStatus(method: PaymentOption): OrderPaymentStatus {
  if (method === 'payOnDelivery') return 'on-delivery';
  if (method === 'bankTransfer') return 'awaiting-transfer';
  return 'awaiting-payment';
}

/**
 * The `store_order` row of a priced order, as the sync server appends it (and the preview, for
 * a test order): what the shopper gave, at the prices and delivery the pricing settled.
 */
export function storeOrderRow(
  input: OrderInput,
  priced: PricedOrder,
  order: { id: string; number: number; placedAt: number; test: boolean },
): StoreOrderRow {
  return {
    id: order.id,
    number: order.number,
    lines: priced.lines,
    customer: {
      name: input.name,
      phone: priced.phone,
      email: input.email,
      state: input.state,
      lgaCity: input.lgaCity,
      address: input.address,
    },
    delivery: {
      option: input.delivery,
      label: priced.deliveryLabel,
      zoneId: priced.zoneId,
      priceKobo: priced.deliveryKobo,
      quoted: priced.deliveryQuoted,
      daysMin: priced.deliveryDays.min,
      daysMax: priced.deliveryDays.max,
    },
    payment: { method: input.payment, status: initialPaymentStatus(input.payment) },
    subtotalKobo: priced.subtotalKobo,
    totalKobo: priced.totalKobo,
    note: input.note,
    test: order.test,
    placedAt: order.placedAt,
  };
}

export type { NigerianState };
