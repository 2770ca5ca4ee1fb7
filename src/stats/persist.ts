/**
 * The statistics on flash, split so that what is rewritten every flush is small. A whole snapshot
 * (30 days of hours + a year of day cells) of a busy house is 0.83 MB: rewritten every 15 min
 * that was 80 MB a day against issue 7's 5 MB. Now, under --state:
 * - `stats/day-YYYY-MM-DD.json.gz`: one closed day's hours and day cells, written once when the
 *   day closes, deleted when retention has dropped the whole day (day-archive.ts);
 * - `stats.json.gz`: the per-domain summaries and names, written once a day and at start
 *   (snapshot.ts; the old whole snapshot, so an upgrade just loads it and archives its days);
 * - `stats/today.json.gz`: today's cells and the summary changes since, every flush (open-day.ts).
 * Each flush writes one file, two at the day's first (archive, then summary). Every write is
 * atomic, so a kill -9 at any point leaves a set that loads: archives win for their days, and the
 * open day is used only beside the summary it was taken from (else the summary is newer).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlashWriter } from '../store/flash.js';
import { archiveDay, archiveName, decodeArchive, encodeArchive, STATS_DIR, type Archive } from './day-archive.js';
import type { Domains, Pair } from './domains.js';
import { createHourly, type Hourly, type HourlyDump } from './hourly.js';
import { baseOf, decodeOpenDay, encodeOpenDay, type Base } from './open-day.js';
import { addCell, barePair } from './pair-cells.js';
import { encodeSnapshot, readSnapshot, SNAPSHOT_FILE, type KeepDay, type Summary } from './snapshot.js';

const DAY = 86_400_000;
/** The open day's file under the state directory. */
export const OPEN_DAY_FILE = `${STATS_DIR}/today.json.gz`;

/** What the files are loaded into and saved from (the live counts of stats.ts). */
export interface StatsFilesDeps {
  flash: FlashWriter;
  hourly: Hourly;
  domains: Domains;
  registrations: Map<string, string>;
  orgs: Map<string, string>;
  log: (level: 'warn', message: string) => void;
}

/** Loading and saving of the statistics files. */
export interface StatsFiles {
  /** Loads every file into the (empty) counts; returns the bytes read. */
  load(): number;
  /** Writes what this flush needs (archives of closed days, then the summary or the open day); returns the bytes written. */
  save(now: number): Promise<number>;
}

