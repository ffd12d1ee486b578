import { useEffect, useState } from 'react';
import type { EventPayload } from '../../shared/contract';
import { kasuwa } from '../bridge';
import { AreaHeader } from '../components/AreaHeader';

type SyncStatus = EventPayload<'sync:status'>;

const NOT_PAIRED: SyncStatus = {
  state: 'not-paired',
  pending: 0,
  lastSyncAt: null,
  message: 'This counter is not paired with a sync server yet, so everything stays on this computer.',
};

export function SyncArea() {
  const [status, setStatus] = useState<SyncStatus>(NOT_PAIRED);
  useEffect(() => kasuwa.on('sync:status', setStatus), []);
  return (
    <>
      <AreaHeader title="Sync">Keep this counter in step with your other counters and branches.</AreaHeader>
      <section className="panel" aria-label="Sync status">
        <dl className="facts">
          <dt>Status</dt>
          <dd>{status.state === 'not-paired' ? 'Not paired' : status.state}</dd>
          <dt>Waiting to send</dt>
          <dd>{status.pending}</dd>
          <dt>Last sync</dt>
          <dd>
            {status.lastSyncAt === null ? 'Never' : new Date(status.lastSyncAt).toLocaleString('en-NG')}
          </dd>
        </dl>
        <p>{status.message}</p>
      </section>
    </>
  );
}
