/** One conflict: its sentence, both copies side by side (differences marked in words), and its choices. */
import type { ConflictAction, SyncConflict } from '../../../shared/contract';
import { When } from './time';
import { RESOLUTION_WORDS } from './words';

export function ConflictCard({
  conflict,
  now,
  onChoose,
}: {
  conflict: SyncConflict;
  now: number;
  onChoose: (action: { action: ConflictAction; label: string }) => void;
}) {
  const titleId = `conflict-${conflict.id}`;
  const chosen =
    conflict.resolution === null
      ? null
      : (conflict.actions.find((action) => action.action === conflict.resolution)?.label ??
        RESOLUTION_WORDS[conflict.resolution]);
  return (
    <article className="panel sync-conflict" aria-labelledby={titleId}>
      <h3 id={titleId}>{conflict.title}</h3>
      <p className="muted">
        Found <When at={conflict.createdAt} now={now} />
      </p>
      <div className="table-scroll">
        <table className="sync-compare" aria-labelledby={titleId}>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">This counter</th>
              <th scope="col">Other copy</th>
            </tr>
          </thead>
          <tbody>
            {conflict.rows.map((row) => (
              <tr key={row.label} className={row.differs ? 'sync-differs' : undefined}>
                <th scope="row">
                  {row.label}
                  {row.differs && <span className="sync-tag sync-tag-differs">Differs</span>}
                </th>
                <td>{row.mine}</td>
                <td>{row.theirs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {conflict.resolvedAt !== null ? (
        <p>
          <strong>Settled</strong> <When at={conflict.resolvedAt} now={now} />
          {chosen !== null && `: ${chosen}`}
        </p>
      ) : (
        <div className="sync-actions" role="group" aria-label={`Choices for: ${conflict.title}`}>
          {conflict.actions.map((action) => (
            <button key={action.action} type="button" onClick={() => onChoose(action)}>
              {action.label}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}
