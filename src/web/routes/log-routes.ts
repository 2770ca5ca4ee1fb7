/**
 * The query log, its live tail, the statistics, the phone-home reports and the Prometheus text
 * (docs/api.md). Thin: parse the parameters, ask src/stats/stats.ts, answer. Names in the answers
 * are returned as asked (`<script>` included): escaping is the view's job; CSV cells are guarded
 * by the stats module (reportCsv → csvCell).
 */
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { displayName, type Registry } from '../../devices/registry.js';
import type { Metric } from '../../stats/metrics.js';
import type { Stats } from '../../stats/stats.js';
import type { LogEntry, Period } from '../../stats/types.js';
import type { AdminFile } from '../admin-file.js';
import type { AdminEnv } from '../context.js';
import { apiError } from '../errors.js';
import { identify, unauthorized } from '../guard.js';
import { isDeviceId } from '../../devices/registry.js';
import { parseLogFilter } from '../log-filter.js';
import type { Sessions } from '../sessions.js';

export interface LogRouteDeps {
  stats: Stats;
  file: AdminFile;
  sessions: Sessions;
  now: () => number;
  devices?: Registry;
  /** GET /metrics without credentials (a Prometheus on the LAN without a token). Default false. */
  metricsPublic?: boolean;
  /** More metric families (resolver, lists, geo) appended to the stats module's. */
  metrics?: () => readonly Metric[];
}

/** Periods GET /api/stats knows, in hours. */
const PERIODS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
type PeriodName = keyof typeof PERIODS;

/** A comment line every 15 s keeps proxies and NAT from closing an idle stream (WHATWG HTML §9.2.7). */
const HEARTBEAT_MS = 15_000;
/** Streams open at once: each holds a socket and up to MAX_QUEUED entries (≈ 100 KB). */
const MAX_STREAMS = 4;
/** Entries waiting for a slow browser before the oldest are dropped (stats/tail.ts counts them). */
const MAX_QUEUED = 200;
/** A stream ends after an hour; EventSource reconnects by itself, so a forgotten tab cannot pin one for ever. */
const MAX_STREAM_MS = 3_600_000;

/** The period named by `?period=`, ending now; undefined for an unknown name. */
function periodOf(name: string, now: number): Period | undefined {
  const hours = PERIODS[name as PeriodName];
  return hours === undefined ? undefined : { from: now - hours * 3_600_000, to: now + 1 };
}

/** Adds /api/log, /api/log/stream, /api/stats, /api/report/:id and /metrics. */
export function logRoutes(app: Hono<AdminEnv>, deps: LogRouteDeps): void {
  const { stats, now } = deps;
  let streams = 0;
  const filterOf = (c: Context) => parseLogFilter(c.req.query());
  const badFilter = (c: Context, r: { field: string; message: string }) => apiError(c, 400, 'bad_request', `${r.field}: ${r.message}`, r);

  app.get('/api/log', (c) => {
    const f = filterOf(c);
    return f.ok ? c.json(stats.query(f.filter)) : badFilter(c, f);
  });

  app.get('/api/log/stream', (c) => {
    const f = filterOf(c);
    if (!f.ok) return badFilter(c, f);
    if (streams >= MAX_STREAMS) {
      c.header('Retry-After', '30');
      return apiError(c, 429, 'busy', `At most ${MAX_STREAMS} live streams at once; close another tab`);
    }
    streams++;
    return streamSSE(c, async (sse) => {
      let end: () => void = () => {};
      const ended = new Promise<void>((resolve) => (end = resolve));
      // Each entry waits for the previous write: a slow browser fills only its own bounded queue.
      // An entry's id is its log position; tail entries may not have one yet, and an empty `id:`
      // line would reset the browser's Last-Event-ID (WHATWG HTML §9.2.6), so it is left out then.
      const send = (e: LogEntry) => sse.writeSSE({ event: 'entry', data: JSON.stringify(e), ...(e.id ? { id: e.id } : {}) });
      const unsubscribe = stats.subscribe(send, { filter: f.filter, maxQueued: MAX_QUEUED });
      const beat = setInterval(() => void sse.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const limit = setTimeout(end, MAX_STREAM_MS);
      sse.onAbort(end); // the browser closed the tab or the connection dropped
      try {
        await sse.write(': live\n\n'); // flushes the headers, so the browser's onopen fires now
        await ended;
      } finally {
        clearInterval(beat);
        clearTimeout(limit);
        unsubscribe();
        streams--;
      }
    });
  });

  app.get('/api/stats', (c) => {
    const name = c.req.query('period') ?? '24h';
    const period = periodOf(name, now());
    if (!period) return apiError(c, 400, 'bad_request', `period: one of ${Object.keys(PERIODS).join(', ')}`, { field: 'period' });
    const series = stats.series('house', '', period);
    const sum = (k: 'queries' | 'blocked' | 'flagged') => series.reduce((a, p) => a + p[k], 0);
    const devices = stats.top('device', period, 10).map((d) => {
      const known = deps.devices?.get(d.key);
      return { ...d, name: known ? displayName(known) : d.key === '' ? 'anonymous' : d.key };
    });
    return c.json({
      period: name,
      from: period.from,
      to: period.to,
      totals: { queries: sum('queries'), blocked: sum('blocked'), flagged: sum('flagged') },
      series,
      top: {
        domains: stats.top('domain', period, 10),
        devices,
        sources: stats.top('source', period, 10),
        countries: stats.top('country', period, 10),
        asns: stats.top('asn', period, 10),
      },
    });
  });

  app.get('/api/report/:id', (c) => {
    const id = c.req.param('id').toLowerCase();
    if (id !== 'house' && !isDeviceId(id)) return apiError(c, 400, 'bad_request', 'id: a device id or house', { field: 'id' });
    const device = id === 'house' ? null : id;
    if (c.req.query('format') !== 'csv') return c.json(stats.report(device, 'json'));
    // The id becomes part of a file name: only letters, digits and dashes.
    const file = `telemute-report-${id.replace(/[^a-z0-9]+/g, '-')}.csv`;
    return c.body(stats.report(device, 'csv'), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${file}"` });
  });

  // Outside /api/ (Prometheus' default path), so the API guard does not run: the same check here.
  app.get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    if (!deps.metricsPublic) {
      const who = await identify(c, deps);
      if (who === 'bad_token') return unauthorized(c, 'invalid_token', 'The API token is unknown or revoked');
      if (!who) return unauthorized(c, 'unauthorized', 'Send Authorization: Bearer <token>, or set log.metrics_public');
    }
    return c.body(stats.metricsText(deps.metrics?.() ?? []), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
