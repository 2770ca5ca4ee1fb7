/**
 * Day cells of one device × domain pair in the columnar files (summary, open day, day archives):
 * per pair a count, then per cell the day (delta from the previous cell), queries and blocked
 * (-1 when all were blocked, the usual case for a blocked domain: saves ≈ 140 KB of 0.8 MB).
 */
import type { Pair } from './domains.js';

/** The cell columns of a file section. */
export interface CellColumns {
  ndays: number[];
  d: number[];
  dq: number[];
  db: number[];
}

/** The pair columns of a file section: pairs grouped by device, `perDevice` of them each. */
export interface PairNames {
  devices: string[];
  perDevice: number[];
  names: string[];
}

/** Appends a pair's device (when it starts a new group) and domain name (pairs come grouped by device). */
export function pushPairName(c: PairNames, device: string, name: string): void {
  if (c.devices.length === 0 || c.devices[c.devices.length - 1] !== device) {
    c.devices.push(device);
    c.perDevice.push(0);
  }
  c.perDevice[c.perDevice.length - 1]++;
  c.names.push(name);
}

/** Empty cell columns. */
export const noCells = (): CellColumns => ({ ndays: [], d: [], dq: [], db: [] });

/** Appends `p`'s cells whose day `keep` accepts (all if no `keep`); returns their queries and blocked. */
export function pushCells(c: CellColumns, p: Pair, keep?: (day: number) => boolean): [queries: number, blocked: number] {
  let n = 0;
  let prev = 0;
  let q = 0;
  let b = 0;
  for (let i = 0; i < p.n * 3; i += 3) {
    const day = p.days[i];
    if (keep !== undefined && !keep(day)) continue;
    c.d.push(n === 0 ? day : day - prev);
    c.dq.push(p.days[i + 1]);
    c.db.push(p.days[i + 2] === p.days[i + 1] ? -1 : p.days[i + 2]);
    q += p.days[i + 1];
    b += p.days[i + 2];
    prev = day;
    n++;
  }
  c.ndays.push(n);
  return [q, b];
}

/**
 * Adds the cells of entry `entry`, starting at cell `at`, to `p` (those whose day `keep` accepts);
 * returns the next entry's first cell.
 */
export function readCells(c: CellColumns, entry: number, at: number, p: Pair | null, keep?: (day: number) => boolean): number {
  let day = 0;
  for (let i = 0; i < c.ndays[entry]; i++, at++) {
    day = i === 0 ? c.d[at] : day + c.d[at];
    if (p !== null && (keep === undefined || keep(day))) addCell(p, day, c.dq[at], c.db[at] === -1 ? c.dq[at] : c.db[at]);
  }
  return at;
}

/** Adds counts to `p`'s cell of `day`, making it (days stay ascending; files load oldest first). */
export function addCell(p: Pair, day: number, queries: number, blocked: number): void {
  let i = p.n * 3 - 3;
  while (i >= 0 && p.days[i] > day) i -= 3;
  if (i < 0 || p.days[i] !== day) {
    roomForCell(p);
    i += 3;
    p.days.copyWithin(i + 3, i, p.n * 3);
    p.days.set([day, 0, 0], i);
    p.n++;
  }
  p.days[i + 1] += queries;
  p.days[i + 2] += blocked;
}

/** Doubles `p.days` when it has no room for one more cell. */
export function roomForCell(p: Pair): void {
  if (p.n * 3 < p.days.length) return;
  const grown = new Uint32Array(Math.max(6, p.days.length * 2));
  grown.set(p.days);
  p.days = grown;
}

/** A pair known only from its cells (its summary was lost): first and last seen at day starts. */
export function barePair(time: number): Pair {
  return { first: time, last: time, count: 0, blocked: 0, flagged: 0, by: {}, countries: [], asns: [], days: new Uint32Array(6), n: 0 };
}
