/**
 * A store draft with every checklist item done but the test order, saved through the store's
 * own service as the wizard would save it: business info, the given products online, pay on
 * delivery and a bank transfer, pickup and GIG Logistics priced by the seeded zones, the legal
 * templates and a slug. For the store's sync tests and its publish benchmark.
 */
import type { StoreServices } from '../../main/services/store/store-services';
import type { StoreState } from '../../shared/channels/store';

export async function saveReadyDraft(
  store: StoreServices,
  options: { slug: string; productIds: string[]; onlinePriceKobo?: (index: number) => number | null },
): Promise<StoreState> {
  const { draft } = await store.state();
  await store.saveDraft(
    {
      section: 'business',
      value: {
        ...draft.business,
        name: 'Mama Nkechi Provisions',
        description: 'Rice, beans, oil and provisions in Yaba, delivered across Nigeria.',
        address: '12 Herbert Macaulay Way, Yaba',
        state: 'Lagos',
        phone: '0803 123 4567',
        whatsapp: '0803 123 4567',
        hours: 'Mon–Sat 8am–7pm',
      },
    },
    null,
  );
  await store.saveDraft(
    {
      section: 'products',
      value: {
        stockVisibility: 'exact',
        items: options.productIds.map((productId, index) => ({
          productId,
          description: `Item ${index + 1}, fresh stock every week.`,
          photo: null,
          priceKobo: options.onlinePriceKobo?.(index) ?? null,
          online: true,
        })),
      },
    },
    null,
  );
  await store.saveDraft(
    {
      section: 'payments',
      value: {
        ...draft.payments,
        payOnDelivery: { enabled: true, note: 'Cash or transfer to the rider' },
        bankTransfer: {
          enabled: true,
          bankName: 'GTBank',
          accountName: 'Mama Nkechi Provisions',
          accountNumber: '0123456789',
        },
      },
    },
    null,
  );
  await store.saveDraft(
    {
      section: 'shipping',
      value: {
        ...draft.shipping,
        pickup: { enabled: true, note: 'At the shop in Yaba' },
        couriers: draft.shipping.couriers.map((courier) => ({
          ...courier,
          enabled: courier.id === 'gig',
        })),
      },
    },
    null,
  );
  await store.saveDraft(
    { section: 'launch', value: { ...draft.launch, slug: options.slug, instagram: 'mamankechi' } },
    null,
  );
  return store.state();
}
