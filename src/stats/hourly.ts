/**
 * Hourly counts (queries, blocked, flagged) per house, device, list source, country and ASN,
 * kept 30 days. A series is four parallel number arrays sorted by hour, so the current hour is
 * the last cell and counting is an increment. A 30-device house with ~100 keys holds ≈ 72 000
 * cells ≈ 2.3 MB of heap (4 arrays × 8 B per cell).
 */
import type { Counted, HourPoint, Period } from './types.js';

/** What a series counts by. 'house' has the single key ''. */
export type HourlyKind = 'house' | 'device' | 'source' | 'country' | 'asn';

const HOUR = 3_600_000;
/**
 * Keys per kind; later ones are counted as 'other'. Answers can name thousands of ASNs, and each
 * key may hold 720 cells (23 KB): 500 keys bound a kind to ≈ 11 MB at the very worst.
 */
export const MAX_KEYS = 500;
/** Hours kept: 30 days. */
export const HOURS_KEPT = 30 * 24;

interface Series {
  h: number[];
  q: number[];
  b: number[];
  f: number[];
}

/** The columnar form of the hourly counts (the snapshot's section): hours delta-coded per key. */
export interface HourlyDump {
  keys: string[];
  cells: number[];
  h: number[];
  q: number[];
  b: number[];
  f: number[];
}

/** Hourly counts; see the file comment. */
export interface Hourly {
  count(kind: HourlyKind, key: string, time: number, blocked: boolean, flagged: boolean, n?: number): void;
  /** One point per hour with counts in `period`, oldest first. */
  series(kind: HourlyKind, key: string, period: Period): HourPoint[];
  /** The `n` keys of `kind` with most queries in `period`. */
  top(kind: HourlyKind, period: Period, n: number): Counted[];
  /** Drops hours older than 30 days before `now`. */
  prune(now: number): void;
  /** Cells held (for sizes() and the metrics). */
  cells(): number;
  /** The columnar form; only hours (hour index, ms / 3 600 000) that `keep` accepts if given. */
  dump(keep?: (hour: number) => boolean): HourlyDump;
  load(d: HourlyDump): void;
  /** Adds a dump's counts to these (restart: day archives, then the open day). */
  merge(d: HourlyDump): void;
}

