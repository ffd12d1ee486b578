/** The owner's "Sync now": runs even on a low battery, and shows that it is working. */
import { useState } from 'react';
import type { SyncStatus } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { call, useAppStore } from '../../state/app-store';
import { useSyncStore } from '../../state/sync-store';

export function SyncNowButton({ status }: { status: SyncStatus }) {
  const setStatus = useSyncStore((state) => state.setStatus);
  const showToast = useAppStore((state) => state.showToast);
  const [busy, setBusy] = useState(false);
  const running = busy || status.state === 'syncing';

  const syncNow = async () => {
    if (running) return;
    setBusy(true);
    const answer = await call(kasuwa.sync.now());
    setBusy(false);
    if (!answer.ok) return;
    setStatus(answer.value);
    if (answer.value.state === 'idle' && answer.value.pending === 0)
      showToast('success', 'Everything is sent.');
  };

  // aria-disabled rather than disabled, so keyboard focus stays on the button while it works.
  return (
    <div className="sync-now">
      <button
        type="button"
        className="primary"
        aria-disabled={running}
        aria-busy={running}
        onClick={() => void syncNow()}
      >
        {running ? 'Syncing…' : 'Sync now'}
      </button>
      {running && <progress className="sync-progress" aria-label="Sync in progress" />}
    </div>
  );
}
