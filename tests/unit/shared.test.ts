/** Runtime-neutral helpers: naira from kobo, UUIDv7, Lagos time, and Nigerian numbers. */
import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from '../../shared/ids';
import { lagosDay, lagosDayRange, lagosHour } from '../../shared/lagos-time';
import { assertKobo, formatNaira, parseNairaToKobo } from '../../shared/money';
import { parseNigerianPhone } from '../../shared/phone';

describe('money', () => {
  it.each([
    [0, '₦0'],
    [100, '₦1'],
    [123_450, '₦1,234.50'],
    [5, '₦0.05'],
    [-250_075, '-₦2,500.75'],
    [100_000_000_000_00, '₦100,000,000,000'],
  ])('formats %i kobo as %s', (kobo, text) => {
    expect(formatNaira(kobo)).toBe(text);
  });

  it('formats bigint kobo beyond the safe integer range without a float', () => {
    expect(formatNaira(12_345_678_901_234_567_89n)).toBe('₦12,345,678,901,234,567.89');
  });

  it('shows kobo when asked, even on whole naira', () => {
    expect(formatNaira(150_000, { alwaysKobo: true })).toBe('₦1,500.00');
  });

  it('refuses a float amount', () => {
    expect(() => assertKobo(10.5)).toThrow(RangeError);
    expect(() => formatNaira(0.1 + 0.2)).toThrow(RangeError);
  });

  it.each([
    ['1500', 150_000],
    ['1,500', 150_000],
    ['₦1,500.5', 150_050],
    ['NGN 20', 2_000],
    ['0.07', 7],
    ['-3', -300],
    ['12.345', null],
    ['abc', null],
    ['', null],
  ])('reads %j as %s kobo', (text, kobo) => {
    expect(parseNairaToKobo(text)).toBe(kobo);
  });

  it('adds money as integers: 0.1 + 0.2 naira is exactly 30 kobo', () => {
    const sum = (parseNairaToKobo('0.10') ?? 0) + (parseNairaToKobo('0.20') ?? 0);
    expect(sum).toBe(30);
    expect(formatNaira(sum)).toBe('₦0.30');
  });
});

describe('uuidv7', () => {
  it('makes version 7 ids that sort by time', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    expect(earlier).toMatch(UUID_PATTERN);
    expect(earlier[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(earlier[19]);
    expect(earlier < later).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => uuidv7())).size).toBe(1000);
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
    '(0803) 123 4567',
    '+234 803 123 4567',
    '+2348031234567',
    '2348031234567',
    '8031234567',
    '00234 803 123 4567',
  ])('reads %j as +2348031234567 on MTN', (input) => {
    expect(parseNigerianPhone(input)).toEqual({
      ok: true,
      e164: '+2348031234567',
      national: '08031234567',
      carrier: 'MTN',
    });
  });

  it.each([
    ['0802 123 4567', 'Airtel'],
    ['0805 123 4567', 'Glo'],
    ['0809 123 4567', '9mobile'],
    ['0702 5123 456', 'MTN'],
    ['0916 123 4567', 'MTN'],
  ])('knows %s is %s', (input, carrier) => {
    expect(parseNigerianPhone(input)).toMatchObject({ ok: true, carrier });
  });

  it.each([
    ['01 234 5678', /landline/],
    ['+44 7700 900123', /Nigerian/],
    ['0803 123', /too short/],
    ['0803 123 45678', /too long/],
    ['call me', /only digits/],
    ['', /Enter a phone number/],
  ])('refuses %j with a sentence', (input, reason) => {
    const result = parseNigerianPhone(input);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(reason);
  });
});
