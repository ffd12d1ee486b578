/**
 * How counters join a business: the first counter creates the business (with its first branch
 * and its own device), and any paired counter asks for a one-time pairing code that a new
 * counter types in within ten minutes. Codes are stored only as hashes; a code is used up by
 * the first pairing that presents it, even when two counters race with it.
 */
import { randomInt } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { uuidv7 } from '../../shared/ids';
import {
  PAIRING_ALPHABET,
  type createBusinessSchema,
  type PairingCodeResponse,
  type pairingCodeRequestSchema,
  type PairResponse,
  type pairSchema,
} from '../../shared/sync/protocol';
import { ApiError } from '../http/api-error';
import type { Orm } from '../db/database';
import { branches, businesses, devices, pairingCodes } from '../db/schema';
import { newDeviceToken, sha256Hex, type AuthenticatedDevice } from './device-auth';

export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

export function newPairingCode(): string {
  let code = '';
  for (let i = 0; i < 8; i += 1) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)] ?? '';
  return code;
}

export async function createBusiness(
  orm: Orm,
  input: z.output<typeof createBusinessSchema>,
  now: number,
): Promise<PairResponse> {
  const businessId = uuidv7(now);
  const branchId = uuidv7(now);
  const deviceId = uuidv7(now);
  const token = newDeviceToken();
  await orm.transaction(async (tx) => {
    await tx.insert(businesses).values({ id: businessId, name: input.businessName, createdAt: now });
    await tx.insert(branches).values({ id: branchId, businessId, name: input.branchName, createdAt: now });
    await tx.insert(devices).values({
      id: deviceId,
      businessId,
      branchId,
      name: input.deviceName,
      tokenHash: sha256Hex(token),
      createdAt: now,
    });
  });
  return {
    businessId,
    businessName: input.businessName,
    branchId,
    branchName: input.branchName,
    deviceId,
    token,
    serverTime: now,
  };
}

export async function createPairingCode(
  orm: Orm,
  device: AuthenticatedDevice,
  input: z.output<typeof pairingCodeRequestSchema>,
  now: number,
): Promise<PairingCodeResponse> {
  if (input.branchId !== undefined && input.branchName !== undefined) {
    throw new ApiError(
      400,
      'invalid_input',
      'Give either an existing branchId or a new branchName, not both.',
    );
  }
  return orm.transaction(async (tx) => {
    let branchId = device.branchId;
    if (input.branchId !== undefined) {
      const found = await tx
        .select({ id: branches.id })
        .from(branches)
        .where(and(eq(branches.id, input.branchId), eq(branches.businessId, device.businessId)));
      if (found.length === 0) throw new ApiError(404, 'not_found', 'This business has no such branch.');
      branchId = input.branchId;
    } else if (input.branchName !== undefined) {
      branchId = uuidv7(now);
      await tx
        .insert(branches)
        .values({ id: branchId, businessId: device.businessId, name: input.branchName, createdAt: now });
    }
    const expiresAt = now + PAIRING_CODE_TTL_MS;
    // Two live codes colliding is a one-in-10^11 event; on a clash, simply draw again.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const code = newPairingCode();
      const inserted = await tx
        .insert(pairingCodes)
        .values({
          codeHash: sha256Hex(code),
          businessId: device.businessId,
          branchId,
          createdByDeviceId: device.deviceId,
          createdAt: now,
          expiresAt,
        })
        .onConflictDoNothing()
        .returning({ codeHash: pairingCodes.codeHash });
      if (inserted.length > 0) return { code, expiresAt, branchId };
    }
    throw new ApiError(500, 'internal', 'Could not make a pairing code; try again.');
  });
}

/**
 * Pairs a new counter with a code. Throws 404 for a code never issued and 400 for a used or
 * expired one; the caller counts those against the address.
 */
export async function pairDevice(
  orm: Orm,
  input: z.output<typeof pairSchema>,
  now: number,
): Promise<PairResponse> {
  const codeHash = sha256Hex(input.code);
  return orm.transaction(async (tx) => {
    // FOR UPDATE: a second counter presenting the same code waits here, then sees it used.
    const [code] = await tx
      .select({
        businessId: pairingCodes.businessId,
        businessName: businesses.name,
        branchId: pairingCodes.branchId,
        branchName: branches.name,
        expiresAt: pairingCodes.expiresAt,
        usedAt: pairingCodes.usedAt,
      })
      .from(pairingCodes)
      .innerJoin(businesses, eq(businesses.id, pairingCodes.businessId))
      .innerJoin(branches, eq(branches.id, pairingCodes.branchId))
      .where(eq(pairingCodes.codeHash, codeHash))
      .for('update', { of: pairingCodes });
    if (code === undefined) {
      throw new ApiError(
        404,
        'not_found',
        'That pairing code is not known. Check the 8 letters and digits shown on the paired counter.',
      );
    }
    if (code.usedAt !== null) {
      throw new ApiError(
        400,
        'pairing_code_used',
        'That pairing code was already used. Ask the paired counter for a new one.',
      );
    }
    if (code.expiresAt <= now) {
      throw new ApiError(
        400,
        'pairing_code_expired',
        'That pairing code has expired (codes last 10 minutes). Ask the paired counter for a new one.',
      );
    }
    const deviceId = uuidv7(now);
    const token = newDeviceToken();
    await tx.insert(devices).values({
      id: deviceId,
      businessId: code.businessId,
      branchId: code.branchId,
      name: input.deviceName,
      tokenHash: sha256Hex(token),
      createdAt: now,
    });
    await tx
      .update(pairingCodes)
      .set({ usedAt: now, usedByDeviceId: deviceId })
      .where(eq(pairingCodes.codeHash, codeHash));
    return {
      businessId: code.businessId,
      businessName: code.businessName,
      branchId: code.branchId,
      branchName: code.branchName,
      deviceId,
      token,
      serverTime: now,
    };
  });
}
