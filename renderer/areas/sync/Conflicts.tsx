/** The owner's queue of conflicts (a sale whose amounts differ between counters...), paged, open or settled. */
import { useCallback, useEffect, useState } from 'react';
import type { ConflictAction, Page, SyncConflict } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { call, useAppStore } from '../../state/app-store';
import { useSyncStore } from '../../state/sync-store';
import { ConfirmWithPin } from './ConfirmWithPin';
import { ConflictCard } from './ConflictCard';
import { retryPin } from './form-errors';
import { useNow } from './time';
import { count } from './words';

// Each conflict is a table of its own, so a page holds only a few.
const PAGE = 5;
type View = 'open' | 'resolved';

function useConflicts(view: View, page: number, setPage: (page: number) => void) {
  const [data, setData] = useState<Page<SyncConflict> | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new conflict announced by the status (or one settled elsewhere) reloads the list.
  const openConflicts = useSyncStore((state) => state.status?.openConflicts ?? 0);
  const load = useCallback(() => {
    void kasuwa.sync.conflicts({ status: view, offset: page * PAGE, limit: PAGE }).then((answer) => {
      if (!answer.ok) {
        setError(answer.error.message);
        return;
      }
      setError(null);
      // Settling the last conflict of a page leaves the page empty: step back to one that has some.
      if (answer.value.rows.length === 0 && page > 0)
        setPage(Math.max(0, Math.ceil(answer.value.total / PAGE) - 1));
      else setData(answer.value);
    });
  }, [view, page, setPage]);
  useEffect(() => load(), [load, openConflicts]);
  return { data, error, load, openConflicts };
}

export function Conflicts() {
  const [view, setView] = useState<View>('open');
  const [page, setPage] = useState(0);
  const { data, error, load, openConflicts } = useConflicts(view, page, setPage);
  const refreshStatus = useSyncStore((state) => state.refresh);
  const showToast = useAppStore((state) => state.showToast);
  const [choosing, setChoosing] = useState<{
    conflict: SyncConflict;
    action: ConflictAction;
    label: string;
  } | null>(null);
  const now = useNow(30_000);

  const show = (next: View) => {
    setView(next);
    setPage(0);
  };

  const resolve = async (ownerPin: string) => {
    if (choosing === null) return false;
    const answer = await call(
      kasuwa.sync.resolve({ id: choosing.conflict.id, action: choosing.action, ownerPin }),
      { onError: (failure) => !retryPin(failure) && setChoosing(null) },
    );
    if (!answer.ok) return false;
    setChoosing(null);
    showToast('success', `Settled: ${choosing.label}.`);
    load();
    void refreshStatus();
    return true;
  };

  const total = data?.total ?? 0;
  return (
    <section aria-labelledby="sync-conflicts-title">
      <h2 id="sync-conflicts-title" className="sync-section-title">
        Conflicts
      </h2>
      <p className="muted">
        When two counters recorded the same thing differently and Kasuwa cannot tell which is right, it waits
        here for the owner. Nothing else stops syncing meanwhile.
      </p>
      <div className="sync-toggle" role="group" aria-label="Which conflicts to show">
        <button type="button" aria-pressed={view === 'open'} onClick={() => show('open')}>
          Waiting for you{openConflicts > 0 && ` (${count(openConflicts)})`}
        </button>
        <button type="button" aria-pressed={view === 'resolved'} onClick={() => show('resolved')}>
          Settled
        </button>
      </div>
      {error !== null && (
        <p className="notice" role="alert">
          Could not read the conflicts. {error}
        </p>
      )}
      {data === null && error === null && <p aria-busy="true">Loading…</p>}
      {data !== null && data.rows.length === 0 && (
        <p className="panel">
          {view === 'open' ? 'Nothing to settle. Every counter agrees.' : 'No conflict has been settled yet.'}
        </p>
      )}
      {data?.rows.map((conflict) => (
        <ConflictCard
          key={conflict.id}
          conflict={conflict}
          now={now}
          onChoose={(action) => setChoosing({ conflict, ...action })}
        />
      ))}
      {total > PAGE && (
        <nav className="toolbar" aria-label="Pages of conflicts">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous page
          </button>
          <span className="muted">
            {page * PAGE + 1}–{Math.min(total, (page + 1) * PAGE)} of {count(total)}
          </span>
          <button type="button" disabled={(page + 1) * PAGE >= total} onClick={() => setPage(page + 1)}>
            Next page
          </button>
        </nav>
      )}
      {choosing !== null && (
        <ConfirmWithPin
          title="Settle this conflict?"
          confirmLabel={choosing.label}
          onConfirm={resolve}
          onClose={() => setChoosing(null)}
        >
          <p>{choosing.conflict.title}</p>
          <p>
            You chose: <strong>{choosing.label}</strong>. Every counter of the business takes this choice.
          </p>
        </ConfirmWithPin>
      )}
    </section>
  );
}
