import { AreaHeader, ComingNext } from '../components/AreaHeader';

export function CampaignsArea() {
  return (
    <>
      <AreaHeader title="Campaigns">
        Reach the right customers over SMS, WhatsApp and email, with their consent.
      </AreaHeader>
      <ComingNext
        items={[
          'Segments such as high-value, lapsed and birthdays this week',
          'The cost in naira before you press send',
          'Delivery rates per network: MTN, Airtel, Glo and 9mobile',
        ]}
      />
    </>
  );
}
