/** The shop's loyalty rules (earn rate, point value, tier thresholds), kept in settings. */
import type Database from 'better-sqlite3-multiple-ciphers';
import { loyaltyRulesSchema, type LoyaltyRules } from '../../../shared/contract';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { SettingsService } from '../settings/settings-service';
import { DEFAULT_LOYALTY_RULES } from './loyalty-rules';

const KEY = 'loyaltyRules';

export class LoyaltyService {
  private readonly stored: Database.Statement<[], { value: string }>;
  /** The rules parsed from the stored text, kept until the text changes (here or by sync). */
  private cached: { text: string | null; rules: LoyaltyRules } | null = null;

  constructor(
    private readonly db: ShopDatabase,
    private readonly settings: SettingsService,
    private readonly audit: AuditLog,
  ) {
    this.stored = db.sqlite.prepare(`SELECT value FROM settings WHERE key = '${KEY}'`);
  }

  /** Read for every sale recorded or taken in from another counter, so it is one indexed lookup. */
  rules(): LoyaltyRules {
    const text = this.stored.get()?.value ?? null;
    if (this.cached?.text === text) return this.cached.rules;
    let rules = DEFAULT_LOYALTY_RULES;
    if (text !== null) {
      try {
        const parsed = loyaltyRulesSchema.safeParse(JSON.parse(text));
        if (parsed.success) rules = parsed.data;
      } catch {
        // Damaged text falls back to the defaults, as settings do.
      }
    }
    this.cached = { text, rules };
    return rules;
  }

  updateRules(rules: LoyaltyRules, actorStaffId: string | null): LoyaltyRules {
    this.db.sqlite
      .transaction(() => {
        this.settings.writeValue(KEY, rules);
        this.audit.append({
          actorStaffId,
          action: 'loyalty.rules',
          entity: 'settings',
          entityId: KEY,
          details: { ...rules },
        });
      })
      .immediate();
    return this.rules();
  }
}
