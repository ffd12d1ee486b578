/** Runtime-neutral helpers: naira from kobo, UUIDv7, Lagos time, and Nigerian mobile numbers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from '../../shared/ids';
import { lagosDay, lagosDayRange, lagosHour } from '../../shared/lagos-time';
import { assertKobo, formatNaira, parseNairaToKobo } from '../../shared/money';
import { formatNationalPhone, parseNigerianPhone } from '../../shared/phone';

describe('formatNaira', () => {
  it.each([
    [0, '₦0'],
    [1, '₦0.01'],
    [5, '₦0.05'],
    [99, '₦0.99'],
    [100, '₦1'],
    [150_050, '₦1,500.50'],
    [123_450, '₦1,234.50'],
    [100_000_000, '₦1,000,000'],
    [-1, '-₦0.01'],
    [-250_075, '-₦2,500.75'],
    [-100, '-₦1'],
    [10_000_000_000_000, '₦100,000,000,000'],
    [Number.MAX_SAFE_INTEGER, '₦90,071,992,547,409.91'],
    [-Number.MAX_SAFE_INTEGER, '-₦90,071,992,547,409.91'],
  ])('formats %i kobo as %s', (kobo, text) => {
    expect(formatNaira(kobo)).toBe(text);
  });

  it.each([
    [0n, '₦0'],
    [-5n, '-₦0.05'],
    [-100n, '-₦1'],
    [12_345_678_901_234_567_89n, '₦12,345,678,901,234,567.89'],
    [10n ** 30n + 1n, '₦10,000,000,000,000,000,000,000,000,000.01'],
    [-(2n ** 64n), '-₦184,467,440,737,095,516.16'],
  ])('formats bigint %s kobo as %s, digit for digit', (kobo, text) => {
    expect(formatNaira(kobo)).toBe(text);
  });

  it('shows kobo when asked, even on whole naira', () => {
    expect(formatNaira(150_000, { alwaysKobo: true })).toBe('₦1,500.00');
    expect(formatNaira(0, { alwaysKobo: true })).toBe('₦0.00');
    expect(formatNaira(-7n, { alwaysKobo: true })).toBe('-₦0.07');
  });

  it.each([10.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53)])(
    'refuses %d: not a safe whole number of kobo',
    (amount) => {
      expect(() => assertKobo(amount)).toThrow(RangeError);
      expect(() => formatNaira(amount)).toThrow(RangeError);
    },
  );

  it('agrees with bigint arithmetic for every safe amount (generated)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (kobo) => {
        const big = BigInt(kobo);
        const magnitude = big < 0n ? -big : big;
        const digits = formatNaira(kobo, { alwaysKobo: true }).replace(/[^\d]/g, '');
        expect(BigInt(digits)).toBe(magnitude);
        expect(formatNaira(kobo)).toBe(formatNaira(big));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseNairaToKobo', () => {
  it.each([
    ['1500', 150_000],
    ['1,500', 150_000],
    ['₦1,500', 150_000],
    ['₦ 1 500', 150_000],
    ['₦1,500.5', 150_050],
    ['1500.50', 150_050],
    ['NGN 20', 2_000],
    ['ngn5', 500],
    ['0.07', 7],
    ['0.5', 50],
    ['-3', -300],
    ['-₦1,500', -150_000],
    ['9999999999999.99', 999_999_999_999_999],
    ['12.345', null],
    ['99999999999999', null],
    ['.5', null],
    ['1e3', null],
    ['+5', null],
    ['1500 NGN', null],
    ['abc', null],
    ['', null],
    ['₦', null],
  ])('reads %j as %s kobo', (text, kobo) => {
    expect(parseNairaToKobo(text)).toBe(kobo);
  });

  it('reads back what formatNaira shows (generated)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }), (kobo) => {
        expect(parseNairaToKobo(formatNaira(kobo, { alwaysKobo: true }))).toBe(kobo);
        expect(parseNairaToKobo(formatNaira(kobo))).toBe(kobo);
      }),
      { numRuns: 500 },
    );
  });

  it('adds money as integers: 0.1 + 0.2 naira is exactly 30 kobo', () => {
    const sum = (parseNairaToKobo('0.10') ?? 0) + (parseNairaToKobo('0.20') ?? 0);
    expect(sum).toBe(30);
    expect(formatNaira(sum)).toBe('₦0.30');
  });
});

describe('uuidv7', () => {
  it('makes RFC 9562 version 7 ids with the time in the first 48 bits', () => {
    const at = Date.UTC(2026, 10, 24, 9, 30, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation time, as text', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 1, max: 2 ** 20 }),
        (earlier, gap) => uuidv7(earlier) < uuidv7(earlier + gap),
      ),
      { numRuns: 500 },
    );
    expect(uuidv7(0) < uuidv7(1)).toBe(true);
  });

  it('never repeats, even within one millisecond', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7(at))).size).toBe(10_000);
  });
});

describe('Lagos time', () => {
  it('puts 23:30 UTC in the next Lagos day, and 22:59 UTC in the same one', () => {
    expect(lagosDay(Date.parse('2026-11-24T23:30:00Z'))).toBe('2026-11-25');
    expect(lagosDay(Date.parse('2026-11-24T22:59:00Z'))).toBe('2026-11-24');
    expect(lagosHour(Date.parse('2026-11-24T21:00:00Z'))).toBe(22);
  });

  it('gives a Lagos day as [midnight, next midnight) in UTC+1', () => {
    const { from, to } = lagosDayRange('2026-11-24');
    expect(new Date(from).toISOString()).toBe('2026-11-23T23:00:00.000Z');
    expect(to - from).toBe(86_400_000);
  });
});

describe('parseNigerianPhone', () => {
  it.each([
    '08031234567',
    '0803 123 4567',
    '0803-123-4567',
    '0803.123.4567',
    '(0803) 123 4567',
    '  0803 123 4567  ',
    '+234 803 123 4567',
    '+234-803-123-4567',
    '+234 (803) 123-4567',
    '(+234) 803-123-4567',
    '+2348031234567',
    '2348031234567',
    '234 803 123 4567',
    '234-803-123-4567',
    '8031234567',
    '803 123 4567',
    '00234 803 123 4567',
  ])('reads %j as +2348031234567 (MTN)', (input) => {
    expect(parseNigerianPhone(input)).toEqual({
      ok: true,
      e164: '+2348031234567',
      national: '08031234567',
      carrier: 'MTN',
    });
  });

  it.each([
    ['0803 123 4567', 'MTN'],
    ['0806 123 4567', 'MTN'],
    ['0703 123 4567', 'MTN'],
    ['0704 123 4567', 'MTN'],
    ['0916 123 4567', 'MTN'],
    ['07025 123 456', 'MTN'],
    ['0802 123 4567', 'Airtel'],
    ['0701 234 5678', 'Airtel'],
    ['0902 123 4567', 'Airtel'],
    ['0912 123 4567', 'Airtel'],
    ['0805 123 4567', 'Glo'],
    ['0705 123 4567', 'Glo'],
    ['0815 123 4567', 'Glo'],
    ['0905 123 4567', 'Glo'],
    ['0809 123 4567', '9mobile'],
    ['0817 123 4567', '9mobile'],
    ['0908 123 4567', '9mobile'],
    ['0909 123 4567', '9mobile'],
    ['0707 123 4567', 'others'],
  ])('knows %s is on %s', (input, carrier) => {
    expect(parseNigerianPhone(input)).toMatchObject({ ok: true, carrier });
  });

  it('keeps the carrier on every written form', () => {
    for (const form of ['+234 805 123 4567', '234 805 123 4567', '0805-123-4567', '805 123 4567']) {
      expect(parseNigerianPhone(form)).toMatchObject({ ok: true, e164: '+2348051234567', carrier: 'Glo' });
    }
  });

  it.each([
    ['01 234 5678', /landline/],
    ['(01) 234-5678', /landline/],
    ['+234 1 234 5678', /landline/],
    ['09 234 5678', /landline/],
    ['0610 123 4567', /landline/],
    ['+44 7700 900123', /Only Nigerian numbers/],
    ['+1 202 555 0123', /Only Nigerian numbers/],
    ['+233 24 123 4567', /Only Nigerian numbers/],
    ['0803 123', /too short/],
    ['0803 123 45678', /too long/],
    ['0800 123 4567', /not a Nigerian mobile number/],
    ['call me', /only digits/],
    ['0806 abc 4567', /only digits/],
    ['++2348031234567', /only digits/],
    ['0803/123/4567', /only digits/],
    ['', /Enter a phone number/],
    ['   ', /Enter a phone number/],
  ])('refuses %j with a reason', (input, reason) => {
    const result = parseNigerianPhone(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(reason);
  });

  it('formats a national number for display', () => {
    expect(formatNationalPhone('08031234567')).toBe('0803 123 4567');
    expect(formatNationalPhone('0803')).toBe('0803');
  });
});
