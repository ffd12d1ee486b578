/**
 * Pages of a long list. The buttons say "Previous page" and "Following page" so that the wizard's
 * "Back" and "Next" stay the only buttons of those names.
 */
import { count } from '../sync/words';

export function StorePager({
  offset,
  limit,
  total,
  noun,
  onOffset,
}: {
  offset: number;
  limit: number;
  total: number;
  noun: string;
  onOffset: (offset: number) => void;
}) {
  if (total <= limit) return null;
  return (
    <nav className="store-pager" aria-label={`Pages of ${noun}`}>
      <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        Previous page
      </button>
      <span>
        {count(offset + 1)}–{count(Math.min(total, offset + limit))} of {count(total)}
      </span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
        Following page
      </button>
    </nav>
  );
}
