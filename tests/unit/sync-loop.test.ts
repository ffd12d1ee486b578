/**
 * The background loop's decisions on a fake clock: when it syncs on mains and on battery, when
 * it pauses, how it debounces writes, and how it backs off a failing server. The engine here
 * only counts passes (or fails them): what a pass does is tested against the real server.
 */
import { describe, expect, it } from 'vitest';
import { ManualNetwork, ManualPower } from '../../main/services/sync/conditions';
import { LOW_BATTERY_INTERVAL_MS, MAINS_INTERVAL_MS } from '../../main/services/sync/schedule';
import type { EngineStatus, PassReport, SyncEngine } from '../../main/services/sync/sync-engine';
import { SyncLoop, type LoopTimers } from '../../main/services/sync/sync-loop';
import { SyncHttpError } from '../../main/services/sync/sync-transport';

class FakeTime implements LoopTimers {
  now = 1_000_000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, callback, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Moves the clock on, firing due timers in order and letting passes settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

function setup(options: { fail?: () => Error | null } = {}) {
  const time = new FakeTime();
  const power = new ManualPower();
  const network = new ManualNetwork();
  const passes: number[] = [];
  let revoked = false;
  const status: EngineStatus = {
    running: false,
    lastSyncAt: null,
    lastError: null,
    revoked: false,
    bytesPerSecond: null,
    batchSize: 100,
    gzip: true,
  };
  const engine = {
    run: (): Promise<PassReport> => {
      passes.push(time.now);
      const error = options.fail?.() ?? null;
      if (error instanceof SyncHttpError && error.revoked) revoked = true;
      return error === null
        ? Promise.resolve({ pushed: 0, pulled: 0, conflicts: 0, rejected: 0 })
        : Promise.reject(error);
    },
    snapshot: (): EngineStatus => ({ ...status, revoked }),
  } as unknown as SyncEngine;
  const loop = new SyncLoop({
    engine,
    power,
    network,
    paired: () => true,
    now: () => time.now,
    onChange: () => undefined,
    onError: () => undefined,
    timers: time,
    random: () => 0.5,
  });
  return { time, power, network, passes, loop, since: (at: number) => passes.filter((p) => p > at) };
}

describe('the sync loop', () => {
  it('catches up at start, then syncs every 30 s on mains', async () => {
    const { time, passes, loop } = setup();
    const start = time.now;
    loop.start();
    await time.advance(95_000);
    expect(passes.map((at) => at - start)).toEqual([
      0,
      MAINS_INTERVAL_MS,
      2 * MAINS_INTERVAL_MS,
      3 * MAINS_INTERVAL_MS,
    ]);
    loop.stop();
  });

  it('syncs every 5 min on a battery below 20 %, and pauses below 5 % unless the owner asks', async () => {
    const { time, power, passes, loop, since } = setup();
    power.set({ onBattery: true, batteryPercent: 15 });
    loop.start();
    await time.advance(LOW_BATTERY_INTERVAL_MS * 2 + 1_000);
    expect(passes).toHaveLength(3);
    const low = time.now;
    power.set({ onBattery: true, batteryPercent: 4 });
    await time.advance(LOW_BATTERY_INTERVAL_MS * 3);
    expect(since(low)).toEqual([]);
    expect(loop.paused).toMatch(/Battery below 5 %/);
    loop.trigger('owner');
    await time.advance(0);
    expect(since(low)).toHaveLength(1);
    // Back on mains: the schedule picks up again on its own.
    power.set({ onBattery: false, batteryPercent: 40 });
    await time.advance(MAINS_INTERVAL_MS + 1);
    expect(since(low).length).toBeGreaterThanOrEqual(2);
    expect(loop.paused).toBeNull();
    loop.stop();
  });

  it('syncs once, 2 s after a burst of sales, not once per sale', async () => {
    const { time, loop, since } = setup();
    loop.start();
    await time.advance(1_000);
    const burst = time.now;
    for (let sale = 0; sale < 5; sale += 1) {
      loop.trigger('local-write');
      await time.advance(300);
    }
    await time.advance(2_000);
    expect(since(burst)).toEqual([burst + 2_000]);
    loop.stop();
  });

  it('waits while offline and syncs the moment the link is back; at once on waking', async () => {
    const { time, network, power, loop, since } = setup();
    loop.start();
    await time.advance(1_000);
    const cut = time.now;
    network.set(false);
    loop.trigger('local-write');
    await time.advance(10 * 60_000);
    expect(since(cut)).toEqual([]);
    expect(loop.paused).toMatch(/No internet/);
    network.set(true);
    await time.advance(0);
    expect(since(cut)).toEqual([time.now]);
    const woke = time.now;
    await time.advance(5_000);
    power.resume();
    await time.advance(0);
    expect(since(woke)).toEqual([woke + 5_000]);
    loop.stop();
  });

  it('backs off a failing server with jitter, and stops for good when the device is revoked', async () => {
    let failures = 0;
    const flaky = setup({
      fail: () => (failures++ < 4 ? new SyncHttpError('down', 503, 'unavailable') : null),
    });
    flaky.loop.start();
    await flaky.time.advance(60_000);
    const gaps = flaky.passes.slice(1, 5).map((at, i) => at - (flaky.passes[i] ?? 0));
    // random() = 0.5 of the capped exponential from 2 s: 1 s (the floor), 2 s, 4 s, 8 s.
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000]);
    flaky.loop.stop();

    const removed = setup({ fail: () => new SyncHttpError('revoked', 401, 'revoked') });
    removed.loop.start();
    await removed.time.advance(10 * 60_000);
    expect(removed.passes).toHaveLength(1);
    removed.loop.stop();
  });
});
