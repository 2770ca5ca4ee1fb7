/**
 * The statistics summary on flash (`stats.json.gz` under --state): every device × domain summary
 * (first/last seen, totals, sources, countries, networks, a year), the registrant and network
 * names, and the hourly and day cells of the days not yet archived (normally only today's first
 * minutes: closed days live in `stats/day-*.json.gz`, see persist.ts). Gzip'd JSON in columns (all
 * counts in one array, times delta-coded) because gzip then finds the repeats. Written once a day
 * and at start; a full snapshot (every cell, the format before day archives) of a busy house
 * (30 devices × 500 domains × 30 days) measured 0.83 MB, its summary part alone see
 * test/stats/snapshot.test.ts. A missing or corrupt file loads as null, never an exception.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Domains, Pair } from './domains.js';
import type { Hourly, HourlyDump } from './hourly.js';
import { noCells, pushCells, pushPairName, readCells, type CellColumns, type PairNames } from './pair-cells.js';

/** File name under the state directory (the name and format of the whole snapshot before archives). */
export const SNAPSHOT_FILE = 'stats.json.gz';
const VERSION = 1;
export const MINUTE = 60_000;

/** The per-domain section, one array per field; pairs grouped by device. */
export interface DomainsDump extends CellColumns, PairNames {
  /** Minutes since the epoch; last as minutes after first. */
  first: number[];
  last: number[];
  count: number[];
  blocked: number[];
  flagged: number[];
  by: string[];
  countries: string[];
  asns: string[];
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

/** A decoded summary: pairs with the cells it held, in file order (the open day refers to it by index). */
export interface Summary extends SnapshotExtras {
  savedAt: number;
  hourly: HourlyDump;
  pairs: [device: string, domain: string, pair: Pair][];
}

/** Which days' cells (and hours) a file holds; every day if absent. */
export type KeepDay = (day: number) => boolean;

/** The summary's bytes: every pair, and the cells of the days `keep` accepts. */
export function encodeSnapshot(hourly: Hourly, domains: Domains, extras: SnapshotExtras, now: number, keep?: KeepDay): Buffer {
  const snap: Snapshot = { v: VERSION, savedAt: now, hourly: hourly.dump(keep && ((h) => keep(Math.floor(h / 24)))), domains: dumpPairs(domains.pairs(null), keep), ...extras };
  return gzipSync(JSON.stringify(snap), { level: 9 });
}

/** Reads a summary, or null if unreadable. */
export function readSnapshot(bytes: Uint8Array): Summary | null {
  try {
    const snap = JSON.parse(gunzipSync(bytes).toString('utf8')) as Snapshot;
    if (snap?.v !== VERSION || !snap.hourly || !snap.domains) return null;
    return { savedAt: snap.savedAt ?? 0, hourly: snap.hourly, pairs: loadPairs(snap.domains), registrations: snap.registrations ?? {}, orgs: snap.orgs ?? {} };
  } catch {
    return null;
  }
}

/** Loads a whole snapshot into empty `hourly` and `domains`; returns its extras, or null if unreadable. */
export function decodeSnapshot(bytes: Uint8Array, hourly: Hourly, domains: Domains): SnapshotExtras | null {
  const s = readSnapshot(bytes);
  if (s === null) return null;
  hourly.load(s.hourly);
  for (const [device, domain, p] of s.pairs) domains.put(device, domain, p);
  return { registrations: s.registrations, orgs: s.orgs };
}

/** Pairs (grouped by device, as Domains yields them) in columns. */
export function dumpPairs(pairs: Iterable<[string, string, Pair]>, keep?: KeepDay): DomainsDump {
  const d: DomainsDump = { devices: [], perDevice: [], names: [], first: [], last: [], count: [], blocked: [], flagged: [], by: [], countries: [], asns: [], ...noCells() };
  for (const [device, name, p] of pairs) {
    pushPairName(d, device, name);
    const first = Math.floor(p.first / MINUTE);
    d.first.push(first);
    d.last.push(Math.floor(p.last / MINUTE) - first);
    d.count.push(p.count);
    d.blocked.push(p.blocked);
    d.flagged.push(p.flagged);
    d.by.push(byText(p.by));
    d.countries.push(p.countries.join(','));
    d.asns.push(p.asns.join(','));
    pushCells(d, p, keep);
  }
  return d;
}

function loadPairs(d: DomainsDump): [string, string, Pair][] {
  const out: [string, string, Pair][] = [];
  let pair = 0;
  let cell = 0;
  d.devices.forEach((device, k) => {
    for (let j = 0; j < d.perDevice[k]; j++, pair++) {
      const first = d.first[pair] * MINUTE;
      const p: Pair = { first, last: first + d.last[pair] * MINUTE, count: d.count[pair], blocked: d.blocked[pair], flagged: d.flagged[pair], by: byRecord(d.by[pair]), countries: list(d.countries[pair]), asns: list(d.asns[pair]).map(Number), days: new Uint32Array(Math.max(6, d.ndays[pair] * 3)), n: 0 };
      cell = readCells(d, pair, cell, p);
      out.push([device, d.names[pair], p]);
    }
  });
  return out;
}

/** `source=count` lines. */
export const byText = (by: Record<string, number>): string => Object.entries(by).map(([k, v]) => `${k}=${v}`).join('\n');

export function byRecord(text: string): Record<string, number> {
  const by: Record<string, number> = {};
  for (const kv of text === '' ? [] : text.split('\n')) {
    const eq = kv.lastIndexOf('=');
    by[kv.slice(0, eq)] = Number(kv.slice(eq + 1));
  }
  return by;
}

export const list = (text: string): string[] => (text === '' ? [] : text.split(','));
