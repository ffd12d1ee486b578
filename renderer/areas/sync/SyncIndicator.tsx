/** The dot and few words beside "Sync" in the navigation: "12 waiting", "Offline", "Up to date". */
import { useSyncStatus } from '../../state/sync-store';
import { indicatorWords, stateTone } from './words';
import '../../sync.css';

export function SyncIndicator() {
  const status = useSyncStatus();
  if (status === null) return null;
  return (
    <small className={`sync-indicator sync-tone-${stateTone(status)}`}>
      {/* The space keeps the link's name "Sync 12 waiting", not "Sync12 waiting". */}{' '}
      <span className="sync-dot" aria-hidden="true" />
      {indicatorWords(status)}
    </small>
  );
}
