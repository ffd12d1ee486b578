/**
 * The online store's pure rules: the seeded zones, domain suggestions and the DNS record, the
 * launch checklist, the checkout form's contract and the server's pricing of an order.
 */
import { describe, expect, it } from 'vitest';
import { zoneCoverage, type DeliveryZone } from '../../shared/delivery-zones';
import { NIGERIAN_STATES } from '../../shared/states';
import { readyToLaunch, storeChecklist, type ChecklistFacts } from '../../shared/store/checklist';
import { dnsRecordFor, domainSuggestions, isApexDomain, isValidHostname } from '../../shared/store/domains';
import { emptyDraft, seededZones, storeDraftSchema, type StoreDraft } from '../../shared/store/draft';
import {
  orderInputFromForm,
  orderInputSchema,
  priceOrder,
  type OrderInput,
  type StorefrontConfig,
} from '../../shared/store/storefront';

describe('the seeded delivery zones', () => {
  it('match the prices a Nigerian shop expects and cover every state and the FCT once', () => {
    const zones = seededZones();
    expect(Object.fromEntries(zones.map((zone) => [zone.name, zone.priceKobo / 100]))).toEqual({
      'Lagos Mainland': 1500,
      'Lagos Island': 2000,
      'South-West': 2500,
      'South-East': 3000,
      'North-Central': 3500,
      'North-East': 4000,
      'North-West': 4000,
      'South-South': 3500,
    });
    expect(zoneCoverage(zones as DeliveryZone[])).toEqual({ missing: [], doubled: [] });
    const named = zones.flatMap((zone) => zone.states);
    for (const state of NIGERIAN_STATES) expect(named).toContain(state);
    expect(zones.every((zone) => zone.days.min <= zone.days.max)).toBe(true);
  });

  it('an edited set says which states are left out or doubled', () => {
    const zones = seededZones();
    const southWest = zones.find((zone) => zone.id === 'south-west');
    const northWest = zones.find((zone) => zone.id === 'north-west');
    if (southWest === undefined || northWest === undefined) throw new Error('seed changed');
    southWest.states = southWest.states.filter((state) => state !== 'Oyo');
    northWest.states = [...northWest.states, 'Kwara'];
    expect(zoneCoverage(zones as DeliveryZone[])).toEqual({
      missing: ['Oyo'],
      doubled: [{ state: 'Kwara', zones: ['north-central', 'north-west'] }],
    });
  });

  it('a fresh draft carries the seeded zones and every section parses from nothing', () => {
    const draft = emptyDraft();
    expect(draft.shipping.zones).toHaveLength(8);
    expect(draft.step).toBe('business');
    // A draft saved by an older build without later sections still opens.
    expect(storeDraftSchema.parse({ business: { name: 'Ada Stores' } }).payments.paystack.enabled).toBe(
      false,
    );
  });
});

describe('custom domains', () => {
  it.each([
    ['mamaput.com.ng', true],
    ['shop.mamaput.ng', true],
    ['MamaPut.COM', true],
    ['mama-put.ng.', true],
    ['-mama.ng', false],
    ['mama-.ng', false],
    ['mama_put.ng', false],
    ['mamaput', false],
    ['192.168.0.1', false],
    ['', false],
    [`${'a'.repeat(64)}.ng`, false],
    ['mama put.ng', false],
  ])('%s is a valid hostname: %s', (host, valid) => {
    expect(isValidHostname(host)).toBe(valid);
  });

  it('suggests the business name under .com.ng, .ng and .com, all valid', () => {
    const suggestions = domainSuggestions("Mama Put's Kitchen & Co.");
    expect(suggestions.slice(0, 3)).toEqual([
      'mamaputskitchen.com.ng',
      'mamaputskitchen.ng',
      'mamaputskitchen.com',
    ]);
    expect(suggestions).toContain('mama-puts-kitchen.com.ng');
    expect(suggestions).toContain('mamaputskitchenng.com');
    expect(suggestions).toHaveLength(8);
    expect(suggestions.every(isValidHostname)).toBe(true);
    expect(new Set(suggestions).size).toBe(suggestions.length);
    expect(domainSuggestions('Ọjà Ìbàdàn')[0]).toBe('ojaibadan.com.ng');
    expect(domainSuggestions('***')).toEqual([]);
  });

  it('gives a CNAME for a subdomain and an A record at the apex', () => {
    expect(isApexDomain('mamaput.com.ng')).toBe(true);
    expect(isApexDomain('shop.mamaput.com.ng')).toBe(false);
    expect(isApexDomain('mamaput.ng')).toBe(true);
    expect(dnsRecordFor('shop.mamaput.com.ng', 'sync.kasuwa.ng')).toEqual({
      type: 'CNAME',
      name: 'shop',
      value: 'sync.kasuwa.ng.',
    });
    expect(dnsRecordFor('mamaput.com.ng', 'sync.kasuwa.ng', '203.0.113.7')).toEqual({
      type: 'A',
      name: '@',
      value: '203.0.113.7',
    });
    expect(dnsRecordFor('www.mamaput.com', '203.0.113.7')).toEqual({
      type: 'A',
      name: 'www',
      value: '203.0.113.7',
    });
  });
});

