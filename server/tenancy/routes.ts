/**
 * Pairing and devices over HTTP: creating a business (open sign-up, or only with the admin
 * token), pairing codes, pairing, who-am-I, the device list and revocation. Failed pairings
 * count against the caller's address.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { createBusinessSchema, pairingCodeRequestSchema, pairSchema } from '../../shared/sync/protocol';
import type { ServerContext } from '../app';
import { ApiError, parseInput } from '../http/api-error';
import { presentedToken } from './device-auth';
import { describeMe, listDevices, revokeDevice } from './devices';
import { createBusiness, createPairingCode, pairDevice } from './pairing';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const deviceParams = z.object({ id: z.uuid('A device id is a UUID') });

export function registerTenancyRoutes(app: FastifyInstance, context: ServerContext): void {
  const { db, auth, now } = context;
  const device = (request: FastifyRequest) => auth.require(presentedToken(request.headers));

  app.post('/v1/businesses', async (request) => {
    if (!context.signup.open) {
      const given = request.headers['x-kasuwa-admin'];
      const expected = context.signup.adminToken;
      if (typeof given !== 'string' || expected === undefined || !sameSecret(given, expected)) {
        throw new ApiError(
          403,
          'forbidden',
          'This sync server does not take new businesses. Ask its administrator to add yours.',
        );
      }
    }
    const input = parseInput(createBusinessSchema, request.body, 'new business');
    return createBusiness(db.orm, input, now());
  });

  app.post('/v1/pairing-codes', async (request) => {
    const asking = await device(request);
    const input = parseInput(pairingCodeRequestSchema, request.body ?? {}, 'pairing code request');
    return createPairingCode(db.orm, asking, input, now());
  });

  app.post('/v1/pair', async (request) => {
    const address = request.ip;
    if (context.pairingAttempts.blocked(address)) {
      throw new ApiError(
        429,
        'too_many_attempts',
        'Too many wrong pairing codes from this network. Wait 10 minutes, then try again.',
      );
    }
    try {
      const input = parseInput(pairSchema, request.body, 'pairing request');
      return await pairDevice(db.orm, input, now());
    } catch (error) {
      // Every wrong, used or malformed code is a guess; only server trouble is not.
      if (error instanceof ApiError && error.statusCode < 500) context.pairingAttempts.recordFailure(address);
      throw error;
    }
  });

  app.get('/v1/me', async (request) => describeMe(db.orm, await device(request), now()));

  app.get('/v1/devices', async (request) => listDevices(db.orm, (await device(request)).businessId));

  app.post('/v1/devices/:id/revoke', async (request) => {
    const asking = await device(request);
    const { id } = parseInput(deviceParams, request.params, 'device id');
    const devices = await revokeDevice(db.orm, asking, id, now());
    // At once here; other server processes forget it when the revocation notice reaches them.
    auth.forgetDevice(id);
    return devices;
  });
}
