/** The first counter of a shop: creates the business on the sync server and pairs itself. */
import { useState, type SyntheticEvent } from 'react';
import { channels } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { TextField, fieldErrors } from '../../components/Field';
import { PinDialog } from '../../components/PinDialog';
import { call, useAppStore } from '../../state/app-store';
import { useSyncStore } from '../../state/sync-store';
import { issueErrors, retryPin } from './form-errors';

const fieldsSchema = channels['sync:createBusiness'].input.omit({ ownerPin: true });

export function FirstCounterForm() {
  const business = useAppStore((state) => state.business);
  const showToast = useAppStore((state) => state.showToast);
  const setStatus = useSyncStore((state) => state.setStatus);
  const [serverUrl, setServerUrl] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [branchName, setBranchName] = useState('Main branch');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [asking, setAsking] = useState(false);
  // An empty branch name takes the contract's default.
  const fields = { serverUrl, deviceName, branchName: branchName.trim() === '' ? undefined : branchName };

  const check = (event: SyntheticEvent) => {
    event.preventDefault();
    const parsed = fieldsSchema.safeParse(fields);
    setErrors(parsed.success ? {} : issueErrors(parsed.error.issues));
    if (parsed.success) setAsking(true);
  };

  const create = async (ownerPin: string) => {
    const answer = await call(kasuwa.sync.createBusiness({ ...fields, ownerPin }), {
      onError: (error) => {
        setErrors(fieldErrors(error.details));
        if (!retryPin(error)) setAsking(false);
      },
    });
    if (!answer.ok) return false;
    setAsking(false);
    setStatus(answer.value);
    showToast(
      'success',
      `${answer.value.server?.businessName ?? 'The business'} is set up on the sync server.`,
    );
    return true;
  };

  return (
    <>
      <form className="panel sync-path" aria-labelledby="sync-first-title" noValidate onSubmit={check}>
        <h3 id="sync-first-title">This is the shop&apos;s first counter</h3>
        <p className="muted">
          Sets up {business === null ? 'your business' : <strong>{business.name}</strong>} on the sync server.
          Other counters join it later with a pairing code from this one.
        </p>
        <TextField
          label="Sync server address"
          name="serverUrl"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="http://192.168.0.10:8787"
          hint="Ask whoever set up the sync server"
          value={serverUrl}
          error={errors.serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
        />
        <TextField
          label="Name of this counter"
          name="deviceName"
          placeholder="Front counter"
          maxLength={80}
          value={deviceName}
          error={errors.deviceName}
          onChange={(event) => setDeviceName(event.target.value)}
        />
        <TextField
          label="Branch name"
          name="branchName"
          maxLength={80}
          hint="The shop or location this counter is in"
          value={branchName}
          error={errors.branchName}
          onChange={(event) => setBranchName(event.target.value)}
        />
        <button type="submit" className="primary">
          Set up the business
        </button>
      </form>
      {asking && (
        <PinDialog
          title="Set up the business on the server"
          label="Owner PIN"
          onPin={create}
          onClose={() => setAsking(false)}
        />
      )}
    </>
  );
}
