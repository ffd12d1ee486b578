/**
 * The sync server's settings, all from the environment (as a container or a service manager
 * gives them):
 *
 *   DATABASE_URL              PostgreSQL to use. Unset: an embedded PGlite database in
 *                             KASUWA_SERVER_DATA_DIR, for a single shop on one machine.
 *   KASUWA_SERVER_DATA_DIR    PGlite's data folder; default `~/.kasuwa-server` (the home of
 *                             the OS user the server runs as).
 *   PORT                      default 8787; 0 takes any free port.
 *   HOST                      default 0.0.0.0, so the shop's other counters on the LAN reach it.
 *   KASUWA_SIGNUP             `open` (default): any counter may create a business. `closed`:
 *                             only a request whose `x-kasuwa-admin` header equals
 *                             KASUWA_ADMIN_TOKEN.
 *   KASUWA_ADMIN_TOKEN        see KASUWA_SIGNUP.
 *   KASUWA_SERVER_MIGRATIONS  the migrations folder; default `server/migrations` beside the
 *                             built `out/server/main.js` (../../server/migrations).
 *   KASUWA_TRUST_PROXY        unset: the client address is the connection's (right on a shop's
 *                             LAN). Behind a load balancer or ingress, the number of proxy hops
 *                             to trust in X-Forwarded-For (e.g. 1), or their addresses/CIDRs
 *                             (comma-separated), so failed pairings are counted per real client
 *                             rather than against the proxy that carries everyone's. The
 *                             webhook URLs GET /v1/hooks hands out follow X-Forwarded-Proto and
 *                             X-Forwarded-Host from those proxies too (otherwise the Host header).
 *   KASUWA_WHATSAPP_APP_SECRET the Meta app's secret (App settings → Basic). Set: a WhatsApp
 *                             webhook post is taken only with a valid X-Hub-Signature-256 (the
 *                             HMAC-SHA256 of its body under this secret); unset: the secret key in
 *                             the webhook URL is the only check.
 *   KASUWA_PAYSTACK_URL       the Paystack API the storefronts' online payments go to; default
 *                             https://api.paystack.co.
 *   KASUWA_FLUTTERWAVE_URL    the Flutterwave API (v3); default https://api.flutterwave.com.
 *   LOG_LEVEL                 fatal, error, warn, info (default), debug, trace or silent.
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export interface ServerConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  signup: 'open' | 'closed';
  adminToken: string | undefined;
  migrationsDir: string;
  /** Fastify's trustProxy: which X-Forwarded-For hops to believe. */
  trustProxy: false | string[] | ((address: string, hop: number) => boolean);
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  whatsappAppSecret: string | undefined;
  /** The payment providers' API base URLs (no trailing slash). */
  paystackUrl: string;
  flutterwaveUrl: string;
}

const blankIsUnset = (value: unknown) => (value === '' ? undefined : value);

const environment = z.object({
  DATABASE_URL: z.preprocess(blankIsUnset, z.string().optional()),
  KASUWA_SERVER_DATA_DIR: z.preprocess(blankIsUnset, z.string().optional()),
  PORT: z.preprocess(
    blankIsUnset,
    z.coerce.number().int().min(0, 'PORT is 0-65535').max(65_535, 'PORT is 0-65535').default(8787),
  ),
  HOST: z.preprocess(blankIsUnset, z.string().default('0.0.0.0')),
  KASUWA_SIGNUP: z.preprocess(
    blankIsUnset,
    z.enum(['open', 'closed'], 'KASUWA_SIGNUP is open or closed').default('open'),
  ),
  KASUWA_ADMIN_TOKEN: z.preprocess(
    blankIsUnset,
    z.string().min(16, 'KASUWA_ADMIN_TOKEN needs 16+ characters').optional(),
  ),
  KASUWA_SERVER_MIGRATIONS: z.preprocess(blankIsUnset, z.string().optional()),
  KASUWA_TRUST_PROXY: z.preprocess(blankIsUnset, z.string().optional()),
  KASUWA_WHATSAPP_APP_SECRET: z.preprocess(blankIsUnset, z.string().trim().min(1).optional()),
  KASUWA_PAYSTACK_URL: z.preprocess(
    blankIsUnset,
    z
      .url({ protocol: /^https?$/, error: 'KASUWA_PAYSTACK_URL is an http(s) URL' })
      .default('https://api.paystack.co'),
  ),
  KASUWA_FLUTTERWAVE_URL: z.preprocess(
    blankIsUnset,
    z
      .url({ protocol: /^https?$/, error: 'KASUWA_FLUTTERWAVE_URL is an http(s) URL' })
      .default('https://api.flutterwave.com'),
  ),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

export function readConfig(env: NodeJS.ProcessEnv, builtDir: string): ServerConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Bad setting ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const values = parsed.data;
  return {
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.KASUWA_SERVER_DATA_DIR ?? path.join(os.homedir(), '.kasuwa-server')),
    port: values.PORT,
    host: values.HOST,
    signup: values.KASUWA_SIGNUP,
    adminToken: values.KASUWA_ADMIN_TOKEN,
    migrationsDir: path.resolve(
      values.KASUWA_SERVER_MIGRATIONS ?? path.join(builtDir, '..', '..', 'server', 'migrations'),
    ),
    trustProxy: trustedProxies(values.KASUWA_TRUST_PROXY),
    logLevel: values.LOG_LEVEL,
    whatsappAppSecret: values.KASUWA_WHATSAPP_APP_SECRET,
    paystackUrl: values.KASUWA_PAYSTACK_URL.replace(/\/+$/, ''),
    flutterwaveUrl: values.KASUWA_FLUTTERWAVE_URL.replace(/\/+$/, ''),
  };
}

function trustedProxies(setting: string | undefined): ServerConfig['trustProxy'] {
  if (setting === undefined) return false;
  if (/^\d+$/.test(setting)) {
    const hops = Number(setting);
    return (_address, hop) => hop < hops;
  }
  return setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** The address the ready line shows: a wildcard bind is reached on this machine at loopback. */
export function displayHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
