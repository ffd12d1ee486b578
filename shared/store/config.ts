/**
 * The storefront config from the owner's draft and the catalogue as it stands: what the sync
 * server prices orders with and what the generated site shows. Pure, so the preview, the publish
 * and the tests all get the same config from the same draft.
 */
import { parseNigerianPhone } from '../phone';
import { COURIER_LABELS, PAYMENT_OPTION_LABELS, type StoreDraft } from './draft';
import type { StorefrontConfig } from './storefront';

/** A catalogue product as the config needs it: `reserved` is what pending orders hold back. */
export interface ConfigCatalogueProduct {
  id: string;
  name: string;
  priceKobo: number;
  stock: number;
  reserved: number;
  archived: boolean;
}

/** The store's name and address until the owner gives them (the preview runs before launch). */
export const UNNAMED_STORE = 'Online store';
export const PREVIEW_SLUG = 'preview';

type DeliveryEntry = StorefrontConfig['delivery'][number];
type PaymentEntry = StorefrontConfig['payments'][number];

function onlineProducts(draft: StoreDraft, catalogue: readonly ConfigCatalogueProduct[]) {
  const byId = new Map(catalogue.map((product) => [product.id, product]));
  const seen = new Set<string>();
  const products: StorefrontConfig['products'] = [];
  for (const item of draft.products.items) {
    const product = byId.get(item.productId);
    if (!item.online || product === undefined || product.archived || seen.has(product.id)) continue;
    seen.add(product.id);
    products.push({
      id: product.id,
      name: product.name,
      priceKobo: item.priceKobo ?? product.priceKobo,
      available: Math.max(0, product.stock - product.reserved),
    });
  }
  return products;
}

function deliveryOptions(draft: StoreDraft): DeliveryEntry[] {
  const shipping = draft.shipping;
  const state = draft.business.state;
  const options: DeliveryEntry[] = [];
  if (shipping.pickup.enabled) {
    options.push({
      id: 'pickup',
      label: 'Pickup at the shop',
      pricing: 'free',
      priceKobo: 0,
      days: { min: 0, max: 1 },
      note: shipping.pickup.note,
    });
  }
  if (shipping.localDelivery.enabled) {
    options.push({
      id: 'local',
      label: state === null ? 'Local delivery' : `Local delivery (${state} only)`,
      pricing: 'fixed',
      priceKobo: shipping.localDelivery.priceKobo,
      days: { ...shipping.localDelivery.days },
      note: '',
    });
  }
  for (const courier of shipping.couriers) {
    if (!courier.enabled) continue;
    const manual = courier.pricing === 'manual';
    options.push({
      id: courier.id,
      label: COURIER_LABELS[courier.id],
      pricing: manual ? 'zone' : 'quoted',
      priceKobo: manual ? courier.surchargeKobo : 0,
      days: { min: courier.extraDays, max: courier.extraDays },
      note: '',
    });
  }
  return options;
}

function paymentOptions(draft: StoreDraft): PaymentEntry[] {
  const payments = draft.payments;
  const options: PaymentEntry[] = [];
  const add = (id: PaymentEntry['id'], instructions: string) =>
    options.push({ id, label: PAYMENT_OPTION_LABELS[id], instructions });
  if (payments.paystack.enabled) add('paystack', '');
  if (payments.flutterwave.enabled) add('flutterwave', '');
  const bank = payments.bankTransfer;
  if (bank.enabled) {
    const account = [
      bank.bankName === '' ? '' : `Bank: ${bank.bankName}`,
      bank.accountName === '' ? '' : `Account name: ${bank.accountName}`,
      bank.accountNumber === '' ? '' : `Account number: ${bank.accountNumber}`,
    ].filter((line) => line !== '');
    add('bankTransfer', [...account, 'Use your order number as the transfer reference.'].join('\n'));
  }
  if (payments.payOnDelivery.enabled) add('payOnDelivery', payments.payOnDelivery.note);
  return options;
}

/** The shop's WhatsApp number as wa.me wants it (E.164 digits, no "+"), or '' when it has none. */
export function whatsappDigits(number: string): string {
  if (number.trim() === '') return '';
  const parsed = parseNigerianPhone(number);
  return parsed.ok ? parsed.e164.replace(/^\+/, '') : '';
}

export function storefrontConfig(
  draft: StoreDraft,
  catalogue: readonly ConfigCatalogueProduct[],
): StorefrontConfig {
  const business = draft.business;
  return {
    slug: draft.launch.slug === '' ? PREVIEW_SLUG : draft.launch.slug,
    name: business.name === '' ? UNNAMED_STORE : business.name,
    whatsapp: whatsappDigits(business.whatsapp),
    phone: business.phone,
    shopState: business.state,
    products: onlineProducts(draft, catalogue),
    zones: draft.shipping.zones.map((zone) => ({
      ...zone,
      states: [...zone.states],
      days: { ...zone.days },
    })),
    delivery: deliveryOptions(draft),
    payments: paymentOptions(draft),
  };
}
