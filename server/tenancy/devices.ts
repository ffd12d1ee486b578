/**
 * The counters of a business: who they are, and unpairing one (revoking its token). Every
 * query here is scoped to the asking device's business, so a device of another business is
 * simply "not found". A revocation notifies every server process, which drop that device's
 * realtime sockets at once.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DeviceInfo, MeResponse } from '../../shared/sync/protocol';
import { ApiError } from '../http/api-error';
import type { Orm } from '../db/database';
import { REVOKED_CHANNEL } from '../db/notices';
import { branches, businesses, devices } from '../db/schema';
import type { AuthenticatedDevice } from './device-auth';

export async function describeMe(orm: Orm, device: AuthenticatedDevice, now: number): Promise<MeResponse> {
  const [business] = await orm
    .select({ cursor: businesses.changeSeq })
    .from(businesses)
    .where(eq(businesses.id, device.businessId));
  return { ...device, cursor: business?.cursor ?? 0, serverTime: now };
}

export async function listDevices(orm: Orm, businessId: string): Promise<DeviceInfo[]> {
  return orm
    .select({
      id: devices.id,
      name: devices.name,
      branchId: devices.branchId,
      branchName: branches.name,
      createdAt: devices.createdAt,
      lastSeenAt: devices.lastSeenAt,
      revokedAt: devices.revokedAt,
    })
    .from(devices)
    .innerJoin(branches, eq(branches.id, devices.branchId))
    .where(eq(devices.businessId, businessId))
    .orderBy(asc(devices.createdAt), asc(devices.id));
}

export async function revokeDevice(
  orm: Orm,
  asking: AuthenticatedDevice,
  deviceId: string,
  now: number,
): Promise<DeviceInfo[]> {
  await orm.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: devices.id, revokedAt: devices.revokedAt })
      .from(devices)
      .where(and(eq(devices.id, deviceId), eq(devices.businessId, asking.businessId)));
    if (target === undefined) throw new ApiError(404, 'not_found', 'This business has no such device.');
    await tx
      .update(devices)
      .set({ revokedAt: now })
      .where(and(eq(devices.id, deviceId), isNull(devices.revokedAt)));
    // Delivered at commit to every server process, which close the device's sockets.
    await tx.execute(sql`SELECT pg_notify(${REVOKED_CHANNEL}, ${`${asking.businessId}:${deviceId}`})`);
  });
  return listDevices(orm, asking.businessId);
}
