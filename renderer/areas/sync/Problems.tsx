/** Recent refusals by the server and failed sync attempts, newest first, each with its sentence. */
import { useCallback, useEffect, useState } from 'react';
import type { SyncProblem } from '../../../shared/contract';
import { kasuwa } from '../../bridge';
import { useSyncStore } from '../../state/sync-store';
import { When, useNow } from './time';
import { entityWords } from './words';

const LIMIT = 20;

function useProblems() {
  const [problems, setProblems] = useState<SyncProblem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new refusal or a new failure in the status brings the list up to date.
  const rejected = useSyncStore((state) => state.status?.rejected ?? 0);
  const lastError = useSyncStore((state) => state.status?.lastError ?? null);
  const load = useCallback(() => {
    void kasuwa.sync.problems({ limit: LIMIT }).then((answer) => {
      if (answer.ok) {
        setProblems(answer.value);
        setError(null);
      } else {
        setError(answer.error.message);
      }
    });
  }, []);
  useEffect(() => load(), [load, rejected, lastError]);
  return { problems, error, load };
}

export function Problems() {
  const { problems, error, load } = useProblems();
  const now = useNow(30_000);
  return (
    <section className="panel" aria-labelledby="sync-problems-title">
      <div className="sync-section-head">
        <h2 id="sync-problems-title">Problems</h2>
        <button type="button" onClick={load}>
          Refresh problems
        </button>
      </div>
      {error !== null && (
        <p className="notice" role="alert">
          Could not read the problems. {error}
        </p>
      )}
      {problems === null && error === null && <p aria-busy="true">Loading…</p>}
      {problems !== null && problems.length === 0 && <p className="muted">No problems recently.</p>}
      {problems !== null && problems.length > 0 && (
        <ol className="sync-problems">
          {problems.map((problem, index) => (
            <li key={`${problem.at}-${index}`}>
              <span
                className={`sync-tag ${problem.kind === 'rejected' ? 'sync-tag-refused' : 'sync-tag-error'}`}
              >
                {problem.kind === 'rejected' ? 'Refused by the server' : 'Sync failed'}
              </span>{' '}
              <When at={problem.at} now={now} />
              <p>
                {problem.message}
                {problem.entity !== null && (
                  <span className="muted"> (about {entityWords(problem.entity)})</span>
                )}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
