/**
 * The store builder's draft: one row, saved a section at a time, so the wizard reopens where the
 * owner left it with everything they typed. A shop's first draft starts from its business
 * profile and the legal templates; a draft saved by an older build gains the fields added since
 * (every field of the schema has a default), and one that no longer parses is set aside in the
 * audit log rather than blocking the screen.
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { KasuwaError } from '../../../shared/errors';
import { DRAFT_SECTIONS, emptyDraft, storeDraftSchema, type StoreDraft } from '../../../shared/store/draft';
import { legalTemplates } from '../../../shared/store/legal';
import type { DraftSectionInput } from '../../../shared/channels/store';
import type { AuditLog } from '../audit/audit-log';
import type { BusinessService } from '../business/business-service';

interface DraftRow {
  draft: string;
  saved_at: number;
  test_order_at: number | null;
}

export class StoreDrafts {
  private readonly read: Database.Statement<[], DraftRow>;
  private readonly write: Database.Statement<[string, number]>;
  private readonly markTest: Database.Statement<[{ at: number }]>;

  constructor(
    private readonly deps: {
      sql: Database.Database;
      audit: AuditLog;
      business: BusinessService;
      now: () => number;
    },
  ) {
    const sql = deps.sql;
    this.read = sql.prepare('SELECT draft, saved_at, test_order_at FROM store_draft WHERE id = 1');
    this.write = sql.prepare(
      `INSERT INTO store_draft (id, draft, saved_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET draft = excluded.draft, saved_at = excluded.saved_at`,
    );
    this.markTest = sql.prepare(
      `INSERT INTO store_draft (id, draft, saved_at, test_order_at) VALUES (1, '{}', 0, @at)
       ON CONFLICT (id) DO UPDATE SET test_order_at = @at`,
    );
  }

  /** The draft as saved, or a fresh one made from the business profile. */
  current(): { draft: StoreDraft; savedAt: number | null; testOrderAt: number | null } {
    const row = this.read.get();
    if (row === undefined || row.saved_at === 0) {
      return { draft: this.fresh(), savedAt: null, testOrderAt: row?.test_order_at ?? null };
    }
    let stored: unknown;
    try {
      stored = JSON.parse(row.draft);
    } catch {
      stored = {};
    }
    const parsed = storeDraftSchema.safeParse(stored);
    if (parsed.success) return { draft: parsed.data, savedAt: row.saved_at, testOrderAt: row.test_order_at };
    // Keep what can still be read, section by section; the rest starts again from its defaults.
    const fresh = this.fresh();
    const kept: Record<string, unknown> = {};
    for (const section of DRAFT_SECTIONS) {
      const part = storeDraftSchema.shape[section].safeParse((stored as Record<string, unknown>)[section]);
      kept[section] = part.success ? part.data : fresh[section];
    }
    return {
      draft: storeDraftSchema.parse(kept),
      savedAt: row.saved_at,
      testOrderAt: row.test_order_at,
    };
  }

  save(input: DraftSectionInput, staffId: string | null): { draft: StoreDraft; savedAt: number } {
    const { draft } = this.current();
    const next =
      input.section === 'step'
        ? { ...draft, step: input.value }
        : storeDraftSchema.parse({ ...draft, [input.section]: input.value });
    if (input.section === 'shipping') refuseDuplicateZoneIds(next);
    const at = this.deps.now();
    this.deps.sql
      .transaction(() => {
        this.write.run(JSON.stringify(next), at);
        if (input.section !== 'step') {
          this.deps.audit.append({
            action: 'store.draft',
            entity: 'store',
            entityId: input.section,
            actorStaffId: staffId,
          });
        }
      })
      .immediate();
    return { draft: next, savedAt: at };
  }

  recordTestOrder(at: number): void {
    this.markTest.run({ at });
  }

  private fresh(): StoreDraft {
    const draft = emptyDraft();
    const profile = this.deps.business.get();
    if (profile === null) return draft;
    draft.business = {
      ...draft.business,
      name: profile.name,
      address: profile.address,
      state: profile.state,
      phone: profile.phone,
      whatsapp: profile.phone,
    };
    draft.legal = legalTemplates({
      name: profile.name,
      address: profile.address,
      state: profile.state,
      phone: profile.phone,
      email: profile.email,
    });
    return draft;
  }
}

function refuseDuplicateZoneIds(draft: StoreDraft): void {
  const seen = new Set<string>();
  draft.shipping.zones.forEach((zone, index) => {
    if (seen.has(zone.id)) {
      throw new KasuwaError('invalid_input', `Two zones are called "${zone.id}".`, [
        { path: ['value', 'zones', index, 'id'], message: 'Give each zone its own id' },
      ]);
    }
    seen.add(zone.id);
  });
}
