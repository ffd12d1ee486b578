/**
 * Failed pairing attempts per client address: an 8-character code from 31 letters and digits
 * cannot be guessed in the 20 tries per 10 minutes this allows. Kept in memory per server
 * process (a restart forgives), bounded in the number of addresses it remembers.
 */
export const PAIRING_ATTEMPTS_ALLOWED = 20;
export const PAIRING_ATTEMPTS_WINDOW_MS = 10 * 60 * 1000;
const ADDRESSES_KEPT = 10_000;

export class PairingAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly allowed = PAIRING_ATTEMPTS_ALLOWED,
    private readonly windowMs = PAIRING_ATTEMPTS_WINDOW_MS,
  ) {}

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(address);
    else this.failures.set(address, kept);
    return kept;
  }

  blocked(address: string): boolean {
    return this.recent(address).length >= this.allowed;
  }

  recordFailure(address: string): void {
    const kept = this.recent(address);
    kept.push(this.now());
    // Re-inserting moves the address to the end, so the oldest-touched one is dropped first.
    this.failures.delete(address);
    this.failures.set(address, kept);
    if (this.failures.size > ADDRESSES_KEPT) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }
}
