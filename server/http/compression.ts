/**
 * gzip both ways, for counters on 2G-grade links: a pushed body sent with
 * `Content-Encoding: gzip` is inflated before JSON parsing (the route's body limit applies to
 * the inflated size, so a small zip bomb cannot fill memory), and an answer larger than a
 * packet is gzipped when the client accepts it (pull pages are the large ones).
 */
import { promisify } from 'node:util';
import { createGunzip, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

const gzipAsync = promisify(gzip);

/** Below this an answer fits in one packet anyway, and gzip only costs CPU. */
const COMPRESS_FROM_BYTES = 1_400;

export function installCompression(app: FastifyInstance): void {
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
    if (encoding === 'identity') {
      done(null, payload);
      return;
    }
    if (encoding !== 'gzip') {
      done(new ApiError(400, 'invalid_input', `Send the body plain or gzip, not "${encoding}".`), payload);
      return;
    }
    const inflated = createGunzip();
    // Fastify checks Content-Length against what arrived on the wire, not the inflated size.
    let received = 0;
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      Object.assign(inflated, { receivedEncodedLength: received });
    });
    payload.on('error', (error) => inflated.destroy(error));
    inflated.on('error', () => {
      // Fastify reports a broken stream as a 400 through the error handler; nothing to add.
    });
    payload.pipe(inflated);
    done(null, Object.assign(inflated, { receivedEncodedLength: 0 }));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || payload.length < COMPRESS_FROM_BYTES) return payload;
    if (reply.getHeader('content-encoding') !== undefined) return payload;
    const accepts = request.headers['accept-encoding'] ?? '';
    if (!/\bgzip\b/i.test(accepts)) return payload;
    reply.header('content-encoding', 'gzip');
    reply.header('vary', 'accept-encoding');
    reply.removeHeader('content-length');
    return gzipAsync(payload, { level: 6 });
  });
}
