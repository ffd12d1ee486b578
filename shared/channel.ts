/** The building block of the contract: a zod input schema paired with a result type. */
import { z } from 'zod';

export interface Channel<I extends z.ZodType, R> {
  input: I;
  /** A type only: results are produced by our own code, so they are not parsed. */
  result?: R;
}

export function channel<R>() {
  return <I extends z.ZodType>(input: I): Channel<I, R> => ({ input });
}

export const noInput = z.undefined();

export const idInput = z.object({ id: z.uuid() });

export const pageInput = {
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(500).default(50),
};

export interface Page<T> {
  total: number;
  rows: T[];
}

/** Integer kobo, never a float; at most ₦10 billion in one amount. */
export const kobo = z
  .number()
  .int('Amounts are whole kobo')
  .min(0)
  .max(1_000_000_000_000, 'That amount is too large');

export const pin = z.string().regex(/^\d{4,6}$/, 'A PIN is 4 to 6 digits');
