/**
 * Saved segments of the customer book, each with its live count, and the four ready-made ones
 * every shop starts with (written on first use, rules fixed, never deleted). Deleting a saved
 * segment keeps its row (campaigns name the segment they were sent to); campaigns keep their own
 * copy of the rules, so a later edit never changes who an old campaign went to.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import {
  READY_SEGMENTS,
  segmentDefinitionSchema,
  type ContactChannel,
  type MessageKind,
  type Page,
  type ReadySegment,
  type Segment,
  type SegmentCount,
  type SegmentDefinition,
  type SegmentMember,
  type SegmentSource,
} from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import { SegmentEngine, type SegmentRecipient } from './segment-engine';

/** The ready-made segments: names and rules. */
export const READY_DEFINITIONS: Record<ReadySegment, { name: string; definition: SegmentDefinition }> = {
  'high-value': {
    name: 'High value',
    definition: {
      match: 'any',
      rules: [
        { field: 'totalSpent', op: 'at-least', value: 10_000_000 },
        { field: 'tier', op: 'in', values: ['gold', 'platinum'] },
      ],
    },
  },
  lapsed: {
    name: 'Lapsed (60 days)',
    definition: {
      match: 'all',
      rules: [
        { field: 'lastPurchase', op: 'more-than', days: 60 },
        { field: 'purchaseCount', op: 'at-least', value: 1 },
      ],
    },
  },
  'new-this-month': {
    name: 'New this month',
    definition: { match: 'all', rules: [{ field: 'added', op: 'this-month', days: 0 }] },
  },
  'birthdays-this-week': {
    name: 'Birthdays this week',
    definition: { match: 'all', rules: [{ field: 'birthdayWithin', days: 7 }] },
  },
};

interface SegmentRow {
  id: string;
  name: string;
  definition: string;
  ready: ReadySegment | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface SaveSegmentInput {
  id?: string | undefined;
  name: string;
  definition: SegmentDefinition;
}

export class SegmentService {
  readonly engine: SegmentEngine;
  private readonly sql: Database.Database;
  private readonly byId: Database.Statement<[string], SegmentRow>;
  private readonly live: Database.Statement<[], SegmentRow>;
  private seeded = false;

  constructor(
    private readonly deps: { db: ShopDatabase; audit: AuditLog; now: () => number; engine?: SegmentEngine },
  ) {
    this.sql = deps.db.sqlite;
    this.engine = deps.engine ?? new SegmentEngine({ db: deps.db, now: deps.now });
    this.byId = this.sql.prepare('SELECT * FROM segments WHERE id = ?');
    this.live = this.sql.prepare(
      `SELECT * FROM segments WHERE deleted_at IS NULL
       ORDER BY ready IS NULL, CASE ready ${READY_SEGMENTS.map((ready, i) => `WHEN '${ready}' THEN ${i}`).join(' ')} END,
         name COLLATE NOCASE, id`,
    );
  }

  /** The ready-made segments first, then the saved ones by name, each with its count now. */
  list(): Segment[] {
    this.seedReady();
    return this.live.all().map((row) => this.segment(row));
  }

  save(input: SaveSegmentInput, staffId: string | null = null): Segment {
    const definition = segmentDefinitionSchema.parse(input.definition);
    const name = input.name.trim();
    if (name === '') {
      throw new KasuwaError('invalid_input', 'Name the segment.', [
        { path: ['name'], message: 'Name the segment' },
      ]);
    }
    this.seedReady();
    const id = input.id ?? uuidv7(this.deps.now());
    this.sql
      .transaction(() => {
        const at = this.deps.now();
        const existing = input.id === undefined ? undefined : this.current(input.id);
        if (existing !== undefined && existing.ready !== null) {
          throw new KasuwaError(
            'conflict',
            `“${existing.name}” is ready-made and its rules are fixed. Save your changes as a new segment.`,
          );
        }
        const sameName = this.live
          .all()
          .find((row) => row.id !== id && row.name.toLowerCase() === name.toLowerCase());
        if (sameName !== undefined) {
          throw new KasuwaError('conflict', `There is already a segment called “${sameName.name}”.`, [
            { path: ['name'], message: 'Choose another name' },
          ]);
        }
        if (existing === undefined) {
          this.sql
            .prepare(
              `INSERT INTO segments (id, name, definition, ready, created_at, updated_at)
               VALUES (?, ?, ?, NULL, ?, ?)`,
            )
            .run(id, name, JSON.stringify(definition), at, at);
        } else {
          this.sql
            .prepare('UPDATE segments SET name = ?, definition = ?, updated_at = ? WHERE id = ?')
            .run(name, JSON.stringify(definition), at, id);
        }
        this.deps.audit.append({
          actorStaffId: staffId,
          action: existing === undefined ? 'segment.create' : 'segment.update',
          entity: 'segment',
          entityId: id,
          details: { name, rules: definition.rules.length, match: definition.match },
        });
      })
      .immediate();
    return this.segment(this.current(id));
  }

