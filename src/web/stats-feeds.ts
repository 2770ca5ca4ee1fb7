/**
 * The pages' view models built from the statistics: the dashboard (totals, the chart, top lists)
 * and a device page's sections (what it talks to, what was blocked lately, report links). Plain
 * functions over the Stats handle, no Hono; numbers only move here, nothing is escaped (the views do).
 */
import { displayName, type Registry } from '../devices/registry.js';
import type { Stats } from '../stats/stats.js';
import type { Counted, HourPoint } from '../stats/types.js';
import { deviceHref } from './pages/format.js';
import type { BarItem, BlockedName, DashboardProps, DestinationRow, DeviceDetailProps, TimeSeries } from './pages/view-models.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let regionNames: Intl.DisplayNames | null | undefined;
/** "Germany" for DE; the code itself where Node lacks the data (small-icu builds). */
function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return (code && regionNames?.of(code)) || code || 'unknown';
  } catch {
    return code;
  }
}

/**
 * Allowed and blocked per bucket, every bucket present (an hour with no query is a zero bar, not
 * a gap). Buckets end at `now`: 24 hours, or 7 days (labels in the router's local time).
 */
function bucketSeries(points: HourPoint[], now: number, isWeek: boolean): TimeSeries {
  const size = isWeek ? DAY : HOUR;
  const n = isWeek ? 7 : 24;
  const first = Math.floor(now / HOUR) * HOUR - (n - 1) * size;
  const sums = Array.from({ length: n }, () => [0, 0]);
  for (const p of points) {
    const i = Math.floor((p.hour - first) / size);
    if (i < 0 || i >= n) continue;
    sums[i][0] += p.queries - p.blocked;
    sums[i][1] += p.blocked;
  }
  const label = (t: number) => (isWeek ? new Date(t).toDateString().slice(0, 10) : `${String(new Date(t).getHours()).padStart(2, '0')}:00`);
  return { names: ['Allowed', 'Blocked'], points: sums.map((values, i) => ({ label: label(first + i * size), values })) };
}

const byBlocked = (a: Counted, b: Counted) => b.blocked - a.blocked || (a.key < b.key ? -1 : 1);

/** The dashboard for the last day (by hour) or week (by day). */
export function dashboardFromStats(stats: Stats, devices: Registry | undefined, isWeek: boolean, now: number): Omit<DashboardProps, 'now'> {
  const period = { from: now - (isWeek ? 7 * DAY : DAY), to: now + 1 };
  const house = stats.series('house', '', { from: period.from - DAY, to: period.to });
  const within = house.filter((p) => p.hour + HOUR > period.from);
  const domains = stats.top('domain', period, 500);
  const deviceRows = stats.top('device', period, 10);
  const named = (key: string): BarItem => {
    const d = devices?.get(key);
    return d ? { label: displayName(d), value: 0, href: deviceHref(key) } : { label: key || 'anonymous', value: 0 };
  };
  return {
    period: isWeek ? '7d' : '24h',
    totals: { queries: within.reduce((a, p) => a + p.queries, 0), blocked: within.reduce((a, p) => a + p.blocked, 0), devices: deviceRows.filter((d) => d.key !== '').length },
    queries: bucketSeries(house, now, isWeek),
    topBlocked: domains.filter((d) => d.blocked > 0).sort(byBlocked).slice(0, 10).map((d) => ({ label: d.key, value: d.blocked })),
    topDevices: deviceRows.map((d) => ({ ...named(d.key), value: d.queries })),
    countries: stats.top('country', period, 10).filter((c) => c.key !== '').map((c) => ({ label: countryName(c.key), value: c.queries, note: c.key })),
    flagged: flaggedNames(stats, period.from),
  };
}

/**
 * The most flagged names since `from`, from the query log (the day counts behind `top('domain')`
 * keep queries and blocks only), over its newest 1000 flagged entries: a bounded read.
 */
function flaggedNames(stats: Stats, from: number): BarItem[] {
  const counts = new Map<string, BarItem>();
  for (const e of stats.query({ action: 'flagged', from, limit: 1000 }).entries) {
    const item = counts.get(e.name) ?? { label: e.name, value: 0, note: e.flag };
    item.value++;
    counts.set(e.name, item);
  }
  return [...counts.values()].sort((a, b) => b.value - a.value).slice(0, 10);
}

/** Blocked names of a device, newest first, one line per name (from the last 500 blocked entries). */
export function recentBlocked(stats: Stats, device: string, max = 15): BlockedName[] {
  const byName = new Map<string, BlockedName>();
  for (const e of stats.query({ deviceId: device, action: 'blocked', limit: 500 }).entries) {
    const seen = byName.get(e.name);
    if (seen) seen.count++;
    else if (byName.size < max) byName.set(e.name, { name: e.name, at: e.time, count: 1, reason: e.detail || null });
  }
  return [...byName.values()];
}

/** The device page's sections; `canChange`: the policy API exists (rule buttons shown). */
export function deviceExtrasFromStats(stats: Stats, device: string, canChange: boolean): Omit<DeviceDetailProps, 'device' | 'now'> {
  const report = stats.report(device, 'json');
  const destinations: DestinationRow[] = report.domains.slice(0, 100).map((r) => {
    const sources = Object.keys(r.blockedBy);
    return {
      domain: r.domain,
      catalog: sources.find((s) => s.startsWith('catalog:')) ?? null,
      country: r.countries.join(' ') || null,
      network: r.networks.map((n) => `AS${n.asn}${n.org ? ` ${n.org}` : ''}`).join(', ') || null,
      registrant: r.registrant || null,
      // Mostly blocked counts as blocked: the owner's question is "is this getting through?".
      action: r.blocked * 2 > r.queries ? 'blocked' : 'allowed',
      reason: r.blocked > 0 ? `${r.blocked} of ${r.queries} blocked by ${sources.join(', ')}` : null,
      queries: r.queries,
      lastSeen: r.lastSeen,
    };
  });
  const api = `/api/report/${encodeURIComponent(device)}`;
  return {
    destinations,
    recentBlocked: recentBlocked(stats, device),
    reports: [
      { label: 'Printable report', href: `${deviceHref(device)}/report` },
      { label: 'JSON', href: api },
      { label: 'CSV (spreadsheet)', href: `${api}?format=csv` },
    ],
    endpoints: canChange ? { device } : undefined,
  };
}
