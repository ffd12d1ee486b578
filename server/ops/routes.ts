/**
 * What an orchestrator asks: `/health` (the process answers; never touches the database, so a
 * database outage does not get healthy replicas restarted), `/ready` (the database answers and
 * holds this build's migrations: send traffic here), `/metrics` (Prometheus text).
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../app';
import { migrationsInPlace } from '../db/migrate';
import { errorBody } from '../http/api-error';

/** Readiness probes time out in about a second; an answer later than this is "not ready". */
const READY_TIMEOUT_MS = 2_000;

export function registerOpsRoutes(app: FastifyInstance, context: ServerContext): void {
  app.get('/health', () => ({ status: 'ok' }));

  app.get('/ready', async (request, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    try {
      const ready = await Promise.race([migrationsInPlace(context.db.pool, context.migrations), timeout]);
      if (ready) return { status: 'ready' };
      return await reply
        .code(503)
        .send(errorBody('unavailable', 'The database does not answer, or lacks this build’s migrations.'));
    } catch (error) {
      request.log.warn({ err: error }, 'not ready');
      return await reply.code(503).send(errorBody('unavailable', 'The database does not answer.'));
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await context.metrics.registry.metrics();
    return reply.type(context.metrics.registry.contentType).send(text);
  });
}
