/** Sync: how this counter stays in step with the shop's other counters; before pairing, the two ways in. */
import { AreaHeader } from '../components/AreaHeader';
import { useSyncStatus, useSyncStore } from '../state/sync-store';
import { PairingPaths } from './sync/PairingPaths';
import { StatusPanel } from './sync/StatusPanel';
import '../sync.css';

function CannotRead({ message }: { message: string }) {
  const refresh = useSyncStore((state) => state.refresh);
  return (
    <section className="panel panel-error" role="alert" aria-labelledby="sync-unread-title">
      <h2 id="sync-unread-title">Kasuwa could not read the sync status</h2>
      <p>{message}</p>
      <p className="muted">Selling and everything else on this counter carry on as normal.</p>
      <button type="button" onClick={() => void refresh()}>
        Try again
      </button>
    </section>
  );
}

export function SyncArea() {
  const status = useSyncStatus();
  const loadError = useSyncStore((state) => state.loadError);
  let body;
  if (status === null) {
    body = loadError === null ? <p aria-busy="true">Loading…</p> : <CannotRead message={loadError} />;
  } else if (status.state === 'not-paired' || status.server === null) {
    body = (
      <div className="stack">
        <StatusPanel status={status} />
        <PairingPaths />
      </div>
    );
  } else {
    body = <StatusPanel status={status} />;
  }
  return (
    <>
      <AreaHeader title="Sync">Keep this counter in step with your other counters and branches.</AreaHeader>
      {body}
    </>
  );
}
