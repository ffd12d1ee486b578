/** The counters of the business, when each was last seen, and the owner's revoke. */
import { useCallback, useEffect, useState } from 'react';
import type { DeviceInfo } from '../../../shared/sync/protocol';
import { kasuwa } from '../../bridge';
import { call, useAppStore } from '../../state/app-store';
import { ConfirmWithPin } from './ConfirmWithPin';
import { retryPin } from './form-errors';
import { When, shopDateTime, useNow } from './time';

/** The list comes from the server, so it can fail while offline; the sentence then shows in place. */
function useDevices() {
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void kasuwa.sync.devices().then((answer) => {
      if (answer.ok) {
        setDevices(answer.value);
        setError(null);
      } else {
        setError(answer.error.message);
      }
    });
  }, []);
  useEffect(load, [load]);
  return { devices, error, load, setDevices };
}

function byActiveThenName(a: DeviceInfo, b: DeviceInfo): number {
  if ((a.revokedAt === null) !== (b.revokedAt === null)) return a.revokedAt === null ? -1 : 1;
  return a.name.localeCompare(b.name, 'en-NG');
}

export function Devices({ thisDeviceId }: { thisDeviceId: string }) {
  const { devices, error, load, setDevices } = useDevices();
  const showToast = useAppStore((state) => state.showToast);
  const [revoking, setRevoking] = useState<DeviceInfo | null>(null);
  const now = useNow(30_000);

  const revoke = async (ownerPin: string) => {
    if (revoking === null) return false;
    const answer = await call(kasuwa.sync.revokeDevice({ id: revoking.id, ownerPin }), {
      onError: (failure) => !retryPin(failure) && setRevoking(null),
    });
    if (!answer.ok) return false;
    setDevices(answer.value);
    showToast('success', `${revoking.name} can no longer sync.`);
    setRevoking(null);
    return true;
  };

  return (
    <section className="panel" aria-labelledby="sync-devices-title">
      <div className="sync-section-head">
        <h2 id="sync-devices-title">Counters of this business</h2>
        <button type="button" onClick={load}>
          Refresh list
        </button>
      </div>
      {error !== null && (
        <p className="notice" role="alert">
          Could not fetch the list of counters. {error}
        </p>
      )}
      {devices === null && error === null && <p aria-busy="true">Loading…</p>}
      {devices !== null && (
        <table className="sync-devices" aria-labelledby="sync-devices-title">
          <thead>
            <tr>
              <th scope="col">Counter</th>
              <th scope="col">Branch</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="sync-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...devices].sort(byActiveThenName).map((device) => (
              <tr key={device.id} className={device.revokedAt === null ? undefined : 'sync-revoked'}>
                <th scope="row">
                  {device.name}
                  {device.id === thisDeviceId && <span className="sync-tag">This counter</span>}
                  <br />
                  <small className="muted">Paired {shopDateTime(device.createdAt)}</small>
                </th>
                <td>{device.branchName}</td>
                <td>{device.lastSeenAt === null ? 'Never' : <When at={device.lastSeenAt} now={now} />}</td>
                <td>
                  {device.revokedAt !== null ? (
                    <>Revoked {shopDateTime(device.revokedAt)}</>
                  ) : device.id === thisDeviceId ? (
                    <span className="muted">Use &ldquo;Unpair this counter&rdquo; below</span>
                  ) : (
                    <button type="button" onClick={() => setRevoking(device)}>
                      Revoke {device.name}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {revoking !== null && (
        <ConfirmWithPin
          title={`Revoke ${revoking.name}?`}
          confirmLabel={`Revoke ${revoking.name}`}
          danger
          onConfirm={revoke}
          onClose={() => setRevoking(null)}
        >
          <p>
            {revoking.name} ({revoking.branchName}) stops syncing at once: it can no longer send to the server
            or receive from it.
          </p>
          <p>
            Nothing on that computer is deleted. To use it with the business again, pair it with a new code.
          </p>
        </ConfirmWithPin>
      )}
    </section>
  );
}
