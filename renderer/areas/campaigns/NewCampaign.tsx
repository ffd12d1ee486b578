/**
 * A new campaign: who (a segment), what (a template, optionally a second one for an A/B split),
 * when (now or a Lagos time), and before the Send button the estimate: who receives it, who is
 * left out and why, pages, the cost in naira, and whether quiet hours hold it back.
 */
import { useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CampaignEstimate, MessageTemplate } from '../../../shared/contract';
import { formatNaira } from '../../../shared/money';
import { kasuwa } from '../../bridge';
import { TextField, fieldErrors } from '../../components/Field';
import { call, useAppStore } from '../../state/app-store';
import {
  useCampaignEvents,
  useCampaignSettings,
  useCampaignsStore,
  useSegments,
  useTemplates,
} from '../../state/campaigns-store';
import { count } from '../sync/words';
import { shopDateTime, useNow } from '../sync/time';
import {
  CHANNEL_WORDS,
  epochToLagosInput,
  lagosInputToEpoch,
  messages,
  notReadyReason,
  pages,
  people,
} from './CampaignWords';
import { useLiveAnswer } from './useLiveAnswer';

interface EstimateQuestion {
  segment: { segmentId: string };
  templateId: string;
  templateBId: string | null;
  scheduledAt: number | null;
}

const askEstimate = (key: string) => kasuwa.campaigns.estimate(JSON.parse(key) as EstimateQuestion);

function templateLabel(template: MessageTemplate): string {
  return `${template.name} (${CHANNEL_WORDS[template.channel]}, ${template.kind})`;
}

function EstimateView({
  estimate,
  busy,
  template,
}: {
  estimate: CampaignEstimate;
  busy: boolean;
  template: MessageTemplate;
}) {
  const settings = useCampaignSettings();
  const left = estimate.excluded.noConsent + estimate.excluded.noAddress;
  return (
    <div aria-busy={busy} data-testid="campaign-estimate">
      <p className="campaign-big-count" role="status" aria-live="polite">
        <strong data-testid="estimate-recipients">{count(estimate.recipients)}</strong>{' '}
        {estimate.recipients === 1 ? 'customer receives it' : 'customers receive it'} for{' '}
        <strong data-testid="estimate-cost">{formatNaira(estimate.costKobo)}</strong>
      </p>
      <dl className="facts">
        <dt>In the segment</dt>
        <dd>{people(estimate.matching)}</dd>
        <dt>Left out</dt>
        <dd data-testid="estimate-excluded">
          {left === 0
            ? 'Nobody'
            : [
                estimate.excluded.noConsent > 0 &&
                  `${count(estimate.excluded.noConsent)} did not agree to ${template.kind === 'promotional' ? 'offers' : 'messages'}`,
                estimate.excluded.noAddress > 0 &&
                  `${count(estimate.excluded.noAddress)} have no ${template.channel === 'email' ? 'email address' : 'number'} on file`,
              ]
                .filter(Boolean)
                .join('; ')}
        </dd>
        {estimate.encoding !== null && (
          <>
            <dt>Length</dt>
            <dd data-testid="estimate-pages">
              {pages(estimate.pagesPerMessage)} per message ({estimate.encoding})
            </dd>
          </>
        )}
        <dt>Per message</dt>
        <dd>{formatNaira(estimate.perMessageKobo)}</dd>
        <dt>Total cost</dt>
        <dd>{formatNaira(estimate.costKobo)}</dd>
      </dl>
      {estimate.encoding === 'UCS-2' && (
        <p className="campaign-warning" role="note">
          This message uses characters outside the plain SMS alphabet (such as ₦), so each page holds 70
          characters instead of 160.{' '}
          <Link to={`/campaigns/templates/${template.id}`}>Change the template</Link> to pay for fewer pages.
        </p>
      )}
      {estimate.waitsUntil !== null && (
        <p className="campaign-warning" role="note" data-testid="estimate-waits">
          Promotional SMS are not sent in quiet hours
          {settings === null
            ? ''
            : ` (${settings.quietHours.start} to ${settings.quietHours.end}, Lagos time)`}
          : this campaign waits until {shopDateTime(estimate.waitsUntil)}.
        </p>
      )}
      {estimate.recipients === 0 && (
        <p className="notice" role="alert">
          Nobody in this segment can receive this message. Choose another segment or channel.
        </p>
      )}
    </div>
  );
}

