/**
 * Automations: messages that go out by themselves when something happens to a customer (a
 * birthday, a long absence, a new tier, points ready to spend), each switched on with a template
 * and, where it has one, its threshold.
 */
import { useEffect, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import type { MessageTemplate, TriggerSetting } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { fieldErrors } from '../../components/Field';
import { call, useAppStore } from '../../state/app-store';
import { useTemplates } from '../../state/campaigns-store';
import { When, useNow } from '../sync/time';
import { CHANNEL_WORDS, TRIGGER_WORDS } from './CampaignWords';

function TriggerCard({
  setting,
  templates,
  onSaved,
}: {
  setting: TriggerSetting;
  templates: MessageTemplate[];
  onSaved: (setting: TriggerSetting) => void;
}) {
  const showToast = useAppStore((state) => state.showToast);
  const now = useNow(60_000);
  const words = TRIGGER_WORDS[setting.trigger];
  const [enabled, setEnabled] = useState(setting.enabled);
  const [templateId, setTemplateId] = useState(setting.templateId ?? '');
  const [threshold, setThreshold] = useState(String(setting.threshold));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const id = `trigger-${setting.trigger}`;
  const thresholdValue = Number(threshold);
  const thresholdError =
    words.threshold !== null && !(/^\d+$/.test(threshold.trim()) && thresholdValue <= 1_000_000)
      ? 'Write a whole number.'
      : undefined;
  const templateError = enabled && templateId === '' ? 'Choose the message to send.' : undefined;

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (thresholdError !== undefined || templateError !== undefined) return;
    setErrors({});
    setSaving(true);
    const answer = await call(
      kasuwa.campaigns.setTrigger({
        trigger: setting.trigger,
        enabled,
        templateId: templateId === '' ? null : templateId,
        ...(words.threshold === null ? {} : { threshold: thresholdValue }),
      }),
      { onError: (error) => setErrors(fieldErrors(error.details)) },
    );
    setSaving(false);
    if (answer.ok) {
      onSaved(answer.value);
      showToast('success', `${words.title}: ${answer.value.enabled ? 'on' : 'off'}.`);
    }
  };

  return (
    <form
      className="panel campaign-trigger"
      aria-labelledby={`${id}-title`}
      data-testid={id}
      onSubmit={(event) => void save(event)}
    >
      <h2 id={`${id}-title`}>{words.title}</h2>
      <p className="muted">{words.explain}</p>
      <label className="inline-check">
        <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
        Send “{words.title}” automatically
      </label>
      <div className="field">
        <label htmlFor={`${id}-template`}>Message for “{words.title}”</label>
        <select
          id={`${id}-template`}
          value={templateId}
          aria-invalid={templateError !== undefined}
          onChange={(event) => setTemplateId(event.target.value)}
        >
          <option value="">No template</option>
          {templates.map((template) => (
            <option key={template.id} value={template.id}>
              {template.name} ({CHANNEL_WORDS[template.channel]}, {template.kind})
            </option>
          ))}
        </select>
        {(templateError ?? errors.templateId) !== undefined && (
          <small className="field-error" role="alert">
            {templateError ?? errors.templateId}
          </small>
        )}
      </div>
      {words.threshold !== null && (
        <div className="field">
          <label htmlFor={`${id}-threshold`}>{words.threshold}</label>
          <input
            id={`${id}-threshold`}
            inputMode="numeric"
            value={threshold}
            aria-invalid={thresholdError !== undefined}
            onChange={(event) => setThreshold(event.target.value)}
          />
          {(thresholdError ?? errors.threshold) !== undefined && (
            <small className="field-error" role="alert">
              {thresholdError ?? errors.threshold}
            </small>
          )}
        </div>
      )}
      <p className="muted">
        Last run: {setting.lastRunAt === null ? 'never' : <When at={setting.lastRunAt} now={now} />}
      </p>
      <button type="submit" className="primary" disabled={saving}>
        Save “{words.title}”
      </button>
    </form>
  );
}

export function Automations() {
  const templates = useTemplates();
  const [settings, setSettings] = useState<TriggerSetting[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void kasuwa.campaigns.triggers().then((answer) => {
      if (answer.ok) setSettings(answer.value);
      else setError(answer.error.message);
    });
  }, []);
  if (error !== null) {
    return (
      <p className="notice" role="alert">
        Could not read the automations. {error}
      </p>
    );
  }
  if (settings === null || templates === null) return <p aria-busy="true">Loading…</p>;
  return (
    <div className="stack">
      <p className="muted">
        Automatic messages follow the same rules as campaigns: promotions only to customers who agreed, never
        in quiet hours, within the frequency cap. Each customer gets each one once per occasion.
        {templates.length === 0 && (
          <>
            {' '}
            <Link to="/campaigns/templates/new">Make a template</Link> first.
          </>
        )}
      </p>
      <div className="settings-grid">
        {settings.map((setting) => (
          <TriggerCard
            key={setting.trigger}
            setting={setting}
            templates={templates}
            onSaved={(saved) =>
              setSettings(settings.map((each) => (each.trigger === saved.trigger ? saved : each)))
            }
          />
        ))}
      </div>
    </div>
  );
}
