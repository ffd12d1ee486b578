/**
 * Flutterwave's webhook "secret hash" per business: Flutterwave sends, in each webhook's
 * `verif-hash` header, whatever the owner pasted into its dashboard, so the server makes one
 * (32 random bytes, base64url) at the first publish and hands it to the paired counters to show.
 * It never changes after, so the pasted value keeps working; it is kept apart from the webhook
 * key in the URL, so a URL seen in a log is not enough to post a payment event.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const SELECT_SECRET =
  "SELECT secret FROM store_hook_secrets WHERE business_id = $1 AND provider = 'flutterwave'";

/** The business's Flutterwave secret hash, made now if it has none (a race makes one, not two). */
export async function flutterwaveSecretHashFor(
  db: Queryable,
  businessId: string,
  now: number,
): Promise<string> {
  await db.query(
    `INSERT INTO store_hook_secrets (business_id, provider, secret, created_at)
     VALUES ($1, 'flutterwave', $2, $3) ON CONFLICT DO NOTHING`,
    [businessId, randomBytes(32).toString('base64url'), now],
  );
  const made = (await db.query<{ secret: string }>(SELECT_SECRET, [businessId])).rows[0];
  if (made === undefined) throw new Error(`no Flutterwave secret hash for business ${businessId}`);
  return made.secret;
}

/** The business's Flutterwave secret hash; null before its first publish. */
export async function flutterwaveSecretHash(db: Queryable, businessId: string): Promise<string | null> {
  return (await db.query<{ secret: string }>(SELECT_SECRET, [businessId])).rows[0]?.secret ?? null;
}

/** A header value against the secret, in constant time. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
