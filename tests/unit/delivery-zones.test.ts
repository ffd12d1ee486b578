/** The default delivery zones cover Nigeria once; customers fall in a zone by state and LGA. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ZONES,
  isLagosIslandArea,
  LAGOS_LGAS,
  placeKey,
  zoneCoverage,
  zoneForCustomer,
  type DeliveryZone,
} from '../../shared/delivery-zones';
import { NIGERIAN_STATES } from '../../shared/states';

function without(zones: readonly DeliveryZone[], id: string): DeliveryZone[] {
  return zones.filter((zone) => zone.id !== id);
}

describe('the default zones', () => {
  it('put every state and the FCT in exactly one zone', () => {
    expect(zoneCoverage(DEFAULT_ZONES)).toEqual({ missing: [], doubled: [] });
    for (const state of NIGERIAN_STATES) {
      expect(zoneForCustomer(state, ''), state).not.toBeNull();
    }
  });

  it('have the shop’s default prices', () => {
    expect(Object.fromEntries(DEFAULT_ZONES.map((zone) => [zone.id, [zone.name, zone.priceKobo]]))).toEqual({
      'lagos-mainland': ['Lagos Mainland', 150_000],
      'lagos-island': ['Lagos Island', 200_000],
      'south-west': ['South-West', 250_000],
      'south-east': ['South-East', 300_000],
      'north-central': ['North-Central', 350_000],
      'north-east': ['North-East', 400_000],
      'north-west': ['North-West', 400_000],
      'south-south': ['South-South', 350_000],
    });
  });

  it('know the 20 Lagos LGAs, four of them on the Island side', () => {
    expect(LAGOS_LGAS).toHaveLength(20);
    expect(new Set(LAGOS_LGAS.map((lga) => lga.name)).size).toBe(20);
    expect(LAGOS_LGAS.filter((lga) => lga.side === 'island').map((lga) => lga.name)).toEqual([
      'Epe',
      'Eti-Osa',
      'Ibeju-Lekki',
      'Lagos Island',
    ]);
    for (const lga of LAGOS_LGAS) {
      expect(zoneForCustomer('Lagos', lga.name)?.id, lga.name).toBe(`lagos-${lga.side}`);
    }
  });
});

describe('a customer’s zone', () => {
  it.each([
    ['Lagos', 'Lekki', 'lagos-island'],
    ['Lagos', 'Lekki Phase 1', 'lagos-island'],
    ['Lagos', 'Victoria Island', 'lagos-island'],
    ['Lagos', 'V.I.', 'lagos-island'],
    ['Lagos', 'Ikoyi, Lagos', 'lagos-island'],
    ['Lagos', 'Ajah', 'lagos-island'],
    ['Lagos', 'eti osa', 'lagos-island'],
    ['Lagos', 'Sangotedo, Ajah', 'lagos-island'],
    ['Lagos', 'Ikeja', 'lagos-mainland'],
    ['Lagos', 'Ikeja GRA', 'lagos-mainland'],
    ['Lagos', 'Yaba', 'lagos-mainland'],
    ['Lagos', 'Surulere', 'lagos-mainland'],
    ['Lagos', 'Lagos Mainland', 'lagos-mainland'],
    ['Lagos', 'Gbagada', 'lagos-mainland'],
    ['Lagos', 'Lekkiville', 'lagos-mainland'],
    ['Lagos', '', 'lagos-mainland'],
    ['Lagos', null, 'lagos-mainland'],
    ['Ogun', 'Lekki', 'south-west'],
    ['Ogun', 'Abeokuta', 'south-west'],
    ['FCT', 'Garki', 'north-central'],
    ['Rivers', 'Port Harcourt', 'south-south'],
    ['Kano', '', 'north-west'],
    ['Borno', '', 'north-east'],
    ['Enugu', '', 'south-east'],
  ])('%s, %s → %s', (state, lgaCity, zone) => {
    expect(zoneForCustomer(state, lgaCity)?.id).toBe(zone);
  });

  it('is none without a state, or for a state no zone takes', () => {
    expect(zoneForCustomer(null, 'Lekki')).toBeNull();
    expect(zoneForCustomer('Kano', '', without(DEFAULT_ZONES, 'north-west'))).toBeNull();
  });

  it('reads places whole-word, whatever the case, accents and punctuation', () => {
    expect(placeKey('  Lekki-Phase 1, ')).toBe('lekki phase 1');
    expect(placeKey('Ẹ̀pẹ́')).toBe('epe');
    expect(isLagosIslandArea('Ẹ̀pẹ́')).toBe(true);
    expect(isLagosIslandArea('IBEJU-LEKKI')).toBe(true);
    expect(isLagosIslandArea('Mushin')).toBe(false);
    expect(isLagosIslandArea('')).toBe(false);
  });

  it('follows zones a shop made itself', () => {
    const zones: DeliveryZone[] = [
      {
        id: 'near',
        name: 'Near',
        priceKobo: 100_000,
        states: ['Lagos'],
        places: { Lagos: ['Yaba', 'Surulere'] },
      },
      { id: 'far', name: 'Far', priceKobo: 500_000, states: ['Lagos', 'Ogun'] },
    ];
    expect(zoneForCustomer('Lagos', 'Yaba', zones)?.id).toBe('near');
    expect(zoneForCustomer('Lagos', 'Lekki', zones)?.id).toBe('far');
    expect(zoneForCustomer('Ogun', 'Yaba', zones)?.id).toBe('far');
  });
});

describe('zone coverage', () => {
  it('reports a state no zone takes as missing', () => {
    const zones = DEFAULT_ZONES.map((zone) =>
      zone.id === 'north-west' ? { ...zone, states: zone.states.filter((state) => state !== 'Kano') } : zone,
    );
    expect(zoneCoverage(zones)).toEqual({ missing: ['Kano'], doubled: [] });
  });

  it('reports a state in two zones as doubled', () => {
    const zones = DEFAULT_ZONES.map((zone) =>
      zone.id === 'south-east' ? { ...zone, states: [...zone.states, 'Ogun' as const] } : zone,
    );
    expect(zoneCoverage(zones)).toEqual({
      missing: [],
      doubled: [{ state: 'Ogun', zones: ['south-west', 'south-east'] }],
    });
  });

  it('counts Lagos covered only while some zone takes the rest of it', () => {
    expect(zoneCoverage(without(DEFAULT_ZONES, 'lagos-mainland')).missing).toEqual(['Lagos']);
    // The Mainland zone alone then takes all of Lagos.
    expect(zoneCoverage(without(DEFAULT_ZONES, 'lagos-island'))).toEqual({ missing: [], doubled: [] });
    expect(zoneCoverage(without(without(DEFAULT_ZONES, 'lagos-island'), 'lagos-mainland')).missing).toEqual([
      'Lagos',
    ]);
  });

  it('reports a place two zones both name, and two zones both taking the rest', () => {
    const extra: DeliveryZone = {
      id: 'lekki-express',
      name: 'Lekki express',
      priceKobo: 250_000,
      states: ['Lagos'],
      places: { Lagos: ['lekki'] },
    };
    expect(zoneCoverage([...DEFAULT_ZONES, extra]).doubled).toEqual([
      { state: 'Lagos', zones: ['lagos-island', 'lekki-express'] },
    ]);
    const secondMainland: DeliveryZone = {
      id: 'mainland-2',
      name: 'Mainland 2',
      priceKobo: 1,
      states: ['Lagos'],
    };
    expect(zoneCoverage([...DEFAULT_ZONES, secondMainland]).doubled).toEqual([
      { state: 'Lagos', zones: ['lagos-mainland', 'mainland-2'] },
    ]);
  });
});
