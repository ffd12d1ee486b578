/**
 * This counter's hybrid logical clock, kept across restarts. Every local edit of a record that
 * merges per field is stamped here; the last value handed out is written in the same
 * transaction as the edit, so after a power cut (or a wall clock reset by a flat CMOS battery)
 * the next stamp still comes after it.
 *
 * Time itself comes from the server once it has been heard from: each sync anchors the
 * server's time to this process's monotonic clock, which a changed system date does not move,
 * so a counter whose date is set a day wrong (before or after it synced) still stamps edits in
 * the server's time. Before the first sync of a process the wall clock plus the last known
 * offset stands in; the server clamps anything from too far ahead.
 */
import { z } from 'zod';
import { formatHlc, HybridClock, MAX_DRIFT_MS, parseHlc, type Hlc } from '../../../shared/hlc';
import type { SyncState } from './sync-state';

const CLOCK_KEY = 'clock';
const OFFSET_KEY = 'clockOffset';

/** When a request left and came back, by both clocks. */
export interface ClockMark {
  wall: number;
  mono: number;
}

/** Only a quick round trip says much about the server's time. */
const MAX_ROUND_TRIP_MS = 5_000;

export class SyncClock {
  private clock: HybridClock | null = null;
  private offset: number | null = null;
  private anchor: { serverTime: number; mono: number } | null = null;

  constructor(
    private readonly state: SyncState,
    /** The node name in every stamp: the random tail of this counter's id. */
    private readonly node: () => string,
    private readonly wallClock: () => number,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /** The best idea of the server's time now. */
  private physical(): number {
    if (this.anchor !== null)
      return Math.round(this.anchor.serverTime + (this.monotonic() - this.anchor.mono));
    this.offset ??= this.state.get(OFFSET_KEY, z.number()) ?? 0;
    return this.wallClock() + this.offset;
  }

  private ensure(): HybridClock {
    if (this.clock !== null) return this.clock;
    const clock = new HybridClock(this.node(), () => this.physical(), 0);
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

  mark(): ClockMark {
    return { wall: this.wallClock(), mono: this.monotonic() };
  }

  /** The server said `serverTime` between `sent` and `received`; call in a transaction. */
  learn(serverTime: number, sent: ClockMark, received: ClockMark): void {
    if (received.mono - sent.mono > MAX_ROUND_TRIP_MS) return;
    this.anchor = { serverTime, mono: (sent.mono + received.mono) / 2 };
    this.offset = Math.round(serverTime - (sent.wall + received.wall) / 2);
    this.state.set(OFFSET_KEY, this.offset);
    // Stamps made while the date was wrong ran ahead; the server clamps them, and so does this clock.
    const clock = this.ensure();
    clock.rewindBeyond(this.physical() + MAX_DRIFT_MS);
    this.state.set(CLOCK_KEY, formatHlc(clock.latest));
  }

  /** How far this counter's wall clock is from the server's, as last measured. */
  wallOffset(): number {
    this.offset ??= this.state.get(OFFSET_KEY, z.number()) ?? 0;
    return this.offset;
  }

  latest(): Hlc {
    return this.ensure().latest;
  }
}
