/**
 * GET /api/health: public liveness for monitors and the login page, details for the admin. The
 * public part says only that the daemon answers and which version runs; device counts, upstream
 * state and the like stay behind authentication.
 */
import type { Hono } from 'hono';
import type { AdminEnv } from '../context.js';

/** What the health route needs. */
export interface HealthRouteDeps {
  version: string;
  now: () => number;
  startedAt: number;
  /** Detailed health, shown only to an authenticated caller. */
  health: () => Record<string, unknown>;
}

/** Adds the health route. */
export function healthRoutes(app: Hono<AdminEnv>, deps: HealthRouteDeps): void {
  app.get('/api/health', (c) => {
    const summary = { status: 'ok', version: deps.version, uptimeS: Math.floor((deps.now() - deps.startedAt) / 1000) };
    return c.json(c.get('principal') ? { ...summary, details: deps.health() } : summary);
  });
}
