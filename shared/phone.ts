/**
 * Nigerian mobile numbers in any written form ("0803 123 4567", "+234 803…", "234803…", "803…",
 * with spaces, dashes, brackets) to E.164, with the carrier from today's prefix allocation.
 * Validity comes from libphonenumber's mobile metadata; the carrier is only the original
 * allocation, since numbers can be ported between networks.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';

export type Carrier = 'MTN' | 'Airtel' | 'Glo' | '9mobile' | 'others';

export type PhoneParseResult =
  { ok: true; e164: string; national: string; carrier: Carrier | null } | { ok: false; error: string };

/** Prefix → carrier; longer prefixes (0702x) win over shorter ones. National format, leading 0. */
const CARRIER_PREFIXES: Record<string, Carrier> = {
  // MTN (0704 and 07025/07026 came from Visafone)
  '0703': 'MTN',
  '0704': 'MTN',
  '0706': 'MTN',
  '07025': 'MTN',
  '07026': 'MTN',
  '0803': 'MTN',
  '0806': 'MTN',
  '0810': 'MTN',
  '0813': 'MTN',
  '0814': 'MTN',
  '0816': 'MTN',
  '0903': 'MTN',
  '0906': 'MTN',
  '0913': 'MTN',
  '0916': 'MTN',
  // Airtel
  '0701': 'Airtel',
  '0708': 'Airtel',
  '0802': 'Airtel',
  '0808': 'Airtel',
  '0812': 'Airtel',
  '0901': 'Airtel',
  '0902': 'Airtel',
  '0904': 'Airtel',
  '0907': 'Airtel',
  '0911': 'Airtel',
  '0912': 'Airtel',
  // Glo
  '0705': 'Glo',
  '0805': 'Glo',
  '0807': 'Glo',
  '0811': 'Glo',
  '0815': 'Glo',
  '0905': 'Glo',
  '0915': 'Glo',
  // 9mobile
  '0809': '9mobile',
  '0817': '9mobile',
  '0818': '9mobile',
  '0908': '9mobile',
  '0909': '9mobile',
  // Smaller networks: Smile, Multi-Links, Starcomms, Zoom Mobile, ntel
  '07020': 'others',
  '07027': 'others',
  '07028': 'others',
  '07029': 'others',
  '0707': 'others',
  '0709': 'others',
  '0804': 'others',
};

export function carrierForNational(national: string): Carrier | null {
  return CARRIER_PREFIXES[national.slice(0, 5)] ?? CARRIER_PREFIXES[national.slice(0, 4)] ?? null;
}

export function parseNigerianPhone(input: string): PhoneParseResult {
  const trimmed = input.trim();
  if (trimmed.length === 0) return { ok: false, error: 'Enter a phone number.' };
  if (/[a-z]/i.test(trimmed)) {
    return { ok: false, error: 'A phone number has only digits (and maybe +, spaces or dashes).' };
  }
  const compact = trimmed.replace(/[\s\-().]/g, '');
  if (!/^\+?\d+$/.test(compact)) {
    return { ok: false, error: 'A phone number has only digits (and maybe +, spaces or dashes).' };
  }
  if (
    (compact.startsWith('+') && !compact.startsWith('+234')) ||
    (compact.startsWith('00') && !compact.startsWith('00234'))
  ) {
    return { ok: false, error: 'Only Nigerian numbers (+234) can be used here.' };
  }
  // "+234 0803…" and "+234 (0) 803…" are common: the trunk 0 after the country code is dropped.
  let candidate = compact.replace(/^(\+?|00)2340(?=\d{10}$)/, '$1234');
  if (candidate.startsWith('00234')) candidate = `+${candidate.slice(2)}`;
  else if (candidate.startsWith('234') && candidate.length >= 12) candidate = `+${candidate}`;
  else if (/^[789]\d{9}$/.test(candidate)) candidate = `0${candidate}`;

  const digits = candidate.replace(/^\+234/, '0');
  // Mobile ranges start 070/071/080/081/090/091; area codes (01 Lagos, 09 2… Abuja …) are landlines.
  if (/^0[1-6]/.test(digits) || /^09[2-9]/.test(digits)) {
    return {
      ok: false,
      error: 'That looks like a landline number. Enter a mobile number (for example 0803 123 4567).',
    };
  }
  if (digits.length < 11) {
    return {
      ok: false,
      error: 'That number is too short: a Nigerian mobile number has 11 digits, like 0803 123 4567.',
    };
  }
  if (digits.length > 11) {
    return {
      ok: false,
      error: 'That number is too long: a Nigerian mobile number has 11 digits, like 0803 123 4567.',
    };
  }
  const parsed = parsePhoneNumberFromString(candidate, 'NG');
  if (parsed === undefined || !parsed.isValid()) {
    return { ok: false, error: 'That is not a Nigerian mobile number. Check the first four digits.' };
  }
  const national = `0${parsed.nationalNumber}`;
  return { ok: true, e164: parsed.number, national, carrier: carrierForNational(national) };
}

/** "0803 123 4567" for display. */
export function formatNationalPhone(national: string): string {
  return national.length === 11
    ? `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`
    : national;
}
