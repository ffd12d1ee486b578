/** Shop settings as typed values over the key/value settings table. */
import type { z } from 'zod';
import { settingsPatchSchema, type AppSettings } from '../../../shared/contract';
import type { ShopDatabase } from '../../db/open';
import { settings } from '../../db/schema';
import type { AuditLog } from '../audit/audit-log';

export const DEFAULT_SETTINGS: AppSettings = {
  updateFeedUrl: null,
  receiptFooter: 'Thank you for shopping with us!',
};

type SettingsPatch = z.output<typeof settingsPatchSchema>;

export class SettingsService {
  private readonly listeners = new Set<(settings: AppSettings) => void>();

  constructor(
    private readonly db: ShopDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  get(): AppSettings {
    const result: AppSettings = { ...DEFAULT_SETTINGS };
    for (const row of this.db.orm.select().from(settings).all()) {
      // A value written by a newer version, or damaged, falls back to the default.
      const parsed = settingsPatchSchema.safeParse({ [row.key]: JSON.parse(row.value) as unknown });
      if (parsed.success) Object.assign(result, parsed.data);
    }
    return result;
  }

  update(patch: SettingsPatch, actorStaffId: string | null): AppSettings {
    const entries = Object.entries(patch);
    if (entries.length > 0) {
      this.db.sqlite
        .transaction(() => {
          const at = this.now();
          for (const [key, value] of entries) {
            this.db.orm
              .insert(settings)
              .values({ key, value: JSON.stringify(value), updatedAt: at })
              .onConflictDoUpdate({
                target: settings.key,
                set: { value: JSON.stringify(value), updatedAt: at },
              })
              .run();
          }
          this.audit.append({
            actorStaffId,
            action: 'settings.update',
            entity: 'settings',
            entityId: null,
            details: { keys: entries.map(([key]) => key) },
          });
        })
        .immediate();
    }
    const current = this.get();
    for (const listener of this.listeners) listener(current);
    return current;
  }

  onChange(listener: (settings: AppSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
