/** What the sync loop is doing now, in words: state, what waits to be sent, times, power and link. */
import { Link } from 'react-router';
import type { SyncStatus } from '../../../shared/contract';
import { StatusBadge } from './StatusBadge';
import { SyncNowButton } from './SyncNowButton';
import { When, useNow } from './time';
import { changes, count, linkSpeed, powerWords } from './words';

function NextSync({ status, now }: { status: SyncStatus; now: number }) {
  if (status.state === 'syncing') return <>Now</>;
  if (status.nextSyncAt !== null) return <When at={Math.max(status.nextSyncAt, now)} now={now} future />;
  if (status.state === 'offline') return <>When the internet is back</>;
  if (status.state === 'paused') return <>Paused for now; Sync now still works</>;
  return <>Not planned</>;
}

function LinkFacts({ link }: { link: SyncStatus['link'] }) {
  return (
    <>
      <dt>Live link</dt>
      <dd>
        {link.realtime
          ? 'Connected: changes from other counters arrive at once'
          : 'Not connected: this counter checks the server from time to time'}
      </dd>
      <dt>Sending</dt>
      <dd>
        Up to {changes(link.batchSize)} at a time, {link.gzip ? 'compressed' : 'not compressed'}
        {link.bytesPerSecond !== null && ` (link measured at about ${linkSpeed(link.bytesPerSecond)})`}
      </dd>
    </>
  );
}

export function StatusPanel({ status }: { status: SyncStatus }) {
  const now = useNow(1000);
  const paired = status.state !== 'not-paired';
  const toSettle = `${count(status.openConflicts)} ${status.openConflicts === 1 ? 'conflict' : 'conflicts'} to settle`;
  return (
    <section className="panel sync-status" aria-labelledby="sync-status-title">
      <div className="sync-status-head">
        <h2 id="sync-status-title">Sync status</h2>
        {paired && <SyncNowButton status={status} />}
      </div>
      {/* Only the state and its sentences are read out when they change; the ticking times are not. */}
      <div role="status" aria-live="polite" className="sync-live">
        <StatusBadge status={status} />
        <p className="sync-message">{status.message}</p>
        {status.lastError !== null && (
          <p className="sync-last-error">
            <strong>Last problem:</strong> {status.lastError}
          </p>
        )}
      </div>
      <dl className="facts">
        <dt>Waiting to send</dt>
        <dd>
          {status.pending === 0
            ? paired
              ? 'Nothing: everything is sent'
              : 'Nothing'
            : `${changes(status.pending)}${paired ? '' : ', kept on this computer'}`}
        </dd>
        {paired && (
          <>
            <dt>Last sync</dt>
            <dd>{status.lastSyncAt === null ? 'Never' : <When at={status.lastSyncAt} now={now} />}</dd>
            <dt>Next sync</dt>
            <dd>
              <NextSync status={status} now={now} />
            </dd>
          </>
        )}
        <dt>Power</dt>
        <dd>{powerWords(status.power)}</dd>
        {paired && <LinkFacts link={status.link} />}
        {status.openConflicts > 0 && (
          <>
            <dt>Needs your decision</dt>
            <dd>{paired ? <Link to="/sync/conflicts">{toSettle}</Link> : toSettle}</dd>
          </>
        )}
        {status.rejected > 0 && (
          <>
            <dt>Refused by the server</dt>
            <dd>{changes(status.rejected)}: see the reasons under Problems</dd>
          </>
        )}
      </dl>
    </section>
  );
}
