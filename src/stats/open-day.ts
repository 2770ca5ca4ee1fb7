/**
 * The open day on flash (`stats/today.json.gz`), rewritten every flush: the hourly and day cells
 * of days not yet archived (today), and what changed in the per-domain summaries since the last
 * summary (`stats.json.gz`, written once a day) — a pair of that summary by its index, with
 * differences (usually small numbers and empty strings that gzip folds away), new pairs in full.
 * It names its summary by `savedAt`; beside a different summary (newer: it already holds these
 * changes) its summary part is ignored. See persist.ts.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Domains, Pair } from './domains.js';
import type { Hourly, HourlyDump } from './hourly.js';
import { barePair, noCells, pushCells, pushPairName, readCells } from './pair-cells.js';
import { byRecord, byText, list, MINUTE, type DomainsDump, type KeepDay, type SnapshotExtras } from './snapshot.js';

const VERSION = 1;

/** A pair's summary as the last written summary holds it. */
export interface BaseRec extends Pick<Pair, 'first' | 'last' | 'count' | 'blocked' | 'flagged' | 'by'> {
  /** Index of the pair in the summary. */
  i: number;
  /** How many countries and networks it had. */
  nc: number;
  na: number;
}

/** The last written summary, as the open day's differences are taken from it. */
export interface Base {
  savedAt: number;
  recs: Map<Pair, BaseRec>;
  registrations: Map<string, string>;
  orgs: Map<string, string>;
}

/**
 * The summary's columns, coded as push writes them: for the first `gap.length` entries, first as
 * minutes earlier than the summary's and counts as differences; last always as minutes before the
 * save; devices, perDevice and names cover only the new pairs.
 */
interface OpenDayFile extends DomainsDump, SnapshotExtras {
  v: number;
  savedAt: number;
  /** savedAt of the summary the differences are from. */
  base: number;
  hourly: HourlyDump;
  /** Summary index of the first `gap.length` entries, delta-coded; the rest are new pairs. */
  gap: number[];
  /** Summary indexes of pairs dropped since (the 500-per-device bound). */
  removed: number[];
}

/** The base as `domains` and the name maps stand now (just after writing the summary). */
export function baseOf(domains: Domains, extras: { registrations: Map<string, string>; orgs: Map<string, string> }, savedAt: number): Base {
  const recs = new Map<Pair, BaseRec>();
  let i = 0;
  for (const [, , p] of domains.pairs(null)) recs.set(p, { i: i++, first: p.first, last: p.last, count: p.count, blocked: p.blocked, flagged: p.flagged, by: { ...p.by }, nc: p.countries.length, na: p.asns.length });
  return { savedAt, recs, registrations: new Map(extras.registrations), orgs: new Map(extras.orgs) };
}

/** The open day's bytes: cells of the days `keep` accepts, summary changes since `base`. */
export function encodeOpenDay(hourly: Hourly, domains: Domains, extras: { registrations: Map<string, string>; orgs: Map<string, string> }, base: Base, now: number, keep: KeepDay): Buffer {
  const f: OpenDayFile = { v: VERSION, savedAt: now, base: base.savedAt, hourly: hourly.dump((h) => keep(Math.floor(h / 24))), gap: [], devices: [], perDevice: [], names: [], first: [], last: [], count: [], blocked: [], flagged: [], by: [], countries: [], asns: [], removed: [], ...noCells(), registrations: changed(extras.registrations, base.registrations), orgs: changed(extras.orgs, base.orgs) };
  const fresh: [string, string, Pair][] = [];
  const old: [BaseRec, Pair][] = [];
  const present = new Set<BaseRec>();
  for (const [device, name, p] of domains.pairs(null)) {
    const r = base.recs.get(p);
    if (r === undefined) fresh.push([device, name, p]);
    else if ((present.add(r), isChanged(p, r) || hasKept(p, keep))) old.push([r, p]);
  }
  for (const r of base.recs.values()) if (!present.has(r)) f.removed.push(r.i);
  old.sort((a, b) => a[0].i - b[0].i);
  let prev = 0;
  for (const [r, p] of old) {
    f.gap.push(r.i - prev);
    prev = r.i;
    const by = Object.entries(p.by).filter(([k, v]) => v !== (r.by[k] ?? 0)).map(([k, v]) => [k, v - (r.by[k] ?? 0)] as const);
    push(f, p, r, minutes(r.first) - minutes(p.first), keep, by);
    f.countries[f.countries.length - 1] = p.countries.length === r.nc ? '' : p.countries.join(',');
    f.asns[f.asns.length - 1] = p.asns.length === r.na ? '' : p.asns.join(',');
  }
  for (const [device, name, p] of fresh) {
    pushPairName(f, device, name);
    push(f, p, null, minutes(p.first), keep, Object.entries(p.by));
  }
  return gzipSync(JSON.stringify(f), { level: 9 });
}

