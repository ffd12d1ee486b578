/** The business profile form, used by first-run setup and by Settings. */
import { useState } from 'react';
import type { BusinessProfile } from '../../shared/contract';
import { NIGERIAN_STATES, stateLabel, type NigerianState } from '../../shared/states';
import { formatNationalPhone, parseNigerianPhone } from '../../shared/phone';
import { SelectField, TextField } from './Field';

export interface BusinessDraft {
  name: string;
  state: NigerianState | '';
  phone: string;
  address: string;
  email: string;
}

export function draftFromProfile(profile: BusinessProfile | null): BusinessDraft {
  if (profile === null) return { name: '', state: '', phone: '', address: '', email: '' };
  const phone = parseNigerianPhone(profile.phone);
  return {
    name: profile.name,
    state: profile.state,
    phone: phone.ok ? formatNationalPhone(phone.national) : profile.phone,
    address: profile.address,
    email: profile.email,
  };
}

export function BusinessFields({
  draft,
  errors,
  onChange,
  autoFocus = false,
}: {
  draft: BusinessDraft;
  errors: Record<string, string>;
  onChange: (draft: BusinessDraft) => void;
  autoFocus?: boolean;
}) {
  const [phoneTouched, setPhoneTouched] = useState(false);
  const phone = parseNigerianPhone(draft.phone);
  const phoneError =
    errors.phone ?? (phoneTouched && draft.phone !== '' && !phone.ok ? phone.error : undefined);
  return (
    <>
      <TextField
        label="Business name"
        name="businessName"
        value={draft.name}
        autoFocus={autoFocus}
        required
        maxLength={80}
        error={errors.name}
        onChange={(event) => onChange({ ...draft, name: event.target.value })}
      />
      <SelectField
        label="State"
        name="state"
        value={draft.state}
        required
        error={errors.state}
        onChange={(event) => onChange({ ...draft, state: event.target.value as NigerianState })}
      >
        <option value="" disabled>
          Choose the state
        </option>
        {NIGERIAN_STATES.map((state) => (
          <option key={state} value={state}>
            {stateLabel(state)}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Business phone"
        name="phone"
        type="tel"
        inputMode="tel"
        value={draft.phone}
        placeholder="0803 123 4567"
        required
        error={phoneError}
        hint={
          phone.ok && phone.carrier !== null ? `${phone.carrier} number (it may have been ported)` : undefined
        }
        onBlur={() => setPhoneTouched(true)}
        onChange={(event) => onChange({ ...draft, phone: event.target.value })}
      />
      <TextField
        label="Address"
        name="address"
        value={draft.address}
        maxLength={200}
        error={errors.address}
        onChange={(event) => onChange({ ...draft, address: event.target.value })}
      />
      <TextField
        label="Email (optional)"
        name="email"
        type="email"
        value={draft.email}
        error={errors.email}
        onChange={(event) => onChange({ ...draft, email: event.target.value })}
      />
    </>
  );
}

/** Field errors keyed by the business field name, from envelope paths like `business.phone`. */
export function businessErrors(errors: Record<string, string>, prefix = ''): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    if (path.startsWith(prefix)) result[path.slice(prefix.length)] = message;
  }
  return result;
}
