/** Shop settings as typed values over the key/value settings table. */
import type { z } from 'zod';
import type { AppSettings, settingsPatchSchema } from '../../../shared/contract';
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
    const stored = Object.fromEntries(
      this.db.orm
        .select()
        .from(settings)
        .all()
        .map((row) => [row.key, JSON.parse(row.value) as unknown]),
    );
    const result: AppSettings = { ...DEFAULT_SETTINGS };
    if (typeof stored.updateFeedUrl === 'string' || stored.updateFeedUrl === null) {
      result.updateFeedUrl = stored.updateFeedUrl;
    }
    if (typeof stored.receiptFooter === 'string') result.receiptFooter = stored.receiptFooter;
    return result;
  }

  update(patch: SettingsPatch, actorStaffId: string | null): AppSettings {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (entries.length > 0) {
      this.db.sqlite
        .transaction(() => {
          const at = this.now();
          for (const [key, value] of entries) {
            this.db.orm
              .insert(settings)
              .values({ key, value: JSON.stringify(value), updatedAt: at })
              .onConflictDoUpdate({ target: settings.key, set: { value: JSON.stringify(value), updatedAt: at } })
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
