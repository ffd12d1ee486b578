/**
 * Each business's webhook key: made on first use, then the same for good, so the URLs the owner
 * pasted into the providers' dashboards keep working. A key is 32 random bytes (base64url), as
 * hard to guess as a device token; it names the business a provider's post belongs to.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Orm } from '../db/database';
import { hookKeys } from '../db/schema';

const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The business's key, made now if it has none (two counters asking at once get the same one). */
export async function hookKeyFor(orm: Orm, businessId: string, now: number): Promise<string> {
  const read = () =>
    orm.select({ key: hookKeys.key }).from(hookKeys).where(eq(hookKeys.businessId, businessId));
  const existing = (await read())[0];
  if (existing !== undefined) return existing.key;
  await orm
    .insert(hookKeys)
    .values({ businessId, key: randomBytes(32).toString('base64url'), createdAt: now })
    .onConflictDoNothing({ target: hookKeys.businessId });
  const made = (await read())[0];
  if (made === undefined) throw new Error(`no webhook key for business ${businessId}`);
  return made.key;
}

/** The business a webhook key belongs to, or null for a key that is not one of ours. */
export async function businessForHookKey(orm: Orm, key: string): Promise<string | null> {
  if (!KEY_SHAPE.test(key)) return null;
  const rows = await orm
    .select({ businessId: hookKeys.businessId })
    .from(hookKeys)
    .where(eq(hookKeys.key, key));
  return rows[0]?.businessId ?? null;
}
