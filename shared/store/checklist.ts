/**
 * The launch checklist: what a store needs before shoppers may see it. Launch stays disabled
 * until every item is done, and each item names the wizard step that fixes it.
 */
import { parseNigerianPhone } from '../phone';
import { zoneCoverage } from '../delivery-zones';
import { isValidHostname } from './domains';
import type { StoreDraft, WizardStep } from './draft';

export const MIN_LAUNCH_PRODUCTS = 3;

export const CHECKLIST_ITEMS = [
  'business',
  'products',
  'payment',
  'delivery',
  'legal',
  'address',
  'test-order',
] as const;
export type ChecklistItemId = (typeof CHECKLIST_ITEMS)[number];

export interface ChecklistItem {
  id: ChecklistItemId;
  label: string;
  done: boolean;
  /** Where the owner fixes it. */
  step: WizardStep;
  /** What is missing, in a sentence; '' when done. */
  detail: string;
}

export interface ChecklistFacts {
  /** Products of the draft that are online and still sold at the counter. */
  onlineProducts: number;
  paymentKeys: { paystack: boolean; flutterwave: boolean };
  testOrderAt: number | null;
}

function missingBusinessFields(draft: StoreDraft): string[] {
  const business = draft.business;
  const missing: string[] = [];
  if (business.name === '') missing.push('the business name');
  if (business.description === '') missing.push('a description');
  if (business.address === '') missing.push('the address');
  if (business.state === null) missing.push('the state');
  if (!parseNigerianPhone(business.phone).ok) missing.push('a phone number');
  if (business.whatsapp !== '' && !parseNigerianPhone(business.whatsapp).ok)
    missing.push('a valid WhatsApp number');
  if (business.hours === '') missing.push('opening hours');
  return missing;
}

/** Payment methods that are switched on and have what they need to take money. */
export function readyPayments(draft: StoreDraft, keys: ChecklistFacts['paymentKeys']): string[] {
  const payments = draft.payments;
  const ready: string[] = [];
  if (payments.paystack.enabled && payments.paystack.publicKey !== '' && keys.paystack)
    ready.push('paystack');
  if (payments.flutterwave.enabled && payments.flutterwave.publicKey !== '' && keys.flutterwave)
    ready.push('flutterwave');
  const bank = payments.bankTransfer;
  if (bank.enabled && bank.bankName !== '' && bank.accountName !== '' && bank.accountNumber.length === 10) {
    ready.push('bankTransfer');
  }
  if (payments.payOnDelivery.enabled) ready.push('payOnDelivery');
  return ready;
}

function list(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function storeChecklist(draft: StoreDraft, facts: ChecklistFacts): ChecklistItem[] {
  const missingBusiness = missingBusinessFields(draft);
  const payments = readyPayments(draft, facts.paymentKeys);
  const shipping = draft.shipping;
  const zonePriced = shipping.couriers.some((courier) => courier.enabled);
  const deliveryOn = shipping.pickup.enabled || shipping.localDelivery.enabled || zonePriced;
  const coverage = zoneCoverage(shipping.zones);
  const zonesOk = !zonePriced || (coverage.missing.length === 0 && coverage.doubled.length === 0);
  const legalMissing = (['terms', 'privacy', 'refunds'] as const).filter(
    (page) => draft.legal[page].trim() === '',
  );
  const domain = draft.launch.customDomain;

  const item = (id: ChecklistItemId, label: string, step: WizardStep, detail: string): ChecklistItem => ({
    id,
    label,
    step,
    done: detail === '',
    detail,
  });
  return [
    item(
      'business',
      'Business info complete',
      'business',
      missingBusiness.length === 0 ? '' : `Add ${list(missingBusiness)}.`,
    ),
    item(
      'products',
      `At least ${MIN_LAUNCH_PRODUCTS} products`,
      'products',
      facts.onlineProducts >= MIN_LAUNCH_PRODUCTS
        ? ''
        : `${facts.onlineProducts} of ${MIN_LAUNCH_PRODUCTS} products are online. Pick more from your catalogue.`,
    ),
    item(
      'payment',
      'A payment method',
      'payments',
      payments.length > 0
        ? ''
        : 'Switch on a payment method and fill in its details (and secret key for Paystack or Flutterwave).',
    ),
    item(
      'delivery',
      'A delivery option',
      'shipping',
      !deliveryOn
        ? 'Switch on pickup, local delivery or a courier.'
        : !zonesOk
          ? `The delivery zones leave out or double up ${list([
              ...coverage.missing,
              ...coverage.doubled.map((entry) => entry.state),
            ])}.`
          : '',
    ),
    item(
      'legal',
      'Legal pages',
      'legal',
      legalMissing.length === 0
        ? ''
        : `Write the ${list(legalMissing.map((page) => (page === 'refunds' ? 'refund policy' : page)))} page.`,
    ),
    item(
      'address',
      'Store address chosen',
      'launch',
      draft.launch.slug === ''
        ? 'Choose the web address of your store.'
        : domain !== '' && !isValidHostname(domain)
          ? `${domain} is not a valid domain name.`
          : '',
    ),
    item(
      'test-order',
      'A test order completed',
      'launch',
      facts.testOrderAt === null ? 'Press "Test store" to place a test order from the preview.' : '',
    ),
  ];
}

export function readyToLaunch(checklist: readonly ChecklistItem[]): boolean {
  return checklist.every((entry) => entry.done);
}
