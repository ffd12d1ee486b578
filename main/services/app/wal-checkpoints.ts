/**
 * Moves the WAL into the database file while the counter is quiet, so a checkpoint (an fsync
 * of the whole database) does not land in the middle of recording a sale. A passive checkpoint
 * never waits for a reader or writer; closing the shop truncates the WAL.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export class WalCheckpoints {
  private timer: NodeJS.Timeout | null = null;
  private lastChanges: number;

  constructor(
    private readonly db: Database.Database,
    private readonly everyMs = 15_000,
  ) {
    this.lastChanges = this.totalChanges();
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** Checkpoints only when nothing was written since the last tick: the shop is idle. */
  tick(): void {
    const changes = this.totalChanges();
    const idle = changes === this.lastChanges;
    this.lastChanges = changes;
    if (idle && this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private totalChanges(): number {
    return (this.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  }
}
