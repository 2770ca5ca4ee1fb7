/**
 * Per device × registrable domain: a summary (first/last seen, counts, what blocked it, countries,
 * networks) kept one year after last seen, plus daily cells [day, queries, blocked] in one
 * Uint32Array per pair (12 B a cell). Bounds: the 500 busiest domains per device, and 500 000
 * day cells in all (450 000 cells measured 14.6 MiB of heap and 0.83 MB of snapshot): a 30-device house
 * with all 500 domains busy every day fills that in 33 days, after which the oldest days go first
 * and the summaries (first/last seen, totals) stay for the year.
 */
import { barePair, roomForCell } from './pair-cells.js';
import type { Counted, Period } from './types.js';

const DAY = 86_400_000;
/** Domains kept per device; pruned back to this when it passes PER_DEVICE × 1.1. */
export const PER_DEVICE = 500;
const YEAR_DAYS = 366;
/** Day cells kept in all: heap (14.6 MiB) and flash space (≈ 2.7 MB of archives and summary) decide it. */
export const MAX_CELLS = 500_000;
/** Most countries, networks and blocking sources kept per pair: a CDN can span dozens. */
const MAX_SET = 16;

/** One device × domain. */
export interface Pair {
  first: number;
  last: number;
  count: number;
  blocked: number;
  flagged: number;
  /** Blocking source (`catalog:xiaomi`) → queries it blocked. */
  by: Record<string, number>;
  countries: string[];
  asns: number[];
  /** Day cells: [day index, queries, blocked] × n, days ascending. */
  days: Uint32Array;
  n: number;
}

/** One observation of a device asking for a domain. */
export interface Seen {
  time: number;
  blocked: boolean;
  flagged: boolean;
  /** Source that decided (for blocked queries), '' when none. */
  source: string;
  countries: readonly string[];
  asns: readonly number[];
}

/** Per device × domain counts; see the file comment. */
export interface Domains {
  record(device: string, domain: string, seen: Seen, n?: number): void;
  /** The `n` domains with most queries in `period` (whole days), for one device or the house. */
  top(period: Period, n: number, device?: string): Counted[];
  /** Every pair of a device, or of every device when `device` is null. */
  pairs(device: string | null): Iterable<[device: string, domain: string, pair: Pair]>;
  /** Drops pairs unseen for a year, day cells past a year or past `maxCells`. */
  prune(now: number): void;
  cells(): number;
  /** Adds a pair as it was saved (snapshot load). */
  put(device: string, domain: string, p: Pair): void;
}

/** Empty per-domain counts bounded to `maxCells` day cells. */
export function createDomains(maxCells = MAX_CELLS): Domains {
  const byDevice = new Map<string, Map<string, Pair>>();
  let cells = 0;

  function cellFor(p: Pair, day: number): number {
    const last = (p.n - 1) * 3;
    if (p.n > 0 && p.days[last] === day) return last;
    if (p.n > 0 && p.days[last] > day) {
      for (let i = last; i >= 0; i -= 3) if (p.days[i] === day) return i;
      return -1; // an older day than the newest cell and not present: counted in the summary only
    }
    roomForCell(p);
    p.days[p.n * 3] = day;
    p.n++;
    cells++;
    return last + 3;
  }

  function limitDevice(map: Map<string, Pair>): void {
    if (map.size <= PER_DEVICE * 1.1) return; // amortised: sort once per 50 new domains
    const ranked = [...map].sort((a, b) => b[1].count - a[1].count || b[1].last - a[1].last);
    for (const [domain, p] of ranked.slice(PER_DEVICE)) {
      cells -= p.n;
      map.delete(domain);
    }
  }

  return {
    record(device, domain, s, n = 1) {
      let map = byDevice.get(device);
      if (map === undefined) byDevice.set(device, (map = new Map()));
      let p = map.get(domain);
      if (p === undefined) {
        p = barePair(s.time);
        map.set(domain, p);
      }
      p.first = Math.min(p.first, s.time);
      p.last = Math.max(p.last, s.time);
      p.count += n;
      if (s.flagged) p.flagged += n;
      for (const c of s.countries) if (c !== '' && p.countries.length < MAX_SET && !p.countries.includes(c)) p.countries.push(c);
      for (const a of s.asns) if (a !== 0 && p.asns.length < MAX_SET && !p.asns.includes(a)) p.asns.push(a);
      const at = cellFor(p, Math.floor(s.time / DAY));
      if (at >= 0) p.days[at + 1] += n;
      if (s.blocked) {
        p.blocked += n;
        if (at >= 0) p.days[at + 2] += n;
        const src = s.source === '' ? 'unknown' : s.source;
        if (src in p.by || Object.keys(p.by).length < MAX_SET) p.by[src] = (p.by[src] ?? 0) + n;
      }
      if (p.count === n) limitDevice(map);
    },
    top(period, n, device) {
      const from = Math.floor(period.from / DAY);
      const to = Math.ceil(period.to / DAY);
      const sums = new Map<string, Counted>();
      for (const [dev, map] of byDevice) {
        if (device !== undefined && dev !== device) continue;
        for (const [domain, p] of map) {
          for (let i = 0; i < p.n * 3; i += 3) {
            if (p.days[i] < from || p.days[i] >= to) continue;
            let c = sums.get(domain);
            if (c === undefined) sums.set(domain, (c = { key: domain, queries: 0, blocked: 0, flagged: 0 }));
            c.queries += p.days[i + 1];
            c.blocked += p.days[i + 2];
          }
        }
      }
      return [...sums.values()].sort((a, b) => b.queries - a.queries || (a.key < b.key ? -1 : 1)).slice(0, n);
    },
    *pairs(device) {
      for (const [dev, map] of byDevice) {
        if (device !== null && dev !== device) continue;
        for (const [domain, p] of map) yield [dev, domain, p];
      }
    },
    prune(now) {
      const today = Math.floor(now / DAY);
      let cutoff = today - YEAR_DAYS;
      if (cells > maxCells) cutoff = Math.max(cutoff, cutoffFor(byDevice, cells - Math.floor(maxCells * 0.95)));
      for (const [dev, map] of byDevice) {
        for (const [domain, p] of map) {
          if (p.last < now - YEAR_DAYS * DAY) {
            cells -= p.n;
            map.delete(domain);
            continue;
          }
          let k = 0;
          while (k < p.n && p.days[k * 3] < cutoff) k++;
          if (k === 0) continue;
          p.days.copyWithin(0, k * 3, p.n * 3);
          p.n -= k;
          cells -= k;
        }
        if (map.size === 0) byDevice.delete(dev);
      }
    },
    cells: () => cells,
    put(device, domain, p) {
      let map = byDevice.get(device);
      if (map === undefined) byDevice.set(device, (map = new Map()));
      cells += p.n - (map.get(domain)?.n ?? 0);
      map.set(domain, p);
    },
  };
}

/** The first day to keep so that at least `excess` of the oldest cells go. */
function cutoffFor(byDevice: Map<string, Map<string, Pair>>, excess: number): number {
  const perDay = new Map<number, number>();
  for (const map of byDevice.values()) for (const p of map.values()) for (let i = 0; i < p.n * 3; i += 3) perDay.set(p.days[i], (perDay.get(p.days[i]) ?? 0) + 1);
  let dropped = 0;
  for (const day of [...perDay.keys()].sort((a, b) => a - b)) {
    if (dropped >= excess) return day;
    dropped += perDay.get(day)!;
  }
  return Infinity;
}
