/**
 * Providers' webhooks: where Termii, Africa's Talking and the WhatsApp Cloud API post delivery
 * reports and customers' replies, turned into `message_report` and `opt_out` changes that every
 * counter of the business pulls.
 *
 *   GET  /v1/hooks              (a paired device) the business's webhook URLs, one per provider
 *   POST /hooks/:provider/:key  a provider's post; the key names the business
 *   GET  /hooks/whatsapp/:key   Meta's verification handshake
 *
 * A provider's post is never answered 500 for what it sent: an unknown key is 404, a body that is
 * not the provider's documented shape 400 with the reason, a repeat 200 with nothing appended
 * (providers retry until they get a 2xx). With KASUWA_WHATSAPP_APP_SECRET set, a WhatsApp post
 * must carry Meta's X-Hub-Signature-256 of its exact bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  isStopReply,
  parseAfricasTalkingWebhook,
  parseTermiiWebhook,
  parseWhatsAppWebhook,
  type WebhookBatch,
  type WebhookParse,
} from '../../shared/campaigns/webhooks';
import { checkMutation } from '../../shared/sync/protocol';
import type { ServerContext } from '../app';
import { unstorableText } from '../db/storable-text';
import { ApiError } from '../http/api-error';
import { WEBHOOK_PROVIDERS, type WebhookOutcome } from '../ops/metrics';
import { presentedToken } from '../tenancy/device-auth';
import { businessForHookKey, hookKeyFor } from './hook-keys';
import { appendServerRows, serverRowId, type ServerRow } from './server-changes';

type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export interface HookUrls {
  termii: string;
  africastalking: string;
  whatsapp: string;
}

/** What a provider's post is answered with (providers read only the status). */
export interface HookAnswer {
  added: number;
  repeated: number;
  ignored: number;
}

const PARSERS: Record<WebhookProvider, (body: unknown, receivedAt: number) => WebhookParse> = {
  termii: parseTermiiWebhook,
  africastalking: parseAfricasTalkingWebhook,
  whatsapp: parseWhatsAppWebhook,
};

const verifyQuery = z.object({
  'hub.mode': z.string().optional(),
  'hub.verify_token': z.string().optional(),
  'hub.challenge': z.string().optional(),
});

const HOST_SHAPE = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin the asking counter reached this server at. `request.protocol` and `request.host`
 * follow X-Forwarded-Proto and X-Forwarded-Host only from a proxy the server was told to trust
 * (KASUWA_TRUST_PROXY); otherwise they are the connection's scheme and the Host header.
 */
