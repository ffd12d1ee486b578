/** First run: the business (name, state, phone) and the owner with a PIN. */
import { useState, type SyntheticEvent } from 'react';
import type { NigerianState } from '../../shared/states';
import { kasuwa } from '../bridge';
import { BusinessFields, businessErrors, draftFromProfile } from '../components/BusinessForm';
import { TextField, fieldErrors } from '../components/Field';
import { call, useAppStore } from '../state/app-store';

export function SetupScreen() {
  const setBusiness = useAppStore((state) => state.setBusiness);
  const setStatus = useAppStore((state) => state.setStatus);
  const showToast = useAppStore((state) => state.showToast);
  const [draft, setDraft] = useState(draftFromProfile(null));
  const [ownerName, setOwnerName] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (pin !== pinAgain) {
      setErrors({ pinAgain: 'The two PINs are not the same' });
      return;
    }
    setBusy(true);
    const result = await call(
      kasuwa.business.setup({
        business: { ...draft, state: draft.state as NigerianState },
        ownerName,
        pin,
      }),
      { onError: (error) => setErrors(fieldErrors(error.details)) },
    );
    setBusy(false);
    if (!result.ok) return;
    setBusiness(result.value);
    const status = await call(kasuwa.app.status());
    if (status.ok) setStatus(status.value);
    showToast('success', `Welcome, ${ownerName}. ${result.value.name} is ready.`);
  };

  return (
    <main className="centered-screen" aria-labelledby="setup-title">
      <form className="panel panel-wide" onSubmit={(event) => void submit(event)}>
        <h1 id="setup-title">Set up your shop</h1>
        <p className="lead">
          A few details and Kasuwa is ready to sell. You can change them later in Settings.
        </p>
        <fieldset>
          <legend>Your business</legend>
          <BusinessFields
            draft={draft}
            errors={businessErrors(errors, 'business.')}
            onChange={setDraft}
            autoFocus
          />
        </fieldset>
        <fieldset>
          <legend>The owner</legend>
          <TextField
            label="Owner's name"
            name="ownerName"
            value={ownerName}
            required
            maxLength={80}
            error={errors.ownerName}
            onChange={(event) => setOwnerName(event.target.value)}
          />
          <TextField
            label="Owner PIN (4 to 6 digits)"
            name="pin"
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            pattern="\d{4,6}"
            value={pin}
            required
            error={errors.pin}
            hint="Needed for refunds, voids and settings. Do not share it with cashiers."
            onChange={(event) => setPin(event.target.value.replace(/\D/g, '').slice(0, 6))}
          />
          <TextField
            label="Type the PIN again"
            name="pinAgain"
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={pinAgain}
            required
            error={errors.pinAgain}
            onChange={(event) => setPinAgain(event.target.value.replace(/\D/g, '').slice(0, 6))}
          />
        </fieldset>
        <button type="submit" className="primary" disabled={busy}>
          Finish setup
        </button>
      </form>
    </main>
  );
}