const PRODUCT_A = '0196f0b4-0000-7000-8000-00000000000a';
const PRODUCT_B = '0196f0b4-0000-7000-8000-00000000000b';

function readyDraft(): StoreDraft {
  const draft = emptyDraft();
  draft.business = {
    ...draft.business,
    name: 'Ada Stores',
    description: 'Provisions in Yaba',
    address: '12 Herbert Macaulay Way, Yaba',
    state: 'Lagos',
    phone: '0803 123 4567',
    hours: 'Mon–Sat 8am–7pm',
  };
  draft.payments.payOnDelivery.enabled = true;
  draft.legal = { terms: 'Terms', privacy: 'Privacy', refunds: 'Refunds' };
  draft.launch.slug = 'ada-stores';
  return draft;
}

const FACTS: ChecklistFacts = {
  onlineProducts: 3,
  paymentKeys: { paystack: false, flutterwave: false },
  testOrderAt: 1,
};

describe('the launch checklist', () => {
  it('is all ticked for a complete store', () => {
    const checklist = storeChecklist(readyDraft(), FACTS);
    expect(checklist.map((item) => item.id)).toEqual([
      'business',
      'products',
      'payment',
      'delivery',
      'legal',
      'address',
      'test-order',
    ]);
    expect(checklist.filter((item) => !item.done)).toEqual([]);
    expect(readyToLaunch(checklist)).toBe(true);
  });

  it('names what is missing and the step that fixes it', () => {
    const draft = readyDraft();
    draft.business.description = '';
    draft.business.phone = '12345';
    draft.payments.payOnDelivery.enabled = false;
    draft.payments.paystack = { enabled: true, publicKey: 'pk_test_1' };
    draft.shipping.pickup.enabled = false;
    draft.legal.refunds = '  ';
    draft.launch.slug = '';
    const checklist = storeChecklist(draft, { ...FACTS, onlineProducts: 2, testOrderAt: null });
    const byId = Object.fromEntries(checklist.map((item) => [item.id, item]));
    expect(byId.business).toMatchObject({
      done: false,
      step: 'business',
      detail: 'Add a description and a phone number.',
    });
    expect(byId.products).toMatchObject({ done: false, step: 'products' });
    expect(byId.products?.detail).toContain('2 of 3');
    // Paystack is on with a public key, but its secret key is not in the keychain.
    expect(byId.payment).toMatchObject({ done: false, step: 'payments' });
    expect(byId.delivery).toMatchObject({ done: false, step: 'shipping' });
    expect(byId.legal?.detail).toBe('Write the refund policy page.');
    expect(byId.address).toMatchObject({ done: false, step: 'launch' });
    expect(byId['test-order']).toMatchObject({ done: false, step: 'launch' });
    expect(readyToLaunch(checklist)).toBe(false);
    // The secret key in the keychain completes Paystack.
    const withKey = storeChecklist(draft, { ...FACTS, paymentKeys: { paystack: true, flutterwave: false } });
    expect(withKey.find((item) => item.id === 'payment')?.done).toBe(true);
  });

  it('a courier priced by zone needs zones that cover the country', () => {
    const draft = readyDraft();
    draft.shipping.pickup.enabled = false;
    draft.shipping.couriers = draft.shipping.couriers.map((courier) => ({
      ...courier,
      enabled: courier.id === 'gig',
    }));
    draft.shipping.zones = draft.shipping.zones.filter((zone) => zone.id !== 'north-east');
    const delivery = storeChecklist(draft, FACTS).find((item) => item.id === 'delivery');
    expect(delivery?.done).toBe(false);
    expect(delivery?.detail).toContain('Adamawa');
    draft.shipping.zones = seededZones();
    expect(storeChecklist(draft, FACTS).find((item) => item.id === 'delivery')?.done).toBe(true);
  });

  it('a bank transfer needs the bank, the account name and a 10-digit account number', () => {
    const draft = readyDraft();
    draft.payments.payOnDelivery.enabled = false;
    draft.payments.bankTransfer = {
      enabled: true,
      bankName: 'GTBank',
      accountName: 'Ada Stores',
      accountNumber: '',
    };
    expect(storeChecklist(draft, FACTS).find((item) => item.id === 'payment')?.done).toBe(false);
    draft.payments.bankTransfer.accountNumber = '0123456789';
    expect(storeChecklist(draft, FACTS).find((item) => item.id === 'payment')?.done).toBe(true);
    expect(() =>
      storeDraftSchema.shape.payments.parse({ bankTransfer: { enabled: true, accountNumber: '12345' } }),
    ).toThrow(/10 digits/);
  });
});

