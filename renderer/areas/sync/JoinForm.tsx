/** Any other counter: joins the business with the one-time code shown on a counter already paired. */
import { useState, type SyntheticEvent } from 'react';
import { channels } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { TextField, fieldErrors } from '../../components/Field';
import { PinDialog } from '../../components/PinDialog';
import { call, useAppStore } from '../../state/app-store';
import { useSyncStore } from '../../state/sync-store';
import { issueErrors, retryPin } from './form-errors';

const fieldsSchema = channels['sync:pair'].input.omit({ ownerPin: true });

/** As typed: capitals, no spaces, a dash after the fourth character (XXXX-XXXX). */
export function formatPairingCode(text: string): string {
  const raw = text
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '')
    .slice(0, 8);
  return raw.length > 4 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : raw;
}

export function JoinForm() {
  const showToast = useAppStore((state) => state.showToast);
  const setStatus = useSyncStore((state) => state.setStatus);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [asking, setAsking] = useState(false);
  const fields = { serverUrl, code, deviceName };

  const check = (event: SyntheticEvent) => {
    event.preventDefault();
    const parsed = fieldsSchema.safeParse(fields);
    setErrors(parsed.success ? {} : issueErrors(parsed.error.issues));
    if (parsed.success) setAsking(true);
  };

  const pair = async (ownerPin: string) => {
    const answer = await call(kasuwa.sync.pair({ ...fields, ownerPin }), {
      onError: (error) => {
        setErrors(fieldErrors(error.details));
        if (!retryPin(error)) setAsking(false);
      },
    });
    if (!answer.ok) return false;
    setAsking(false);
    setStatus(answer.value);
    showToast('success', `This counter has joined ${answer.value.server?.businessName ?? 'the business'}.`);
    return true;
  };

  return (
    <>
      <form className="panel sync-path" aria-labelledby="sync-join-title" noValidate onSubmit={check}>
        <h3 id="sync-join-title">Join with a pairing code</h3>
        <p className="muted">
          On a counter that is already paired, open Sync, then Counters, and choose &ldquo;Add another
          counter&rdquo; to get a code.
        </p>
        <TextField
          label="Sync server address"
          name="serverUrl"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="http://192.168.0.10:8787"
          hint="The same address the other counters use"
          value={serverUrl}
          error={errors.serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
        />
        <TextField
          label="Pairing code"
          name="code"
          className="sync-code-input"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX"
          maxLength={9}
          hint="8 letters and digits, as shown on the other counter"
          value={code}
          error={errors.code}
          onChange={(event) => setCode(formatPairingCode(event.target.value))}
        />
        <TextField
          label="Name of this counter"
          name="deviceName"
          placeholder="Back office"
          maxLength={80}
          value={deviceName}
          error={errors.deviceName}
          onChange={(event) => setDeviceName(event.target.value)}
        />
        <button type="submit" className="primary">
          Join the business
        </button>
      </form>
      {asking && (
        <PinDialog
          title="Join the business"
          label="Owner PIN"
          onPin={pair}
          onClose={() => setAsking(false)}
        />
      )}
    </>
  );
}
