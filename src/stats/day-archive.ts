/**
 * One closed day on flash (`stats/day-YYYY-MM-DD.json.gz`, UTC): that day's hourly counts and
 * device × domain day cells, written once when the day closes and deleted when retention has
 * dropped all of it (30 days of hours, a year of day cells at most). Being immutable, the 30-365
 * days of history are never rewritten: the every-15-minutes file holds only the open day.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Domains, Pair } from './domains.js';
import type { Hourly, HourlyDump } from './hourly.js';
import { barePair, noCells, pushCells, pushPairName, readCells, type CellColumns, type PairNames } from './pair-cells.js';

const VERSION = 1;
const DAY = 86_400_000;
const NAME = /^day-(\d{4}-\d{2}-\d{2})\.json\.gz$/;

/** The folder of the archives and the open day, under the state directory. */
export const STATS_DIR = 'stats';

interface ArchiveFile extends CellColumns, PairNames {
  v: number;
  day: number;
  /** The house's queries that day when written: a later count for the day (a clock stepped back) rewrites it. */
  house: number;
  hourly: HourlyDump;
}

/** A decoded archive. */
export interface Archive {
  day: number;
  house: number;
  hourly: HourlyDump;
  /** Device, domain and one cell each ([day, queries, blocked] in a bare pair's days). */
  cells: [device: string, domain: string, pair: Pair][];
}

/** File name (under STATS_DIR) of day index `day` (days since the epoch, UTC). */
export function archiveName(day: number): string {
  return `day-${new Date(day * DAY).toISOString().slice(0, 10)}.json.gz`;
}

/** Day index of an archive's file name, or null if the name is not an archive's. */
export function archiveDay(name: string): number | null {
  const m = NAME.exec(name);
  return m === null ? null : Math.floor(Date.parse(`${m[1]}T00:00:00Z`) / DAY);
}

/** The bytes of day `day`'s archive. */
export function encodeArchive(day: number, house: number, hourly: Hourly, domains: Domains): Buffer {
  const a: ArchiveFile = { v: VERSION, day, house, hourly: hourly.dump((h) => Math.floor(h / 24) === day), devices: [], perDevice: [], names: [], ...noCells() };
  const only = (d: number) => d === day;
  for (const [device, name, p] of domains.pairs(null)) {
    if (!hasDay(p, day)) continue;
    pushPairName(a, device, name);
    pushCells(a, p, only);
  }
  return gzipSync(JSON.stringify(a), { level: 9 });
}

/** Reads an archive, or null if unreadable. */
export function decodeArchive(bytes: Uint8Array): Archive | null {
  try {
    const a = JSON.parse(gunzipSync(bytes).toString('utf8')) as ArchiveFile;
    if (a?.v !== VERSION || !a.hourly || !Array.isArray(a.devices)) return null;
    const cells: Archive['cells'] = [];
    let entry = 0;
    let at = 0;
    a.devices.forEach((device, k) => {
      for (let j = 0; j < a.perDevice[k]; j++, entry++) {
        const p = barePair(0);
        at = readCells(a, entry, at, p);
        cells.push([device, a.names[entry], p]);
      }
    });
    return { day: a.day, house: a.house, hourly: a.hourly, cells };
  } catch {
    return null;
  }
}

function hasDay(p: Pair, day: number): boolean {
  for (let i = p.n * 3 - 3; i >= 0 && p.days[i] >= day; i -= 3) if (p.days[i] === day) return true;
  return false;
}
