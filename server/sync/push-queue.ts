/**
 * Pushes of one business wait their turn here, in this process, rather than each holding a
 * database connection while it waits for the business's row lock — a supermarket's tills
 * pushing at once would otherwise take the whole pool and leave reads queueing behind them.
 * While a business's transaction runs, the batches that arrive are gathered, and the next
 * transaction applies all of them, in arrival order, under one lock and one commit (group
 * commit): on a disk where a commit's flush costs a millisecond or two, that flush is what
 * bounds a business's pushes per second. Each push still gets its own answer, as if alone.
 *
 * Across server processes the row lock in push.ts keeps the order; this queue only makes each
 * process's share of the work cheaper.
 */
import type pg from 'pg';
import { applyBatches, type CheckedBatch, type PushOutcome } from './push';

/** A group stops growing at this many mutations, so one transaction stays a bounded size. */
const GROUP_MUTATIONS = 4_000;

interface Waiting {
  batch: CheckedBatch;
  resolve(outcome: PushOutcome): void;
  reject(error: unknown): void;
}

export class PushQueue {
  /** Businesses with a transaction running, and the batches waiting behind it. */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
    /** Told how many batches each transaction carried, for the metrics. */
    private readonly onGroup: (batches: number) => void = () => undefined,
  ) {}

  push(batch: CheckedBatch): Promise<PushOutcome> {
    const { businessId } = batch.pusher;
    return new Promise((resolve, reject) => {
      const entry: Waiting = { batch, resolve, reject };
      const queue = this.waiting.get(businessId);
      if (queue !== undefined) {
        queue.push(entry);
        return;
      }
      this.waiting.set(businessId, []);
      void this.run(businessId, [entry]);
    });
  }

  private async run(businessId: string, group: Waiting[]): Promise<void> {
    this.onGroup(group.length);
    try {
      const outcomes = await applyBatches(
        this.pool,
        businessId,
        group.map((entry) => entry.batch),
        this.now,
      );
      group.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined) entry.reject(new Error('push answer missing'));
        else entry.resolve(outcome);
      });
    } catch (error) {
      if (group.length === 1) group[0]?.reject(error);
      // One batch's trouble must not fail the others it was grouped with: each goes alone.
      else for (const entry of group) await this.alone(businessId, entry);
    }
    const queue = this.waiting.get(businessId) ?? [];
    if (queue.length === 0) {
      this.waiting.delete(businessId);
      return;
    }
    let size = 0;
    let take = 0;
    while (
      take < queue.length &&
      (take === 0 || size + (queue[take]?.batch.valid.length ?? 0) <= GROUP_MUTATIONS)
    ) {
      size += queue[take]?.batch.valid.length ?? 0;
      take += 1;
    }
    void this.run(businessId, queue.splice(0, take));
  }

  private async alone(businessId: string, entry: Waiting): Promise<void> {
    try {
      const [outcome] = await applyBatches(this.pool, businessId, [entry.batch], this.now);
      if (outcome === undefined) entry.reject(new Error('push answer missing'));
      else entry.resolve(outcome);
    } catch (error) {
      entry.reject(error);
    }
  }
}
