/**
 * The online store as the owner builds it in the wizard: one draft, saved section by section as
 * they type, so a power cut or a closed window never loses more than the last keystrokes. Every
 * field has a default, so an empty object parses into a fresh draft and a draft saved by an older
 * build gains the fields added since.
 *
 * Secrets (Paystack and Flutterwave secret keys) are not part of the draft: they go to the OS
 * keychain through `store:setPaymentKey` and only "set or not" comes back.
 */
import { z } from 'zod';
import { kobo } from '../channel';
import { DEFAULT_ZONES } from '../delivery-zones';
import { NIGERIAN_STATES } from '../states';

export const WIZARD_STEPS = [
  'business',
  'products',
  'payments',
  'shipping',
  'legal',
  'preview',
  'launch',
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const WIZARD_STEP_LABELS: Record<WizardStep, string> = {
  business: 'Business info',
  products: 'Products',
  payments: 'Payments',
  shipping: 'Shipping and delivery',
  legal: 'Legal pages',
  preview: 'Preview',
  launch: 'Launch',
};

/** A store's address on the sync server: `/s/<slug>`; lower case letters, digits and dashes. */
export const storeSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'Use 1 to 48 letters, digits and dashes');

const text = (max: number) => z.string().trim().max(max).default('');
/** A data URL of a picture the renderer has already shrunk. */
const picture = z
  .string()
  .max(400_000, 'The picture is too large')
  .regex(/^data:image\/(png|jpeg|webp);base64,/, 'Use a PNG, JPEG or WebP picture')
  .nullable()
  .default(null);
const days = z.object({
  min: z.number().int().min(0).max(60).default(1),
  max: z.number().int().min(0).max(60).default(3),
});

export const businessInfoSchema = z.object({
  name: text(80),
  description: text(600),
  logo: picture,
  address: text(200),
  state: z.enum(NIGERIAN_STATES).nullable().default(null),
  phone: text(30),
  whatsapp: text(30),
  /** As the owner writes them: "Mon–Sat 8am–7pm, Sun closed". */
  hours: text(200),
});

export const STOCK_VISIBILITY = ['exact', 'in-or-out', 'hidden'] as const;
export type StockVisibility = (typeof STOCK_VISIBILITY)[number];

export const storeProductSchema = z.object({
  productId: z.uuid(),
  /** Shown on the product's page; the catalogue has no description of its own. */
  description: text(1000),
  /** A better photo for the web than the catalogue's; null uses the catalogue's picture. */
  photo: picture,
  /** The online price; null sells at the counter's price. */
  priceKobo: kobo.nullable().default(null),
  online: z.boolean().default(true),
});

export const storeProductsSchema = z.object({
  items: z.array(storeProductSchema).max(5000).default([]),
  stockVisibility: z.enum(STOCK_VISIBILITY).default('in-or-out'),
});

const onlinePaymentSchema = z.object({
  enabled: z.boolean().default(false),
  /** The public key, which the storefront may show; the secret key is in the keychain. */
  publicKey: text(120),
});

export const paymentsSchema = z.object({
  paystack: onlinePaymentSchema.default({ enabled: false, publicKey: '' }),
  flutterwave: onlinePaymentSchema.default({ enabled: false, publicKey: '' }),
  bankTransfer: z
    .object({
      enabled: z.boolean().default(false),
      bankName: text(80),
      accountName: text(120),
      accountNumber: z
        .string()
        .trim()
        .regex(/^(\d{10})?$/, 'A NUBAN account number is 10 digits')
        .default(''),
    })
    .default({ enabled: false, bankName: '', accountName: '', accountNumber: '' }),
  payOnDelivery: z
    .object({ enabled: z.boolean().default(false), note: text(200) })
    .default({ enabled: false, note: '' }),
});

export const PAYMENT_OPTIONS = ['paystack', 'flutterwave', 'bankTransfer', 'payOnDelivery'] as const;
export type PaymentOption = (typeof PAYMENT_OPTIONS)[number];
export const PAYMENT_OPTION_LABELS: Record<PaymentOption, string> = {
  paystack: 'Paystack (card, bank, USSD)',
  flutterwave: 'Flutterwave (card, bank, USSD)',
  bankTransfer: 'Bank transfer',
  payOnDelivery: 'Pay on delivery',
};

export const COURIERS = ['gig', 'jumia', 'dhl'] as const;
export type Courier = (typeof COURIERS)[number];
export const COURIER_LABELS: Record<Courier, string> = {
  gig: 'GIG Logistics',
  jumia: 'Jumia Logistics',
  dhl: 'DHL',
};

