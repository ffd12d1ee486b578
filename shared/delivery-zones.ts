/**
 * Delivery zones: which zone a customer's address falls in, and what delivery there costs by
 * default. Zones are plain data so a shop (and its online store) can price and reshape them; the
 * defaults cover every state and the FCT once, with Lagos split into Island and Mainland by LGA.
 *
 * A zone lists the states it reaches. Where zones share a state, the zone that names `places`
 * for it (LGAs, towns, neighbourhoods) takes the customers whose LGA/city text names one of
 * them; the zone that names none takes the rest of the state, including customers whose LGA or
 * city is empty or not recognised.
 */
import { NIGERIAN_STATES, type NigerianState } from './states';

export interface DeliveryZone {
  /** Stable id, kept in segment rules and orders (`lagos-island`). */
  id: string;
  name: string;
  /** The default delivery price, integer kobo. */
  priceKobo: number;
  /** The states the zone reaches, whole or in part. */
  states: readonly NigerianState[];
  /** For a state the zone shares: the places of it that are this zone's (see the module note). */
  places?: Partial<Record<NigerianState, readonly string[]>>;
}

/** The 20 local government areas of Lagos State and the side of the lagoon each is on. */
export const LAGOS_LGAS: readonly { name: string; side: 'island' | 'mainland' }[] = [
  { name: 'Agege', side: 'mainland' },
  { name: 'Ajeromi-Ifelodun', side: 'mainland' },
  { name: 'Alimosho', side: 'mainland' },
  { name: 'Amuwo-Odofin', side: 'mainland' },
  { name: 'Apapa', side: 'mainland' },
  { name: 'Badagry', side: 'mainland' },
  { name: 'Epe', side: 'island' },
  { name: 'Eti-Osa', side: 'island' },
  { name: 'Ibeju-Lekki', side: 'island' },
  { name: 'Ifako-Ijaiye', side: 'mainland' },
  { name: 'Ikeja', side: 'mainland' },
  { name: 'Ikorodu', side: 'mainland' },
  { name: 'Kosofe', side: 'mainland' },
  { name: 'Lagos Island', side: 'island' },
  { name: 'Lagos Mainland', side: 'mainland' },
  { name: 'Mushin', side: 'mainland' },
  { name: 'Ojo', side: 'mainland' },
  { name: 'Oshodi-Isolo', side: 'mainland' },
  { name: 'Shomolu', side: 'mainland' },
  { name: 'Surulere', side: 'mainland' },
];

/**
 * What Lagos customers write for the Island side: its four LGAs in the spellings people use, and
 * the neighbourhoods and towns inside them that are written instead of the LGA.
 */
export const LAGOS_ISLAND_AREAS: readonly string[] = [
  ...LAGOS_LGAS.filter((lga) => lga.side === 'island').map((lga) => lga.name),
  'Eti Osa',
  'Etiosa',
  'Ibeju',
  // Lagos Island LGA
  'Isale Eko',
  'Idumota',
  'Obalende',
  'Onikan',
  'Marina',
  'Broad Street',
  'Balogun Market',
  // Eti-Osa LGA
  'Ikoyi',
  'Banana Island',
  'Victoria Island',
  'VI',
  'V.I.',
  'Oniru',
  'Eko Atlantic',
  'Lekki',
  'Ikate',
  'Maroko',
  'Ilasan',
  'Osapa',
  'Agungi',
  'Ikota',
  'Chevron',
  'VGC',
  'Victoria Garden City',
  'Ajah',
  'Ajiran',
  'Badore',
  'Sangotedo',
  'Abraham Adesanya',
  'Langbasa',
  // Ibeju-Lekki and Epe LGAs
  'Awoyaya',
  'Lakowe',
  'Bogije',
  'Eleko',
  'Akodo',
];

