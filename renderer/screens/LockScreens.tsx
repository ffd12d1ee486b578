/** What shows before the shop database is open: a passphrase to choose or enter, or an error. */
import { useState, type SyntheticEvent } from 'react';
import type { AppStatus } from '../../shared/contract';
import { kasuwa } from '../bridge';
import { TextField, fieldErrors } from '../components/Field';
import { call, useAppStore } from '../state/app-store';

export function ErrorScreen({ status }: { status: Extract<AppStatus, { state: 'error' }> }) {
  return (
    <main className="centered-screen" aria-labelledby="error-title">
      <div className="panel panel-error">
        <h1 id="error-title">{status.title}</h1>
        <p className="lead">{status.message}</p>
        <p className="muted">
          Error code: {status.code}. Close Kasuwa when you are ready; your data has not been touched.
        </p>
      </div>
    </main>
  );
}

export function PassphraseScreen({ status }: { status: Extract<AppStatus, { state: 'needs-passphrase' }> }) {
  const setStatus = useAppStore((state) => state.setStatus);
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = status.firstRun
      ? await call(kasuwa.app.createPassphrase({ passphrase, confirm }), {
          onError: (error) => setErrors(fieldErrors(error.details)),
        })
      : await call(kasuwa.app.unlock({ passphrase }), {
          onError: (error) =>
            setErrors(error.code === 'wrong_passphrase' ? { passphrase: error.message } : {}),
        });
    setBusy(false);
    if (result.ok) setStatus(result.value);
  };

  return (
    <main className="centered-screen" aria-labelledby="lock-title">
      <form className="panel" onSubmit={(event) => void submit(event)}>
        <h1 id="lock-title">{status.firstRun ? 'Choose a passphrase for this shop' : 'Unlock Kasuwa'}</h1>
        <p className="lead">{status.reason}</p>
        <TextField
          label="Passphrase"
          name="passphrase"
          type="password"
          autoFocus
          autoComplete={status.firstRun ? 'new-password' : 'current-password'}
          value={passphrase}
          error={errors.passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
        {status.firstRun && (
          <TextField
            label="Type it again"
            name="confirm"
            type="password"
            autoComplete="new-password"
            value={confirm}
            error={errors.confirm}
            onChange={(event) => setConfirm(event.target.value)}
          />
        )}
        <button type="submit" className="primary" disabled={busy}>
          {status.firstRun ? 'Lock the database with this passphrase' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
