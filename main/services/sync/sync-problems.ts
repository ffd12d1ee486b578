/**
 * What went wrong in sync, for the Sync screen: mutations the server refused (with its reason),
 * facts from other counters this counter could not take in, and failed attempts. Only the
 * newest few hundred are kept; the log file has the rest.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import type { SyncProblem } from '../../../shared/contract';

const KEEP = 500;

export class SyncProblems {
  private readonly insert: Database.Statement;
  private readonly prune: Database.Statement;
  private readonly recent: Database.Statement<[number], SyncProblem>;

  constructor(
    sql: Database.Database,
    private readonly now: () => number,
  ) {
    this.insert = sql.prepare(
      'INSERT INTO sync_problems (at, kind, message, entity, entity_id) VALUES (?, ?, ?, ?, ?)',
    );
    this.prune = sql.prepare(
      'DELETE FROM sync_problems WHERE seq <= (SELECT max(seq) FROM sync_problems) - ?',
    );
    this.recent = sql.prepare(
      `SELECT at, kind, message, entity, entity_id AS entityId FROM sync_problems
       ORDER BY seq DESC LIMIT ?`,
    );
  }

  record(
    kind: SyncProblem['kind'],
    message: string,
    entity: string | null = null,
    entityId: string | null = null,
  ): void {
    this.insert.run(this.now(), kind, message.slice(0, 500), entity, entityId);
    this.prune.run(KEEP);
  }

  list(limit: number): SyncProblem[] {
    return this.recent.all(limit);
  }
}
