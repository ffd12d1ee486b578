/** Create or edit a customer; a number someone else has is refused with a link to them. */
import { useEffect, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { CONTACT_CHANNELS, type ContactChannel, type Customer } from '../../../shared/contract';
import { formatNationalPhone, parseNigerianPhone } from '../../../shared/phone';
import { NIGERIAN_STATES, stateLabel, type NigerianState } from '../../../shared/states';
import { kasuwa } from '../../bridge';
import { AreaHeader } from '../../components/AreaHeader';
import { SelectField, TextField, fieldErrors } from '../../components/Field';
import { call, useAppStore } from '../../state/app-store';

const CHANNEL_LABELS: Record<ContactChannel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email' };
export const CONSENT_WORDING =
  'Agreed at the counter to receive offers and news from the shop; can stop any time.';

interface Draft {
  firstName: string;
  lastName: string;
  displayName: string;
  phone: string;
  whatsapp: string;
  email: string;
  address: string;
  state: NigerianState | '';
  lgaCity: string;
  kind: 'individual' | 'business';
  tags: string;
  notes: string;
  preferences: [string, string][];
  birthday: string;
  consent: Record<ContactChannel, boolean>;
}

function draftOf(customer: Customer | null): Draft {
  const national = (e164: string | null) => {
    if (e164 === null) return '';
    const parsed = parseNigerianPhone(e164);
    return parsed.ok ? formatNationalPhone(parsed.national) : e164;
  };
  return {
    firstName: customer?.firstName ?? '',
    lastName: customer?.lastName ?? '',
    displayName: customer?.displayName ?? '',
    phone: customer === null ? '' : national(customer.phone),
    whatsapp: customer === null || customer.whatsapp === customer.phone ? '' : national(customer.whatsapp),
    email: customer?.email ?? '',
    address: customer?.address ?? '',
    state: customer?.state ?? '',
    lgaCity: customer?.lgaCity ?? '',
    kind: customer?.kind ?? 'individual',
    tags: customer?.tags.join(', ') ?? '',
    notes: customer?.notes ?? '',
    preferences: Object.entries(customer?.preferences ?? {}),
    birthday: customer?.birthday ?? '',
    consent: { sms: false, whatsapp: false, email: false },
  };
}

function PhoneHint({ value }: { value: string }) {
  const parsed = parseNigerianPhone(value);
  if (value.trim() === '' || !parsed.ok) return null;
  return (
    <>
      {parsed.carrier === null ? 'Nigerian mobile' : `${parsed.carrier} number`} (numbers can be ported
      between networks)
    </>
  );
}

export function CustomerForm() {
  const { id } = useParams();
  const navigate = useNavigate();
  const showToast = useAppStore((state) => state.showToast);
  const [draft, setDraft] = useState<Draft | null>(id === undefined ? draftOf(null) : null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [existing, setExisting] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    if (id === undefined) return;
    void call(kasuwa.customers.get({ id })).then((answer) => answer.ok && setDraft(draftOf(answer.value)));
  }, [id]);

  if (draft === null) return <p aria-busy="true">Loading…</p>;
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    setErrors({});
    setExisting(null);
    const fields = {
      firstName: draft.firstName,
      lastName: draft.lastName,
      displayName: draft.displayName,
      phone: draft.phone,
      whatsapp: draft.whatsapp,
      email: draft.email,
      address: draft.address,
      state: draft.state === '' ? null : draft.state,
      lgaCity: draft.lgaCity,
      kind: draft.kind,
      tags: draft.tags
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
      notes: draft.notes,
      preferences: Object.fromEntries(draft.preferences.filter(([key]) => key.trim() !== '')),
      birthday: draft.birthday === '' ? null : draft.birthday,
    };
    const onError = (error: { code: string; details?: unknown }) => {
      setErrors(fieldErrors(error.details));
      const details = error.details as { existingId?: string; existingName?: string } | undefined;
      if (error.code === 'conflict' && details?.existingId !== undefined) {
        setExisting({ id: details.existingId, name: details.existingName ?? 'them' });
      }
    };
    const answer =
      id === undefined
        ? await call(
            kasuwa.customers.create({
              ...fields,
              consent: draft.consent,
              consentSource: 'counter',
              consentWording: CONSENT_WORDING,
            }),
            { onError },
          )
        : await call(kasuwa.customers.update({ ...fields, id }), { onError });
    if (answer.ok) {
      showToast('success', `${answer.value.displayName} saved.`);
      void navigate(`/customers/${answer.value.id}`);
    }
  };

  return (
    <>
      <AreaHeader title={id === undefined ? 'New customer' : 'Edit customer'} />
      <form className="panel panel-wide customer-form" onSubmit={(event) => void save(event)}>
        {existing !== null && (
          <p className="notice" role="alert">
            This number belongs to {existing.name}.{' '}
            <Link to={`/customers/${existing.id}`}>Open {existing.name}</Link>
          </p>
        )}
        <div className="form-grid">
          <TextField
            label="First name"
            name="firstName"
            autoFocus
            value={draft.firstName}
            error={errors.firstName}
            onChange={(e) => set({ firstName: e.target.value })}
          />
          <TextField
            label="Last name"
            name="lastName"
            value={draft.lastName}
            error={errors.lastName}
            onChange={(e) => set({ lastName: e.target.value })}
          />
          <TextField
            label="Display name (optional)"
            name="displayName"
            value={draft.displayName}
            hint="Shown everywhere; first and last name when empty"
            onChange={(e) => set({ displayName: e.target.value })}
          />
          <TextField
            label="Phone"
            name="phone"
            type="tel"
            inputMode="tel"
            required
            placeholder="0803 123 4567"
            value={draft.phone}
            error={errors.phone}
            hint={<PhoneHint value={draft.phone} />}
            onChange={(e) => set({ phone: e.target.value })}
          />
          <TextField
            label="WhatsApp (if different)"
            name="whatsapp"
            type="tel"
            value={draft.whatsapp}
            error={errors.whatsapp}
            hint={<PhoneHint value={draft.whatsapp} />}
            onChange={(e) => set({ whatsapp: e.target.value })}
          />
          <TextField
            label="Email"
            name="email"
            type="email"
            value={draft.email}
            error={errors.email}
            onChange={(e) => set({ email: e.target.value })}
          />
          <TextField
            label="Address"
            name="address"
            value={draft.address}
            onChange={(e) => set({ address: e.target.value })}
          />
          <SelectField
            label="State"
            name="state"
            value={draft.state}
            onChange={(e) => set({ state: e.target.value as NigerianState | '' })}
          >
            <option value="">Not known</option>
            {NIGERIAN_STATES.map((state) => (
              <option key={state} value={state}>
                {stateLabel(state)}
              </option>
            ))}
          </SelectField>
          <TextField
            label="LGA or city"
            name="lgaCity"
            value={draft.lgaCity}
            onChange={(e) => set({ lgaCity: e.target.value })}
          />
          <SelectField
            label="Customer type"
            name="kind"
            value={draft.kind}
            onChange={(e) => set({ kind: e.target.value as Draft['kind'] })}
          >
            <option value="individual">Individual</option>
            <option value="business">Business</option>
          </SelectField>
          <TextField
            label="Tags (comma-separated)"
            name="tags"
            value={draft.tags}
            placeholder="vip, wholesale"
            onChange={(e) => set({ tags: e.target.value })}
          />
          <TextField
            label="Birthday (MM-DD or YYYY-MM-DD)"
            name="birthday"
            value={draft.birthday}
            placeholder="03-21"
            error={errors.birthday}
            onChange={(e) => set({ birthday: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="customer-notes">Notes</label>
          <textarea
            id="customer-notes"
            rows={3}
            value={draft.notes}
            onChange={(e) => set({ notes: e.target.value })}
          />
        </div>
        <fieldset>
          <legend>Preferences</legend>
          {draft.preferences.map(([key, value], index) => (
            <div className="pair-row" key={index}>
              <TextField
                label="Preference"
                value={key}
                onChange={(e) =>
                  set({
                    preferences: draft.preferences.map((p, i) => (i === index ? [e.target.value, p[1]] : p)),
                  })
                }
              />
              <TextField
                label="Value"
                value={value}
                onChange={(e) =>
                  set({
                    preferences: draft.preferences.map((p, i) => (i === index ? [p[0], e.target.value] : p)),
                  })
                }
              />
            </div>
          ))}
          <button type="button" onClick={() => set({ preferences: [...draft.preferences, ['', '']] })}>
            Add a preference
          </button>
        </fieldset>
        {id === undefined && (
          <fieldset>
            <legend>May we send offers? (ask the customer)</legend>
            <p className="muted">{CONSENT_WORDING}</p>
            {CONTACT_CHANNELS.map((channel) => (
              <label key={channel} className="inline-check">
                <input
                  type="checkbox"
                  checked={draft.consent[channel]}
                  onChange={(e) => set({ consent: { ...draft.consent, [channel]: e.target.checked } })}
                />
                {CHANNEL_LABELS[channel]}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" className="primary">
          Save customer
        </button>
      </form>
    </>
  );
}

export { CHANNEL_LABELS };
