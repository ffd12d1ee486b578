/**
 * Push and pull over HTTP. A push body may be large (up to 2,000 mutations, sales with their
 * lines) and gzipped; a pull page is sent as the JSON text built in pull.ts.
 */
import type { FastifyInstance } from 'fastify';
import { pullQuerySchema, pushRequestSchema } from '../../shared/sync/protocol';
import type { ServerContext } from '../app';
import { parseInput } from '../http/api-error';
import { presentedToken } from '../tenancy/device-auth';
import { readPullPage } from './pull';
import { checkBatch } from './push';
import { PushQueue } from './push-queue';

/** 2,000 mutations of large sales, inflated; Fastify counts the inflated bytes against it. */
export const PUSH_BODY_LIMIT = 32 * 1024 * 1024;

export function registerSyncRoutes(app: FastifyInstance, context: ServerContext): void {
  const { db, auth, metrics, now } = context;
  const queue = new PushQueue(db.pool, now, (batches) => metrics.pushGroupSize.observe(batches));

  app.post('/v1/push', { bodyLimit: PUSH_BODY_LIMIT }, async (request) => {
    const device = await auth.require(presentedToken(request.headers));
    const push = parseInput(pushRequestSchema, request.body, 'push', false);
    metrics.pushBatchSize.observe(push.mutations.length);
    const outcome = await queue.push(checkBatch(device, push.mutations));
    for (const { entity, status, resolution } of outcome.tally)
      metrics.countMutation(entity, status, resolution);
    return outcome.response;
  });

  app.get('/v1/pull', async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    const { after, limit } = parseInput(pullQuerySchema, request.query, 'pull query');
    const page = await readPullPage(db.pool, device, after, limit, now);
    metrics.pullPageSize.observe(page.sent);
    return reply.type('application/json; charset=utf-8').send(page.body);
  });
}
