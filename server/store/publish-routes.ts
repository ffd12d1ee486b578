/**
 * Publishing a storefront from a paired counter (device token, like every /v1 route):
 *
 *   POST   /v1/storefront/missing        {hashes} → {missing}: which files to upload
 *   PUT    /v1/storefront/blobs/:sha256  the file's bytes (application/octet-stream, ≤ 5 MB) → 204
 *   PUT    /v1/storefront                {slug, customDomain, files, config, cursor, paymentKeys?}
 *                                        → {url, customDomain, publishedAt, files}: the site goes live
 *   GET    /v1/storefront                the live store (and whether payment keys are held), or 404
 *   DELETE /v1/storefront                unpublish → 204, or 404 when nothing was live
 *
 * Refusals carry `details.field` (slug, customDomain, files, paymentKeys, cursor) so the counter
 * can point at what to change; a slug or domain of another business is 409 `slug_taken` or
 * `domain_taken`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../app';
import { ApiError, parseInput } from '../http/api-error';
import { presentedToken } from '../tenancy/device-auth';
import { MAX_BLOB_BYTES, MAX_SITE_FILES, SHA256_HEX } from './site-files';
import { publishBodySchema, PublishRefusal, type Storefronts } from './storefronts';

const missingSchema = z.object({
  hashes: z.array(z.string().regex(SHA256_HEX, 'A sha256 is 64 lower-case hex digits')).max(MAX_SITE_FILES),
});

/** 20,000 hashes of 64 digits, with the JSON around them. */
const MISSING_BODY_LIMIT = 2 * 1024 * 1024;
/** A manifest of 20,000 files and the config of 5,000 products, inflated. */
const PUBLISH_BODY_LIMIT = 16 * 1024 * 1024;

export async function registerPublishRoutes(
  app: FastifyInstance,
  context: ServerContext,
  storefronts: Storefronts,
): Promise<void> {
  const { auth, metrics } = context;

  app.post('/v1/storefront/missing', { bodyLimit: MISSING_BODY_LIMIT }, async (request) => {
    const device = await auth.require(presentedToken(request.headers));
    const { hashes } = parseInput(missingSchema, request.body, 'list of files');
    return { missing: await storefronts.missing(device.businessId, hashes) };
  });

  // Raw bytes only here, and only from a known device: the token is checked before the body is read.
  await app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES },
      (_request, body, parsed) => parsed(null, body),
    );
    scope.put<{ Params: { sha256: string } }>(
      '/v1/storefront/blobs/:sha256',
      {
        bodyLimit: MAX_BLOB_BYTES,
        onRequest: async (request) => {
          await auth.require(presentedToken(request.headers));
        },
      },
      async (request, reply) => {
        const device = await auth.require(presentedToken(request.headers));
        const { sha256 } = request.params;
        if (!SHA256_HEX.test(sha256)) {
          throw new ApiError(
            400,
            'invalid_input',
            "The address must end in the file's sha256: 64 lower-case hex digits.",
          );
        }
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const outcome = await storefronts.putBlob(device.businessId, sha256, body);
        if (outcome === 'wrong_hash') {
          throw new ApiError(
            400,
            'invalid_input',
            `The file's bytes do not have the sha256 ${sha256}: it was damaged on the way. Upload it again.`,
          );
        }
        if (outcome === 'over_quota') {
          throw new ApiError(413, 'too_large', "The store's files would take more than 1 GB on the server.");
        }
        return reply.code(204).send();
      },
    );
    done();
  });

  app.put('/v1/storefront', { bodyLimit: PUBLISH_BODY_LIMIT }, async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    const body = parseInput(publishBodySchema, request.body, 'storefront');
    try {
      const answer = await storefronts.publish(device.businessId, body, request.host);
      metrics.storefrontPublishes.inc({ action: 'published' });
      return answer;
    } catch (error) {
      if (!(error instanceof PublishRefusal)) throw error;
      return reply
        .code(error.status)
        .send({ error: { code: error.code, message: error.message, details: { field: error.field } } });
    }
  });

  app.get('/v1/storefront', async (request) => {
    const device = await auth.require(presentedToken(request.headers));
    const summary = await storefronts.summary(device.businessId);
    if (summary === null) throw new ApiError(404, 'not_found', 'This business has no store online.');
    return summary;
  });

  app.delete('/v1/storefront', async (request, reply) => {
    const device = await auth.require(presentedToken(request.headers));
    if (!(await storefronts.unpublish(device.businessId))) {
      throw new ApiError(404, 'not_found', 'This business has no store online.');
    }
    metrics.storefrontPublishes.inc({ action: 'unpublished' });
    return reply.code(204).send();
  });
}