/** The statistics files of `deps.flash.dir`. */
export function createStatsFiles(deps: StatsFilesDeps): StatsFiles {
  const { flash, hourly, domains } = deps;
  /** Archived day → the house's queries that day when written. */
  const archived = new Map<number, number>();
  /** The summary the open day is taken from; null: write a summary at the next save. */
  let base: Base | null = null;
  /** savedAt of the last summary: it names the summary, so it must grow even if the clock does not. */
  let lastSavedAt = 0;
  const keep: KeepDay = (day) => !archived.has(day);

  function read<T>(name: string, decode: (b: Uint8Array) => T | null): [T | null, number] {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(flash.dir, name));
    } catch {
      return [null, 0]; // first start, or not written yet
    }
    const v = decode(bytes);
    if (v === null) deps.log('warn', `stats: ${name} is unreadable; ${name === SNAPSHOT_FILE ? 'starting with empty statistics' : 'skipped'}`);
    return [v, bytes.length];
  }

  function load(): number {
    let total = 0;
    const archives: Archive[] = [];
    for (const [day, name] of listArchives(flash.dir)) {
      const [a, n] = read(`${STATS_DIR}/${name}`, decodeArchive);
      total += n;
      if (a === null || a.day !== day) continue;
      archived.set(day, a.house);
      archives.push(a);
    }
    const [summary, n1] = read(SNAPSHOT_FILE, readSnapshot);
    const [open, n2] = read(OPEN_DAY_FILE, decodeOpenDay);
    const current = summary !== null && open !== null && open.base === summary.savedAt ? open : null;
    lastSavedAt = summary?.savedAt ?? 0;
    const pairs = new Map<string, [string, string, Pair]>();
    const order: (Pair | null)[] = [];
    for (const [, , p] of summary?.pairs ?? []) {
      if (current !== null) p.n = 0; // the open day holds newer cells of the same days
      else dropDays(p, keep);
      order.push(p);
    }
    const fresh = current?.apply(order, keep) ?? [];
    summary?.pairs.forEach((e, i) => order[i] !== null && pairs.set(`${e[0]}\t${e[1]}`, e));
    for (const e of fresh) pairs.set(`${e[0]}\t${e[1]}`, e);
    for (const a of archives) addArchive(a, pairs, summary === null);
    for (const a of archives) hourly.merge(a.hourly);
    const recent = current?.hourly ?? summary?.hourly;
    if (recent) hourly.merge(keptHours(recent, keep));
    for (const [device, domain, p] of pairs.values()) domains.put(device, domain, p);
    for (const x of [summary, current]) {
      for (const [k, v] of Object.entries(x?.registrations ?? {})) deps.registrations.set(k, v);
      for (const [k, v] of Object.entries(x?.orgs ?? {})) deps.orgs.set(k, v);
    }
    return total + n1 + n2;
  }

  async function save(now: number): Promise<number> {
    const today = Math.floor(now / DAY);
    const house = houseByDay(hourly);
    const days = cellDays(domains);
    for (const d of house.keys()) days.add(d);
    let bytes = 0;
    await mkdir(join(flash.dir, STATS_DIR), { recursive: true });
    for (const day of [...days].sort((a, b) => a - b)) {
      const h = house.get(day) ?? 0;
      // Rewritten only if the day grew (a clock stepped back): the 30-day window shrinks the
      // oldest day hour by hour, which must not rewrite its archive at every flush.
      if (day >= today || (archived.has(day) && archived.get(day)! >= h)) continue;
      const b = encodeArchive(day, h, hourly, domains);
      await flash.write(`${STATS_DIR}/${archiveName(day)}`, b);
      archived.set(day, h);
      bytes += b.length;
    }
    for (const day of archived.keys()) {
      if (days.has(day)) continue; // retention: nothing of that day is counted any more
      await flash.remove(`${STATS_DIR}/${archiveName(day)}`);
      archived.delete(day);
    }
    if (base === null || Math.floor(base.savedAt / DAY) !== today) {
      base = null; // a failed write is tried again at the next flush
      const savedAt = (lastSavedAt = Math.max(now, lastSavedAt + 1));
      const b = encodeSnapshot(hourly, domains, { registrations: Object.fromEntries(deps.registrations), orgs: Object.fromEntries(deps.orgs) }, savedAt, keep);
      await flash.write(SNAPSHOT_FILE, b);
      base = baseOf(domains, deps, savedAt);
      return bytes + b.length;
    }
    const b = encodeOpenDay(hourly, domains, deps, base, now, keep);
    await flash.write(OPEN_DAY_FILE, b);
    return bytes + b.length;
  }

  return { load, save };
}

/** Archive day → file name, oldest first. */
function listArchives(dir: string): [number, string][] {
  let names: string[];
  try {
    names = readdirSync(join(dir, STATS_DIR));
  } catch {
    return [];
  }
  return names.flatMap((n): [number, string][] => (archiveDay(n) === null ? [] : [[archiveDay(n)!, n]])).sort((a, b) => a[0] - b[0]);
}

/** Adds an archive's cells to their pairs; pairs unknown are skipped, or made from the cells when the summary was lost. */
function addArchive(a: Archive, pairs: Map<string, [string, string, Pair]>, isBare: boolean): void {
  for (const [device, domain, cell] of a.cells) {
    const key = `${device}\t${domain}`;
    let e = pairs.get(key);
    if (e === undefined && isBare) pairs.set(key, (e = [device, domain, barePair(a.day * DAY)]));
    if (e === undefined) continue; // dropped since (the 500-per-device bound)
    const p = e[2];
    addCell(p, a.day, cell.days[1], cell.days[2]);
    if (isBare) {
      p.count += cell.days[1];
      p.blocked += cell.days[2];
      p.first = Math.min(p.first, a.day * DAY);
      p.last = Math.max(p.last, a.day * DAY);
    }
  }
}

function dropDays(p: Pair, keep: KeepDay): void {
  let k = 0;
  for (let i = 0; i < p.n * 3; i += 3) if (keep(p.days[i])) p.days.copyWithin(k++ * 3, i, i + 3);
  p.n = k;
}

function keptHours(d: HourlyDump, keep: KeepDay): HourlyDump {
  const h = createHourly();
  h.merge(d);
  return h.dump((hour) => keep(Math.floor(hour / 24)));
}

function houseByDay(hourly: Hourly): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of hourly.series('house', '', { from: 0, to: Infinity })) {
    const day = Math.floor(p.hour / DAY);
    out.set(day, (out.get(day) ?? 0) + p.queries);
  }
  return out;
}

function cellDays(domains: Domains): Set<number> {
  const out = new Set<number>();
  for (const [, , p] of domains.pairs(null)) for (let i = 0; i < p.n * 3; i += 3) out.add(p.days[i]);
  return out;
}
