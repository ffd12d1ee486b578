/**
 * Order posts per client address: a shopper places a handful of orders at most, while a script
 * filling a store with fake orders (each holding back stock until the shop cancels it) is stopped
 * at 30 per 10 minutes. Kept in memory per server process and bounded in the addresses it
 * remembers, like the pairing attempts (../tenancy/pairing-attempts.ts); behind a proxy it needs
 * KASUWA_TRUST_PROXY to see shoppers' own addresses.
 */
export const ORDERS_ALLOWED = 30;
export const ORDERS_WINDOW_MS = 10 * 60 * 1000;
const ADDRESSES_KEPT = 10_000;

export class OrderLimit {
  private readonly posts = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly allowed = ORDERS_ALLOWED,
    private readonly windowMs = ORDERS_WINDOW_MS,
  ) {}

  /**
   * Counts a post from `address`; false once it is over the limit. `retryAfterSeconds` is when
   * the oldest counted post leaves the window.
   */
  take(address: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const at = this.now();
    const kept = (this.posts.get(address) ?? []).filter((when) => when > at - this.windowMs);
    this.posts.delete(address);
    if (kept.length >= this.allowed) {
      this.posts.set(address, kept);
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(((kept[0] ?? at) + this.windowMs - at) / 1000)),
      };
    }
    kept.push(at);
    // Re-inserting moves the address to the end, so the oldest-touched one is dropped first.
    this.posts.set(address, kept);
    if (this.posts.size > ADDRESSES_KEPT) {
      const oldest = this.posts.keys().next().value;
      if (oldest !== undefined) this.posts.delete(oldest);
    }
    return { allowed: true };
  }
}