/** Lower case, without accents or punctuation, single-spaced: "Lekki-Phase 1," → "lekki phase 1". */
export function placeKey(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A test for whole words: "lekki" is in "lekki phase 1" and "ibeju lekki", not in "lekkiville". */
function placeTest(places: readonly string[]): (key: string) => boolean {
  const keys = [...new Set(places.map(placeKey).filter((key) => key !== ''))];
  if (keys.length === 0) return () => false;
  const pattern = new RegExp(`(?:^| )(?:${keys.map(escapeRegExp).join('|')})(?: |$)`);
  return (key) => pattern.test(key);
}

const islandTest = placeTest(LAGOS_ISLAND_AREAS);

/** Whether an LGA/city text names a place on the Lagos Island side ("Lekki Phase 1", "V.I."). */
export function isLagosIslandArea(lgaCity: string | null | undefined): boolean {
  return islandTest(placeKey(lgaCity));
}

export const DEFAULT_ZONES: readonly DeliveryZone[] = [
  {
    id: 'lagos-mainland',
    name: 'Lagos Mainland',
    priceKobo: 150_000,
    states: ['Lagos'],
  },
  {
    id: 'lagos-island',
    name: 'Lagos Island',
    priceKobo: 200_000,
    states: ['Lagos'],
    places: { Lagos: LAGOS_ISLAND_AREAS },
  },
  {
    id: 'south-west',
    name: 'South-West',
    priceKobo: 250_000,
    states: ['Ogun', 'Oyo', 'Osun', 'Ondo', 'Ekiti'],
  },
  {
    id: 'south-east',
    name: 'South-East',
    priceKobo: 300_000,
    states: ['Anambra', 'Imo', 'Abia', 'Enugu', 'Ebonyi'],
  },
  {
    id: 'south-south',
    name: 'South-South',
    priceKobo: 350_000,
    states: ['Rivers', 'Bayelsa', 'Cross River', 'Delta', 'Edo', 'Akwa Ibom'],
  },
  {
    id: 'north-central',
    name: 'North-Central',
    priceKobo: 350_000,
    states: ['FCT', 'Kogi', 'Kwara', 'Nasarawa', 'Niger', 'Plateau', 'Benue'],
  },
  {
    id: 'north-east',
    name: 'North-East',
    priceKobo: 400_000,
    states: ['Adamawa', 'Bauchi', 'Borno', 'Gombe', 'Taraba', 'Yobe'],
  },
  {
    id: 'north-west',
    name: 'North-West',
    priceKobo: 400_000,
    states: ['Kaduna', 'Kano', 'Katsina', 'Kebbi', 'Sokoto', 'Zamfara', 'Jigawa'],
  },
];

export type ZoneMatcher = (state: string | null, lgaCity: string | null | undefined) => DeliveryZone | null;

/**
 * The zone lookup for a set of zones, with each state's candidates and place patterns worked out
 * once: cheap enough to call for every customer of a large book.
 */
export function zoneMatcher(zones: readonly DeliveryZone[]): ZoneMatcher {
  const byState = new Map<
    string,
    { rest: DeliveryZone | null; partial: [DeliveryZone, (key: string) => boolean][] }
  >();
  for (const zone of zones) {
    for (const state of zone.states) {
      const entry = byState.get(state) ?? { rest: null, partial: [] };
      const places = zone.places?.[state];
      if (places === undefined) entry.rest ??= zone;
      else entry.partial.push([zone, placeTest(places)]);
      byState.set(state, entry);
    }
  }
  return (state, lgaCity) => {
    if (state === null) return null;
    const entry = byState.get(state);
    if (entry === undefined) return null;
    if (entry.partial.length > 0) {
      const key = placeKey(lgaCity);
      if (key !== '') {
        for (const [zone, test] of entry.partial) if (test(key)) return zone;
      }
    }
    return entry.rest;
  };
}

const matchers = new WeakMap<readonly DeliveryZone[], ZoneMatcher>();

/**
 * The zone of a customer from their state and LGA/city text; null when no zone reaches them (no
 * state, or a state the zones leave out). A Lagos customer whose LGA or city is empty or not
 * recognised is on the Mainland with the default zones.
 */
export function zoneForCustomer(
  state: string | null,
  lgaCity: string | null | undefined,
  zones: readonly DeliveryZone[] = DEFAULT_ZONES,
): DeliveryZone | null {
  let matcher = matchers.get(zones);
  if (matcher === undefined) {
    matcher = zoneMatcher(zones);
    matchers.set(zones, matcher);
  }
  return matcher(state, lgaCity);
}

export interface ZoneCoverage {
  /** States (or parts of them) no zone takes. */
  missing: NigerianState[];
  /** States that more than one zone claims the same part of, with those zones' ids. */
  doubled: { state: NigerianState; zones: string[] }[];
}

/**
 * Checks that every state and the FCT falls in exactly one zone. A state split between zones is
 * covered when exactly one of them takes the rest and no place is named by two of them.
 */
export function zoneCoverage(zones: readonly DeliveryZone[]): ZoneCoverage {
  const missing: NigerianState[] = [];
  const doubled: ZoneCoverage['doubled'] = [];
  for (const state of NIGERIAN_STATES) {
    const here = zones.filter((zone) => zone.states.includes(state));
    const rest = here.filter((zone) => zone.places?.[state] === undefined);
    if (rest.length === 0) missing.push(state);
    const clashing = new Set(rest.length > 1 ? rest.map((zone) => zone.id) : []);
    const namedBy = new Map<string, string>();
    for (const zone of here) {
      for (const place of zone.places?.[state] ?? []) {
        const key = placeKey(place);
        const other = namedBy.get(key);
        if (other !== undefined && other !== zone.id) clashing.add(other).add(zone.id);
        else namedBy.set(key, zone.id);
      }
    }
    if (clashing.size > 0) doubled.push({ state, zones: [...clashing] });
  }
  return { missing, doubled };
}
