/**
 * SMS length per GSM 03.38: a text that fits the GSM-7 default alphabet (with its extension
 * table, whose characters take two septets) is 160 characters in one page, 153 a page once it
 * is split; one character outside it (the ₦ sign, curly quotes, an emoji) makes the whole text
 * UCS-2: 70 in one page, 67 a page when split. Characters outside the Basic Multilingual Plane
 * (most emoji) take two UCS-2 code units.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  segments: number;
  charsPerSegment: number;
  /** Septets for GSM-7 (extension characters count twice), UTF-16 code units for UCS-2. */
  length: number;
}

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

/** The characters of `text` that force UCS-2, each once, in order of appearance. */
export function ucs2Characters(text: string): string[] {
  const found = new Set<string>();
  for (const character of text) {
    if (!basic.has(character) && !extension.has(character)) found.add(character);
  }
  return [...found];
}

export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const character of text) {
    if (basic.has(character)) septets += 1;
    else if (extension.has(character)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return split('GSM-7', septets, 160, 153);
  return split('UCS-2', text.length, 70, 67);
}

function split(encoding: SmsEncoding, length: number, single: number, multi: number): SmsSegments {
  if (length <= single) return { encoding, segments: length === 0 ? 0 : 1, charsPerSegment: single, length };
  return { encoding, segments: Math.ceil(length / multi), charsPerSegment: multi, length };
}
