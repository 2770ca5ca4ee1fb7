/**
 * The cold half of the statistics, once a second: turns the captured batch into log entries and
 * counts. Geography and registrant summaries are looked up here (once per address and domain per
 * batch), never on the query path. Per-device log modes decide what identifies a device:
 * 'full' keeps it, 'anonymous' keeps the query but no id, MAC, name or IP (and counts it for the
 * house only), 'off' keeps no entry and no per-device or per-domain counts.
 */
import { wireStringToName } from '../dns/name.js';
import { displayName, type Device } from '../devices/registry.js';
import type { Batch } from './capture.js';
import type { Domains } from './domains.js';
import type { Hourly } from './hourly.js';
import { observe, type Histogram } from './metrics.js';
import { ACTIONS, type AnswerAddress, type Geo, type LogEntry, type LogMode } from './types.js';

/** Since-start counters for the metrics. */
export interface Counts {
  /** By action code (index into ACTIONS). */
  byAction: number[];
  flagged: number;
  /** Latency of queries an upstream answered. */
  latency: Histogram;
}

/** What the drain reads and fills. */
export interface DrainDeps {
  logMode: (deviceId: string | null) => LogMode;
  geoOf?: (ip: string) => Geo | null;
  registrationOf?: (domain: string) => string | null;
  registrableOf: (name: string) => string;
  hourly: Hourly;
  domains: Domains;
  counts: Counts;
  /** Registrable domain → registrant; ASN → organisation (kept for the report). */
  registrations: Map<string, string>;
  orgs: Map<string, string>;
}

const NO_GEO: Geo = { country: '', asn: 0, org: '' };
const BLOCKED = ACTIONS.indexOf('blocked');
const ANSWERED = ACTIONS.indexOf('answered');

/** The list source of a detail: the part before the second ':' (`catalog:xiaomi:*.mi.com` → `catalog:xiaomi`). */
export function sourceOf(detail: string): string {
  const first = detail.indexOf(':');
  if (first < 0) return '';
  const second = detail.indexOf(':', first + 1);
  return (second < 0 ? detail : detail.slice(0, second)).replace(/\n/g, ' ');
}

/** Default registrable domain: the last two labels (the injected one knows the public suffixes). */
export function lastTwoLabels(name: string): string {
  const last = name.lastIndexOf('.');
  if (last <= 0) return name;
  const before = name.lastIndexOf('.', last - 1);
  return before < 0 ? name : name.slice(before + 1);
}

/** Counts every query of the batch and returns the entries to log. */
export function drainBatch(b: Batch, deps: DrainDeps): LogEntry[] {
  const modes = new Map<Device | null, LogMode>();
  const geos = new Map<string, Geo>();
  const out: LogEntry[] = [];
  const modeOf = (d: Device | null): LogMode => {
    let m = modes.get(d);
    if (m === undefined) modes.set(d, (m = safe(() => deps.logMode(d === null ? null : d.id), 'anonymous')));
    return m;
  };
  const geoOf = (ip: string): Geo => {
    let g = geos.get(ip);
    if (g === undefined) geos.set(ip, (g = (deps.geoOf && safe(() => deps.geoOf!(ip), null)) || NO_GEO));
    return g;
  };
  for (let i = 0; i < b.length; i++) {
    const entry = one(b, i, deps, modeOf(b.device[i]), geoOf);
    if (entry !== null) out.push(entry);
  }
  return out;
}

function one(b: Batch, i: number, deps: DrainDeps, mode: LogMode, geoOf: (ip: string) => Geo): LogEntry | null {
  const code = b.action[i];
  const flag = b.flag[i];
  const blocked = code === BLOCKED;
  deps.counts.byAction[code]++;
  if (flag !== '') deps.counts.flagged++;
  if (code === ANSWERED) observe(deps.counts.latency, b.latency[i]);
  const dev = b.device[i];
  const name = wireStringToName(b.nameWire[i]);
  const facts = b.facts[i];
  const answers: AnswerAddress[] = facts === null ? [] : facts.addresses.map((ip) => ({ ip, ...geoOf(ip) }));
  const domain = safe(() => deps.registrableOf(name), name);
  const registration = registrationFor(domain, deps);
  const source = sourceOf(b.detail[i]);
  const time = b.time[i];
  const countries = [...new Set(answers.map((a) => a.country).filter((c) => c !== ''))];
  const asns = [...new Set(answers.map((a) => a.asn).filter((a) => a !== 0))];
  for (const a of answers) if (a.asn !== 0 && a.org !== '') deps.orgs.set(String(a.asn), a.org);

  const { hourly } = deps;
  const flagged = flag !== '';
  hourly.count('house', '', time, blocked, flagged);
  if (source !== '') hourly.count('source', source, time, blocked, flagged);
  for (const c of countries) hourly.count('country', c, time, blocked, flagged);
  for (const a of asns) hourly.count('asn', String(a), time, blocked, flagged);
  if (mode === 'off') return null;
  const deviceKey = mode === 'full' && dev !== null ? dev.id : '';
  hourly.count('device', deviceKey, time, blocked, flagged);
  deps.domains.record(deviceKey, domain, { time, blocked, flagged, source, countries, asns });

  const full = mode === 'full' && dev !== null;
  return {
    id: '',
    time,
    deviceId: deviceKey,
    mac: full ? (dev.mac ?? '') : '',
    deviceName: full ? displayName(dev) : '',
    client: mode === 'full' ? b.client[i] : '',
    name,
    qtype: b.qtype[i],
    rcode: b.rcode[i],
    action: ACTIONS[code],
    flag,
    detail: b.detail[i],
    upstream: b.upstream[i],
    latencyMs: b.latency[i],
    cnames: facts === null ? [] : facts.cnames,
    answers,
    registration,
  };
}

/** Registrant summary of a domain: remembered once known (the lookup is another helper's, async). */
function registrationFor(domain: string, deps: DrainDeps): string {
  const known = deps.registrations.get(domain);
  if (known !== undefined || deps.registrationOf === undefined) return known ?? '';
  const found = safe(() => deps.registrationOf!(domain), null);
  if (found) deps.registrations.set(domain, found);
  return found ?? '';
}

/** Injected lookups fail open: a throwing geo or registrant lookup leaves the field empty. */
function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
