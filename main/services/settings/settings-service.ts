/** Shop settings as typed values over the key/value settings table. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { settingsPatchSchema, type AppSettings } from '../../../shared/contract';
import { uuidv7 } from '../../../shared/ids';
import type { ShopDatabase } from '../../db/open';
import { settings } from '../../db/schema';
import type { AuditLog } from '../audit/audit-log';
import type { SyncRecorder } from '../sync/sync-recorder';

export const DEFAULT_SETTINGS: AppSettings = {
  updateFeedUrl: null,
  receiptFooter: 'Thank you for shopping with us!',
};

const deviceSchema = z.object({ deviceId: z.string(), receiptPrefix: z.string() });
export type DeviceIdentity = z.infer<typeof deviceSchema>;

type SettingsPatch = z.output<typeof settingsPatchSchema>;

export class SettingsService {
  private readonly listeners = new Set<(settings: AppSettings) => void>();

  constructor(
    private readonly db: ShopDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
    /** Queues the settings every counter shares; absent in tests of this service alone. */
    private readonly sync: SyncRecorder | null = null,
  ) {}

  get(): AppSettings {
    const result: AppSettings = { ...DEFAULT_SETTINGS };
    for (const row of this.db.orm.select().from(settings).all()) {
      // A value written by a newer version, or damaged, falls back to the default.
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        continue;
      }
      const parsed = settingsPatchSchema.safeParse({ [row.key]: value });
      if (parsed.success) Object.assign(result, parsed.data);
    }
    return result;
  }

  update(patch: SettingsPatch, actorStaffId: string | null): AppSettings {
    const entries = Object.entries(patch);
    if (entries.length > 0) {
      this.db.sqlite
        .transaction(() => {
          for (const [key, value] of entries) this.writeValue(key, value);
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

  /** A value kept under `key` by another service (loyalty rules, this counter's identity). */
  readValue(key: string): unknown {
    const row = this.db.orm.select().from(settings).where(eq(settings.key, key)).get();
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  /** Writes `key` in the caller's transaction (with the caller's audit row), or in its own. */
  writeValue(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    const at = this.now();
    const write = () => {
      const before = this.sync?.before('setting', key) ?? null;
      this.db.orm
        .insert(settings)
        .values({ key, value: json, updatedAt: at })
        .onConflictDoUpdate({ target: settings.key, set: { value: json, updatedAt: at } })
        .run();
      this.sync?.settingChanged(key, before);
    };
    if (this.db.sqlite.inTransaction) write();
    else this.db.sqlite.transaction(write).immediate();
  }

  /** This counter's id and the prefix of its receipt numbers, made once on first use. */
  device(): DeviceIdentity {
    return this.db.sqlite
      .transaction(() => {
        const stored = deviceSchema.safeParse(this.readValue('device'));
        if (stored.success) return stored.data;
        const deviceId = uuidv7(this.now());
        // Six hex digits: two counters of one shop sharing a receipt prefix is a one-in-16-million chance.
        const identity = { deviceId, receiptPrefix: deviceId.slice(-6).toUpperCase() };
        this.writeValue('device', identity);
        return identity;
      })
      .immediate();
  }

  onChange(listener: (settings: AppSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
