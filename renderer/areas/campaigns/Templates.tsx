/**
 * Message templates: the list, and the editor with its personal-field buttons, the live preview
 * for a real customer (from a segment or found by name or number), and for SMS the length, pages
 * and cost counted as the owner types.
 */
import { useRef, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  CONTACT_CHANNELS,
  MESSAGE_KINDS,
  TEMPLATE_FIELDS,
  type ContactChannel,
  type MessageTemplate,
  type TemplateField,
} from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { TextField, fieldErrors } from '../../components/Field';
import { call, useAppStore } from '../../state/app-store';
import {
  useCampaignSettings,
  useCampaignsStore,
  useSegments,
  useTemplates,
} from '../../state/campaigns-store';
import { formatDay } from '../customers/CustomerRow';
import { CHANNEL_WORDS, FIELD_WORDS, KIND_WORDS } from './CampaignWords';
import { ConfirmDialog } from './ConfirmDialog';
import { SmsMeter } from './SmsMeter';
import { useLiveAnswer } from './useLiveAnswer';

export function TemplateList() {
  const templates = useTemplates();
  const loadError = useCampaignsStore((state) => state.loadErrors.templates);
  const dropTemplate = useCampaignsStore((state) => state.dropTemplate);
  const showToast = useAppStore((state) => state.showToast);
  const [deleting, setDeleting] = useState<MessageTemplate | null>(null);
  if (templates === null) {
    return loadError === undefined ? (
      <p aria-busy="true">Loading…</p>
    ) : (
      <p className="notice" role="alert">
        Could not read the templates. {loadError}
      </p>
    );
  }
  return (
    <section className="panel" aria-labelledby="templates-title">
      <div className="campaign-section-head">
        <h2 id="templates-title">Templates</h2>
        <Link className="button primary" to="/campaigns/templates/new">
          New template
        </Link>
      </div>
      {templates.length === 0 ? (
        <p className="muted">
          No templates yet. A template is the message itself, with personal fields such as the customer’s
          first name or points filled in for each person.
        </p>
      ) : (
        <table aria-label="Templates" className="campaign-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Channel</th>
              <th scope="col">Kind</th>
              <th scope="col">Message</th>
              <th scope="col">Changed</th>
              <th scope="col">
                <span className="campaign-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {templates.map((template) => (
              <tr key={template.id}>
                <th scope="row">{template.name}</th>
                <td>{CHANNEL_WORDS[template.channel]}</td>
                <td className="capitalise">{template.kind}</td>
                <td className="campaign-body-cell">{template.body}</td>
                <td>{formatDay(template.updatedAt)}</td>
                <td>
                  <div className="campaign-row-actions">
                    <Link
                      className="button"
                      to={`/campaigns/templates/${template.id}`}
                      aria-label={`Edit ${template.name}`}
                    >
                      Edit
                    </Link>
                    <button
                      type="button"
                      aria-label={`Delete ${template.name}`}
                      onClick={() => setDeleting(template)}
                    >
                      Delete
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting !== null && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete template"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            const answer = await call(kasuwa.campaigns.deleteTemplate({ id: deleting.id }));
            if (answer.ok) {
              dropTemplate(deleting.id);
              showToast('success', `${deleting.name} deleted.`);
            }
          }}
        >
          <p>Campaigns already sent with it keep their results.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface PreviewQuestion {
  channel: ContactChannel;
  body: string;
  subject: string;
  customerId: string | null;
  segment: { segmentId: string } | null;
}

const askPreview = (key: string) => kasuwa.campaigns.preview(JSON.parse(key) as PreviewQuestion);
const askCustomers = (key: string) =>
  kasuwa.customers.search(JSON.parse(key) as { query: string; limit: number });

/** Who the preview is for: the first customer of a segment, or one found by name or number. */
function PreviewRecipient({
  segmentId,
  customer,
  onSegment,
  onCustomer,
}: {
  segmentId: string;
  customer: { id: string; displayName: string } | null;
  onSegment: (segmentId: string) => void;
  onCustomer: (customer: { id: string; displayName: string } | null) => void;
}) {
  const segments = useSegments();
  const [query, setQuery] = useState('');
  const found = useLiveAnswer(
    query.trim() === '' ? null : JSON.stringify({ query, limit: 6 }),
    askCustomers,
    200,
  );
  return (
    <div className="campaign-preview-for">
      <div className="field">
        <label htmlFor="preview-segment">Preview for the first customer of</label>
        <select
          id="preview-segment"
          value={segmentId}
          onChange={(event) => {
            onSegment(event.target.value);
            onCustomer(null);
          }}
        >
          <option value="">Any customer in the book</option>
          {(segments ?? []).map((segment) => (
            <option key={segment.id} value={segment.id}>
              {segment.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="preview-customer">Or find a customer</label>
        <input
          id="preview-customer"
          type="search"
          value={query}
          placeholder="Name or part of the number"
          autoComplete="off"
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      {query.trim() !== '' && found.value !== null && (
        <ul className="pick-list" aria-label="Customers to preview for">
          {found.value.length === 0 && <li className="muted">Nobody matches.</li>}
          {found.value.map((each) => (
            <li key={each.id}>
              <button
                type="button"
                onClick={() => {
                  onCustomer({ id: each.id, displayName: each.displayName });
                  setQuery('');
                }}
              >
                Preview for {each.displayName}
                {each.carrier !== null && <small className="muted"> ({each.carrier})</small>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {customer !== null && (
        <p>
          Showing the message for <strong>{customer.displayName}</strong>.{' '}
          <button type="button" className="campaign-link-button" onClick={() => onCustomer(null)}>
            Preview for someone else
          </button>
        </p>
      )}
    </div>
  );
}

function TemplateForm({ initial }: { initial: MessageTemplate | null }) {
  const navigate = useNavigate();
  const showToast = useAppStore((state) => state.showToast);
  const putTemplate = useCampaignsStore((state) => state.putTemplate);
  const settings = useCampaignSettings();
  const body = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraft] = useState({
    name: initial?.name ?? '',
    channel: initial?.channel ?? 'sms',
    kind: initial?.kind ?? 'promotional',
    body: initial?.body ?? '',
    subject: initial?.subject ?? '',
    whatsappName: initial?.whatsappTemplate?.name ?? '',
    whatsappLanguage: initial?.whatsappTemplate?.language ?? 'en',
  });
  const [segmentId, setSegmentId] = useState('');
  const [customer, setCustomer] = useState<{ id: string; displayName: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const set = (patch: Partial<typeof draft>) => setDraft({ ...draft, ...patch });

  const question: PreviewQuestion = {
    channel: draft.channel,
    body: draft.body,
    subject: draft.channel === 'email' ? draft.subject : '',
    customerId: customer?.id ?? null,
    segment: customer === null && segmentId !== '' ? { segmentId } : null,
  };
  const preview = useLiveAnswer(draft.body === '' ? null : JSON.stringify(question), askPreview, 300);

  const insertField = (field: TemplateField) => {
    const element = body.current;
    const token = `{{${field}}}`;
    const start = element?.selectionStart ?? draft.body.length;
    const end = element?.selectionEnd ?? draft.body.length;
    set({ body: `${draft.body.slice(0, start)}${token}${draft.body.slice(end)}` });
    // Put the caret after the field once React has written the new text.
    window.requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setErrors({});
    setSaving(true);
    const answer = await call(
      kasuwa.campaigns.saveTemplate({
        ...(initial === null ? {} : { id: initial.id }),
        name: draft.name,
        channel: draft.channel,
        kind: draft.kind,
        body: draft.body,
        subject: draft.channel === 'email' ? draft.subject : '',
        whatsappTemplate:
          draft.channel === 'whatsapp'
            ? { name: draft.whatsappName, language: draft.whatsappLanguage }
            : null,
      }),
      { onError: (error) => setErrors(fieldErrors(error.details)) },
    );
    setSaving(false);
    if (answer.ok) {
      putTemplate(answer.value);
      showToast('success', `Template ${answer.value.name} saved.`);
      void navigate('/campaigns/templates');
    }
  };

  const shown = preview.value;
  return (
    <form className="campaign-builder" aria-label="Template editor" onSubmit={(event) => void save(event)}>
      <section className="panel" aria-labelledby="template-form-title">
        <h2 id="template-form-title">{initial === null ? 'New template' : `Change ${initial.name}`}</h2>
        <TextField
          label="Template name"
          name="templateName"
          value={draft.name}
          required
          maxLength={80}
          placeholder="Easter offer"
          error={errors.name}
          onChange={(event) => set({ name: event.target.value })}
        />
        <fieldset>
          <legend>Send by</legend>
          {CONTACT_CHANNELS.map((channel) => (
            <label key={channel} className="inline-check">
              <input
                type="radio"
                name="templateChannel"
                checked={draft.channel === channel}
                onChange={() => set({ channel })}
              />
              {CHANNEL_WORDS[channel]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Kind of message</legend>
          {MESSAGE_KINDS.map((kind) => (
            <label key={kind} className="inline-check">
              <input
                type="radio"
                name="templateKind"
                checked={draft.kind === kind}
                onChange={() => set({ kind })}
              />
              {KIND_WORDS[kind]}
            </label>
          ))}
          <p className="muted">
            {draft.kind === 'promotional'
              ? 'Goes only to customers who agreed to offers, never in quiet hours, and counts towards the frequency cap.'
              : 'Only for messages about the customer’s own account, such as their points or an order. Never use it for offers.'}
          </p>
        </fieldset>
        {draft.channel === 'email' && (
          <TextField
            label="Email subject"
            name="subject"
            value={draft.subject}
            maxLength={200}
            error={errors.subject}
            onChange={(event) => set({ subject: event.target.value })}
          />
        )}
        {draft.channel === 'whatsapp' && (
          <fieldset>
            <legend>Template approved by WhatsApp</legend>
            <p className="muted">
              WhatsApp sends offers only through a template Meta approved. Write the body as it was approved;
              the personal fields become its parameters in the order they appear.
            </p>
            <div className="form-grid">
              <TextField
                label="Approved template name"
                name="whatsappName"
                value={draft.whatsappName}
                placeholder="easter_offer"
                error={errors['whatsappTemplate.name']}
                onChange={(event) => set({ whatsappName: event.target.value })}
              />
              <TextField
                label="Template language"
                name="whatsappLanguage"
                value={draft.whatsappLanguage}
                placeholder="en"
                error={errors['whatsappTemplate.language']}
                onChange={(event) => set({ whatsappLanguage: event.target.value })}
              />
            </div>
          </fieldset>
        )}
        <div className="field">
          <label htmlFor="template-body">Message</label>
          <textarea
            id="template-body"
            ref={body}
            rows={6}
            maxLength={4000}
            value={draft.body}
            aria-invalid={errors.body !== undefined}
            aria-describedby="template-fields-hint"
            onChange={(event) => set({ body: event.target.value })}
          />
          {errors.body !== undefined && (
            <small className="field-error" role="alert">
              {errors.body}
            </small>
          )}
        </div>
        <div className="campaign-field-buttons" role="group" aria-label="Personal fields">
          <small id="template-fields-hint" className="hint">
            Personal fields are filled in for each customer:
          </small>
          {TEMPLATE_FIELDS.map((field) => (
            <button
              key={field}
              type="button"
              title={`The customer’s ${FIELD_WORDS[field]}`}
              onClick={() => insertField(field)}
            >
              Insert <code>{`{{${field}}}`}</code>
            </button>
          ))}
        </div>
        <div className="campaign-actions">
          <button type="submit" className="primary" disabled={saving}>
            Save template
          </button>
          <Link className="button" to="/campaigns/templates">
            Back to templates
          </Link>
        </div>
      </section>
      <section className="panel" aria-labelledby="template-preview-title">
        <h2 id="template-preview-title">Preview</h2>
        <PreviewRecipient
          segmentId={segmentId}
          customer={customer}
          onSegment={setSegmentId}
          onCustomer={setCustomer}
        />
        {draft.body === '' ? (
          <p className="muted">Write the message to see it as a customer will.</p>
        ) : preview.error !== null ? (
          <p className="notice" role="alert">
            Could not show the preview. {preview.error.message}
          </p>
        ) : shown === null ? (
          <p aria-busy="true">Preparing the preview…</p>
        ) : (
          <div aria-busy={preview.busy}>
            <p className="muted">
              {shown.customer === null
                ? 'With sample words (no customer to show it for yet).'
                : `As ${shown.customer.displayName} will get it:`}
            </p>
            {draft.channel === 'email' && (
              <p>
                <strong>Subject:</strong> <span data-testid="preview-subject">{shown.subject}</span>
              </p>
            )}
            <p className={`campaign-bubble campaign-bubble-${draft.channel}`} data-testid="preview-text">
              {shown.text}
            </p>
            {shown.fellBack.length > 0 && (
              <p className="muted">
                {shown.customer?.displayName ?? 'This customer'} has no{' '}
                {shown.fellBack.map((field) => FIELD_WORDS[field]).join(', ')} on file, so the fallback words
                are used.
              </p>
            )}
            {shown.unknownFields.length > 0 && (
              <p className="campaign-warning" role="note">
                {shown.unknownFields.map((field) => `{{${field}}}`).join(', ')}{' '}
                {shown.unknownFields.length === 1 ? 'is not a personal field' : 'are not personal fields'}:
                sent exactly as written. Check the spelling, or use the buttons under the message.
              </p>
            )}
          </div>
        )}
        {draft.channel === 'sms' && (
          <SmsMeter
            text={shown?.text ?? draft.body}
            extraText={draft.body.replace(/\{\{[^}]*\}\}/g, '')}
            rateKobo={settings?.rates.smsPageKobo ?? null}
            forWhom={shown?.customer?.displayName ?? null}
          />
        )}
      </section>
    </form>
  );
}

export function TemplateEditor() {
  const { id } = useParams();
  const templates = useTemplates();
  if (id === undefined) return <TemplateForm initial={null} />;
  if (templates === null) return <p aria-busy="true">Loading…</p>;
  const initial = templates.find((template) => template.id === id);
  if (initial === undefined) {
    return (
      <p className="notice" role="alert">
        That template is not there any more. <Link to="/campaigns/templates">Back to templates</Link>
      </p>
    );
  }
  return <TemplateForm key={initial.id} initial={initial} />;
}
