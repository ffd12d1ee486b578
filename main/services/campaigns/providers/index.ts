/**
 * Builds the adapter for a provider from the campaign settings and the one secret the keychain
 * holds for it (Termii or Africa's Talking API key, WhatsApp access token, SMTP password). The
 * secret goes only into the request that needs it: never into a log line, a reason or an error.
 */
import type { CampaignSettings, ProviderName } from '../../../../shared/contract';
import { AfricasTalkingProvider } from './africas-talking';
import type { MessageProvider } from './provider';
import { SmtpProvider } from './smtp';
import { TermiiProvider } from './termii';
import { WhatsAppCloudProvider } from './whatsapp-cloud';

/** A provider the send loop can also shut: SMTP closes its connection pool, HTTP ones have none. */
export interface ProviderAdapter extends MessageProvider {
  close(): Promise<void>;
}

export function createProvider(
  name: ProviderName,
  settings: CampaignSettings,
  secret: string,
): ProviderAdapter {
  switch (name) {
    case 'termii':
      return new TermiiProvider({
        baseUrl: settings.termii.baseUrl,
        senderId: settings.termii.senderId,
        route: settings.termii.channel,
        apiKey: secret,
      });
    case 'africastalking':
      return new AfricasTalkingProvider({
        baseUrl: settings.africastalking.baseUrl,
        username: settings.africastalking.username,
        senderId: settings.africastalking.senderId,
        apiKey: secret,
      });
    case 'whatsapp-cloud':
      return new WhatsAppCloudProvider({
        baseUrl: settings.whatsapp.baseUrl,
        phoneNumberId: settings.whatsapp.phoneNumberId,
        accessToken: secret,
      });
    case 'smtp':
      return new SmtpProvider({
        host: settings.smtp.host,
        port: settings.smtp.port,
        secure: settings.smtp.secure,
        username: settings.smtp.username,
        password: secret,
        from: settings.smtp.from,
      });
  }
}