const CONFIG: StorefrontConfig = {
  slug: 'ada-stores',
  name: 'Ada Stores',
  whatsapp: '2348031234567',
  phone: '0803 123 4567',
  shopState: 'Lagos',
  products: [
    { id: PRODUCT_A, name: 'Golden Penny Semovita 1kg', priceKobo: 150_000, available: 5 },
    { id: PRODUCT_B, name: 'Peak Milk Tin', priceKobo: 60_000, available: 0 },
  ],
  zones: seededZones(),
  delivery: [
    {
      id: 'pickup',
      label: 'Pick up at the shop',
      pricing: 'free',
      priceKobo: 0,
      days: { min: 0, max: 0 },
      note: '',
    },
    {
      id: 'local',
      label: 'Our rider',
      pricing: 'fixed',
      priceKobo: 100_000,
      days: { min: 0, max: 1 },
      note: '',
    },
    {
      id: 'gig',
      label: 'GIG Logistics',
      pricing: 'zone',
      priceKobo: 20_000,
      days: { min: 1, max: 1 },
      note: '',
    },
    { id: 'dhl', label: 'DHL', pricing: 'quoted', priceKobo: 0, days: { min: 0, max: 0 }, note: '' },
  ],
  payments: [{ id: 'payOnDelivery', label: 'Pay on delivery', instructions: '' }],
};

function order(overrides: Partial<OrderInput> = {}): OrderInput {
  return orderInputSchema.parse({
    items: [{ productId: PRODUCT_A, quantity: 2 }],
    name: 'Chinedu Okafor',
    phone: '0803 555 0101',
    state: 'Enugu',
    address: '4 Ogui Road',
    delivery: 'gig',
    payment: 'payOnDelivery',
    ...overrides,
  });
}

