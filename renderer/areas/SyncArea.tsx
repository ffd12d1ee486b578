/**
 * Sync: how this counter stays in step with the shop's other counters. Before pairing, the two
 * ways in; after, the status with its problems, the counters of the business, and the conflicts
 * the owner settles.
 */
import { NavLink, Navigate, Route, Routes } from 'react-router';
import type { SyncStatus } from '../../shared/contract';
import { AreaHeader } from '../components/AreaHeader';
import { useSyncStatus, useSyncStore } from '../state/sync-store';
import { AddCounter } from './sync/AddCounter';
import { Conflicts } from './sync/Conflicts';
import { Devices } from './sync/Devices';
import { PairingPaths } from './sync/PairingPaths';
import { Problems } from './sync/Problems';
import { StatusPanel } from './sync/StatusPanel';
import { ThisCounter, Unpair } from './sync/ThisCounter';
import { count } from './sync/words';
import '../sync.css';

function StatusTab({ status }: { status: SyncStatus }) {
  return (
    <div className="stack">
      <StatusPanel status={status} />
      <Problems />
    </div>
  );
}

function CountersTab({ status, server }: { status: SyncStatus; server: NonNullable<SyncStatus['server']> }) {
  return (
    <div className="stack">
      <div className="settings-grid">
        <ThisCounter server={server} />
        <AddCounter branchName={server.branchName} />
      </div>
      <Devices thisDeviceId={server.deviceId} />
      <Unpair status={status} />
    </div>
  );
}

function Paired({ status, server }: { status: SyncStatus; server: NonNullable<SyncStatus['server']> }) {
  return (
    <>
      <nav className="tabs" aria-label="Sync">
        <NavLink to="/sync" end>
          Status
        </NavLink>
        <NavLink to="/sync/counters">Counters</NavLink>
        <NavLink to="/sync/conflicts">
          Conflicts{status.openConflicts > 0 && ` (${count(status.openConflicts)})`}
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<StatusTab status={status} />} />
        <Route path="counters" element={<CountersTab status={status} server={server} />} />
        <Route path="conflicts" element={<Conflicts />} />
        <Route path="*" element={<Navigate to="/sync" replace />} />
      </Routes>
    </>
  );
}

function NotPaired({ status }: { status: SyncStatus }) {
  return (
    <div className="stack">
      <StatusPanel status={status} />
      <PairingPaths />
      {/* Conflicts left from before an unpair can still be settled. */}
      {status.openConflicts > 0 && <Conflicts />}
    </div>
  );
}

function CannotRead({ message }: { message: string }) {
  const refresh = useSyncStore((state) => state.refresh);
  return (
    <section className="panel panel-error" role="alert" aria-labelledby="sync-unread-title">
      <h2 id="sync-unread-title">Kasuwa could not read the sync status</h2>
      <p>{message}</p>
      <p className="muted">Selling and everything else on this counter carry on as normal.</p>
      <button type="button" onClick={() => void refresh()}>
        Try again
      </button>
    </section>
  );
}

export function SyncArea() {
  const status = useSyncStatus();
  const loadError = useSyncStore((state) => state.loadError);
  let body;
  if (status === null) {
    body = loadError === null ? <p aria-busy="true">Loading…</p> : <CannotRead message={loadError} />;
  } else if (status.state === 'not-paired' || status.server === null) {
    body = <NotPaired status={status} />;
  } else {
    body = <Paired status={status} server={status.server} />;
  }
  return (
    <>
      <AreaHeader title="Sync">Keep this counter in step with your other counters and branches.</AreaHeader>
      {body}
    </>
  );
}
