/**
 * Step 4: how orders reach shoppers: pickup at the shop, the shop's own local delivery at its own
 * price, and couriers (GIG Logistics, Jumia Logistics, DHL), each priced by delivery zone or quoted
 * after the order; and the delivery zones that price couriers across the country.
 */
import { COURIER_LABELS, type Shipping } from '../../../shared/store/draft';
import { TextField } from '../../components/Field';
import { useStoreScreen } from '../../state/store-store';
import { CheckField, NairaField, WholeNumberField } from './inputs';
import { ZonesEditor } from './ZonesEditor';

type Courier = Shipping['couriers'][number];

function CourierOption({ courier, index }: { courier: Courier; index: number }) {
  const edit = useStoreScreen((state) => state.edit);
  const errors = useStoreScreen((state) => state.errors.shipping) ?? {};
  const name = COURIER_LABELS[courier.id];
  const set = (patch: Partial<Courier>) =>
    edit('shipping', (current) => ({
      ...current,
      couriers: current.couriers.map((each) => (each.id === courier.id ? { ...each, ...patch } : each)),
    }));
  return (
    <fieldset className="store-option">
      <legend>{name}</legend>
      <CheckField
        label={`Offer delivery by ${name}`}
        checked={courier.enabled}
        onChecked={(enabled) => set({ enabled })}
      />
      {courier.enabled && (
        <>
          <div role="radiogroup" aria-label={`How ${name} is priced`} className="store-radios">
            <label className="store-radio">
              <input
                type="radio"
                name={`store-courier-${courier.id}`}
                checked={courier.pricing === 'manual'}
                onChange={() => set({ pricing: 'manual' })}
              />
              <span>
                Charge the zone’s price at checkout
                <small className="hint"> The delivery zones below, plus any extra you set here.</small>
              </span>
            </label>
            <label className="store-radio">
              <input
                type="radio"
                name={`store-courier-${courier.id}`}
                checked={courier.pricing === 'quoted'}
                onChange={() => set({ pricing: 'quoted' })}
              />
              <span>
                Quote the price after the order
                <small className="hint">
                  {' '}
                  You tell the shopper what {name} charges before they pay for it.
                </small>
              </span>
            </label>
          </div>
          <div className="form-grid">
            {courier.pricing === 'manual' && (
              <NairaField
                label={`Extra on top of the zone price for ${name}`}
                kobo={courier.surchargeKobo}
                error={errors[`couriers.${index}.surchargeKobo`]}
                onKobo={(surchargeKobo) => set({ surchargeKobo: surchargeKobo ?? 0 })}
              />
            )}
            <WholeNumberField
              label={`Extra days for ${name}`}
              value={courier.extraDays}
              min={0}
              max={30}
              error={errors[`couriers.${index}.extraDays`]}
              hint="Added to each zone’s delivery time."
              onValue={(extraDays) => set({ extraDays })}
            />
          </div>
        </>
      )}
    </fieldset>
  );
}

export function ShippingStep() {
  const shipping = useStoreScreen((state) => state.draft?.shipping);
  const shopState = useStoreScreen((state) => state.draft?.business.state ?? null);
  const errors = useStoreScreen((state) => state.errors.shipping) ?? {};
  const edit = useStoreScreen((state) => state.edit);
  if (shipping === undefined) return null;
  const setPickup = (patch: Partial<Shipping['pickup']>) =>
    edit('shipping', (current) => ({ ...current, pickup: { ...current.pickup, ...patch } }));
  const setLocal = (patch: Partial<Shipping['localDelivery']>) =>
    edit('shipping', (current) => ({ ...current, localDelivery: { ...current.localDelivery, ...patch } }));
  const local = shipping.localDelivery;
  const courierOn = shipping.couriers.some((courier) => courier.enabled);
  return (
    <div className="store-form">
      <fieldset className="store-option">
        <legend>Pickup at the shop</legend>
        <CheckField
          label="Shoppers can pick up their order"
          checked={shipping.pickup.enabled}
          onChecked={(enabled) => setPickup({ enabled })}
        />
        {shipping.pickup.enabled && (
          <TextField
            label="Pickup note"
            value={shipping.pickup.note}
            maxLength={200}
            placeholder="Ready in 2 hours. Ask for Chinedu at the front desk."
            error={errors['pickup.note']}
            onChange={(event) => setPickup({ note: event.target.value })}
          />
        )}
      </fieldset>
      <fieldset className="store-option">
        <legend>Local delivery</legend>
        <CheckField
          label="Deliver with your own rider or van"
          checked={local.enabled}
          onChecked={(enabled) => setLocal({ enabled })}
          hint={
            shopState === null
              ? 'It reaches your own state only (choose it in Business info).'
              : `It reaches ${shopState} only, at one price.`
          }
        />
        {local.enabled && (
          <div className="form-grid">
            <NairaField
              label="Local delivery price"
              kobo={local.priceKobo}
              error={errors['localDelivery.priceKobo']}
              onKobo={(priceKobo) => setLocal({ priceKobo: priceKobo ?? 0 })}
            />
            <WholeNumberField
              label="Local delivery: fastest (days)"
              value={local.days.min}
              min={0}
              max={60}
              error={errors['localDelivery.days.min']}
              hint="0 is the same day."
              onValue={(min) => setLocal({ days: { ...local.days, min } })}
            />
            <WholeNumberField
              label="Local delivery: slowest (days)"
              value={local.days.max}
              min={0}
              max={60}
              error={
                errors['localDelivery.days.max'] ??
                (local.days.max < local.days.min
                  ? 'The slowest cannot be sooner than the fastest.'
                  : undefined)
              }
              onValue={(max) => setLocal({ days: { ...local.days, max } })}
            />
          </div>
        )}
      </fieldset>
      <h3>Couriers</h3>
      {shipping.couriers.map((courier, index) => (
        <CourierOption key={courier.id} courier={courier} index={index} />
      ))}
      <ZonesEditor zones={shipping.zones} usedByCouriers={courierOn} />
    </div>
  );
}
