/**
 * Channels of the Store screen: the builder wizard's draft (saved a section at a time), payment
 * secrets to the keychain, the live preview and the test order, the launch checklist, publishing
 * to the sync server or exporting a folder, and the online orders that come back to the counter.
 */
import { z } from 'zod';
import { channel, noInput, pageInput, type Page } from '../channel';
import type { ChecklistItem } from '../store/checklist';
import {
  businessInfoSchema,
  DRAFT_SECTIONS,
  launchSchema,
  legalSchema,
  paymentsSchema,
  shippingSchema,
  storeProductsSchema,
  WIZARD_STEPS,
  type StoreDraft,
} from '../store/draft';
import type { DeliveryOption, OrderPaymentStatus } from '../store/storefront';
import type { PaymentOption } from '../store/draft';
import type { NigerianState } from '../states';

export interface PublishedStore {
  slug: string;
  /** Where shoppers open it: the sync server's `/s/<slug>/`. */
  url: string;
  customDomain: string | null;
  publishedAt: number;
  /** Files and bytes of the site as generated (images included). */
  files: number;
  bytes: number;
  /** Files the server did not hold yet and were uploaded this time. */
  uploaded: number;
}

export interface StoreState {
  draft: StoreDraft;
  /** When the draft was last saved; null before the first save. */
  savedAt: number | null;
  checklist: ChecklistItem[];
  /** Whether each online payment's secret key is in the keychain. */
  paymentKeys: { paystack: boolean; flutterwave: boolean };
  /** The last test order placed through the preview, if any. */
  testOrderAt: number | null;
  published: PublishedStore | null;
  /** Orders waiting to be fulfilled or cancelled. */
  pendingOrders: number;
}

export const ORDER_STATUSES = ['pending', 'fulfilled', 'cancelled'] as const;
export type StoreOrderStatus = (typeof ORDER_STATUSES)[number];

export interface StoreOrderLine {
  productId: string;
  name: string;
  unitPriceKobo: number;
  quantity: number;
  totalKobo: number;
}

export interface StoreOrder {
  id: string;
  number: number;
  status: StoreOrderStatus;
  test: boolean;
  lines: StoreOrderLine[];
  customerId: string | null;
  customerName: string;
  phone: string;
  email: string;
  state: NigerianState;
  lgaCity: string;
  address: string;
  delivery: {
    option: DeliveryOption;
    label: string;
    zoneId: string | null;
    priceKobo: number;
    quoted: boolean;
    daysMin: number;
    daysMax: number;
  };
  paymentMethod: PaymentOption;
  paymentStatus: OrderPaymentStatus;
  paymentReference: string | null;
  subtotalKobo: number;
  totalKobo: number;
  note: string;
  placedAt: number;
  /** The counter's sale once fulfilled. */
  saleId: string | null;
  /** Why it was cancelled. */
  reason: string;
  updatedAt: number | null;
}

/** Where the payment providers post their events for the published store (from the sync server). */
export interface StorePaymentHooks {
  /** To paste into Paystack's dashboard: Settings → API Keys & Webhooks → Webhook URL. */
  paystack: string;
  /** To paste into Flutterwave's dashboard: Settings → Webhooks → URL. */
  flutterwave: string;
  /** To paste into Flutterwave's dashboard beside the URL, as "Secret hash". */
  flutterwaveSecretHash: string;
}

const draftSection = z.discriminatedUnion('section', [
  z.object({ section: z.literal('business'), value: businessInfoSchema }),
  z.object({ section: z.literal('products'), value: storeProductsSchema }),
  z.object({ section: z.literal('payments'), value: paymentsSchema }),
  z.object({ section: z.literal('shipping'), value: shippingSchema }),
  z.object({ section: z.literal('legal'), value: legalSchema }),
  z.object({ section: z.literal('launch'), value: launchSchema }),
  z.object({ section: z.literal('step'), value: z.enum(WIZARD_STEPS) }),
]);
export type DraftSectionInput = z.input<typeof draftSection>;

export const storeChannels = {
  /** The draft as last saved, with its checklist; a new store starts from the business profile. */
  'store:state': channel<StoreState>()(noInput),
  /** Saves one section of the draft (the wizard autosaves as the owner types). */
  'store:saveDraft': channel<StoreState>()(draftSection),
  /** A payment's secret key to the OS keychain; '' removes it. Never read back. */
  'store:setPaymentKey': channel<StoreState>()(
    z.object({
      provider: z.enum(['paystack', 'flutterwave']),
      secretKey: z
        .string()
        .trim()
        .max(200)
        .regex(
          /^(|sk_(test|live)_[A-Za-z0-9]+|FLWSECK(_TEST)?-[A-Za-z0-9-]+)$/,
          'That does not look like a secret key',
        ),
    }),
  ),
  /** The address of the live preview of the draft, served by this counter on loopback. */
  'store:preview': channel<{ url: string }>()(noInput),
  /** Places a test order through the preview's checkout, end to end, and ticks the checklist. */
  'store:testOrder': channel<StoreOrder>()(noInput),
  /** Generates the site and publishes it to the sync server; refused until the checklist is done. */
  'store:publish': channel<StoreState>()(noInput),
  /** Writes the site into a folder for any static host. */
  'store:export': channel<{ folder: string; files: number; bytes: number }>()(
    z.object({ folder: z.string().trim().min(1).max(1000).optional() }),
  ),
  'store:orders': channel<Page<StoreOrder>>()(
    z.object({ status: z.enum([...ORDER_STATUSES, 'all']).default('pending'), ...pageInput }),
  ),
  /** Records the order as a sale (the signed-in cashier's) and releases its reserved stock. */
  'store:fulfilOrder': channel<StoreOrder>()(z.object({ id: z.uuid() })),
  'store:cancelOrder': channel<StoreOrder>()(
    z.object({ id: z.uuid(), reason: z.string().trim().min(1, 'Say why').max(300) }),
  ),
  /** The published store's payment webhook URLs; null when it is not published or not paired. */
  'store:paymentHooks': channel<StorePaymentHooks | null>()(noInput),
  /**
   * "Check payment" on an order awaiting an online payment: the sync server asks the provider and
   * records the outcome, then a sync pass brings it here; the order as it then stands.
   */
  'store:checkPayment': channel<StoreOrder>()(z.object({ id: z.uuid() })),
} as const;

/** Sections the draft is saved in (`step` is where the wizard reopens). */
export const SAVED_SECTIONS = [...DRAFT_SECTIONS, 'step'] as const;

/** Pushed when online orders arrive or change, so the screen can refresh its list and badge. */
export interface StoreOrdersEvent {
  pending: number;
  newest: { id: string; number: number; customerName: string; totalKobo: number } | null;
}