/** Empty hourly counts. */
export function createHourly(): Hourly {
  const all = new Map<string, Series>();
  const keysOf = new Map<HourlyKind, number>();

  function seriesFor(kind: HourlyKind, key: string): Series {
    let s = all.get(`${kind}\t${key}`);
    if (s !== undefined) return s;
    const n = keysOf.get(kind) ?? 0;
    if (n >= MAX_KEYS && key !== 'other') return seriesFor(kind, 'other');
    keysOf.set(kind, n + 1);
    all.set(`${kind}\t${key}`, (s = { h: [], q: [], b: [], f: [] }));
    return s;
  }

  function cellFor(s: Series, hour: number): number {
    let i = s.h.length - 1;
    if (i >= 0 && s.h[i] === hour) return i;
    while (i >= 0 && s.h[i] > hour) i--; // a late or back-stepped clock: rare, search backward
    if (i >= 0 && s.h[i] === hour) return i;
    s.h.splice(i + 1, 0, hour);
    s.q.splice(i + 1, 0, 0);
    s.b.splice(i + 1, 0, 0);
    s.f.splice(i + 1, 0, 0);
    return i + 1;
  }

  function sum(s: Series, p: Period): Counted & { cells: number } {
    const from = Math.floor(p.from / HOUR);
    const to = Math.ceil(p.to / HOUR);
    const c = { key: '', queries: 0, blocked: 0, flagged: 0, cells: 0 };
    for (let i = s.h.length - 1; i >= 0 && s.h[i] >= from; i--) {
      if (s.h[i] >= to) continue;
      c.queries += s.q[i];
      c.blocked += s.b[i];
      c.flagged += s.f[i];
      c.cells++;
    }
    return c;
  }

  return {
    count(kind, key, time, blocked, flagged, n = 1) {
      const s = seriesFor(kind, key);
      const i = cellFor(s, Math.floor(time / HOUR));
      s.q[i] += n;
      if (blocked) s.b[i] += n;
      if (flagged) s.f[i] += n;
    },
    series(kind, key, p) {
      const s = all.get(`${kind}\t${key}`);
      if (s === undefined) return [];
      const out: HourPoint[] = [];
      for (let i = 0; i < s.h.length; i++) {
        const hour = s.h[i] * HOUR;
        if (hour + HOUR > p.from && hour < p.to) out.push({ hour, queries: s.q[i], blocked: s.b[i], flagged: s.f[i] });
      }
      return out;
    },
    top(kind, p, n) {
      const prefix = `${kind}\t`;
      const out: Counted[] = [];
      for (const [id, s] of all) {
        if (!id.startsWith(prefix)) continue;
        const { cells, ...c } = sum(s, p);
        if (cells > 0) out.push({ ...c, key: id.slice(prefix.length) });
      }
      return out.sort((a, b) => b.queries - a.queries || (a.key < b.key ? -1 : 1)).slice(0, n);
    },
    prune(now) {
      const oldest = Math.floor(now / HOUR) - HOURS_KEPT;
      for (const [id, s] of all) {
        let k = 0;
        while (k < s.h.length && s.h[k] < oldest) k++;
        if (k === s.h.length) {
          all.delete(id);
          const kind = id.slice(0, id.indexOf('\t')) as HourlyKind;
          keysOf.set(kind, (keysOf.get(kind) ?? 1) - 1);
        }
        else if (k > 0) for (const a of [s.h, s.q, s.b, s.f]) a.splice(0, k);
      }
    },
    cells: () => {
      let n = 0;
      for (const s of all.values()) n += s.h.length;
      return n;
    },
    dump(keep) {
      const d: HourlyDump = { keys: [], cells: [], h: [], q: [], b: [], f: [] };
      for (const [id, s] of all) {
        let prev = 0;
        let n = 0;
        for (let i = 0; i < s.h.length; i++) {
          if (keep !== undefined && !keep(s.h[i])) continue;
          d.h.push(n === 0 ? s.h[i] : s.h[i] - prev);
          d.q.push(s.q[i]);
          d.b.push(s.b[i]);
          d.f.push(s.f[i]);
          prev = s.h[i];
          n++;
        }
        if (n === 0) continue; // a key with no hour kept is left out, not written empty
        d.keys.push(id);
        d.cells.push(n);
      }
      return d;
    },
    merge(d) {
      let at = 0;
      d.keys.forEach((id, k) => {
        const tab = id.indexOf('\t');
        const s = seriesFor(id.slice(0, tab) as HourlyKind, id.slice(tab + 1));
        for (let i = 0, h = 0; i < d.cells[k]; i++, at++) {
          h = i === 0 ? d.h[at] : h + d.h[at];
          const c = cellFor(s, h);
          s.q[c] += d.q[at];
          s.b[c] += d.b[at];
          s.f[c] += d.f[at];
        }
      });
    },
    load(d) {
      all.clear();
      keysOf.clear();
      let at = 0;
      d.keys.forEach((id, k) => {
        const n = d.cells[k];
        const s: Series = { h: [], q: d.q.slice(at, at + n), b: d.b.slice(at, at + n), f: d.f.slice(at, at + n) };
        for (let i = 0; i < n; i++) s.h.push(i === 0 ? d.h[at] : s.h[i - 1] + d.h[at + i]);
        all.set(id, s);
        const kind = id.slice(0, id.indexOf('\t')) as HourlyKind;
        keysOf.set(kind, (keysOf.get(kind) ?? 0) + 1);
        at += n;
      });
    },
  };
}
