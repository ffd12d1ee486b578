/**
 * This counter's hybrid logical clock, kept across restarts. Every local edit of a record that
 * merges per field is stamped here; the last value handed out is written in the same
 * transaction as the edit, so after a power cut (or a wall clock reset by a flat CMOS battery)
 * the next stamp still comes after it. The offset to the server's clock, learnt at each sync,
 * corrects a counter whose clock is off.
 */
import { z } from 'zod';
import { formatHlc, HybridClock, parseHlc, type Hlc } from '../../../shared/hlc';
import type { SyncState } from './sync-state';

const CLOCK_KEY = 'clock';
const OFFSET_KEY = 'clockOffset';

export class SyncClock {
  private clock: HybridClock | null = null;

  constructor(
    private readonly state: SyncState,
    /** The node name in every stamp: the random tail of this counter's id. */
    private readonly node: () => string,
    private readonly wallClock: () => number,
  ) {}

  private ensure(): HybridClock {
    if (this.clock !== null) return this.clock;
    const offset = this.state.get(OFFSET_KEY, z.number()) ?? 0;
    const clock = new HybridClock(this.node(), this.wallClock, offset);
    const last = this.state.get(CLOCK_KEY, z.string());
    if (last !== null) {
      try {
        clock.restore(parseHlc(last));
      } catch {
        // A damaged value is only a lost hint: the wall clock carries on.
      }
    }
    this.clock = clock;
    return clock;
  }

  /** A stamp for a local edit; call inside the edit's transaction. */
  stamp(): string {
    const clock = this.ensure();
    const text = formatHlc(clock.now());
    this.state.set(CLOCK_KEY, text);
    return text;
  }

  /** Moves the clock past a stamp seen from elsewhere (kept at the next stamp or save). */
  receive(text: string): void {
    try {
      this.ensure().receive(parseHlc(text));
    } catch {
      // Stamps are checked when pulled; one that does not parse cannot move the clock.
    }
  }

  save(): void {
    if (this.clock !== null) this.state.set(CLOCK_KEY, formatHlc(this.clock.latest));
  }

  /** Server time minus this counter's time, measured at a sync. */
  setOffset(offsetMs: number): void {
    this.ensure().setOffset(offsetMs);
    this.state.set(OFFSET_KEY, offsetMs);
  }

  get offset(): number {
    return this.ensure().offset;
  }

  latest(): Hlc {
    return this.ensure().latest;
  }
}
