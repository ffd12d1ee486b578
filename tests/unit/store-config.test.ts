/** The storefront config from the draft and the catalogue, and the legal page templates. */
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids';
import {
  PREVIEW_SLUG,
  UNNAMED_STORE,
  storefrontConfig,
  whatsappDigits,
  type ConfigCatalogueProduct,
} from '../../shared/store/config';
import { PAYMENT_OPTION_LABELS, storeDraftSchema, type StoreDraft } from '../../shared/store/draft';
import { legalTemplates, type LegalBusiness, type LegalTemplates } from '../../shared/store/legal';
import {
  orderInputSchema,
  priceOrder,
  storefrontConfigSchema,
  type OrderInput,
} from '../../shared/store/storefront';

const ids = Array.from({ length: 6 }, (_, index) => uuidv7(Date.parse('2026-01-01T00:00:00Z') + index));
const [rice, oil, beans, soap, archived, gone] = ids as [string, string, string, string, string, string];

const catalogue: ConfigCatalogueProduct[] = [
  { id: rice, name: 'Rice 5kg', priceKobo: 950_000, stock: 10, reserved: 3, archived: false },
  { id: oil, name: 'Palm oil 1L', priceKobo: 250_000, stock: 2, reserved: 5, archived: false },
  { id: beans, name: 'Beans 1kg', priceKobo: 180_000, stock: 40, reserved: 0, archived: false },
  { id: soap, name: 'Soap', priceKobo: 50_000, stock: 9, reserved: 0, archived: false },
  { id: archived, name: 'Old stock', priceKobo: 10_000, stock: 5, reserved: 0, archived: true },
];

function draft(overrides: Record<string, unknown> = {}): StoreDraft {
  return storeDraftSchema.parse({
    business: {
      name: 'Iya Basira Provisions',
      state: 'Lagos',
      phone: '0803 123 4567',
      whatsapp: '+234 805 987 6543',
      address: '3 Allen Avenue, Ikeja',
    },
    products: {
      items: [
        { productId: rice, priceKobo: 990_000 },
        { productId: oil },
        { productId: beans, online: false },
        { productId: archived },
        { productId: gone },
        { productId: soap },
        { productId: rice, priceKobo: 1 },
      ],
    },
    payments: {
      paystack: { enabled: true, publicKey: 'pk_test_1' },
      flutterwave: { enabled: false, publicKey: 'FLWPUBK-1' },
      bankTransfer: {
        enabled: true,
        bankName: 'GTBank',
        accountName: 'Iya Basira',
        accountNumber: '0123456789',
      },
      payOnDelivery: { enabled: true, note: 'Cash or transfer to the rider.' },
    },
    shipping: {
      pickup: { enabled: true, note: 'Behind the mosque.' },
      localDelivery: { enabled: true, priceKobo: 80_000, days: { min: 0, max: 1 } },
      couriers: [
        { id: 'gig', enabled: true, pricing: 'manual', surchargeKobo: 25_000, extraDays: 1 },
        { id: 'jumia', enabled: false },
        { id: 'dhl', enabled: true, pricing: 'quoted', extraDays: 2 },
      ],
    },
    launch: { slug: 'iya-basira' },
    ...overrides,
  });
}

function order(overrides: Partial<Record<keyof OrderInput, unknown>>): OrderInput {
  return orderInputSchema.parse({
    items: [{ productId: rice, quantity: 2 }],
    name: 'Ngozi Eze',
    phone: '0809 111 2222',
    state: 'Lagos',
    lgaCity: 'Lekki Phase 1',
    address: '12 Admiralty Way',
    delivery: 'gig',
    payment: 'bankTransfer',
    ...overrides,
  });
}

