import { AreaHeader, ComingNext } from '../components/AreaHeader';

export function CustomersArea() {
  return (
    <>
      <AreaHeader title="Customers">
        Your customer book: numbers, loyalty points, tiers and purchase history.
      </AreaHeader>
      <ComingNext
        items={[
          'Find anyone by any part of their phone number or name as you type',
          'Carrier and WhatsApp for every number, written any way',
          'CSV import with a report of every rejected row, and CSV export',
        ]}
      />
    </>
  );
}
