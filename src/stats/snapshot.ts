/**
 * The statistics snapshot on flash (`stats.json.gz` under --state): gzip'd JSON, laid out in
 * columns (all counts of all cells in one array, times delta-coded) because gzip then finds the
 * repeats — a busy house (30 devices × 500 domains × 30 days, every cell present) measured
 * 0.83 MB against a 1 MB budget (test/stats/snapshot.test.ts). Written through FlashWriter (atomic rename, counted);
 * a missing or corrupt file loads as empty statistics, never an exception.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Domains, Pair } from './domains.js';
import type { Hourly, HourlyDump } from './hourly.js';

/** File name under the state directory. */
export const SNAPSHOT_FILE = 'stats.json.gz';
const VERSION = 1;
const MINUTE = 60_000;

/** The per-domain section, one array per field; pairs grouped by device. */
interface DomainsDump {
  devices: string[];
  perDevice: number[];
  names: string[];
  /** Minutes since the epoch; last as minutes after first. */
  first: number[];
  last: number[];
  count: number[];
  blocked: number[];
  flagged: number[];
  by: string[];
  countries: string[];
  asns: string[];
  ndays: number[];
  /** Day cells: day delta within the pair, queries, blocked (-1: all of them, the usual case for a blocked domain — saves ≈ 140 KB of 0.8 MB). */
  d: number[];
  dq: number[];
  db: number[];
}

/** Everything the snapshot holds besides the counts: names learnt at drain time. */
export interface SnapshotExtras {
  /** Registrable domain → registrant summary. */
  registrations: Record<string, string>;
  /** ASN → organisation. */
  orgs: Record<string, string>;
}

interface Snapshot extends SnapshotExtras {
  v: number;
  savedAt: number;
  hourly: HourlyDump;
  domains: DomainsDump;
}

/** The snapshot's bytes. */
export function encodeSnapshot(hourly: Hourly, domains: Domains, extras: SnapshotExtras, now: number): Buffer {
  const snap: Snapshot = { v: VERSION, savedAt: now, hourly: hourly.dump(), domains: dumpDomains(domains), ...extras };
  return gzipSync(JSON.stringify(snap), { level: 9 });
}

/** Loads a snapshot into empty `hourly` and `domains`; returns its extras, or null if unreadable. */
export function decodeSnapshot(bytes: Uint8Array, hourly: Hourly, domains: Domains): SnapshotExtras | null {
  let snap: Snapshot;
  try {
    snap = JSON.parse(gunzipSync(bytes).toString('utf8')) as Snapshot;
    if (snap?.v !== VERSION || !snap.hourly || !snap.domains) return null;
    hourly.load(snap.hourly);
    loadDomains(snap.domains, domains);
  } catch {
    return null;
  }
  return { registrations: snap.registrations ?? {}, orgs: snap.orgs ?? {} };
}

function dumpDomains(domains: Domains): DomainsDump {
  const d: DomainsDump = { devices: [], perDevice: [], names: [], first: [], last: [], count: [], blocked: [], flagged: [], by: [], countries: [], asns: [], ndays: [], d: [], dq: [], db: [] };
  for (const [device, name, p] of domains.pairs(null)) {
    if (d.devices[d.devices.length - 1] !== device) {
      d.devices.push(device);
      d.perDevice.push(0);
    }
    d.perDevice[d.perDevice.length - 1]++;
    d.names.push(name);
    const first = Math.floor(p.first / MINUTE);
    d.first.push(first);
    d.last.push(Math.floor(p.last / MINUTE) - first);
    d.count.push(p.count);
    d.blocked.push(p.blocked);
    d.flagged.push(p.flagged);
    d.by.push(Object.entries(p.by).map(([k, v]) => `${k}=${v}`).join('\n'));
    d.countries.push(p.countries.join(','));
    d.asns.push(p.asns.join(','));
    d.ndays.push(p.n);
    for (let i = 0; i < p.n; i++) {
      d.d.push(i === 0 ? p.days[0] : p.days[i * 3] - p.days[i * 3 - 3]);
      d.dq.push(p.days[i * 3 + 1]);
      d.db.push(p.days[i * 3 + 2] === p.days[i * 3 + 1] ? -1 : p.days[i * 3 + 2]);
    }
  }
  return d;
}

function loadDomains(d: DomainsDump, domains: Domains): void {
  let pair = 0;
  let cell = 0;
  d.devices.forEach((device, k) => {
    for (let j = 0; j < d.perDevice[k]; j++, pair++) {
      const n = d.ndays[pair];
      const days = new Uint32Array(Math.max(6, n * 3));
      for (let i = 0; i < n; i++, cell++) {
        days[i * 3] = i === 0 ? d.d[cell] : days[i * 3 - 3] + d.d[cell];
        days[i * 3 + 1] = d.dq[cell];
        days[i * 3 + 2] = d.db[cell] === -1 ? d.dq[cell] : d.db[cell];
      }
      const by: Record<string, number> = {};
      for (const kv of d.by[pair] === '' ? [] : d.by[pair].split('\n')) {
        const eq = kv.lastIndexOf('=');
        by[kv.slice(0, eq)] = Number(kv.slice(eq + 1));
      }
      const first = d.first[pair] * MINUTE;
      const p: Pair = {
        first,
        last: first + d.last[pair] * MINUTE,
        count: d.count[pair],
        blocked: d.blocked[pair],
        flagged: d.flagged[pair],
        by,
        countries: d.countries[pair] === '' ? [] : d.countries[pair].split(','),
        asns: d.asns[pair] === '' ? [] : d.asns[pair].split(',').map(Number),
        days,
        n,
      };
      domains.put(device, d.names[pair], p);
    }
  });
}