/** A decoded open day, applied to its summary's pairs by `apply`. */
export interface OpenDay extends SnapshotExtras {
  savedAt: number;
  base: number;
  hourly: HourlyDump;
  /** Applies the differences to the summary's pairs (by index) and returns the new pairs; cells only of days `keep` accepts. */
  apply(summary: (Pair | null)[], keep: KeepDay): [string, string, Pair][];
}

/** Reads an open day, or null if unreadable. */
export function decodeOpenDay(bytes: Uint8Array): OpenDay | null {
  let f: OpenDayFile;
  try {
    f = JSON.parse(gunzipSync(bytes).toString('utf8')) as OpenDayFile;
    if (f?.v !== VERSION || !f.hourly || !Array.isArray(f.gap)) return null;
  } catch {
    return null;
  }
  return { savedAt: f.savedAt, base: f.base, hourly: f.hourly, registrations: f.registrations ?? {}, orgs: f.orgs ?? {}, apply: (summary, keep) => applyOpenDay(f, summary, keep) };
}

function applyOpenDay(f: OpenDayFile, summary: (Pair | null)[], keep: KeepDay): [string, string, Pair][] {
  let at = 0;
  let i = 0;
  for (let e = 0; e < f.gap.length; e++) {
    i += f.gap[e];
    const p = summary[i] ?? null;
    const [q, b] = sums(f, e, at);
    if (p !== null) {
      p.first -= f.first[e] * MINUTE;
      p.last = Math.max(p.last, (minutes(f.savedAt) - f.last[e]) * MINUTE);
      p.count += f.count[e] + q;
      p.blocked += f.blocked[e] + b;
      p.flagged += f.flagged[e];
      for (const [k, v] of Object.entries(byOf(f, e, b))) p.by[k] = (p.by[k] ?? 0) + v;
      if (f.countries[e] !== '') p.countries = list(f.countries[e]);
      if (f.asns[e] !== '') p.asns = list(f.asns[e]).map(Number);
    }
    at = readCells(f, e, at, p, keep);
  }
  for (const r of f.removed) summary[r] = null;
  const fresh: [string, string, Pair][] = [];
  let e = f.gap.length;
  f.devices.forEach((device, k) => {
    for (let j = 0; j < f.perDevice[k]; j++, e++) {
      const [q, b] = sums(f, e, at);
      const p = { ...barePair(f.first[e] * MINUTE), last: (minutes(f.savedAt) - f.last[e]) * MINUTE, count: f.count[e] + q, blocked: f.blocked[e] + b, flagged: f.flagged[e], by: byOf(f, e, b), countries: list(f.countries[e]), asns: list(f.asns[e]).map(Number) };
      at = readCells(f, e, at, p, keep);
      fresh.push([device, f.names[e], p]);
    }
  });
  return fresh;
}

/**
 * One entry. Counts are written less the entry's cells (today's queries, usually all of the
 * difference) and last seen as minutes before the save, so the common values are 0 and small:
 * on the busy house this took the largest open day from 73 KB to ≈ 45 KB.
 */
function push(f: OpenDayFile, p: Pair, r: BaseRec | null, first: number, keep: KeepDay, by: (readonly [string, number])[]): void {
  const [q, b] = pushCells(f, p, keep);
  const blocked = p.blocked - (r?.blocked ?? 0);
  f.first.push(first);
  f.last.push(minutes(f.savedAt) - minutes(p.last));
  f.count.push(p.count - (r?.count ?? 0) - q);
  f.blocked.push(blocked - b);
  f.flagged.push(p.flagged - (r?.flagged ?? 0));
  // One source that blocked all of them (the usual case) is written as its name alone.
  f.by.push(by.length === 1 && by[0][1] === blocked && !by[0][0].includes('=') ? by[0][0] : byText(Object.fromEntries(by)));
  f.countries.push(p.countries.join(','));
  f.asns.push(p.asns.join(','));
}

const minutes = (t: number) => Math.floor(t / MINUTE);

/** Queries and blocked of entry `e`'s cells, which start at cell `at`. */
function sums(f: OpenDayFile, e: number, at: number): [number, number] {
  let q = 0;
  let b = 0;
  for (let i = at; i < at + f.ndays[e]; i++) (q += f.dq[i]), (b += f.db[i] === -1 ? f.dq[i] : f.db[i]);
  return [q, b];
}

function byOf(f: OpenDayFile, e: number, cellsBlocked: number): Record<string, number> {
  const text = f.by[e];
  return text === '' || text.includes('=') ? byRecord(text) : { [text]: f.blocked[e] + cellsBlocked };
}
const isChanged = (p: Pair, r: BaseRec) => p.count !== r.count || p.blocked !== r.blocked || p.flagged !== r.flagged || p.first !== r.first || p.last !== r.last || p.countries.length !== r.nc || p.asns.length !== r.na;

function hasKept(p: Pair, keep: KeepDay): boolean {
  for (let i = p.n * 3 - 3; i >= 0; i -= 3) if (keep(p.days[i])) return true;
  return false;
}

function changed(now: Map<string, string>, base: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of now) if (base.get(k) !== v) out[k] = v;
  return out;
}
