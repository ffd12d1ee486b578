/** Nigerian numbers in every written form, every carrier prefix, and clear refusals. */
import { describe, expect, it } from 'vitest';
import { carrierForNational, parseNigerianPhone } from '../../shared/phone';

const CARRIERS: Record<string, string[]> = {
  MTN: [
    '0703',
    '0704',
    '0706',
    '07025',
    '07026',
    '0803',
    '0806',
    '0810',
    '0813',
    '0814',
    '0816',
    '0903',
    '0906',
    '0913',
    '0916',
  ],
  Airtel: ['0701', '0708', '0802', '0808', '0812', '0901', '0902', '0904', '0907', '0911', '0912'],
  Glo: ['0705', '0805', '0807', '0811', '0815', '0905', '0915'],
  '9mobile': ['0809', '0817', '0818', '0908', '0909'],
  others: ['07020', '07027', '07028', '07029', '0707', '0709', '0804'],
};

function fill(prefix: string): string {
  return `${prefix}${'1234567'.slice(0, 11 - prefix.length)}`;
}

describe('carriers from the prefix allocation', () => {
  for (const [carrier, prefixes] of Object.entries(CARRIERS)) {
    it.each(prefixes)(`%s is ${carrier}`, (prefix) => {
      const national = fill(prefix);
      const parsed = parseNigerianPhone(national);
      expect(parsed).toEqual({ ok: true, e164: `+234${national.slice(1)}`, national, carrier });
      expect(carrierForNational(national)).toBe(carrier);
    });
  }

  it('knows a valid number whose range has no carrier on record as unknown (null)', () => {
    expect(parseNigerianPhone('0914 123 4567')).toMatchObject({ ok: true, carrier: null });
  });
});

describe('written forms', () => {
  const forms = [
    '08051234567',
    '0805 123 4567',
    '0805-123-4567',
    '0805.123.4567',
    '(0805) 123 4567',
    '(0805)-123-4567',
    '+2348051234567',
    '+234 805 123 4567',
    '+234 (0) 805 123 4567'.replace(' (0)', ''),
    '+234-805-123-4567',
    '2348051234567',
    '234 805 123 4567',
    '8051234567',
    '805 123 4567',
    '002348051234567',
    '  0805 123 4567  ',
  ];
  it.each(forms)('%j is +2348051234567 on Glo', (input) => {
    expect(parseNigerianPhone(input)).toEqual({
      ok: true,
      e164: '+2348051234567',
      national: '08051234567',
      carrier: 'Glo',
    });
  });
});

describe('refusals a cashier understands', () => {
  it.each([
    ['01 234 5678', /landline/],
    ['+234 1 234 5678', /landline/],
    ['09 234 5678', /landline/],
    ['0803 123 456', /too short/],
    ['0803 123 45678', /too long/],
    ['+44 7700 900123', /Only Nigerian numbers/],
    ['+1 202 555 0143', /Only Nigerian numbers/],
    ['+233 24 123 4567', /Only Nigerian numbers/],
    ['0803 ABC 4567', /only digits/],
    ['#0803*123', /only digits/],
    ['', /Enter a phone number/],
    ['   ', /Enter a phone number/],
    ['0603 123 4567', /landline|not a Nigerian mobile/],
  ])('%j', (input, reason) => {
    const parsed = parseNigerianPhone(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error).toMatch(reason);
      expect(parsed.error).toMatch(/\.$/);
    }
  });
});