export const deliveryZoneSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/, 'A zone id is lower case letters, digits and dashes'),
  name: z.string().trim().min(1, 'Name the zone').max(60),
  priceKobo: kobo,
  states: z.array(z.enum(NIGERIAN_STATES)).max(37),
  places: z
    .partialRecord(z.enum(NIGERIAN_STATES), z.array(z.string().trim().min(1).max(60)).max(200))
    .optional(),
  days: days.default({ min: 1, max: 3 }),
});
export type StoreDeliveryZone = z.output<typeof deliveryZoneSchema>;

/** Delivery estimates for the seeded zones: a day or two in Lagos, more the farther north. */
const SEEDED_DAYS: Record<string, { min: number; max: number }> = {
  'lagos-mainland': { min: 1, max: 2 },
  'lagos-island': { min: 1, max: 2 },
  'south-west': { min: 2, max: 4 },
  'south-east': { min: 3, max: 5 },
  'south-south': { min: 3, max: 5 },
  'north-central': { min: 3, max: 6 },
  'north-east': { min: 4, max: 7 },
  'north-west': { min: 4, max: 7 },
};

export function seededZones(): StoreDeliveryZone[] {
  return DEFAULT_ZONES.map((zone) => ({
    id: zone.id,
    name: zone.name,
    priceKobo: zone.priceKobo,
    states: [...zone.states],
    ...(zone.places === undefined
      ? {}
      : {
          places: Object.fromEntries(
            Object.entries(zone.places).map(([state, places]) => [state, [...places]]),
          ),
        }),
    days: SEEDED_DAYS[zone.id] ?? { min: 2, max: 5 },
  }));
}

export const shippingSchema = z.object({
  pickup: z
    .object({ enabled: z.boolean().default(true), note: text(200) })
    .default({ enabled: true, note: '' }),
  /** The shop's own rider or van, in its own state, at its own price. */
  localDelivery: z
    .object({
      enabled: z.boolean().default(false),
      priceKobo: kobo.default(100_000),
      days: days.default({ min: 0, max: 1 }),
    })
    .default({ enabled: false, priceKobo: 100_000, days: { min: 0, max: 1 } }),
  /**
   * Courier options. `manual`: the zone's price (plus `surchargeKobo`) is charged at checkout;
   * `quoted`: the courier's price is confirmed with the customer after the order.
   */
  couriers: z
    .array(
      z.object({
        id: z.enum(COURIERS),
        enabled: z.boolean().default(false),
        pricing: z.enum(['manual', 'quoted']).default('manual'),
        surchargeKobo: kobo.default(0),
        extraDays: z.number().int().min(0).max(30).default(0),
      }),
    )
    .max(COURIERS.length)
    .default(
      COURIERS.map((id) => ({
        id,
        enabled: false,
        pricing: 'manual' as const,
        surchargeKobo: 0,
        extraDays: 0,
      })),
    ),
  zones: z.array(deliveryZoneSchema).max(60).default(seededZones),
});

export const legalSchema = z.object({
  terms: text(20_000),
  privacy: text(20_000),
  refunds: text(20_000),
});

/** Where the store lives and who links to it. */
export const launchSchema = z.object({
  slug: z.union([storeSlugSchema, z.literal('')]).default(''),
  /** A hostname the owner points at the sync server (see shared/store/domains.ts). */
  customDomain: text(253),
  instagram: text(60),
  facebook: text(100),
  x: text(60),
});

export const storeDraftSchema = z.object({
  business: businessInfoSchema.default(() => businessInfoSchema.parse({})),
  products: storeProductsSchema.default(() => storeProductsSchema.parse({})),
  payments: paymentsSchema.default(() => paymentsSchema.parse({})),
  shipping: shippingSchema.default(() => shippingSchema.parse({})),
  legal: legalSchema.default(() => legalSchema.parse({})),
  launch: launchSchema.default(() => launchSchema.parse({})),
  /** The step the owner was on, so the wizard reopens there. */
  step: z.enum(WIZARD_STEPS).default('business'),
});
export type StoreDraft = z.output<typeof storeDraftSchema>;
export type BusinessInfo = StoreDraft['business'];
export type StoreProducts = StoreDraft['products'];
export type StoreProduct = StoreProducts['items'][number];
export type Payments = StoreDraft['payments'];
export type Shipping = StoreDraft['shipping'];
export type LegalPages = StoreDraft['legal'];
export type LaunchSettings = StoreDraft['launch'];

export const DRAFT_SECTIONS = ['business', 'products', 'payments', 'shipping', 'legal', 'launch'] as const;
export type DraftSection = (typeof DRAFT_SECTIONS)[number];

export function emptyDraft(): StoreDraft {
  return storeDraftSchema.parse({});
}
