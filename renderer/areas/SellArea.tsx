import { AreaHeader, ComingNext } from '../components/AreaHeader';

export function SellArea() {
  return (
    <>
      <AreaHeader title="Sell">Ring up sales at the counter, take payment and print the receipt.</AreaHeader>
      <ComingNext
        items={[
          'Barcode and keyboard search to add items, with quantities and line discounts',
          'Cash (with change), transfer, card, USSD and split payments',
          '80 mm and A4 receipts, and a text receipt to share on WhatsApp',
          'Refunds with a manager PIN, and the end-of-day Z-report',
        ]}
      />
    </>
  );
}
