/**
 * Pages of a long list: previous, where we are, following. The buttons say "Previous page" and
 * "Following page" so that a wizard's "Back" and "Next" stay the only buttons of those names.
 */
import { count } from '../areas/sync/words';

export function Pager({
  offset,
  limit,
  total,
  noun,
  onOffset,
  className,
}: {
  offset: number;
  limit: number;
  total: number;
  /** What the list holds, in the plural: "campaigns", "catalogue products". */
  noun: string;
  onOffset: (offset: number) => void;
  className: string;
}) {
  if (total <= limit) return null;
  return (
    <nav className={className} aria-label={`Pages of ${noun}`}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <span>
        {count(offset + 1)}–{count(Math.min(total, offset + limit))} of {count(total)} {noun}
      </span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
        Following page
      </button>
    </nav>
  );
}
