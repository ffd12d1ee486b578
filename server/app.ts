/**
 * The sync server as a Fastify instance, built from an open, migrated database: the plumbing
 * every route shares (errors, gzip, metrics, the realtime hub fed by change notices) and the
 * routes of each area. `main.ts` is the process around it; tests build it in-process.
 */
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { ServerDatabase } from './db/database';
import type { Migration } from './db/migrate';
import { registerHookRoutes } from './hooks/routes';
import { installErrorHandlers } from './http/api-error';
import { installCompression } from './http/compression';
import { ServerMetrics } from './ops/metrics';
import { registerOpsRoutes } from './ops/routes';
import { registerReadRoutes } from './reads/routes';
import { CLOSE_GOING_AWAY, RealtimeHub } from './realtime/hub';
import { registerRealtimeRoutes } from './realtime/routes';
import { DEFAULT_PAYMENT_TIMEOUT_MS } from './store/payments/provider';
import { ORDERS_ALLOWED, ORDERS_WINDOW_MS } from './store/order-limit';
import { registerStoreRoutes, type StoreSettings } from './store/routes';
import { registerSyncRoutes } from './sync/routes';
import { DeviceAuth } from './tenancy/device-auth';
import { PairingAttempts } from './tenancy/pairing-attempts';
import { registerTenancyRoutes } from './tenancy/routes';

export interface SyncServerOptions {
  db: ServerDatabase;
  /** The migrations this build knows, already applied to `db` (see db/migrate.ts). */
  migrations: Migration[];
  /** `closed`: only a request with the admin token may create a business. */
  signup?: 'open' | 'closed';
  adminToken?: string;
  logger?: FastifyServerOptions['logger'];
  now?: () => number;
  /** How often realtime sockets are pinged; one missed pong drops the socket. */
  heartbeatMs?: number;
  /** Which proxies' X-Forwarded-For to believe for the client address (config.ts). */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Meta app secret: WhatsApp webhooks must then carry its X-Hub-Signature-256 (config.ts). */
  whatsappAppSecret?: string;
  /** The Paystack API the storefronts' payments go to; default https://api.paystack.co (config.ts). */
  paystackUrl?: string;
  /** The Flutterwave API; default https://api.flutterwave.com (config.ts). */
  flutterwaveUrl?: string;
  /** How long a payment provider may take to answer before the shopper is told it is unavailable. */
  paymentTimeoutMs?: number;
  /** Storefront order posts allowed per client address; default 30 per 10 minutes. */
  storeOrderLimit?: { orders: number; windowMs: number };
}

/** What the routes of every area are built from. */
export interface ServerContext {
  db: ServerDatabase;
  migrations: Migration[];
  auth: DeviceAuth;
  metrics: ServerMetrics;
  hub: RealtimeHub;
  pairingAttempts: PairingAttempts;
  signup: { open: boolean; adminToken: string | undefined };
  webhooks: { whatsappAppSecret: string | undefined };
  store: StoreSettings;
  now: () => number;
}

/** Most bodies are a few hundred bytes; only a push may be large (see sync/routes.ts). */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function createSyncServer(options: SyncServerOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Per-request lines at a thousand requests a second cost more than they tell; errors are logged.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    trustProxy: options.trustProxy ?? false,
    forceCloseConnections: 'idle',
  });
  const metrics = new ServerMetrics();
  const hub = new RealtimeHub(options.heartbeatMs ?? 30_000, (open) => metrics.realtimeSockets.set(open));
  const context: ServerContext = {
    db: options.db,
    migrations: options.migrations,
    auth: new DeviceAuth(options.db.orm, now, (error) =>
      app.log.warn({ err: error }, 'last-seen update failed'),
    ),
    metrics,
    hub,
    pairingAttempts: new PairingAttempts(now),
    signup: { open: (options.signup ?? 'open') === 'open', adminToken: options.adminToken },
    webhooks: { whatsappAppSecret: options.whatsappAppSecret },
    store: {
      paystackUrl: (options.paystackUrl ?? 'https://api.paystack.co').replace(/\/+$/, ''),
      flutterwaveUrl: (options.flutterwaveUrl ?? 'https://api.flutterwave.com').replace(/\/+$/, ''),
      paymentTimeoutMs: options.paymentTimeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS,
      orderLimit: options.storeOrderLimit ?? { orders: ORDERS_ALLOWED, windowMs: ORDERS_WINDOW_MS },
    },
    now,
  };

  await options.db.notices.start({
    notice(notice) {
      if (notice.kind === 'changes') {
        hub.announce(notice.businessId, notice.cursor);
        return;
      }
      context.auth.forgetDevice(notice.deviceId);
      hub.dropDevice(notice.businessId, notice.deviceId);
    },
    resumed() {
      context.auth.forgetAll();
      // Notices may have been missed while the listener was away: tell every socket where its
      // business stands now; a counter already there pulls nothing.
      void announceCurrentCursors(context).catch((error: unknown) =>
        app.log.warn({ err: error }, 'could not announce cursors after reconnecting'),
      );
    },
  });

  installErrorHandlers(app);
  installCompression(app);
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requestSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  await app.register(websocket, {
    // Counters send nothing but pings, so a tiny message limit costs them nothing.
    options: { maxPayload: 4 * 1024 },
    // On shutdown every socket hears "going away" (1001), so counters reconnect to another replica.
    preClose: () => {
      hub.close();
      for (const client of app.websocketServer.clients)
        client.close(CLOSE_GOING_AWAY, 'server shutting down');
    },
  });
  registerOpsRoutes(app, context);
  registerTenancyRoutes(app, context);
  registerSyncRoutes(app, context);
  registerRealtimeRoutes(app, context);
  registerReadRoutes(app, context);
  await registerHookRoutes(app, context);
  await registerStoreRoutes(app, context);
  return app;
}

async function announceCurrentCursors(context: ServerContext): Promise<void> {
  const businessIds = context.hub.businesses();
  if (businessIds.length === 0) return;
  const result = await context.db.pool.query<{ id: string; change_seq: number }>(
    'SELECT id, change_seq FROM businesses WHERE id = ANY($1::uuid[])',
    [businessIds],
  );
  for (const row of result.rows) context.hub.announce(row.id, row.change_seq);
}
