/**
 * The delivery zones: each zone's name, price, delivery days, the states it reaches and, for a
 * state it shares (Lagos above all), the places of it that are its own. The coverage panel says
 * which states no zone takes and which two zones claim, from `zoneCoverage`, as the owner edits.
 */
import { useState } from 'react';
import { zoneCoverage } from '../../../shared/delivery-zones';
import { formatNaira } from '../../../shared/money';
import { NIGERIAN_STATES, stateLabel, type NigerianState } from '../../../shared/states';
import { seededZones, type StoreDeliveryZone } from '../../../shared/store/draft';
import { TextField } from '../../components/Field';
import { Modal } from '../../components/Modal';
import { useStoreScreen } from '../../state/store-store';
import { NairaField, TextAreaField, WholeNumberField, useValueText } from './inputs';
import { daysWords } from './words';

const MAX_ZONES = 60;

function listWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

function placesText(places: readonly string[] | undefined): string {
  return (places ?? []).join('\n');
}

function placesFrom(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** One place a line; an empty box gives the zone the rest of the state. */
function PlacesField({
  zoneName,
  state,
  places,
  error,
  onPlaces,
}: {
  zoneName: string;
  state: NigerianState;
  places: readonly string[] | undefined;
  error: string | undefined;
  onPlaces: (places: string[]) => void;
}) {
  const [text, setText] = useValueText<readonly string[]>(places ?? [], placesText, placesFrom);
  const lines = placesFrom(text).length;
  return (
    <TextAreaField
      label={`Places of ${stateLabel(state)} in ${zoneName}`}
      rows={4}
      value={text}
      error={error}
      hint={
        lines === 0
          ? `Empty: this zone takes all of ${stateLabel(state)} that no other zone names. One LGA, town or area a line.`
          : `${lines} ${lines === 1 ? 'place' : 'places'}, one a line. Shoppers who write one of them are in this zone.`
      }
      onChange={(event) => {
        setText(event.target.value);
        onPlaces(placesFrom(event.target.value));
      }}
    />
  );
}

function ZoneEditor({
  zone,
  index,
  zones,
  open,
  onOpen,
  trouble,
}: {
  zone: StoreDeliveryZone;
  index: number;
  zones: readonly StoreDeliveryZone[];
  open: boolean;
  onOpen: (open: boolean) => void;
  /** States this zone shares with another zone without saying which places are whose. */
  trouble: readonly NigerianState[];
}) {
  const edit = useStoreScreen((state) => state.edit);
  const errors = useStoreScreen((state) => state.errors.shipping) ?? {};
  const title = zone.name.trim() === '' ? `Zone ${index + 1}` : zone.name;
  const error = (field: string) => errors[`zones.${index}.${field}`];
  const set = (patch: Partial<StoreDeliveryZone>) =>
    edit('shipping', (current) => ({
      ...current,
      zones: current.zones.map((each) => (each.id === zone.id ? { ...each, ...patch } : each)),
    }));
  const remove = () =>
    edit('shipping', (current) => ({
      ...current,
      zones: current.zones.filter((each) => each.id !== zone.id),
    }));
  /** The zone's places with one state's list replaced (an empty list: the state's places are gone). */
  const placesWith = (state: NigerianState, list: readonly string[]): StoreDeliveryZone['places'] => {
    const entries = Object.entries(zone.places ?? {}).filter(([each]) => each !== state);
    if (list.length > 0) entries.push([state, [...list]]);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  };
  const toggleState = (state: NigerianState, on: boolean) => {
    const states = on
      ? NIGERIAN_STATES.filter((each) => each === state || zone.states.includes(each))
      : zone.states.filter((each) => each !== state);
    set({ states, places: on ? zone.places : placesWith(state, []) });
  };
  const setPlaces = (state: NigerianState, list: string[]) => set({ places: placesWith(state, list) });
  const othersWith = (state: NigerianState) =>
    zones.filter((other) => other.id !== zone.id && other.states.includes(state)).map((other) => other.name);
  // Places are offered for Lagos (split by LGA), for a state another zone also reaches, and wherever some are set.
  const placeStates = zone.states.filter(
    (state) => state === 'Lagos' || zone.places?.[state] !== undefined || othersWith(state).length > 0,
  );

  const fault = Object.keys(errors).some((key) => key.startsWith(`zones.${index}.`));
  return (
    <li className="store-zone-item" data-testid={`store-zone-${zone.id}`}>
      <details open={open} onToggle={(event) => onOpen(event.currentTarget.open)}>
        <summary>
          <strong>{title}</strong>
          <span className="money"> {formatNaira(zone.priceKobo)}</span>
          <span>, {daysWords(zone.days.min, zone.days.max)}</span>
          <span className="muted">
            {' '}
            · {zone.states.length === 0 ? 'no states yet' : zone.states.map(stateLabel).join(', ')}
          </span>
          {(trouble.length > 0 || fault) && (
            <span className="store-zone-trouble">
              {' '}
              <span aria-hidden="true">!</span>{' '}
              {trouble.length > 0 ? `Shares ${listWords(trouble.map(stateLabel))}` : 'A field needs fixing'}
            </span>
          )}
        </summary>
        <fieldset className="store-zone">
          <legend>{title}</legend>
          <div className="store-zone-grid">
            <TextField
              label="Zone name"
              value={zone.name}
              maxLength={60}
              error={error('name')}
              onChange={(event) => set({ name: event.target.value })}
            />
            <NairaField
              label="Delivery price"
              kobo={zone.priceKobo}
              error={error('priceKobo')}
              onKobo={(priceKobo) => set({ priceKobo: priceKobo ?? 0 })}
            />
            <WholeNumberField
              label="Fastest (days)"
              value={zone.days.min}
              min={0}
              max={60}
              error={error('days.min')}
              onValue={(min) => set({ days: { ...zone.days, min } })}
            />
            <WholeNumberField
              label="Slowest (days)"
              value={zone.days.max}
              min={0}
              max={60}
              error={
                error('days.max') ??
                (zone.days.max < zone.days.min ? 'The slowest cannot be sooner than the fastest.' : undefined)
              }
              onValue={(max) => set({ days: { ...zone.days, max } })}
            />
          </div>
          <details className="store-details">
            <summary>
              States ({zone.states.length}):{' '}
              {zone.states.length === 0 ? 'none yet' : zone.states.map(stateLabel).join(', ')}
            </summary>
            <fieldset className="store-state-choices">
              <legend>States {title} reaches</legend>
              {NIGERIAN_STATES.map((state) => {
                const others = othersWith(state);
                return (
                  <label key={state} className="inline-check store-state-choice">
                    <input
                      type="checkbox"
                      checked={zone.states.includes(state)}
                      onChange={(event) => toggleState(state, event.target.checked)}
                    />
                    <span>
                      {stateLabel(state)}
                      {others.length > 0 && (
                        <small className="hint">
                          {' '}
                          ({zone.states.includes(state) ? 'also in' : 'in'} {others.join(', ')})
                        </small>
                      )}
                    </span>
                  </label>
                );
              })}
            </fieldset>
          </details>
          {placeStates.map((state) => (
            <PlacesField
              key={state}
              zoneName={title}
              state={state}
              places={zone.places?.[state]}
              error={error(`places.${state}`)}
              onPlaces={(list) => setPlaces(state, list)}
            />
          ))}
          <button type="button" className="store-link-button store-remove" onClick={remove}>
            Remove the {title} zone
          </button>
        </fieldset>
      </details>
    </li>
  );
}

function Coverage({
  zones,
  usedByCouriers,
}: {
  zones: readonly StoreDeliveryZone[];
  usedByCouriers: boolean;
}) {
  const coverage = zoneCoverage(zones);
  const names = (ids: readonly string[]) => ids.map((id) => zones.find((zone) => zone.id === id)?.name ?? id);
  const fine = coverage.missing.length === 0 && coverage.doubled.length === 0;
  return (
    <section
      className={`store-coverage ${fine ? 'store-coverage-good' : 'store-coverage-bad'}`}
      aria-labelledby="store-coverage-title"
      aria-live="polite"
      data-testid="store-zone-coverage"
    >
      <h4 id="store-coverage-title">Coverage</h4>
      {fine ? (
        <p>
          <span aria-hidden="true">✓ </span>Every state and the FCT is in exactly one zone.
        </p>
      ) : (
        <>
          {coverage.missing.length > 0 && (
            <p>
              <strong>In no zone:</strong> {listWords(coverage.missing.map(stateLabel))}. Shoppers there
              cannot choose a courier.
            </p>
          )}
          {coverage.doubled.length > 0 && (
            <ul>
              {coverage.doubled.map((entry) => (
                <li key={entry.state}>
                  <strong>{stateLabel(entry.state)}</strong> is in {listWords(names(entry.zones))}: give one
                  of them the places of {stateLabel(entry.state)} it takes, or take the state off one.
                </li>
              ))}
            </ul>
          )}
          {!usedByCouriers && (
            <p className="muted">
              This only matters for couriers: pickup and local delivery do not use the zones.
            </p>
          )}
        </>
      )}
    </section>
  );
}

export function ZonesEditor({
  zones,
  usedByCouriers,
}: {
  zones: readonly StoreDeliveryZone[];
  usedByCouriers: boolean;
}) {
  const edit = useStoreScreen((state) => state.edit);
  const [confirmReset, setConfirmReset] = useState(false);
  // Zones open for editing; a new zone opens itself.
  const [openZones, setOpenZones] = useState<string[]>([]);
  const doubled = zoneCoverage(zones).doubled;
  const add = () => {
    const id = `zone-${Date.now().toString(36)}`;
    setOpenZones((ids) => [...ids, id]);
    edit('shipping', (current) => ({
      ...current,
      zones: [
        ...current.zones,
        {
          id,
          name: `Zone ${current.zones.length + 1}`,
          priceKobo: 300_000,
          states: [],
          days: { min: 2, max: 5 },
        },
      ],
    }));
  };
  const reset = () => edit('shipping', (current) => ({ ...current, zones: seededZones() }));
  return (
    <section className="store-zones" aria-labelledby="store-zones-title">
      <h3 id="store-zones-title">Delivery zones</h3>
      <p className="muted">
        Couriers charge by zone: the shopper’s state (and, in Lagos, their LGA or area) picks it at checkout.
      </p>
      <Coverage zones={zones} usedByCouriers={usedByCouriers} />
      <ul className="store-zone-list" aria-label="Delivery zones">
        {zones.map((zone, index) => (
          <ZoneEditor
            key={zone.id}
            zone={zone}
            index={index}
            zones={zones}
            open={openZones.includes(zone.id)}
            onOpen={(open) =>
              setOpenZones((ids) =>
                open ? [...ids.filter((id) => id !== zone.id), zone.id] : ids.filter((id) => id !== zone.id),
              )
            }
            trouble={doubled.filter((entry) => entry.zones.includes(zone.id)).map((entry) => entry.state)}
          />
        ))}
      </ul>
      <div className="store-actions">
        <button type="button" disabled={zones.length >= MAX_ZONES} onClick={add}>
          Add a zone
        </button>
        <button type="button" onClick={() => setConfirmReset(true)}>
          Reset to the standard Nigerian zones
        </button>
      </div>
      <Modal title="Reset the delivery zones?" open={confirmReset} onClose={() => setConfirmReset(false)}>
        <p>
          Your zones are replaced by the eight standard ones (Lagos Mainland and Island, South-West,
          South-East, South-South, North-Central, North-East and North-West) at their usual prices. Changes
          you made to the zones are lost.
        </p>
        <div className="store-actions">
          <button
            type="button"
            className="primary"
            onClick={() => {
              reset();
              setConfirmReset(false);
            }}
          >
            Reset the zones
          </button>
          <button type="button" onClick={() => setConfirmReset(false)}>
            Keep my zones
          </button>
        </div>
      </Modal>
    </section>
  );
}
