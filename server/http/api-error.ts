/**
 * Every answer that is not 2xx is `{ error: { code, message } }` (ServerError in the protocol):
 * a code a counter can act on and a sentence the Sync screen can show. Handlers throw ApiError;
 * Fastify's own failures (bad JSON, too large, wrong media type) and anything unexpected are
 * turned into the same shape here, so bad input is a clear 4xx and never a crash.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { ServerError } from '../../shared/sync/protocol';
import { unstorableText } from '../db/storable-text';

export type ApiErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'revoked'
  | 'forbidden'
  | 'not_found'
  | 'pairing_code_used'
  | 'pairing_code_expired'
  | 'conflict'
  | 'too_large'
  | 'too_many_attempts'
  | 'unavailable'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string): ServerError {
  return { error: { code, message } };
}

/** The first problem zod found, as one sentence with the field it is about. */
export function describeInvalid(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'The request is not valid.';
  const where = first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return `${where}${first.message}`.slice(0, 300);
}

/**
 * Parses with a zod schema, or answers 400 with what was wrong; text PostgreSQL cannot store is
 * wrong too. A push checks its mutations' text one by one instead (`checkText` false), so one
 * bad mutation does not refuse the batch.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  checkText = true,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ApiError(400, 'invalid_input', `The ${what} is not valid: ${describeInvalid(parsed.error)}`);
  }
  const unstorable = checkText ? unstorableText(parsed.data) : null;
  if (unstorable !== null)
    throw new ApiError(400, 'invalid_input', `The ${what} is not valid: ${unstorable}`);
  return parsed.data;
}

// node-postgres error codes and PostgreSQL classes that mean "the database is not there".
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P03',
]);

/** Walks the cause chain too: drizzle wraps the driver's error in its own "Failed query". */
function databaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08'))) return true;
  const message = error instanceof Error ? error.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect/i.test(message)) return true;
  return databaseUnreachable((error as { cause?: unknown }).cause, depth + 1);
}

/** Fastify's own errors, by their code, as our codes and sentences. */
function fromFastify(error: FastifyError): { status: number; code: ApiErrorCode; message: string } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'too_large', message: 'The request body is too large for this route.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid_input', message: 'The request body is not valid JSON.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        code: 'invalid_input',
        message: 'Send the request body as JSON (Content-Type: application/json).',
      };
    default:
      break;
  }
  // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR …) come from a gzip body that does not inflate.
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
    return { status: 400, code: 'invalid_input', message: 'The gzip request body could not be inflated.' };
  }
  // A body that is not JSON surfaces as a SyntaxError from the parser, with status 400.
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { status: 400, code: 'invalid_input', message: 'The request body is not valid JSON.' };
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: 'invalid_input', message: error.message };
  }
  return null;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.statusCode).send(errorBody(error.code, error.message));
    }
    const known = fromFastify(error);
    if (known !== null) return reply.code(known.status).send(errorBody(known.code, known.message));
    if (databaseUnreachable(error)) {
      request.log.warn({ err: error }, 'database unreachable');
      return reply
        .code(503)
        .send(
          errorBody('unavailable', 'The sync server cannot reach its database right now; try again soon.'),
        );
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('internal', 'Something went wrong on the sync server; try again.'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('not_found', `There is no ${request.method} ${request.url.split('?')[0] ?? ''} here.`)),
  );
}
