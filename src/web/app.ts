/**
 * The admin HTTP app: wiring only. Middleware order matters and lives here:
 *   1. security headers — first, so every response, 404s and 500s included, carries them
 *   2. no-store, body limit — before the guard: cheap refusals first
 *   3. guard — deny by default on /api/*, public routes listed below
 *   4. routes
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { log as processLog, type Level } from '../log.js';
import { adminFile } from './admin-file.js';
import type { AdminEnv } from './context.js';
import { apiError, errorHandler, notFound } from './errors.js';
import { apiGuard } from './guard.js';
import { createLoginLimiter } from './login-limiter.js';
import { healthRoutes } from './routes/health-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { passwordRoutes } from './routes/password-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { deviceRoutes } from './routes/device-routes.js';
import { policyRoutes, type PolicyRouteDeps } from './routes/policy-routes.js';
import { geoRoutes, type GeoRouteDeps } from './routes/geo-routes.js';
import { pageRoutes, type PageRouteDeps } from './routes/page-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
import { logRoutes } from './routes/log-routes.js';
import { BACKUP_MAX_BYTES, BACKUP_UPLOAD_PATHS, backupRoutes } from './routes/backup-routes.js';
import type { Settings } from '../config/settings.js';
import type { Metric } from '../stats/metrics.js';
import type { Stats } from '../stats/stats.js';
import type { SetupCode } from './setup-code.js';
import type { Registry } from '../devices/registry.js';
import { securityHeaders } from './security-headers.js';
import { createSessions } from './sessions.js';

/** What the admin app needs from the rest of telemute. */
export interface AdminDeps {
  /** Directory for admin.json (password hash, API tokens). */
  stateDir: string;
  /** Detailed health for authenticated callers. */
  health: () => Record<string, unknown>;
  /** Clock, epoch ms; default Date.now. */
  now?: () => number;
  /** Log sink; default the process log. */
  log?: (level: Level, msg: string) => void;
  /** Version shown by /api/health; default 'dev'. */
  version?: string;
  /** The device registry, for /api/devices (absent: those routes 404). */
  devices?: Registry;
  /** The policy engine's admin operations and list status, for the policy routes (absent: they 404). */
  policy?: Omit<PolicyRouteDeps, 'log'>;
  /** Geography lookups for /api/geo (absent: those routes 404). */
  geo?: GeoRouteDeps;
  /** The one-time code start.ts printed because no password was set; absent: /api/setup answers 409. */
  setupCode?: SetupCode;
  /** Data feeds of the pages (dashboard, device sections); absent: their empty states. */
  pages?: Pick<PageRouteDeps, 'dashboard' | 'deviceExtras'>;
  /** Query log and statistics, for /api/log, /api/stats, /api/report, /metrics and the pages (absent: those routes 404). */
  stats?: Stats;
  /** GET /metrics without credentials. Default false. */
  metricsPublic?: boolean;
  /** More Prometheus families appended to the stats module's. */
  metrics?: () => readonly Metric[];
  /** The running settings, shown read-only on the settings page. */
  settings?: Settings;
}

/** Routes reachable without credentials. Everything else under /api/ needs a session or token. */
const PUBLIC_ROUTES = ['POST /api/login', 'GET /api/health', 'POST /api/setup'] as const;

/** Largest request body, bytes. Admin requests are small JSON; this bounds memory per request. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Builds the admin app.
 *
 * @example
 * const app = createAdminApp({ stateDir: '/etc/telemute', health: () => ({ queries: 0 }) });
 * await startAdminServer(app, { host: '192.168.1.1', port: 8080 });
 */
export function createAdminApp(deps: AdminDeps): Hono<AdminEnv> {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? processLog;
  const file = adminFile(deps.stateDir);
  const sessions = createSessions({ now });
  // One limiter for login and setup: a wrong setup code counts as a wrong password.
  const limiter = createLoginLimiter({ now });

  const app = new Hono<AdminEnv>();
  app.use('*', securityHeaders());
  app.use('/api/*', async function noStore(c, next) {
    await next();
    c.header('Cache-Control', 'no-store'); // answers hold tokens and per-device data
  });
  // One limit per path: a backup upload may be larger than any other body (backup-routes.ts).
  const limitOf = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => apiError(c, 413, 'too_large', `Request bodies here are limited to ${maxSize} bytes`) });
  const smallBodies = limitOf(MAX_BODY_BYTES);
  const backupBodies = limitOf(BACKUP_MAX_BYTES);
  const uploads = new Set<string>(BACKUP_UPLOAD_PATHS);
  app.use('/api/*', function bodyLimits(c, next) {
    return uploads.has(c.req.path) ? backupBodies(c, next) : smallBodies(c, next);
  });
  app.use('/api/*', apiGuard({ file, sessions, publicRoutes: PUBLIC_ROUTES }));

  healthRoutes(app, { version: deps.version ?? 'dev', now, startedAt: now(), health: deps.health });
  sessionRoutes(app, { file, sessions, limiter, log });
  setupRoutes(app, { file, setupCode: deps.setupCode, limiter, log });
  passwordRoutes(app, { file, sessions, limiter, log });
  tokenRoutes(app, { file, now, log });
  if (deps.devices) deviceRoutes(app, { devices: deps.devices, log });
  if (deps.policy) policyRoutes(app, { ...deps.policy, log });
  if (deps.geo) geoRoutes(app, deps.geo);
  if (deps.policy) backupRoutes(app, { admin: deps.policy.admin, devices: deps.devices, now, log });
  if (deps.stats) logRoutes(app, { stats: deps.stats, file, sessions, now, devices: deps.devices, metricsPublic: deps.metricsPublic, metrics: deps.metrics });
  // Outside /api/: pages check the session themselves and send strangers to /login.
  const { stats, policy, settings } = deps;
  pageRoutes(app, {
    file, sessions, now, setupCode: deps.setupCode, devices: deps.devices, stats, policy, settings,
    registration: deps.geo?.isRegistrationOn ? { isOn: deps.geo.isRegistrationOn, canSwitch: deps.geo.setRegistration !== undefined } : undefined,
    ...deps.pages,
  });

  app.notFound(notFound);
  app.onError(errorHandler(log));
  return app;
}
