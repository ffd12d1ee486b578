/**
 * Hybrid logical clocks: the order of edits across counters without trusting any one counter's
 * wall clock. A timestamp is (wall ms, counter, node). Local events never go backwards; a
 * remote timestamp pulls the clock forward, but never further than `maxDriftMs` ahead of the
 * corrected local time, so a counter whose clock is a day fast cannot win by it. The
 * correction (`offsetMs`) is what the sync server tells a counter its clock is off by.
 */
export interface Hlc {
  wall: number;
  counter: number;
  node: string;
}

export const MAX_DRIFT_MS = 5 * 60 * 1000;

export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall < b.wall ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** Sortable text: equal order as `compareHlc` for counters below 65,536. */
export function formatHlc(hlc: Hlc): string {
  return `${hlc.wall.toString().padStart(15, '0')}:${hlc.counter.toString(36).padStart(4, '0')}:${hlc.node}`;
}

export function parseHlc(text: string): Hlc {
  const match = /^(\d{15}):([0-9a-z]{4}):(.+)$/.exec(text);
  if (match === null) throw new RangeError(`Not a clock value: ${text}`);
  const [, wall = '0', counter = '0', node = ''] = match;
  return { wall: Number(wall), counter: parseInt(counter, 36), node };
}

export class HybridClock {
  private last: Hlc;

  constructor(
    readonly node: string,
    private readonly wallClock: () => number = Date.now,
    /** Server time minus this counter's time, learnt at each sync. */
    private offsetMs = 0,
    private readonly maxDriftMs = MAX_DRIFT_MS,
  ) {
    this.last = { wall: 0, counter: 0, node };
  }

  setOffset(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  get offset(): number {
    return this.offsetMs;
  }

  /** The last timestamp handed out, for keeping across restarts. */
  get latest(): Hlc {
    return this.last;
  }

  /**
   * Picks up from a timestamp kept before a restart, so a counter whose wall clock was reset
   * (a flat CMOS battery after a power cut) never stamps an edit older than its last one.
   */
  restore(last: Hlc): void {
    if (compareHlc(last, this.last) > 0) this.last = { ...last, node: this.node };
  }

  private physical(): number {
    return this.wallClock() + this.offsetMs;
  }

  /** A timestamp for a local edit. */
  now(): Hlc {
    const physical = this.physical();
    this.last =
      physical > this.last.wall
        ? { wall: physical, counter: 0, node: this.node }
        : { wall: this.last.wall, counter: this.last.counter + 1, node: this.node };
    return this.last;
  }

  /**
   * Forgets a last timestamp from beyond `limitWall`: it came from a clock that ran ahead (the
   * server has clamped what carried it), and keeping it would hold every later edit ahead too.
   */
  rewindBeyond(limitWall: number): void {
    if (this.last.wall > limitWall) this.last = { wall: limitWall, counter: 0, node: this.node };
  }

  /**
   * Takes in a timestamp seen from elsewhere. One from beyond the allowed drift is clamped to
   * the edge of it before it can move this clock, and the clamped value is returned so the
   * caller stores what the edit will be judged by.
   */
  receive(remote: Hlc): Hlc {
    const physical = this.physical();
    const limit = physical + this.maxDriftMs;
    const seen = remote.wall > limit ? { ...remote, wall: limit, counter: 0 } : remote;
    const wall = Math.max(physical, this.last.wall, seen.wall);
    let counter = 0;
    if (wall === this.last.wall && wall === seen.wall)
      counter = Math.max(this.last.counter, seen.counter) + 1;
    else if (wall === this.last.wall) counter = this.last.counter + 1;
    else if (wall === seen.wall) counter = seen.counter + 1;
    this.last = { wall, counter, node: this.node };
    return seen;
  }
}

/**
 * The sync server's guard against a counter whose clock runs fast: a clock value from beyond
 * `limitWall` (the server's time plus the allowed drift) is brought back to it, keeping the
 * node. The counter that sent it is told the clamped value and takes it in, so every copy of
 * the record judges the edit by the same clock.
 */
export function clampHlcText(text: string, limitWall: number): string {
  const hlc = parseHlc(text);
  return hlc.wall > limitWall ? formatHlc({ wall: limitWall, counter: 0, node: hlc.node }) : text;
}
