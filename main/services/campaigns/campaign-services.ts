/**
 * The campaign domain as one piece for the composition root: segments, templates, campaigns,
 * the sender's settings and secrets, and the send loop, built on one open shop database.
 */
import type {
  CampaignSettings,
  ContactChannel,
  CredentialsInput,
  MessagePreview,
  SegmentSource,
  SenderStatus,
  CampaignProgress,
} from '../../../shared/contract';
import type { Keychain } from '../../db/database-key';
import type { ShopDatabase } from '../../db/open';
import type { AuditLog } from '../audit/audit-log';
import type { BusinessService } from '../business/business-service';
import type { SettingsService } from '../settings/settings-service';
import type { NetworkSource } from '../sync/conditions';
import { CampaignService } from './campaign-service';
import { CampaignSettingsStore } from './campaign-settings';
import { MessageSender, type ProviderFactory } from './message-sender';
import { createProvider } from './providers';
import { SegmentService } from './segment-service';
import { TemplateService } from './template-service';

export interface CampaignEnvironment {
  keychain: Keychain | null;
  network: NetworkSource;
  /** Tests and benchmarks may hand in their own adapters; the app builds the real ones. */
  createProvider?: ProviderFactory;
  onProgress?: (progress: CampaignProgress) => void;
  onStatus?: (status: SenderStatus) => void;
  log?: (message: string, fields: Record<string, unknown>) => void;
  random?: () => number;
}

export class CampaignServices {
  readonly segments: SegmentService;
  readonly templates: TemplateService;
  readonly campaigns: CampaignService;
  readonly settings: CampaignSettingsStore;
  readonly sender: MessageSender;

  constructor(deps: {
    db: ShopDatabase;
    audit: AuditLog;
    settings: SettingsService;
    business: BusinessService;
    deviceId: () => string;
    now: () => number;
    environment: CampaignEnvironment;
  }) {
    const sql = deps.db.sqlite;
    const shop = () => {
      const profile = deps.business.get();
      return { name: profile?.name ?? '', phone: profile?.phone ?? '' };
    };
    this.segments = new SegmentService({ db: deps.db, audit: deps.audit, now: deps.now });
    this.templates = new TemplateService({ sql, audit: deps.audit, now: deps.now, shop });
    this.settings = new CampaignSettingsStore({
      sql,
      settings: deps.settings,
      audit: deps.audit,
      keychain: deps.environment.keychain,
      account: deps.deviceId,
    });
    let sender: MessageSender | null = null;
    this.campaigns = new CampaignService({
      sql,
      audit: deps.audit,
      templates: this.templates,
      segments: this.segments,
      settings: this.settings,
      shop,
      now: deps.now,
      kick: () => sender?.kick(),
      // Reports arrive inside a pull's transaction: the screen hears once it has committed.
      reported: (ids) => setImmediate(() => sender?.progressFor(ids)),
    });
    const environment = deps.environment;
    sender = new MessageSender({
      sql,
      campaigns: this.campaigns,
      settings: this.settings,
      network: environment.network,
      createProvider:
        environment.createProvider ?? ((name, secret) => createProvider(name, this.settings.get(), secret)),
      now: deps.now,
      ...(environment.random === undefined ? {} : { random: environment.random }),
      onProgress: environment.onProgress ?? (() => undefined),
      onStatus: environment.onStatus ?? (() => undefined),
      log: environment.log ?? (() => undefined),
    });
    this.sender = sender;
  }

  preview(input: {
    channel: ContactChannel;
    body: string;
    subject: string;
    customerId: string | null;
    segment: SegmentSource | null;
  }): MessagePreview {
    let customerId = input.customerId;
    if (customerId === null && input.segment !== null) {
      customerId = this.segments.members(input.segment, { offset: 0, limit: 1 }).rows[0]?.customerId ?? null;
    }
    return this.templates.preview({
      channel: input.channel,
      body: input.body,
      subject: input.subject,
      customerId,
    });
  }

  updateSettings(patch: Partial<CampaignSettings>, staffId: string | null): CampaignSettings {
    const next = this.settings.update(patch, staffId);
    this.sender.reconfigure();
    return next;
  }

  async setCredentials(input: CredentialsInput, staffId: string | null): Promise<SenderStatus> {
    await this.settings.setSecret(input, staffId);
    this.sender.reconfigure();
    return this.sender.status();
  }
}