describe('storefrontConfig', () => {
  it('puts online, unarchived catalogue products at their online price with stock less reservations', () => {
    const config = storefrontConfig(draft(), catalogue);
    expect(config.products).toEqual([
      { id: rice, name: 'Rice 5kg', priceKobo: 990_000, available: 7 },
      { id: oil, name: 'Palm oil 1L', priceKobo: 250_000, available: 0 },
      { id: soap, name: 'Soap', priceKobo: 50_000, available: 9 },
    ]);
  });

  it('makes a config the server’s schema accepts', () => {
    const config = storefrontConfig(draft(), catalogue);
    expect(storefrontConfigSchema.parse(config)).toEqual(config);
  });

  it('offers pickup free, local delivery at its price, manual couriers by zone and quoted ones after the order', () => {
    const config = storefrontConfig(draft(), catalogue);
    expect(config.delivery).toEqual([
      {
        id: 'pickup',
        label: 'Pickup at the shop',
        pricing: 'free',
        priceKobo: 0,
        days: { min: 0, max: 1 },
        note: 'Behind the mosque.',
      },
      {
        id: 'local',
        label: 'Local delivery (Lagos only)',
        pricing: 'fixed',
        priceKobo: 80_000,
        days: { min: 0, max: 1 },
        note: '',
      },
      {
        id: 'gig',
        label: 'GIG Logistics',
        pricing: 'zone',
        priceKobo: 25_000,
        days: { min: 1, max: 1 },
        note: '',
      },
      { id: 'dhl', label: 'DHL', pricing: 'quoted', priceKobo: 0, days: { min: 2, max: 2 }, note: '' },
    ]);
  });

  it('lists the enabled payment methods with their labels and what the shopper must know', () => {
    const config = storefrontConfig(draft(), catalogue);
    expect(config.payments.map((payment) => payment.id)).toEqual([
      'paystack',
      'bankTransfer',
      'payOnDelivery',
    ]);
    expect(config.payments.map((payment) => payment.label)).toEqual([
      PAYMENT_OPTION_LABELS.paystack,
      PAYMENT_OPTION_LABELS.bankTransfer,
      PAYMENT_OPTION_LABELS.payOnDelivery,
    ]);
    const bank = config.payments.find((payment) => payment.id === 'bankTransfer');
    expect(bank?.instructions).toContain('Bank: GTBank');
    expect(bank?.instructions).toContain('Account name: Iya Basira');
    expect(bank?.instructions).toContain('Account number: 0123456789');
    expect(config.payments.find((payment) => payment.id === 'payOnDelivery')?.instructions).toBe(
      'Cash or transfer to the rider.',
    );
  });

  it('carries the zones, the shop’s state, name, slug and WhatsApp digits', () => {
    const source = draft();
    const config = storefrontConfig(source, catalogue);
    expect(config.zones).toEqual(source.shipping.zones);
    expect(config.zones).not.toBe(source.shipping.zones);
    expect(config).toMatchObject({
      name: 'Iya Basira Provisions',
      slug: 'iya-basira',
      shopState: 'Lagos',
      phone: '0803 123 4567',
      whatsapp: '2348059876543',
    });
  });

  it('prices orders through priceOrder: the zone plus the courier’s surcharge, local delivery in the shop’s state only', () => {
    const config = storefrontConfig(draft(), catalogue);
    const lekki = priceOrder(config, order({}));
    expect(lekki.ok && lekki.value).toMatchObject({
      subtotalKobo: 1_980_000,
      deliveryKobo: 200_000 + 25_000,
      zoneId: 'lagos-island',
      deliveryDays: { min: 2, max: 3 },
    });
    const kano = priceOrder(config, order({ state: 'Kano', lgaCity: '', delivery: 'local' }));
    expect(kano).toEqual({
      ok: false,
      field: 'delivery',
      message: 'Local delivery (Lagos only) reaches Lagos only',
    });
    const quoted = priceOrder(config, order({ state: 'Kano', delivery: 'dhl' }));
    expect(quoted.ok && quoted.value).toMatchObject({
      deliveryKobo: 0,
      deliveryQuoted: true,
      zoneId: 'north-west',
    });
    expect(priceOrder(config, order({ items: [{ productId: oil, quantity: 1 }] }))).toMatchObject({
      ok: false,
    });
  });

  it('stands in a name and the preview slug until the owner gives them', () => {
    const config = storefrontConfig(
      storeDraftSchema.parse({ business: { whatsapp: 'not a number' } }),
      catalogue,
    );
    expect(config).toMatchObject({ name: UNNAMED_STORE, slug: PREVIEW_SLUG, whatsapp: '', shopState: null });
    expect(config.products).toEqual([]);
    expect(config.delivery.map((option) => option.id)).toEqual(['pickup']);
    expect(config.payments).toEqual([]);
    expect(storefrontConfigSchema.safeParse(config).success).toBe(true);
  });

  it('leaves the draft as it was', () => {
    const source = draft();
    const before = JSON.stringify(source);
    storefrontConfig(source, catalogue);
    expect(JSON.stringify(source)).toBe(before);
  });
});