  delete(id: string, staffId: string | null = null): { deleted: true } {
    this.seedReady();
    this.sql
      .transaction(() => {
        const row = this.current(id);
        if (row.ready !== null) {
          throw new KasuwaError('conflict', `“${row.name}” is ready-made and cannot be deleted.`);
        }
        this.sql.prepare('UPDATE segments SET deleted_at = ? WHERE id = ?').run(this.deps.now(), id);
        this.deps.audit.append({
          actorStaffId: staffId,
          action: 'segment.delete',
          entity: 'segment',
          entityId: id,
          details: { name: row.name },
        });
      })
      .immediate();
    return { deleted: true };
  }

  /** The rules of a saved segment, or the inline rules as given. */
  definitionOf(source: SegmentSource): SegmentDefinition {
    return this.resolve(source).definition;
  }

  /** A source with the name and id a campaign records ("Custom segment" for inline rules). */
  resolve(source: SegmentSource): { segmentId: string | null; name: string; definition: SegmentDefinition } {
    if ('definition' in source) {
      return {
        segmentId: null,
        name: 'Custom segment',
        definition: segmentDefinitionSchema.parse(source.definition),
      };
    }
    this.seedReady();
    const row = this.current(source.segmentId);
    return { segmentId: row.id, name: row.name, definition: this.definitionFrom(row) };
  }

  count(definition: SegmentDefinition): SegmentCount {
    return this.engine.countSegment(definition);
  }

  /** How many customers match, without the per-channel reach. */
  matching(definition: SegmentDefinition): number {
    return this.engine.countSegment(definition).matching;
  }

  members(source: SegmentSource, page: { offset: number; limit: number }): Page<SegmentMember> {
    return this.engine.members(this.definitionOf(source), page);
  }

  recipients(
    definition: SegmentDefinition,
    channel: ContactChannel,
    kind: MessageKind,
  ): Iterable<SegmentRecipient> {
    return this.engine.recipients(definition, channel, kind);
  }

  /** Writes the ready-made segments the first time segments are used; later calls do nothing. */
  private seedReady(): void {
    if (this.seeded) return;
    const insert = this.sql.prepare(
      `INSERT INTO segments (id, name, definition, ready, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ready) DO NOTHING`,
    );
    this.sql
      .transaction(() => {
        for (const ready of READY_SEGMENTS) {
          const { name, definition } = READY_DEFINITIONS[ready];
          const at = this.deps.now();
          insert.run(uuidv7(at), name, JSON.stringify(definition), ready, at, at);
        }
      })
      .immediate();
    this.seeded = true;
  }

  /** A segment that is saved and not deleted. */
  private current(id: string): SegmentRow {
    const row = this.byId.get(id);
    if (row === undefined) throw new KasuwaError('not_found', 'That segment is not saved on this counter.');
    if (row.deleted_at !== null) throw new KasuwaError('not_found', `The segment “${row.name}” was deleted.`);
    return row;
  }

  private definitionFrom(row: SegmentRow): SegmentDefinition {
    // The ready-made rules come from the code, so a fix to them reaches shops that already have the row.
    if (row.ready !== null) return READY_DEFINITIONS[row.ready].definition;
    return segmentDefinitionSchema.parse(JSON.parse(row.definition));
  }

  private segment(row: SegmentRow): Segment {
    const definition = this.definitionFrom(row);
    return {
      id: row.id,
      name: row.name,
      definition,
      ready: row.ready,
      count: this.engine.countSegment(definition),
      updatedAt: row.updated_at,
    };
  }
}