describe('the checkout form and the pricing of an order', () => {
  it('reads a no-JavaScript form with repeated item fields', () => {
    const raw = orderInputFromForm({
      item: [`${PRODUCT_A}:2`, `${PRODUCT_B}:1`],
      name: 'Chinedu',
      phone: '08035550101',
      state: 'Enugu',
      delivery: 'pickup',
      payment: 'payOnDelivery',
    });
    const parsed = orderInputSchema.parse(raw);
    expect(parsed.items).toEqual([
      { productId: PRODUCT_A, quantity: 2 },
      { productId: PRODUCT_B, quantity: 1 },
    ]);
    expect(parsed.email).toBe('');
    expect(orderInputSchema.safeParse(orderInputFromForm({ item: 'nonsense:x' })).success).toBe(false);
    expect(orderInputSchema.safeParse(orderInputFromForm({})).error?.issues[0]?.message).toBe(
      'Your cart is empty',
    );
  });

  it('prices from the published config: zone price plus the courier surcharge', () => {
    const priced = priceOrder(CONFIG, order());
    if (!priced.ok) throw new Error(priced.message);
    expect(priced.value).toMatchObject({
      subtotalKobo: 300_000,
      deliveryKobo: 300_000 + 20_000,
      totalKobo: 620_000,
      zoneId: 'south-east',
      deliveryDays: { min: 4, max: 6 },
      phone: '+2348035550101',
      deliveryQuoted: false,
    });
  });

  it('Lagos Island by LGA, local delivery in the shop state only, quoted couriers cost nothing now', () => {
    const island = priceOrder(CONFIG, order({ state: 'Lagos', lgaCity: 'Lekki Phase 1' }));
    expect(island.ok && island.value.zoneId).toBe('lagos-island');
    expect(island.ok && island.value.deliveryKobo).toBe(200_000 + 20_000);
    const local = priceOrder(CONFIG, order({ delivery: 'local' }));
    expect(local).toEqual({ ok: false, field: 'delivery', message: 'Our rider reaches Lagos only' });
    const localLagos = priceOrder(CONFIG, order({ delivery: 'local', state: 'Lagos' }));
    expect(localLagos.ok && localLagos.value.deliveryKobo).toBe(100_000);
    const quoted = priceOrder(CONFIG, order({ delivery: 'dhl' }));
    expect(quoted.ok && quoted.value).toMatchObject({
      deliveryKobo: 0,
      deliveryQuoted: true,
      totalKobo: 300_000,
    });
    const pickup = priceOrder(CONFIG, order({ delivery: 'pickup', address: '' }));
    expect(pickup.ok && pickup.value.totalKobo).toBe(300_000);
  });

  it('refuses what the store cannot sell or deliver, with the field and a sentence', () => {
    expect(priceOrder(CONFIG, order({ items: [{ productId: PRODUCT_B, quantity: 1 }] }))).toEqual({
      ok: false,
      field: 'items',
      message: 'Peak Milk Tin is sold out',
    });
    expect(priceOrder(CONFIG, order({ items: [{ productId: PRODUCT_A, quantity: 6 }] }))).toMatchObject({
      ok: false,
      message: 'Only 5 of Golden Penny Semovita 1kg left',
    });
    // Two lines of the same product count together against the stock.
    expect(
      priceOrder(
        CONFIG,
        order({
          items: [
            { productId: PRODUCT_A, quantity: 3 },
            { productId: PRODUCT_A, quantity: 3 },
          ],
        }),
      ).ok,
    ).toBe(false);
    expect(priceOrder(CONFIG, order({ phone: '0123' }))).toMatchObject({ ok: false, field: 'phone' });
    expect(priceOrder(CONFIG, order({ payment: 'paystack' }))).toMatchObject({ ok: false, field: 'payment' });
    expect(priceOrder(CONFIG, order({ delivery: 'jumia' }))).toMatchObject({ ok: false, field: 'delivery' });
    expect(priceOrder(CONFIG, order({ address: '' }))).toMatchObject({ ok: false, field: 'address' });
    const noNorth = { ...CONFIG, zones: CONFIG.zones.filter((zone) => zone.id !== 'north-west') };
    expect(priceOrder(noNorth, order({ state: 'Kano' }))).toEqual({
      ok: false,
      field: 'state',
      message: 'This store does not deliver to Kano yet',
    });
    // The server's own stock view wins over the published figure.
    expect(priceOrder(CONFIG, order(), () => 1)).toMatchObject({
      ok: false,
      message: 'Only 1 of Golden Penny Semovita 1kg left',
    });
  });
});
