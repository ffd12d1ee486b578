import { AreaHeader, ComingNext } from '../components/AreaHeader';

export function StoreArea() {
  return (
    <>
      <AreaHeader title="Store">
        Build and publish your online store, and take its orders at the counter.
      </AreaHeader>
      <ComingNext
        items={[
          'A step-by-step builder with a preview on phone, tablet and desktop',
          'Paystack, Flutterwave, bank transfer and pay on delivery',
          'Delivery zones for every state, and a launch checklist',
        ]}
      />
    </>
  );
}
