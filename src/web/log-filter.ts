/**
 * The query-log filter as it arrives in a URL (`?device=&name=&action=&country=&from=&to=&limit=
 * &cursor=`), checked and turned into the stats module's LogFilter. Shared by GET /api/log, the
 * live tail and the query-log page, so the three read the same parameters the same way. No Hono.
 */
import { isDeviceId } from '../devices/registry.js';
import { ACTIONS, type Action, type LogFilter } from '../stats/types.js';

/** What can be asked for: every action, and 'flagged' (entries the inspection marked). */
export const LOG_ACTIONS: readonly (Action | 'flagged')[] = [...ACTIONS, 'flagged'];

/** Most entries per page (the stats module's own cap). */
const MAX_LIMIT = 1000;

/** The filter, or the parameter that is wrong and why. */
export type FilterResult = { ok: true; filter: LogFilter } | { ok: false; field: string; message: string };

/** A time parameter: epoch milliseconds, or an ISO 8601 date/time (the page's datetime-local). */
function parseTime(v: string): number | undefined {
  if (/^\d{1,15}$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Reads the filter from query parameters; empty parameters are ignored (a form sends them all).
 *
 * @example parseLogFilter({ action: 'blocked', limit: '50' }) // { ok: true, filter: { action: 'blocked', limit: 50 } }
 */
export function parseLogFilter(q: Record<string, string | undefined>): FilterResult {
  const f: LogFilter = {};
  const bad = (field: string, message: string): FilterResult => ({ ok: false, field, message });
  const v = (k: string) => (q[k] ?? '').trim();
  if (v('device')) {
    const id = v('device').toLowerCase();
    if (!isDeviceId(id)) return bad('device', 'a device id (aa:bb:cc:dd:ee:ff, router or ip:ADDRESS)');
    f.deviceId = id;
  }
  if (v('name')) {
    if (v('name').length > 253) return bad('name', 'at most 253 characters');
    f.name = v('name');
  }
  if (v('action')) {
    if (!(LOG_ACTIONS as readonly string[]).includes(v('action'))) return bad('action', `one of ${LOG_ACTIONS.join(', ')}`);
    f.action = v('action') as Action | 'flagged';
  }
  if (v('country')) {
    if (!/^[a-z]{2}$/i.test(v('country'))) return bad('country', 'a two-letter country code (DE, US)');
    f.country = v('country').toUpperCase();
  }
  for (const k of ['from', 'to'] as const) {
    if (!v(k)) continue;
    const t = parseTime(v(k));
    if (t === undefined) return bad(k, 'epoch milliseconds or an ISO 8601 time');
    f[k] = t;
  }
  if (v('limit')) {
    const n = Number(v('limit'));
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) return bad('limit', `a whole number from 1 to ${MAX_LIMIT}`);
    f.limit = n;
  }
  if (v('cursor')) {
    if (!/^[\w.:-]{1,64}$/.test(v('cursor'))) return bad('cursor', 'the next value of the previous page');
    f.cursor = v('cursor');
  }
  return { ok: true, filter: f };
}

/** DNS type names the log shows (RFC 1035 §3.2.2, RFC 3596, RFC 9460); others as TYPE<n> (RFC 3597 §5). */
const QTYPES: Record<number, string> = { 1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY' };

/** "AAAA" for 28. */
export function qtypeName(n: number): string {
  return QTYPES[n] ?? `TYPE${n}`;
}
