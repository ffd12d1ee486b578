/**
 * The sender's settings: what a page or a message costs, quiet hours and the frequency cap, which
 * provider carries SMS, and each provider's settings with its secret. Each panel saves only its
 * own part. A secret is typed into a password box and goes to the OS keychain through
 * `campaigns:setCredentials`; it is never read back, the screen only says whether one is saved.
 * The addresses the providers post delivery reports and STOP replies to come from the sync server
 * (`sync:webhooks`), so reports reach every counter.
 */
import { useCallback, useEffect, useState, type ReactNode, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import {
  PROVIDERS,
  type CampaignSettings,
  type ChannelInput,
  type CredentialsInput,
  type ProviderName,
} from '../../../shared/contract';
import { parseNairaToKobo } from '../../../shared/money';
import { kasuwa } from '../../bridge';
import { SelectField, TextField, fieldErrors } from '../../components/Field';
import { call, useAppStore } from '../../state/app-store';
import { useCampaignEvents, useCampaignSettings, useCampaignsStore } from '../../state/campaigns-store';
import { PROVIDER_WORDS } from './CampaignWords';

type SettingsPatch = ChannelInput<'campaigns:updateSettings'>;
type Built = { ok: true; patch: SettingsPatch } | { ok: false; errors: Record<string, string> };

function nairaText(kobo: number): string {
  const rest = kobo % 100;
  return `${Math.floor(kobo / 100)}${rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`}`;
}

function wholeNumber(text: string): number | null {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** One panel of settings in its own form: checks, saves its part, shows the errors by field. */
function SettingsPanel({
  id,
  title,
  savedWords,
  saveLabel,
  build,
  children,
  after,
}: {
  id: string;
  title: string;
  savedWords: string;
  saveLabel: string;
  build: () => Built;
  children: (errors: Record<string, string>) => ReactNode;
  after?: ReactNode;
}) {
  const setSettings = useCampaignsStore((state) => state.setSettings);
  const showToast = useAppStore((state) => state.showToast);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    const built = build();
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    const answer = await call(kasuwa.campaigns.updateSettings(built.patch), {
      onError: (error) => setErrors(fieldErrors(error.details)),
    });
    setSaving(false);
    if (answer.ok) {
      setSettings(answer.value);
      showToast('success', savedWords);
    }
  };
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <form onSubmit={(event) => void save(event)} aria-label={title}>
        {children(errors)}
        <button type="submit" className="primary" disabled={saving}>
          {saveLabel}
        </button>
      </form>
      {after}
    </section>
  );
}

const SECRET_WORDS: Record<ProviderName, string> = {
  termii: 'Termii API key',
  africastalking: 'Africa’s Talking API key',
  'whatsapp-cloud': 'WhatsApp access token',
  smtp: 'Email password',
};

function credentials(provider: ProviderName, secret: string): CredentialsInput {
  switch (provider) {
    case 'termii':
      return { provider, apiKey: secret };
    case 'africastalking':
      return { provider, apiKey: secret };
    case 'whatsapp-cloud':
      return { provider, accessToken: secret };
    case 'smtp':
      return { provider, password: secret };
  }
}

/** The secret of one provider: typed, sent to the keychain, cleared; never shown. */
function ProviderSecret({ provider }: { provider: ProviderName }) {
  const configured = useCampaignsStore((state) => state.sender?.configured[provider] ?? null);
  const setSender = useCampaignsStore((state) => state.setSender);
  const showToast = useAppStore((state) => state.showToast);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const label = SECRET_WORDS[provider];
  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaving(true);
    const answer = await call(kasuwa.campaigns.setCredentials(credentials(provider, secret)), {
      onError: (failure) => setError(Object.values(fieldErrors(failure.details))[0] ?? failure.message),
    });
    setSaving(false);
    if (answer.ok) {
      setSecret('');
      setSender(answer.value);
      showToast('success', `${label} saved in this computer’s keychain.`);
    }
  };
  return (
    <form className="campaign-secret" aria-label={label} onSubmit={(event) => void save(event)}>
      <p data-testid={`configured-${provider}`} className={configured === true ? 'good' : 'muted'}>
        {configured === null
          ? 'Checking the keychain…'
          : configured
            ? `✓ ${label} is saved in the keychain. Type a new one only to replace it.`
            : `No ${label} saved yet: ${PROVIDER_WORDS[provider]} cannot send until it is.`}
      </p>
      <TextField
        label={label}
        name={`${provider}-secret`}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        value={secret}
        error={error}
        onChange={(event) => setSecret(event.target.value)}
      />
      <button type="submit" disabled={saving || secret.trim() === ''}>
        Save {label}
      </button>
    </form>
  );
}

/** Which providers have their secret saved, as `campaigns:senderStatus` tells it. */
function ProvidersReady({ smsProvider }: { smsProvider: ProviderName }) {
  const sender = useCampaignsStore((state) => state.sender);
  return (
    <section className="panel" aria-labelledby="providers-ready-title" data-testid="providers-ready">
      <h2 id="providers-ready-title">Which providers can send</h2>
      {sender === null ? (
        <p aria-busy="true">Checking the keychain…</p>
      ) : (
        <ul className="campaign-ready-list">
          {PROVIDERS.map((provider) => (
            <li key={provider} className={sender.configured[provider] ? 'good' : undefined}>
              <span aria-hidden="true">{sender.configured[provider] ? '✓' : '○'}</span>{' '}
              {PROVIDER_WORDS[provider]}: {sender.configured[provider] ? 'key saved' : 'no key yet'}
              {provider === smsProvider && ' (carries SMS)'}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type WebhookAddresses = { termii: string; africastalking: string; whatsapp: string };

const WEBHOOK_PROVIDERS: { key: keyof WebhookAddresses; label: string }[] = [
  { key: 'termii', label: 'Termii' },
  { key: 'africastalking', label: 'Africa’s Talking' },
  { key: 'whatsapp', label: 'WhatsApp' },
];

/** The addresses to paste into each provider's dashboard, from the sync server. */
function DeliveryReportAddresses() {
  const showToast = useAppStore((state) => state.showToast);
  const [answer, setAnswer] = useState<
    { ok: true; value: WebhookAddresses } | { ok: false; code: string; message: string } | null
  >(null);
  const ask = useCallback(() => {
    void kasuwa.sync
      .webhooks()
      .then((envelope) =>
        setAnswer(
          envelope.ok
            ? { ok: true, value: envelope.value }
            : { ok: false, code: envelope.error.code, message: envelope.error.message },
        ),
      );
  }, []);
  useEffect(ask, [ask]);
  return (
    <section className="panel" aria-labelledby="webhooks-title" data-testid="delivery-report-addresses">
      <h2 id="webhooks-title">Delivery reports and STOP replies</h2>
      <p className="muted">
        Providers tell the shop which messages arrived, and which customers replied STOP, by posting to these
        addresses on your sync server; every counter then sees them. Paste each one into the provider’s
        dashboard as its delivery report (callback) URL.
      </p>
      {answer === null ? (
        <p aria-busy="true">Asking the sync server…</p>
      ) : answer.ok ? (
        <div className="form-grid">
          {WEBHOOK_PROVIDERS.map(({ key, label }) => (
            <div key={key} className="campaign-webhook">
              <TextField
                label={`${label} address`}
                value={answer.value[key]}
                readOnly
                data-testid={`webhook-${key}`}
                onFocus={(event) => event.target.select()}
              />
              <button
                type="button"
                onClick={() =>
                  void navigator.clipboard
                    .writeText(answer.value[key])
                    .then(() => showToast('success', `${label} address copied.`))
                    .catch(() =>
                      showToast('error', 'Could not copy: select the address and copy it by hand.'),
                    )
                }
              >
                Copy the {label} address
              </button>
            </div>
          ))}
        </div>
      ) : (
        <>
          <p className="campaign-warning" role="note">
            {answer.code === 'not_found' ? (
              <>
                Delivery reports come back through the sync server, and this counter is not paired with one
                yet. <Link to="/sync">Pair it on the Sync screen</Link>; until then messages go out, but none
                is ever confirmed delivered.
              </>
            ) : (
              <>Could not get the addresses from the sync server. {answer.message}</>
            )}
          </p>
          <button type="button" onClick={ask}>
            Ask the sync server again
          </button>
        </>
      )}
    </section>
  );
}

function ThrottleField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  return (
    <TextField
      label="Messages a second, at most"
      inputMode="numeric"
      value={value}
      error={error}
      hint="Keep within what your plan with the provider allows."
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function throttlePatch(
  settings: CampaignSettings,
  provider: ProviderName,
  text: string,
): { ok: true; value: CampaignSettings['throttlePerSecond'] } | { ok: false } {
  const value = wholeNumber(text);
  if (value === null || value < 1 || value > 1000) return { ok: false };
  return { ok: true, value: { ...settings.throttlePerSecond, [provider]: value } };
}

const THROTTLE_ERROR = 'Write a whole number from 1 to 1000.';

function Forms({ settings }: { settings: CampaignSettings }) {
  const [rates, setRates] = useState({
    sms: nairaText(settings.rates.smsPageKobo),
    whatsapp: nairaText(settings.rates.whatsappKobo),
    email: nairaText(settings.rates.emailKobo),
  });
  const [rules, setRules] = useState({
    start: settings.quietHours.start,
    end: settings.quietHours.end,
    messages: String(settings.frequencyCap.messages),
    hours: String(settings.frequencyCap.hours),
  });
  const [smsProvider, setSmsProvider] = useState(settings.smsProvider);
  const [termii, setTermii] = useState({
    ...settings.termii,
    throttle: String(settings.throttlePerSecond.termii),
  });
  const [africa, setAfrica] = useState({
    ...settings.africastalking,
    throttle: String(settings.throttlePerSecond.africastalking),
  });
  const [whatsapp, setWhatsapp] = useState({
    ...settings.whatsapp,
    throttle: String(settings.throttlePerSecond['whatsapp-cloud']),
  });
  const [smtp, setSmtp] = useState({
    ...settings.smtp,
    port: String(settings.smtp.port),
    throttle: String(settings.throttlePerSecond.smtp),
  });
  // The latest saved settings, so one panel's save never undoes another's throttle.
  const current = useCampaignsStore((state) => state.settings) ?? settings;

  return (
    <div className="stack">
      <ProvidersReady smsProvider={current.smsProvider} />
      <div className="settings-grid">
        <SettingsPanel
          id="settings-costs"
          title="Costs"
          saveLabel="Save costs"
          savedWords="Costs saved."
          build={() => {
            const sms = parseNairaToKobo(rates.sms);
            const wa = parseNairaToKobo(rates.whatsapp);
            const email = parseNairaToKobo(rates.email);
            const errors: Record<string, string> = {};
            const words = 'Write an amount in naira, for example 4 or 3.50.';
            if (sms === null || sms < 0) errors['rates.smsPageKobo'] = words;
            if (wa === null || wa < 0) errors['rates.whatsappKobo'] = words;
            if (email === null || email < 0) errors['rates.emailKobo'] = words;
            if (sms === null || wa === null || email === null || Object.keys(errors).length > 0) {
              return { ok: false, errors };
            }
            return { ok: true, patch: { rates: { smsPageKobo: sms, whatsappKobo: wa, emailKobo: email } } };
          }}
        >
          {(errors) => (
            <>
              <p className="muted">
                What your providers charge; the cost of each campaign is worked out from these.
              </p>
              <TextField
                label="SMS, per page (₦)"
                inputMode="decimal"
                value={rates.sms}
                error={errors['rates.smsPageKobo']}
                onChange={(event) => setRates({ ...rates, sms: event.target.value })}
              />
              <TextField
                label="WhatsApp, per message (₦)"
                inputMode="decimal"
                value={rates.whatsapp}
                error={errors['rates.whatsappKobo']}
                onChange={(event) => setRates({ ...rates, whatsapp: event.target.value })}
              />
              <TextField
                label="Email, per message (₦)"
                inputMode="decimal"
                value={rates.email}
                error={errors['rates.emailKobo']}
                onChange={(event) => setRates({ ...rates, email: event.target.value })}
              />
            </>
          )}
        </SettingsPanel>

        <SettingsPanel
          id="settings-rules"
          title="Sending rules"
          saveLabel="Save sending rules"
          savedWords="Sending rules saved."
          build={() => {
            const messages = wholeNumber(rules.messages);
            const hours = wholeNumber(rules.hours);
            const errors: Record<string, string> = {};
            if (messages === null || messages < 1 || messages > 50) {
              errors['frequencyCap.messages'] = 'Write a whole number from 1 to 50.';
            }
            if (hours === null || hours < 1 || hours > 720)
              errors['frequencyCap.hours'] = 'Write a whole number of hours from 1 to 720.';
            if (messages === null || hours === null || Object.keys(errors).length > 0)
              return { ok: false, errors };
            return {
              ok: true,
              patch: {
                quietHours: { start: rules.start, end: rules.end },
                frequencyCap: { messages, hours },
              },
            };
          }}
        >
          {(errors) => (
            <>
              <fieldset>
                <legend>Quiet hours (Lagos time)</legend>
                <p className="muted">
                  Promotional SMS are held back in these hours, as the NCC requires, and go out when they end.
                </p>
                <div className="form-grid">
                  <TextField
                    label="Quiet from"
                    type="time"
                    value={rules.start}
                    error={errors['quietHours.start']}
                    onChange={(event) => setRules({ ...rules, start: event.target.value })}
                  />
                  <TextField
                    label="Quiet until"
                    type="time"
                    value={rules.end}
                    error={errors['quietHours.end']}
                    onChange={(event) => setRules({ ...rules, end: event.target.value })}
                  />
                </div>
              </fieldset>
              <fieldset>
                <legend>Frequency cap</legend>
                <p className="muted">No customer gets more promotions than this, whatever the campaigns.</p>
                <div className="form-grid">
                  <TextField
                    label="At most this many promotions"
                    inputMode="numeric"
                    value={rules.messages}
                    error={errors['frequencyCap.messages']}
                    onChange={(event) => setRules({ ...rules, messages: event.target.value })}
                  />
                  <TextField
                    label="In this many hours"
                    inputMode="numeric"
                    value={rules.hours}
                    error={errors['frequencyCap.hours']}
                    onChange={(event) => setRules({ ...rules, hours: event.target.value })}
                  />
                </div>
              </fieldset>
            </>
          )}
        </SettingsPanel>

        <SettingsPanel
          id="settings-sms-provider"
          title="SMS provider"
          saveLabel="Save SMS provider"
          savedWords={`SMS now go through ${PROVIDER_WORDS[smsProvider]}.`}
          build={() => ({ ok: true, patch: { smsProvider } })}
        >
          {() => (
            <fieldset>
              <legend>Send SMS through</legend>
              {(['termii', 'africastalking'] as const).map((provider) => (
                <label key={provider} className="inline-check">
                  <input
                    type="radio"
                    name="smsProvider"
                    checked={smsProvider === provider}
                    onChange={() => setSmsProvider(provider)}
                  />
                  {PROVIDER_WORDS[provider]}
                </label>
              ))}
            </fieldset>
          )}
        </SettingsPanel>

        <SettingsPanel
          id="settings-termii"
          title="Termii"
          saveLabel="Save Termii settings"
          savedWords="Termii settings saved."
          after={<ProviderSecret provider="termii" />}
          build={() => {
            const throttle = throttlePatch(current, 'termii', termii.throttle);
            if (!throttle.ok) return { ok: false, errors: { 'throttlePerSecond.termii': THROTTLE_ERROR } };
            return {
              ok: true,
              patch: {
                termii: { baseUrl: termii.baseUrl, senderId: termii.senderId, channel: termii.channel },
                throttlePerSecond: throttle.value,
              },
            };
          }}
        >
          {(errors) => (
            <>
              <TextField
                label="Termii address"
                type="url"
                value={termii.baseUrl}
                error={errors['termii.baseUrl']}
                hint="As Termii gives it, for example https://api.ng.termii.com"
                onChange={(event) => setTermii({ ...termii, baseUrl: event.target.value })}
              />
              <TextField
                label="Termii sender ID"
                value={termii.senderId}
                maxLength={11}
                error={errors['termii.senderId']}
                hint="Up to 11 letters, as registered with Termii"
                onChange={(event) => setTermii({ ...termii, senderId: event.target.value })}
              />
              <SelectField
                label="Termii route"
                value={termii.channel}
                error={errors['termii.channel']}
                onChange={(event) =>
                  setTermii({ ...termii, channel: event.target.value as 'generic' | 'dnd' })
                }
              >
                <option value="generic">Generic (promotions)</option>
                <option value="dnd">DND (transactional, reaches DND numbers)</option>
              </SelectField>
              <ThrottleField
                value={termii.throttle}
                error={errors['throttlePerSecond.termii']}
                onChange={(throttle) => setTermii({ ...termii, throttle })}
              />
            </>
          )}
        </SettingsPanel>

        <SettingsPanel
          id="settings-africastalking"
          title="Africa’s Talking"
          saveLabel="Save Africa’s Talking settings"
          savedWords="Africa’s Talking settings saved."
          after={<ProviderSecret provider="africastalking" />}
          build={() => {
            const throttle = throttlePatch(current, 'africastalking', africa.throttle);
            if (!throttle.ok)
              return { ok: false, errors: { 'throttlePerSecond.africastalking': THROTTLE_ERROR } };
            return {
              ok: true,
              patch: {
                africastalking: {
                  baseUrl: africa.baseUrl,
                  username: africa.username,
                  senderId: africa.senderId,
                },
                throttlePerSecond: throttle.value,
              },
            };
          }}
        >
          {(errors) => (
            <>
              <TextField
                label="Africa’s Talking address"
                type="url"
                value={africa.baseUrl}
                error={errors['africastalking.baseUrl']}
                onChange={(event) => setAfrica({ ...africa, baseUrl: event.target.value })}
              />
              <TextField
                label="Africa’s Talking username"
                value={africa.username}
                error={errors['africastalking.username']}
                onChange={(event) => setAfrica({ ...africa, username: event.target.value })}
              />
              <TextField
                label="Africa’s Talking sender ID"
                value={africa.senderId}
                maxLength={11}
                error={errors['africastalking.senderId']}
                onChange={(event) => setAfrica({ ...africa, senderId: event.target.value })}
              />
              <ThrottleField
                value={africa.throttle}
                error={errors['throttlePerSecond.africastalking']}
                onChange={(throttle) => setAfrica({ ...africa, throttle })}
              />
            </>
          )}
        </SettingsPanel>

        <SettingsPanel
          id="settings-whatsapp"
          title="WhatsApp"
          saveLabel="Save WhatsApp settings"
          savedWords="WhatsApp settings saved."
          after={<ProviderSecret provider="whatsapp-cloud" />}
          build={() => {
            const throttle = throttlePatch(current, 'whatsapp-cloud', whatsapp.throttle);
            if (!throttle.ok)
              return { ok: false, errors: { 'throttlePerSecond.whatsapp-cloud': THROTTLE_ERROR } };
            return {
              ok: true,
              patch: {
                whatsapp: { baseUrl: whatsapp.baseUrl, phoneNumberId: whatsapp.phoneNumberId },
                throttlePerSecond: throttle.value,
              },
            };
          }}
        >
          {(errors) => (
            <>
              <TextField
                label="WhatsApp Cloud API address"
                type="url"
                value={whatsapp.baseUrl}
                error={errors['whatsapp.baseUrl']}
                onChange={(event) => setWhatsapp({ ...whatsapp, baseUrl: event.target.value })}
              />
              <TextField
                label="WhatsApp phone number ID"
                value={whatsapp.phoneNumberId}
                error={errors['whatsapp.phoneNumberId']}
                hint="From the WhatsApp Business account in Meta’s dashboard"
                onChange={(event) => setWhatsapp({ ...whatsapp, phoneNumberId: event.target.value })}
              />
              <ThrottleField
                value={whatsapp.throttle}
                error={errors['throttlePerSecond.whatsapp-cloud']}
                onChange={(throttle) => setWhatsapp({ ...whatsapp, throttle })}
              />
            </>
          )}
        </SettingsPanel>

        <SettingsPanel
          id="settings-smtp"
          title="Email"
          saveLabel="Save email settings"
          savedWords="Email settings saved."
          after={<ProviderSecret provider="smtp" />}
          build={() => {
            const port = wholeNumber(smtp.port);
            const throttle = throttlePatch(current, 'smtp', smtp.throttle);
            const errors: Record<string, string> = {};
            if (port === null || port < 1 || port > 65_535)
              errors['smtp.port'] = 'Write a port number, such as 587.';
            if (!throttle.ok) errors['throttlePerSecond.smtp'] = THROTTLE_ERROR;
            if (port === null || !throttle.ok || Object.keys(errors).length > 0) return { ok: false, errors };
            return {
              ok: true,
              patch: {
                smtp: {
                  host: smtp.host,
                  port,
                  secure: smtp.secure,
                  username: smtp.username,
                  from: smtp.from,
                },
                throttlePerSecond: throttle.value,
              },
            };
          }}
        >
          {(errors) => (
            <>
              <TextField
                label="Email server"
                value={smtp.host}
                placeholder="smtp.example.com"
                error={errors['smtp.host']}
                onChange={(event) => setSmtp({ ...smtp, host: event.target.value })}
              />
              <TextField
                label="Email server port"
                inputMode="numeric"
                value={smtp.port}
                error={errors['smtp.port']}
                onChange={(event) => setSmtp({ ...smtp, port: event.target.value })}
              />
              <label className="inline-check">
                <input
                  type="checkbox"
                  checked={smtp.secure}
                  onChange={(event) => setSmtp({ ...smtp, secure: event.target.checked })}
                />
                Connect with TLS from the start (usually port 465)
              </label>
              <TextField
                label="Email username"
                value={smtp.username}
                autoComplete="off"
                error={errors['smtp.username']}
                onChange={(event) => setSmtp({ ...smtp, username: event.target.value })}
              />
              <TextField
                label="Send from"
                value={smtp.from}
                placeholder="Mama Nkechi Provisions <shop@example.com>"
                error={errors['smtp.from']}
                onChange={(event) => setSmtp({ ...smtp, from: event.target.value })}
              />
              <ThrottleField
                value={smtp.throttle}
                error={errors['throttlePerSecond.smtp']}
                onChange={(throttle) => setSmtp({ ...smtp, throttle })}
              />
            </>
          )}
        </SettingsPanel>
      </div>
      <DeliveryReportAddresses />
    </div>
  );
}

export function SenderSettings() {
  useCampaignEvents();
  const settings = useCampaignSettings();
  const loadError = useCampaignsStore((state) => state.loadErrors.settings);
  if (settings === null) {
    return loadError === undefined ? (
      <p aria-busy="true">Loading…</p>
    ) : (
      <p className="notice" role="alert">
        Could not read the campaign settings. {loadError}
      </p>
    );
  }
  return <Forms settings={settings} />;
}
