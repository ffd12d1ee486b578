/**
 * The sender's settings (rates, quiet hours, the frequency cap, which provider carries SMS and
 * each provider's non-secret fields) kept as one settings value, and the providers' secrets,
 * which live only in the OS keychain: never in the database, the settings or a log line.
 */
import {
  campaignSettingsSchema,
  PROVIDERS,
  type CampaignSettings,
  type CredentialsInput,
  type ProviderName,
} from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Keychain } from '../../db/database-key';
import type { AuditLog } from '../audit/audit-log';
import type { SettingsService } from '../settings/settings-service';

const SETTINGS_KEY = 'campaigns';
const KEYCHAIN_SERVICE = 'Kasuwa campaigns';

export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  rates: { smsPageKobo: 1200, whatsappKobo: 1500, emailKobo: 0 },
  quietHours: { start: '20:00', end: '08:00' },
  frequencyCap: { messages: 1, hours: 24 },
  smsProvider: 'termii',
  termii: { baseUrl: 'https://api.ng.termii.com', senderId: 'Kasuwa', channel: 'generic' },
  africastalking: { baseUrl: 'https://api.africastalking.com', username: '', senderId: '' },
  whatsapp: { baseUrl: 'https://graph.facebook.com/v21.0', phoneNumberId: '' },
  smtp: { host: '', port: 587, secure: false, username: '', from: '' },
  throttlePerSecond: { termii: 20, africastalking: 20, 'whatsapp-cloud': 20, smtp: 5 },
};

export class CampaignSettingsStore {
  private readonly secrets = new Map<ProviderName, string | null>();

  constructor(
    private readonly deps: {
      sql: Database.Database;
      settings: SettingsService;
      audit: AuditLog;
      keychain: Keychain | null;
      /** Names this shop's secrets apart from another shop folder's on a shared PC. */
      account: () => string;
    },
  ) {}

  get(): CampaignSettings {
    const stored = this.deps.settings.readValue(SETTINGS_KEY);
    const merged = {
      ...DEFAULT_CAMPAIGN_SETTINGS,
      ...(typeof stored === 'object' && stored !== null ? stored : {}),
    };
    const parsed = campaignSettingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : DEFAULT_CAMPAIGN_SETTINGS;
  }

  update(patch: Partial<CampaignSettings>, staffId: string | null): CampaignSettings {
    const next = campaignSettingsSchema.parse({ ...this.get(), ...patch });
    this.deps.sql
      .transaction(() => {
        this.deps.settings.writeValue(SETTINGS_KEY, next);
        this.deps.audit.append({
          action: 'campaigns.settings',
          entity: 'settings',
          entityId: SETTINGS_KEY,
          actorStaffId: staffId,
          details: { changed: Object.keys(patch) },
        });
      })
      .immediate();
    return next;
  }

  async setSecret(input: CredentialsInput, staffId: string | null): Promise<void> {
    const keychain = this.deps.keychain;
    if (keychain === null) {
      throw new KasuwaError(
        'keychain_unavailable',
        'This computer has no usable keychain, so provider keys cannot be kept safely. Kasuwa never stores them in the database.',
      );
    }
    const secret =
      input.provider === 'whatsapp-cloud'
        ? input.accessToken
        : input.provider === 'smtp'
          ? input.password
          : input.apiKey;
    await keychain.setSecret(KEYCHAIN_SERVICE, this.accountFor(input.provider), secret);
    this.secrets.set(input.provider, secret);
    this.deps.sql
      .transaction(() =>
        this.deps.audit.append({
          action: 'campaigns.credentials',
          entity: 'provider',
          entityId: input.provider,
          actorStaffId: staffId,
        }),
      )
      .immediate();
  }

  /** The provider's secret from the keychain (remembered for the session), or null. */
  async secret(provider: ProviderName): Promise<string | null> {
    if (this.secrets.has(provider)) return this.secrets.get(provider) ?? null;
    const keychain = this.deps.keychain;
    if (keychain === null) return null;
    let secret: string | null;
    try {
      secret = await keychain.getSecret(KEYCHAIN_SERVICE, this.accountFor(provider));
    } catch {
      return null;
    }
    this.secrets.set(provider, secret);
    return secret;
  }

  async configured(): Promise<Record<ProviderName, boolean>> {
    const entries = await Promise.all(
      PROVIDERS.map(async (provider) => [provider, (await this.secret(provider)) !== null] as const),
    );
    return Object.fromEntries(entries) as Record<ProviderName, boolean>;
  }

  private accountFor(provider: ProviderName): string {
    return `${this.deps.account()}:${provider}`;
  }
}
