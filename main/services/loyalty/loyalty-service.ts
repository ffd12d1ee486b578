/** The shop's loyalty rules (earn rate, point value, tier thresholds), kept in settings. */
import { loyaltyRulesSchema, type LoyaltyRules } from '../../../shared/contract';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { SettingsService } from '../settings/settings-service';
import { DEFAULT_LOYALTY_RULES } from './loyalty-rules';

const KEY = 'loyaltyRules';

export class LoyaltyService {
  constructor(
    private readonly db: ShopDatabase,
    private readonly settings: SettingsService,
    private readonly audit: AuditLog,
  ) {}

  rules(): LoyaltyRules {
    const stored = loyaltyRulesSchema.safeParse(this.settings.readValue(KEY));
    return stored.success ? stored.data : DEFAULT_LOYALTY_RULES;
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
