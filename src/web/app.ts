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
import { tokenRoutes } from './routes/token-routes.js';
import { deviceRoutes } from './routes/device-routes.js';
import { pageRoutes, type PageRouteDeps } from './routes/page-routes.js';
import { setupRoutes } from './routes/setup-routes.js';
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
  /** The one-time code start.ts printed because no password was set; absent: /api/setup answers 409. */
  setupCode?: SetupCode;
  /** Data feeds of the pages (dashboard, device sections); absent: their empty states. */
  pages?: Pick<PageRouteDeps, 'dashboard' | 'deviceExtras'>;
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
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => apiError(c, 413, 'too_large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.use('/api/*', apiGuard({ file, sessions, publicRoutes: PUBLIC_ROUTES }));

  healthRoutes(app, { version: deps.version ?? 'dev', now, startedAt: now(), health: deps.health });
  sessionRoutes(app, { file, sessions, limiter, log });
  setupRoutes(app, { file, setupCode: deps.setupCode, limiter, log });
  tokenRoutes(app, { file, now, log });
  if (deps.devices) deviceRoutes(app, { devices: deps.devices, log });
  // Outside /api/: pages check the session themselves and send strangers to /login.
  pageRoutes(app, { file, sessions, now, setupCode: deps.setupCode, devices: deps.devices, ...deps.pages });

  app.notFound(notFound);
  app.onError(errorHandler(log));
  return app;
}
