/** Server reads over HTTP: a customer by phone or id, and sales per Lagos day. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../app';
import { ApiError, parseInput } from '../http/api-error';
import { presentedToken } from '../tenancy/device-auth';
import { customerById, customerByPhone } from './customers';
import { salesByDay } from './sales-report';

// A '+' in a query string reads as a space unless it is sent as %2B, so a leading space or a
// bare number is taken as the '+' it stood for.
const phoneQuery = z.object({
  phone: z
    .string()
    .transform((text) => `+${text.trim().replace(/^\+/, '')}`)
    .pipe(z.string().regex(/^\+[1-9]\d{6,14}$/, 'phone must be an E.164 number such as +2348031234567')),
});

const customerParams = z.object({ id: z.string().min(1).max(64) });

const MAX_REPORT_SPAN_MS = 400 * 24 * 60 * 60 * 1000;
const reportQuery = z
  .object({
    from: z.coerce.number().int().nonnegative(),
    to: z.coerce.number().int().nonnegative(),
  })
  .refine((range) => range.to > range.from, { message: 'to must be after from' })
  .refine((range) => range.to - range.from <= MAX_REPORT_SPAN_MS, {
    message: 'a report covers at most 400 days',
  });

export function registerReadRoutes(app: FastifyInstance, context: ServerContext): void {
  const { db, auth } = context;

  const sendCustomer = (reply: FastifyReply, json: string | null) => {
    if (json === null) throw new ApiError(404, 'not_found', 'This business has no such customer.');
    return reply.type('application/json; charset=utf-8').send(json);
  };

  app.get('/v1/customers', async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    const { phone } = parseInput(phoneQuery, request.query, 'customer lookup');
    return sendCustomer(reply, await customerByPhone(db.pool, device.businessId, phone));
  });

  app.get('/v1/customers/:id', async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    const { id } = parseInput(customerParams, request.params, 'customer id');
    return sendCustomer(reply, await customerById(db.pool, device.businessId, id));
  });

  app.get('/v1/reports/sales', async (request) => {
    const device = await auth.require(presentedToken(request.headers));
    const { from, to } = parseInput(reportQuery, request.query, 'report range');
    return salesByDay(db.pool, device.businessId, from, to);
  });
}
