/** Staff PINs are stored only as scrypt hashes: `scrypt$N$r$p$salt$hash` (base64). */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const PARAMS = { N: 2 ** 14, r: 8, p: 1 } as const;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Only hashes made by `hashPin` are accepted: a stored row with other parameters is never a match. */
export function verifyPin(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0) return false;
  if (Number(n) !== PARAMS.N || Number(r) !== PARAMS.r || Number(p) !== PARAMS.p) return false;
  const saltBytes = Buffer.from(salt ?? '', 'base64');
  const expected = Buffer.from(hash ?? '', 'base64');
  if (saltBytes.length !== 16 || expected.length !== 32) return false;
  const actual = scryptSync(pin, saltBytes, 32, PARAMS);
  return timingSafeEqual(expected, actual);
}