function requestOrigin(request: FastifyRequest): string {
  const protocol = request.protocol.toLowerCase() === 'https' ? 'https' : 'http';
  const host = request.host;
  if (!HOST_SHAPE.test(host)) {
    throw new ApiError(
      400,
      'invalid_input',
      'The request has no usable Host header to build the webhook URLs from.',
    );
  }
  return `${protocol}://${host}`;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Meta signs the exact bytes it sent: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>`. */
export function validMetaSignature(raw: Buffer, header: string | undefined, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (match?.[1] === undefined) return false;
  const expected = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** The body as the provider meant it: JSON, or form fields (Africa's Talking). */
function decodeBody(
  raw: Buffer,
  contentType: string,
): { ok: true; body: unknown } | { ok: false; reason: string } {
  const text = raw.toString('utf8');
  if (text.trim() === '') return { ok: false, reason: 'The webhook body is empty.' };
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType.trim())) {
    return { ok: true, body: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      reason: 'The webhook body is neither JSON nor form fields (application/x-www-form-urlencoded).',
    };
  }
}

/** Reports, and STOP replies as opt-outs, as the rows the business's counters will pull. */
function rowsOf(businessId: string, batch: WebhookBatch): { rows: ServerRow[]; ignored: number } {
  const rows: ServerRow[] = [];
  for (const report of batch.reports) {
    const id = serverRowId(businessId, 'message_report', [
      report.provider,
      report.providerMessageId,
      report.status,
    ]);
    rows.push({ entity: 'message_report', data: { id, ...report } });
  }
  let ignored = batch.ignored;
  for (const message of batch.inbound) {
    if (!isStopReply(message.text)) {
      ignored += 1;
      continue;
    }
    const id = serverRowId(businessId, 'opt_out', [message.provider, message.messageId]);
    rows.push({
      entity: 'opt_out',
      data: {
        id,
        channel: message.channel,
        phone: message.phone,
        text: message.text,
        provider: message.provider,
        at: message.at,
      },
    });
  }
  return { rows, ignored };
}

/** Each row as a counter will check it on pull, and storable; the first that is not, and why. */
function unfitRow(rows: ServerRow[]): string | null {
  for (const row of rows) {
    const checked = checkMutation(
      { entity: row.entity, entityId: row.data.id, op: 'append', data: row.data },
      'pull',
    );
    if (!checked.ok) return `${row.entity}: ${checked.reason}`;
    const unstorable = unstorableText(row.data);
    if (unstorable !== null) return `${row.entity}: ${unstorable}`;
  }
  return null;
}

export async function registerHookRoutes(app: FastifyInstance, context: ServerContext): Promise<void> {
  const { db, auth, metrics, now } = context;
  const { whatsappAppSecret } = context.webhooks;

  app.get('/v1/hooks', async (request): Promise<HookUrls> => {
    const device = await auth.require(presentedToken(request.headers));
    const origin = requestOrigin(request);
    const key = await hookKeyFor(db.orm, device.businessId, now());
    return {
      termii: `${origin}/hooks/termii/${key}`,
      africastalking: `${origin}/hooks/africastalking/${key}`,
      whatsapp: `${origin}/hooks/whatsapp/${key}`,
    };
  });

  // Providers post JSON or forms with whatever content type they like; the routes here take the
  // raw bytes (Meta's signature is over them) and decode them themselves. Scoped to this plugin,
  // so the /v1 routes keep Fastify's own JSON parser.
  await app.register((hooks, _options, done) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, parsed) => parsed(null, body));

    hooks.post<{ Params: { provider: string; key: string } }>(
      '/hooks/:provider/:key',
      async (request): Promise<HookAnswer> => {
        const { provider, key } = request.params;
        const known = (WEBHOOK_PROVIDERS as readonly string[]).includes(provider)
          ? (provider as WebhookProvider)
          : null;
        const outcome = (result: WebhookOutcome) => metrics.countWebhook(known ?? 'unknown', result);
        const refuse = (result: WebhookOutcome, error: ApiError): never => {
          outcome(result);
          throw error;
        };
        if (known === null) {
          return refuse(
            'unknown_key',
            new ApiError(404, 'not_found', `There is no webhook for "${provider.slice(0, 40)}" here.`),
          );
        }
        try {
          const businessId = await businessForHookKey(db.orm, key);
          if (businessId === null) {
            return refuse(
              'unknown_key',
              new ApiError(404, 'not_found', 'This webhook URL is not known here.'),
            );
          }
          const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
          if (known === 'whatsapp' && whatsappAppSecret !== undefined) {
            const signature = request.headers['x-hub-signature-256'];
            if (
              !validMetaSignature(
                raw,
                typeof signature === 'string' ? signature : undefined,
                whatsappAppSecret,
              )
            ) {
              return refuse(
                'bad_signature',
                new ApiError(
                  401,
                  'unauthorized',
                  'The X-Hub-Signature-256 header is missing or does not match the body.',
                ),
              );
            }
          }
          const decoded = decodeBody(raw, request.headers['content-type'] ?? '');
          if (!decoded.ok) return refuse('invalid', new ApiError(400, 'invalid_input', decoded.reason));
          const parsed = PARSERS[known](decoded.body, now());
          if (!parsed.ok) return refuse('invalid', new ApiError(400, 'invalid_input', parsed.reason));
          const { rows, ignored } = rowsOf(businessId, parsed.batch);
          const unfit = unfitRow(rows);
          if (unfit !== null) return refuse('invalid', new ApiError(400, 'invalid_input', unfit));
          const appended = await appendServerRows(db.pool, businessId, rows, now);
          outcome(appended.added > 0 ? 'appended' : appended.repeated > 0 ? 'duplicate' : 'ignored');
          return { added: appended.added, repeated: appended.repeated, ignored };
        } catch (error) {
          if (!(error instanceof ApiError)) outcome('error');
          throw error;
        }
      },
    );

    hooks.get<{ Params: { key: string } }>('/hooks/whatsapp/:key', async (request, reply) => {
      const { key } = request.params;
      const query = verifyQuery.safeParse(request.query);
      const businessId = await businessForHookKey(db.orm, key);
      if (businessId === null) {
        metrics.countWebhook('whatsapp', 'unknown_key');
        throw new ApiError(404, 'not_found', 'This webhook URL is not known here.');
      }
      const asked = query.success ? query.data : {};
      const challenge = asked['hub.challenge'] ?? '';
      if (asked['hub.mode'] !== 'subscribe' || !sameSecret(asked['hub.verify_token'] ?? '', key)) {
        metrics.countWebhook('whatsapp', 'refused');
        throw new ApiError(
          403,
          'forbidden',
          'Use this URL’s last part (the webhook key) as the verify token.',
        );
      }
      // Meta's challenge is a number; anything else is not echoed back.
      if (!/^[A-Za-z0-9_-]{1,200}$/.test(challenge)) {
        metrics.countWebhook('whatsapp', 'invalid');
        throw new ApiError(400, 'invalid_input', 'hub.challenge is missing or not a plain token.');
      }
      metrics.countWebhook('whatsapp', 'verified');
      return reply.type('text/plain; charset=utf-8').send(challenge);
    });

    done();
  });
}
