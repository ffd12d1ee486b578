/**
 * The background sync loop: it asks the schedule (./schedule.ts) when to sync from the power
 * and network readings, and runs the engine then: every 30 s on mains, every 5 min on a low
 * battery, not at all on a nearly flat one unless the owner asks, soon after a local write, at
 * once on waking, on the link coming back and on a server notice. A failed pass waits with
 * backoff and jitter before the next try.
 */
import { backoffDelay, type BackoffPolicy } from './backoff';
import type { NetworkSource, PowerSource } from './conditions';
import { decideSync, type SyncTrigger } from './schedule';
import type { SyncEngine } from './sync-engine';
import { SyncHttpError } from './sync-transport';

/** Failed passes back off from 2 s up to 5 min. */
const FAILURE_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

export interface LoopTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: LoopTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class SyncLoop {
  private timer: unknown = null;
  private dueAt: number | null = null;
  private failures = 0;
  private pausedReason: string | null = null;
  private running = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly deps: {
      engine: SyncEngine;
      power: PowerSource;
      network: NetworkSource;
      paired: () => boolean;
      now: () => number;
      onChange: () => void;
      onError: (error: unknown) => void;
      timers?: LoopTimers;
      random?: () => number;
    },
  ) {}

  private get timers(): LoopTimers {
    return this.deps.timers ?? realTimers;
  }

  get nextSyncAt(): number | null {
    return this.dueAt;
  }

  get paused(): string | null {
    return this.pausedReason;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { power, network } = this.deps;
    this.unsubscribe.push(
      power.onChange(() => this.trigger('timer')),
      power.onResume(() => this.trigger('resume')),
      network.onChange((online) => this.trigger(online ? 'reconnect' : 'timer')),
    );
    // Starting up is like the link coming back: catch up at once.
    this.trigger('reconnect');
  }

  stop(): void {
    this.running = false;
    for (const off of this.unsubscribe.splice(0)) off();
    this.clear();
  }

  trigger(trigger: SyncTrigger): void {
    if (!this.running) return;
    if (!this.deps.paired() || this.deps.engine.snapshot().revoked) {
      this.clear();
      this.deps.onChange();
      return;
    }
    const reading = this.deps.power.read();
    const decision = decideSync(trigger, {
      online: this.deps.network.online(),
      onBattery: reading.onBattery,
      batteryPercent: reading.batteryPercent,
      ownerForced: trigger === 'owner',
    });
    if (decision.action === 'paused') {
      this.pausedReason = decision.reason;
      this.clear();
      this.deps.onChange();
      return;
    }
    this.pausedReason = null;
    if (decision.action === 'sync-now') {
      void this.runNow();
      return;
    }
    // A write's debounce never pushes a sooner sync later.
    const at = this.deps.now() + decision.delayMs;
    if (trigger === 'local-write' && this.dueAt !== null && this.dueAt <= at) return;
    this.schedule(decision.delayMs, trigger === 'local-write' ? 'local-write' : 'timer');
  }

  /** Runs a pass now; the next timed one is scheduled from its outcome. */
  runNow(): Promise<void> {
    this.clear();
    return this.deps.engine.run().then(
      () => {
        this.failures = 0;
        this.afterPass();
      },
      (error: unknown) => {
        this.failures += 1;
        this.deps.onError(error);
        if (error instanceof SyncHttpError && error.revoked) {
          this.deps.onChange();
          return;
        }
        this.schedule(
          Math.max(1_000, backoffDelay(this.failures - 1, this.deps.random ?? Math.random, FAILURE_BACKOFF)),
          'timer',
        );
      },
    );
  }

  private afterPass(): void {
    this.trigger('timer');
  }

  private schedule(delayMs: number, reason: 'timer' | 'local-write'): void {
    this.clear();
    this.dueAt = this.deps.now() + delayMs;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.dueAt = null;
      // Due: sync now if the power and the link still allow it, else the schedule says why not.
      if (this.allowed(reason)) void this.runNow();
      else this.trigger(reason);
    }, delayMs);
    this.deps.onChange();
  }

  private allowed(trigger: SyncTrigger): boolean {
    const reading = this.deps.power.read();
    return (
      decideSync(trigger, {
        online: this.deps.network.online(),
        onBattery: reading.onBattery,
        batteryPercent: reading.batteryPercent,
        ownerForced: false,
      }).action !== 'paused'
    );
  }

  private clear(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.dueAt = null;
  }
}
