import type { SyncStatus } from '../../../shared/contract';
import { TONE_MARKS, stateTone, stateWords } from './words';

/** The state in words, with a mark and a colour (never colour alone). */
export function StatusBadge({ status }: { status: SyncStatus }) {
  const tone = stateTone(status);
  return (
    <span className={`sync-badge sync-tone-${tone}`}>
      <span aria-hidden="true">{TONE_MARKS[tone]}</span> {stateWords(status)}
    </span>
  );
}
