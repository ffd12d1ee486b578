/** Step 1: who the shop is, as shoppers will see it: name, description, logo, address, contacts, hours. */
import { useState } from 'react';
import { parseNigerianPhone } from '../../../shared/phone';
import { NIGERIAN_STATES, stateLabel, type NigerianState } from '../../../shared/states';
import type { BusinessInfo } from '../../../shared/store/draft';
import { SelectField, TextField } from '../../components/Field';
import { useStoreScreen } from '../../state/store-store';
import { PictureField, TextAreaField } from './inputs';

/** The phone checks the checklist makes, said under the box once the owner has left it. */
function phoneProblem(text: string, required: boolean): string | undefined {
  if (text.trim() === '') return required ? 'Enter the shop’s phone number' : undefined;
  const parsed = parseNigerianPhone(text);
  return parsed.ok ? undefined : parsed.error;
}

export function BusinessStep() {
  const business = useStoreScreen((state) => state.draft?.business);
  const errors = useStoreScreen((state) => state.errors.business) ?? {};
  const edit = useStoreScreen((state) => state.edit);
  const [left, setLeft] = useState<{ phone: boolean; whatsapp: boolean }>({ phone: false, whatsapp: false });
  if (business === undefined) return null;
  const set = (patch: Partial<BusinessInfo>) => edit('business', (current) => ({ ...current, ...patch }));
  const phoneError = errors.phone ?? (left.phone ? phoneProblem(business.phone, true) : undefined);
  const whatsappError =
    errors.whatsapp ?? (left.whatsapp ? phoneProblem(business.whatsapp, false) : undefined);

  return (
    <div className="store-form">
      <p className="muted">
        Shoppers see this on every page of your store. It starts from your business profile; what you change
        here is for the store only.
      </p>
      <div className="form-grid">
        <TextField
          label="Business name"
          value={business.name}
          maxLength={80}
          error={errors.name}
          onChange={(event) => set({ name: event.target.value })}
        />
        <SelectField
          label="State"
          value={business.state ?? ''}
          error={errors.state}
          onChange={(event) =>
            set({ state: event.target.value === '' ? null : (event.target.value as NigerianState) })
          }
        >
          <option value="">Choose the state</option>
          {NIGERIAN_STATES.map((state) => (
            <option key={state} value={state}>
              {stateLabel(state)}
            </option>
          ))}
        </SelectField>
      </div>
      <TextAreaField
        label="Description"
        value={business.description}
        maxLength={600}
        rows={3}
        error={errors.description}
        hint={`What you sell and why people buy from you, in a sentence or two (${business.description.length} of 600 characters).`}
        onChange={(event) => set({ description: event.target.value })}
      />
      <PictureField
        label="Logo"
        value={business.logo}
        maxSide={256}
        alt={business.name === '' ? 'Your logo' : `Logo of ${business.name}`}
        error={errors.logo}
        hint="A PNG, JPEG or WebP picture; Kasuwa makes it small for slow phones."
        onValue={(logo) => set({ logo })}
      />
      <TextField
        label="Address"
        value={business.address}
        maxLength={200}
        error={errors.address}
        hint="Where customers pick up orders, for example 12 Allen Avenue, Ikeja."
        onChange={(event) => set({ address: event.target.value })}
      />
      <div className="form-grid">
        <TextField
          label="Phone"
          type="tel"
          autoComplete="tel"
          value={business.phone}
          error={phoneError}
          onChange={(event) => set({ phone: event.target.value })}
          onBlur={() => setLeft({ ...left, phone: true })}
        />
        <TextField
          label="WhatsApp"
          type="tel"
          value={business.whatsapp}
          error={whatsappError}
          hint="Shoppers can order by WhatsApp and chat with you. Leave empty if you do not use it."
          onChange={(event) => set({ whatsapp: event.target.value })}
          onBlur={() => setLeft({ ...left, whatsapp: true })}
        />
      </div>
      <TextField
        label="Opening hours"
        value={business.hours}
        maxLength={200}
        error={errors.hours}
        placeholder="Mon–Sat 8am–7pm, Sun closed"
        onChange={(event) => set({ hours: event.target.value })}
      />
    </div>
  );
}