export function NewCampaign() {
  useCampaignEvents();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const segments = useSegments();
  const templates = useTemplates();
  const settings = useCampaignSettings();
  const sender = useCampaignsStore((state) => state.sender);
  const showToast = useAppStore((state) => state.showToast);
  const now = useNow(60_000);
  const [name, setName] = useState('');
  const [segmentId, setSegmentId] = useState(search.get('segment') ?? '');
  const [templateId, setTemplateId] = useState('');
  const [split, setSplit] = useState<{ on: boolean; templateBId: string; percent: string }>({
    on: false,
    templateBId: '',
    percent: '50',
  });
  const [when, setWhen] = useState<{ later: boolean; at: string }>({ later: false, at: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);

  const template = templates?.find((each) => each.id === templateId) ?? null;
  const partners = (templates ?? []).filter(
    (each) => template !== null && each.channel === template.channel && each.id !== template.id,
  );
  const templateBId =
    split.on && partners.some((each) => each.id === split.templateBId) ? split.templateBId : null;
  const percent = Number(split.percent);
  const percentError =
    split.on && !(Number.isInteger(percent) && percent >= 1 && percent <= 99)
      ? 'Write a whole number from 1 to 99.'
      : undefined;
  const scheduledAt = when.later ? lagosInputToEpoch(when.at) : null;
  const whenError =
    when.later && scheduledAt === null
      ? 'Choose the day and time to send.'
      : scheduledAt !== null && scheduledAt < now - 60_000
        ? 'That time has passed. Choose a later one, or send now.'
        : undefined;
  const segmentKnown = segments?.some((each) => each.id === segmentId) ?? false;
  const ready = segmentKnown && template !== null && whenError === undefined;
  const estimateKey = ready
    ? JSON.stringify({
        segment: { segmentId },
        templateId,
        templateBId,
        scheduledAt,
      } satisfies EstimateQuestion)
    : null;
  const estimate = useLiveAnswer(estimateKey, askEstimate, 250);
  const notReady = template === null ? null : notReadyReason(template.channel, settings, sender);

  const send = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!ready || percentError !== undefined) return;
    setErrors({});
    setSending(true);
    const answer = await call(
      kasuwa.campaigns.create({
        name,
        segment: { segmentId },
        templateId,
        templateBId,
        splitPercent: templateBId === null ? 50 : percent,
        scheduledAt,
      }),
      { onError: (error) => setErrors(fieldErrors(error.details)) },
    );
    setSending(false);
    if (answer.ok) {
      showToast(
        'success',
        answer.value.state === 'scheduled'
          ? `${answer.value.name} is scheduled.`
          : `${answer.value.name} is on its way to ${people(answer.value.tally.recipients)}.`,
      );
      void navigate(`/campaigns/${answer.value.id}`);
    }
  };

  if (segments === null || templates === null) return <p aria-busy="true">Loading…</p>;
  if (templates.length === 0) {
    return (
      <section className="panel">
        <h2>New campaign</h2>
        <p>
          First write the message: <Link to="/campaigns/templates/new">make a template</Link>.
        </p>
      </section>
    );
  }
  const shownEstimate = estimate.value;
  const sendWords =
    shownEstimate === null || estimate.busy
      ? scheduledAt === null
        ? 'Send now'
        : 'Schedule'
      : `${scheduledAt === null ? 'Send' : 'Schedule'} ${messages(shownEstimate.recipients)} for ${formatNaira(shownEstimate.costKobo)}`;

  return (
    <form className="campaign-builder" aria-label="New campaign" onSubmit={(event) => void send(event)}>
      <section className="panel" aria-labelledby="new-campaign-title">
        <h2 id="new-campaign-title">New campaign</h2>
        <TextField
          label="Campaign name"
          name="campaignName"
          value={name}
          required
          maxLength={120}
          placeholder="Easter offer to big spenders"
          error={errors.name}
          onChange={(event) => setName(event.target.value)}
        />
        <div className="field">
          <label htmlFor="campaign-segment">Send to</label>
          <select
            id="campaign-segment"
            value={segmentId}
            required
            onChange={(event) => setSegmentId(event.target.value)}
          >
            <option value="" disabled>
              Choose a segment
            </option>
            {segments.map((segment) => (
              <option key={segment.id} value={segment.id}>
                {segment.name} ({people(segment.count.matching)})
              </option>
            ))}
          </select>
          <small className="hint">
            <Link to="/campaigns/segments/new">Build a new segment</Link>
          </small>
        </div>
        <div className="field">
          <label htmlFor="campaign-template">Message</label>
          <select
            id="campaign-template"
            value={templateId}
            required
            onChange={(event) => setTemplateId(event.target.value)}
          >
            <option value="" disabled>
              Choose a template
            </option>
            {templates.map((each) => (
              <option key={each.id} value={each.id}>
                {templateLabel(each)}
              </option>
            ))}
          </select>
        </div>
        {template !== null && (
          <p className="campaign-bubble" aria-label="The message as written">
            {template.body}
          </p>
        )}
        <fieldset>
          <legend>Test two versions</legend>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={split.on}
              disabled={partners.length === 0}
              onChange={(event) => setSplit({ ...split, on: event.target.checked })}
            />
            Send a second template (B) to part of the customers
          </label>
          {partners.length === 0 && template !== null && (
            <p className="muted">
              Make another {CHANNEL_WORDS[template.channel]} template to compare two versions.
            </p>
          )}
          {split.on && (
            <div className="form-grid">
              <div className="field">
                <label htmlFor="campaign-template-b">Template B</label>
                <select
                  id="campaign-template-b"
                  value={templateBId ?? ''}
                  onChange={(event) => setSplit({ ...split, templateBId: event.target.value })}
                >
                  <option value="" disabled>
                    Choose template B
                  </option>
                  {partners.map((each) => (
                    <option key={each.id} value={each.id}>
                      {templateLabel(each)}
                    </option>
                  ))}
                </select>
              </div>
              <TextField
                label="Share that gets B (%)"
                name="splitPercent"
                inputMode="numeric"
                value={split.percent}
                error={percentError ?? errors.splitPercent}
                onChange={(event) => setSplit({ ...split, percent: event.target.value })}
              />
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>When</legend>
          <label className="inline-check">
            <input
              type="radio"
              name="campaignWhen"
              checked={!when.later}
              onChange={() => setWhen({ ...when, later: false })}
            />
            Now
          </label>
          <label className="inline-check">
            <input
              type="radio"
              name="campaignWhen"
              checked={when.later}
              onChange={() =>
                setWhen({ later: true, at: when.at === '' ? epochToLagosInput(now + 3_600_000) : when.at })
              }
            />
            Later
          </label>
          {when.later && (
            <TextField
              label="Send at (Lagos time)"
              name="scheduledAt"
              type="datetime-local"
              value={when.at}
              min={epochToLagosInput(now)}
              error={whenError ?? errors.scheduledAt}
              onChange={(event) => setWhen({ ...when, at: event.target.value })}
            />
          )}
        </fieldset>
      </section>
      <section className="panel" aria-labelledby="estimate-title">
        <h2 id="estimate-title">Before you send</h2>
        {template === null || !segmentKnown ? (
          <p className="muted">Choose who to send to and the message to see the cost.</p>
        ) : estimate.error !== null ? (
          <p className="notice" role="alert">
            Could not work out the cost. {estimate.error.message}
          </p>
        ) : shownEstimate === null ? (
          <p aria-busy="true">Working out the cost…</p>
        ) : (
          <EstimateView estimate={shownEstimate} busy={estimate.busy} template={template} />
        )}
        {notReady !== null && (
          <p className="campaign-warning" role="note">
            {notReady} <Link to="/campaigns/settings">Open Settings</Link>
          </p>
        )}
        <button
          type="submit"
          className="primary big"
          disabled={
            !ready ||
            sending ||
            percentError !== undefined ||
            (split.on && templateBId === null) ||
            shownEstimate === null ||
            shownEstimate.recipients === 0
          }
        >
          {sendWords}
        </button>
      </section>
    </form>
  );
}
