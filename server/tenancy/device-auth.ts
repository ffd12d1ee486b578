/**
 * Device tokens and the check every authenticated route starts with. A token is 32 random
 * bytes (base64url) shown once at pairing; the server keeps only its sha256, which is enough
 * for a secret of that size (no slow hash is needed against guessing, and one hash per request
 * costs microseconds). The check resolves the device and its business and branch, which then
 * scope every query of the request.
 *
 * Paired devices are remembered for a minute, so a busy till's requests do not each cost a
 * database round trip for who it is. A revocation forgets the device at once: here when this
 * process revoked it, and on every other process through the revocation notice (the same one
 * that closes its sockets). A process whose notice listener was away forgets everything when
 * it comes back, since it may have missed one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ApiError } from '../http/api-error';
import type { Orm } from '../db/database';
import { branches, businesses, devices } from '../db/schema';

export interface AuthenticatedDevice {
  deviceId: string;
  deviceName: string;
  businessId: string;
  businessName: string;
  branchId: string;
  branchName: string;
}

export function newDeviceToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The bearer token of a request, from its Authorization header or (for WebSockets) `?token=`. */
export function presentedToken(headers: { authorization?: string }, query?: unknown): string | null {
  const header = headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? null;
  }
  if (typeof query === 'object' && query !== null) {
    const token = (query as Record<string, unknown>).token;
    if (typeof token === 'string') return token;
  }
  return null;
}

/** A device's last-seen time is written at most this often, not on every request. */
const LAST_SEEN_EVERY_MS = 60_000;
const REMEMBER_MS = 60_000;
const REMEMBER_AT_MOST = 10_000;

export class DeviceAuth {
  private readonly byTokenHash;
  private readonly lastSeenWritten = new Map<string, number>();
  private readonly remembered = new Map<string, { device: AuthenticatedDevice; until: number }>();

  constructor(
    private readonly orm: Orm,
    private readonly now: () => number,
    private readonly onLastSeenError: (error: unknown) => void,
  ) {
    this.byTokenHash = orm
      .select({
        deviceId: devices.id,
        deviceName: devices.name,
        revokedAt: devices.revokedAt,
        businessId: businesses.id,
        businessName: businesses.name,
        branchId: branches.id,
        branchName: branches.name,
      })
      .from(devices)
      .innerJoin(businesses, eq(businesses.id, devices.businessId))
      .innerJoin(branches, eq(branches.id, devices.branchId))
      .where(eq(devices.tokenHash, sql.placeholder('tokenHash')))
      .prepare('kasuwa_device_by_token');
  }

  /** The device a token belongs to; 401 `unauthorized` or `revoked` otherwise. */
  async require(token: string | null): Promise<AuthenticatedDevice> {
    if (token === null) {
      throw new ApiError(
        401,
        'unauthorized',
        'This request needs the device token (Authorization: Bearer <token>). Pair the counter first.',
      );
    }
    const tokenHash = TOKEN_SHAPE.test(token) ? sha256Hex(token) : null;
    const at = this.now();
    const known = tokenHash === null ? undefined : this.remembered.get(tokenHash);
    if (known !== undefined && known.until > at) {
      this.noteSeen(known.device.deviceId);
      return known.device;
    }
    const rows = tokenHash === null ? [] : await this.byTokenHash.execute({ tokenHash });
    const found = rows[0];
    if (found === undefined) {
      throw new ApiError(401, 'unauthorized', 'This device token is not known here. Pair the counter again.');
    }
    if (found.revokedAt !== null) {
      throw new ApiError(
        401,
        'revoked',
        'This counter was unpaired from the business. Pair it again with a new code to sync.',
      );
    }
    this.noteSeen(found.deviceId);
    const { revokedAt: _revokedAt, ...device } = found;
    if (tokenHash !== null) {
      this.remembered.delete(tokenHash);
      this.remembered.set(tokenHash, { device, until: at + REMEMBER_MS });
      if (this.remembered.size > REMEMBER_AT_MOST) {
        const oldest = this.remembered.keys().next().value;
        if (oldest !== undefined) this.remembered.delete(oldest);
      }
    }
    return device;
  }

  /** The device was revoked (here or by another server process): its token is checked afresh. */
  forgetDevice(deviceId: string): void {
    for (const [tokenHash, entry] of this.remembered) {
      if (entry.device.deviceId === deviceId) this.remembered.delete(tokenHash);
    }
  }

  forgetAll(): void {
    this.remembered.clear();
  }

  private noteSeen(deviceId: string): void {
    const at = this.now();
    if (at - (this.lastSeenWritten.get(deviceId) ?? 0) < LAST_SEEN_EVERY_MS) return;
    this.lastSeenWritten.set(deviceId, at);
    // Off the request's path: a late last-seen time is harmless, a slower request is not.
    this.orm
      .update(devices)
      .set({ lastSeenAt: at })
      .where(eq(devices.id, deviceId))
      .then(
        () => undefined,
        (error: unknown) => this.onLastSeenError(error),
      );
  }
}
