/**
 * Starts the admin server for the running resolver: applies TELEMUTE_ADMIN_PASSWORD, builds the
 * app with a health view of the resolver, and listens. Failure here never stops DNS (main.ts).
 */
import { formatHostPort } from '../config/address.js';
import type { Settings } from '../config/settings.js';
import { log } from '../log.js';
import type { Resolver } from '../resolver/resolver.js';
import { VERSION } from '../version.js';
import { createAdminApp, type AdminDeps } from './app.js';
import { extraMetrics, type ExtraMetricsInput } from '../stats/extra-metrics.js';
import { applyEnvPassword } from './passwd.js';
import { startAdminServer } from './server.js';
import { adminFile } from './admin-file.js';
import { firstStartCode } from './setup-code.js';
import type { Registry } from '../devices/registry.js';
import type { FlashWriter } from '../store/flash.js';

export interface RunningAdmin {
  url: string;
  close(): Promise<void>;
}

/** The other parts of telemute the admin shows and changes. */
export interface AdminParts {
  devices: Registry;
  flash: FlashWriter;
  policy?: AdminDeps['policy'];
  geo?: AdminDeps['geo'];
  /** More health figures (lists, stats, geo), merged into /api/health. */
  health?: () => Record<string, unknown>;
  /** Query log and statistics (the log routes, /metrics, the dashboard). */
  stats?: AdminDeps['stats'];
  /** GET /metrics without credentials (log.metrics_public). */
  metricsPublic?: boolean;
  /** Status of the subscribed lists, for /metrics. */
  listStatuses?: () => ExtraMetricsInput['lists'];
}

/** Starts the admin on settings.admin; null when it is off. */
export async function startAdmin(settings: Settings, resolver: Resolver, parts: AdminParts): Promise<RunningAdmin | null> {
  if (settings.admin === null) return null;
  const applied = await applyEnvPassword(settings.stateDir, process.env);
  if (applied === 'updated') log('info', 'admin password set from TELEMUTE_ADMIN_PASSWORD');
  delete process.env.TELEMUTE_ADMIN_PASSWORD; // no child process or later reader gets it
  const health = () => ({ ...resolverHealth(resolver), devices: parts.devices.list().length, flash: parts.flash.counters(), ...parts.health?.() });
  // No password yet: a one-time code in the log lets whoever can read it choose one at /setup.
  const setupCode = await firstStartCode(adminFile(settings.stateDir));
  const app = createAdminApp({ stateDir: settings.stateDir, health, version: VERSION, log, devices: parts.devices, policy: parts.policy, geo: parts.geo, setupCode, stats: parts.stats, metricsPublic: parts.metricsPublic, settings,
    metrics: () =>
      extraMetrics({
        counters: resolver.counters,
        cache: resolver.cache.stats(),
        upstreams: resolver.defaultUpstreams.upstreams,
        stageErrors: resolver.pipeline.stageErrors,
        lists: parts.listStatuses?.() ?? [],
        devices: parts.devices.list().length,
        heapUsedBytes: process.memoryUsage().heapUsed,
      }),
  });
  const server = await startAdminServer(app, settings.admin);
  const url = `http://${formatHostPort({ host: settings.admin.host, port: server.port })}`;
  if (setupCode) log('warn', `admin: no password set; open ${url}/setup and enter the setup code ${setupCode.display} (or run \`telemute passwd\`)`);
  return { url, close: server.close };
}

/** What the authenticated health endpoint shows about the resolver. */
export function resolverHealth(r: Resolver): Record<string, unknown> {
  return {
    queries: { ...r.counters },
    cache: r.cache.stats(),
    upstreams: r.defaultUpstreams.upstreams.map((u) => ({
      url: u.url,
      srttMs: Math.round(u.srtt * 10) / 10,
      sent: u.sent,
      errors: u.errors,
      down: u.downUntil > Date.now(),
    })),
    stageErrors: { ...r.pipeline.stageErrors },
    crashes: r.handlerStats.crashes,
    heapUsedBytes: process.memoryUsage().heapUsed,
  };
}
