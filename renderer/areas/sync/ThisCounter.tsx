/** Which server, business, branch and counter this computer is paired as, and the way to unpair. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { SyncStatus } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { call, useAppStore } from '../../state/app-store';
import { useSyncStore } from '../../state/sync-store';
import { ConfirmWithPin } from './ConfirmWithPin';
import { retryPin } from './form-errors';
import { changes } from './words';

type Server = NonNullable<SyncStatus['server']>;

export function ThisCounter({ server }: { server: Server }) {
  return (
    <section className="panel" aria-labelledby="sync-this-title">
      <h2 id="sync-this-title">This counter</h2>
      <dl className="facts">
        <dt>Business</dt>
        <dd>{server.businessName}</dd>
        <dt>Branch</dt>
        <dd>{server.branchName}</dd>
        <dt>Counter name</dt>
        <dd>{server.deviceName}</dd>
        <dt>Sync server</dt>
        <dd className="path">{server.url}</dd>
      </dl>
    </section>
  );
}

export function Unpair({ status }: { status: SyncStatus }) {
  const navigate = useNavigate();
  const setStatus = useSyncStore((state) => state.setStatus);
  const showToast = useAppStore((state) => state.showToast);
  const [asking, setAsking] = useState(false);

  const unpair = async (ownerPin: string) => {
    const answer = await call(kasuwa.sync.unpair({ ownerPin }), {
      onError: (error) => !retryPin(error) && setAsking(false),
    });
    if (!answer.ok) return false;
    setAsking(false);
    setStatus(answer.value);
    showToast('success', 'This counter is no longer paired. Everything on it is still here.');
    void navigate('/sync');
    return true;
  };

  return (
    <section className="panel" aria-labelledby="sync-unpair-title">
      <h2 id="sync-unpair-title">Unpair this counter</h2>
      <p>
        This counter stops syncing with the other counters. Nothing on this computer is deleted: its sales,
        customers and products stay here and it keeps selling.
      </p>
      <button type="button" onClick={() => setAsking(true)}>
        Unpair this counter
      </button>
      {asking && (
        <ConfirmWithPin
          title="Unpair this counter?"
          confirmLabel="Unpair this counter"
          danger
          onConfirm={unpair}
          onClose={() => setAsking(false)}
        >
          <p>
            {status.server?.deviceName ?? 'This counter'} stops syncing with{' '}
            {status.server?.businessName ?? 'the business'}. Nothing on this computer is deleted.
          </p>
          {status.pending > 0 && (
            <p>
              {changes(status.pending)} made here {status.pending === 1 ? 'has' : 'have'} not reached the
              server yet. {status.pending === 1 ? 'It stays' : 'They stay'} on this computer but the other
              counters will not see {status.pending === 1 ? 'it' : 'them'}. Press Sync now first if you can.
            </p>
          )}
          <p>To sync again later, pair this counter with a new code.</p>
        </ConfirmWithPin>
      )}
    </section>
  );
}
