/**
 * `GET /v1/realtime`: a WebSocket per counter that hears "changes after cursor N" as soon as
 * any server process commits them. The token comes in the Authorization header or, for
 * clients that cannot set headers on a WebSocket, as `?token=`. Checked before the upgrade, so
 * a bad token is a plain 401 answer, never an open socket.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../app';
import { presentedToken, type AuthenticatedDevice } from '../tenancy/device-auth';
import { CLOSE_REVOKED } from './hub';

const CURSOR_AND_STANDING = `
  SELECT b.change_seq, d.revoked_at FROM businesses b JOIN devices d ON d.business_id = b.id
   WHERE b.id = $1 AND d.id = $2`;

export function registerRealtimeRoutes(app: FastifyInstance, context: ServerContext): void {
  const { auth, hub, db, now } = context;
  const authenticated = new WeakMap<FastifyRequest, AuthenticatedDevice>();

  app.get(
    '/v1/realtime',
    {
      websocket: true,
      preValidation: async (request) => {
        authenticated.set(request, await auth.require(presentedToken(request.headers, request.query)));
      },
    },
    async (socket, request) => {
      const device = authenticated.get(request);
      if (device === undefined) {
        socket.close(CLOSE_REVOKED, 'not authenticated');
        return;
      }
      socket.on('message', () => {
        // Counters send nothing but pings; anything else is ignored.
      });
      // Subscribed before the cursor is read, so a commit in between is not missed.
      const greet = hub.add(device.businessId, device.deviceId, socket);
      try {
        const result = await db.pool.query<{ change_seq: number; revoked_at: number | null }>({
          name: 'kasuwa_realtime_hello',
          text: CURSOR_AND_STANDING,
          values: [device.businessId, device.deviceId],
        });
        const row = result.rows[0];
        // Revoked between the token check and now: the revocation notice may already be gone.
        if (row === undefined || row.revoked_at !== null) {
          socket.close(CLOSE_REVOKED, 'device revoked');
          return;
        }
        greet(row.change_seq, now());
      } catch (error) {
        request.log.warn({ err: error }, 'realtime hello failed');
        socket.close(1011, 'try again');
      }
    },
  );
}