describe('whatsappDigits', () => {
  it.each([
    ['0803 123 4567', '2348031234567'],
    ['+234 (0) 805-987-6543', '2348059876543'],
    ['2349091234567', '2349091234567'],
    ['', ''],
    ['01 234 5678', ''],
    ['call me', ''],
  ])('%s → %s', (input, digits) => {
    expect(whatsappDigits(input)).toBe(digits);
  });
});

function pagesOf(templates: LegalTemplates): string[] {
  return [templates.terms, templates.privacy, templates.refunds];
}

describe('legalTemplates', () => {
  const full: LegalBusiness = {
    name: 'Iya Basira Provisions',
    address: '3 Allen Avenue, Ikeja',
    state: 'Lagos',
    phone: '0803 123 4567',
    email: 'hello@iyabasira.ng',
  };
  const empty: LegalBusiness = { name: '', address: '', state: null, phone: '', email: '' };

  it('write the business’s name, address with its state, phone and email into every page', () => {
    const pages = legalTemplates(full);
    for (const text of pagesOf(pages)) {
      expect(text).toContain('Iya Basira Provisions');
      expect(text).toContain('- Phone or WhatsApp: 0803 123 4567');
      expect(text).toContain('- Email: hello@iyabasira.ng');
      expect(text).toContain('- Address: 3 Allen Avenue, Ikeja, Lagos');
    }
  });

  it('never print undefined, null or a gap when fields are empty', () => {
    for (const business of [empty, { ...empty, state: 'FCT' }, { ...empty, phone: '0803 123 4567' }]) {
      for (const text of pagesOf(legalTemplates(business))) {
        expect(text).not.toMatch(/undefined|null|\s,|,,|: \n|:\n\n(?!- )|:\s*$(?![\s\S])|\(\)/);
        expect(text).not.toMatch(/ {2}/);
        expect(text).toContain('this shop');
      }
    }
    expect(legalTemplates({ ...empty, state: 'FCT' }).terms).toContain('We are based in the FCT (Abuja).');
    expect(legalTemplates({ ...empty, state: 'Kano' }).privacy).toContain('We are based in Kano State.');
    expect(legalTemplates(empty).privacy).toContain('through the contact details shown on this website');
  });

  it('do not repeat the state an address already names', () => {
    const text = legalTemplates({ ...full, address: '5 Ring Road, Ibadan, Oyo', state: 'Oyo' }).terms;
    expect(text).toContain('5 Ring Road, Ibadan, Oyo.');
    expect(text).not.toContain('Oyo, Oyo');
  });

  it('are plain text: `# ` headings after a blank line, blank-line paragraphs, one newline at the end', () => {
    for (const text of pagesOf(legalTemplates(full))) {
      expect(text.startsWith('# ')).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toMatch(/\n{3,}/);
      expect(text).not.toMatch(/[^\n]\n# /);
      expect(text.split('\n').filter((line) => line.startsWith('# ')).length).toBeGreaterThanOrEqual(5);
    }
  });

  it('give a privacy notice in the words of the NDPA 2023', () => {
    const privacy = legalTemplates(full).privacy;
    for (const words of [
      'Nigeria Data Protection Act 2023',
      '# What we collect',
      '# Why we use it, and our lawful basis',
      'perform our contract with you',
      'required by law',
      'legitimate interest',
      'only with your consent',
      '# How long we keep it',
      '# Your rights',
      'access the personal information we hold about you',
      'corrected (rectification)',
      'erased',
      'object to how we use it',
      'machine-readable format',
      '(portability)',
      'withdraw your consent at any time',
      'complain to the Nigeria Data Protection Commission (NDPC)',
      '# Contact',
    ]) {
      expect(privacy).toContain(words);
    }
  });

  it('give terms on orders, naira prices, delivery and payment, and a refund policy with a window, condition and how money comes back', () => {
    const { terms, refunds } = legalTemplates(full);
    for (const words of [
      '# Orders',
      '# Prices',
      'Nigerian naira (₦)',
      '# Payment',
      '# Delivery and pickup',
    ]) {
      expect(terms).toContain(words);
    }
    for (const words of [
      'within 7 days',
      '# Condition',
      'unused, in their original packaging',
      '# How refunds are paid',
      'bank transfer',
    ]) {
      expect(refunds).toContain(words);
    }
  });
});
