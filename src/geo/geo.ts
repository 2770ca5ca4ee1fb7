/**
 * IP → country and network owner (ASN, org) for the inspect stage: `createGeo` loads the
 * databases in the background, answers `lookup` synchronously from an LRU by IP text (a hit is a
 * Map lookup) or from the databases, and re-checks the files every 60 s. A changed file is
 * loaded and verified aside, then the whole set is swapped at once; a bad new file keeps the old
 * one and says why in `info()` and the log (house rule: bad data never replaces good).
 */
import { stat } from 'node:fs/promises';
import { log as processLog, logLimited, type Level } from '../log.js';
import { loadAsnCsv, csvFingerprint, type LoadedAsnTable } from './asn-source.js';
import { Lru } from './lru.js';
import { openMmdb, type MmdbDatabase } from './mmdb.js';
import { NO_GEO, parseIp, resolveIp, type GeoSet, type IpGeo } from './resolve-ip.js';
import type { GeoSources } from './sources.js';

export type { IpGeo } from './resolve-ip.js';

/** Options of createGeo; the paths are GeoSources (see sources.ts). */
export interface GeoOptions extends GeoSources {
  /** The --volatile directory, where the compiled ASN table is kept across restarts; null: none. */
  volatileDir?: string | null;
  /** Addresses remembered, default 4096 (~0.5 MB: one IP string and one small frozen object each). */
  cacheSize?: number;
  /** How often the files are re-checked (stat only), ms; default 60 000; 0: only on reload(). */
  pollMs?: number;
  /** Where warnings go; default the process log. */
  log?: (level: Level, message: string) => void;
}

/** The state of one database file. */
export interface GeoSourceInfo {
  path: string;
  role: 'country' | 'asn';
  /** Whether a version of the file is in use. */
  loaded: boolean;
  /** RAM it holds: the mmdb file, or the compiled ASN table. */
  bytes: number;
  /** What it is: mmdb type, layout and build date, or how the ASN table was obtained. */
  detail: string;
  /** Why the file on disk is not (or no longer) used; null when all is well. */
  error: string | null;
}

/** Counters and sources, for the admin page and metrics. */
export interface GeoInfo {
  sources: GeoSourceInfo[];
  lookups: number;
  cacheHits: number;
  cacheSize: number;
  /** Lookups where a database threw (corrupt file); the lookup went on without it. */
  lookupErrors: number;
  /** Loads that replaced a database / loads that failed. */
  swaps: number;
  failedLoads: number;
}

/** The geo lookup service. */
export interface Geo {
  /** Country, ASN and org of an address; NO_GEO (all null) for private, unknown or invalid text. Never throws. */
  lookup(ip: string): IpGeo;
  info(): GeoInfo;
  /** Re-checks every file now; resolves when any change is loaded (or refused). */
  reload(): Promise<GeoInfo>;
  /** Resolves once the first load is done (lookups before it answer from what is loaded: nothing). */
  ready: Promise<GeoInfo>;
  /** Stops polling and drops the databases. */
  close(): void;
}

interface Held {
  stamp: string; // size and mtime of the loaded version
  db: MmdbDatabase;
}

/**
 * Starts loading the databases and returns at once.
 *
 * @example
 * const geo = createGeo({ ...defaultGeoSources()!, volatileDir: '/tmp/telemute' });
 * await geo.ready;
 * geo.lookup('8.8.8.8'); // { country: 'US', asn: 15169, org: 'Google LLC' }
 */
export function createGeo(options: GeoOptions): Geo {
  const say = options.log ?? processLog;
  const csvPaths = options.asn.filter((p) => /\.csv$/i.test(p));
  const mmdbPaths = [...new Set([...options.country, ...options.asn.filter((p) => !/\.csv$/i.test(p))])];
  const cache = new Lru<IpGeo>(options.cacheSize ?? 4096);
  const held = new Map<string, Held>();
  const errors = new Map<string, string>(); // path -> why its current file is not used
  const failedStamp = new Map<string, string>(); // so a bad file is not re-read every poll
  let csv: LoadedAsnTable | null = null;
  let set: GeoSet = { country: [], asnTable: null, asn: [] };
  const n = { lookups: 0, cacheHits: 0, lookupErrors: 0, swaps: 0, failedLoads: 0 };
  let closed = false;

  const refuse = (key: string, stamp: string, message: string): void => {
    n.failedLoads++;
    errors.set(key, message);
    failedStamp.set(key, stamp);
    say('warn', `geo: ${message}${held.has(key) || (key === 'csv' && csv) ? '; keeping the previous version' : ''}`);
  };

  async function checkMmdb(path: string): Promise<boolean> {
    const st = await stat(path).catch((err: NodeJS.ErrnoException) => err);
    if (st instanceof Error) {
      errors.set(path, `${path}: ${st.code ?? st.message}`);
      return false;
    }
    const stamp = `${st.size}:${st.mtimeMs}`;
    if (held.get(path)?.stamp === stamp) errors.delete(path); // back after a blip (e.g. ENOENT mid-copy)
    if (held.get(path)?.stamp === stamp || failedStamp.get(path) === stamp) return false;
    try {
      const db = await openMmdb(path);
      const roles = [options.country.includes(path) && !db.schema.country && 'country', options.asn.includes(path) && !db.schema.asn && 'ASN'].filter(Boolean);
      if (roles.length > 0) throw new Error(`${path}: a '${db.schema.name}' database has no ${roles.join(' or ')} field`);
      held.set(path, { stamp, db });
      errors.delete(path);
      return true;
    } catch (err) {
      refuse(path, stamp, (err as Error).message);
      return false;
    }
  }

  async function checkCsv(): Promise<boolean> {
    if (csvPaths.length === 0) return false;
    const fp = await csvFingerprint(csvPaths).catch((err: Error) => err);
    if (fp instanceof Error) {
      errors.set('csv', `ASN CSV: ${fp.message}`);
      return false;
    }
    if (csv?.fingerprint === fp) errors.delete('csv');
    if (csv?.fingerprint === fp || failedStamp.get('csv') === fp) return false;
    try {
      csv = await loadAsnCsv(csvPaths, options.volatileDir ?? null);
      errors.delete('csv');
      say('info', `geo: ASN table ${csv.origin} in ${Math.round(csv.ms)} ms (${(csv.table.bytes / 1e6).toFixed(1)} MB)`);
      return true;
    } catch (err) {
      refuse('csv', fp, `ASN CSV: ${(err as Error).message}`);
      return false;
    }
  }

  async function check(): Promise<GeoInfo> {
    if (closed) return info();
    let changed = false;
    for (const p of mmdbPaths) if (await checkMmdb(p)) changed = true;
    if (await checkCsv()) changed = true;
    if (changed && !closed) {
      const dbs = (paths: string[]): MmdbDatabase[] => paths.flatMap((p) => held.get(p)?.db ?? []);
      set = { country: dbs(options.country), asnTable: csv?.table ?? null, asn: dbs(options.asn.filter((p) => !csvPaths.includes(p))) };
      cache.clear();
      n.swaps++;
    }
    return info();
  }

  let running: Promise<GeoInfo> = Promise.resolve(info());
  const reload = (): Promise<GeoInfo> => (running = running.then(check, check)); // one check at a time

  function info(): GeoInfo {
    const sources = [
      ...options.country.map((path) => sourceInfo(path, 'country')),
      ...options.asn.map((path) => (csvPaths.includes(path) ? csvInfo(path) : sourceInfo(path, 'asn'))),
    ];
    return { sources, ...n, cacheSize: cache.size };
  }

  function sourceInfo(path: string, role: 'country' | 'asn'): GeoSourceInfo {
    const db = held.get(path)?.db;
    const detail = db ? `${db.metadata.databaseType} (${db.schema.name}), built ${db.metadata.buildEpoch.toISOString().slice(0, 10)}` : '';
    return { path, role, loaded: !!db, bytes: db?.bytes ?? 0, detail, error: errors.get(path) ?? null };
  }

  function csvInfo(path: string): GeoSourceInfo {
    const detail = csv ? `ASN range table ${csv.origin} in ${Math.round(csv.ms)} ms, ${csv.fileBytes} bytes under --volatile` : '';
    const bytes = csv && path === csvPaths[0] ? csv.table.bytes : 0; // one table for all CSVs
    return { path, role: 'asn', loaded: !!csv, bytes, detail, error: errors.get('csv') ?? null };
  }

  const onError = (db: MmdbDatabase, err: Error): void => {
    n.lookupErrors++;
    logLimited('warn', `geo:${db.path}`, `geo: lookup in ${db.path} failed: ${err.message}`);
  };

  const ready = reload();
  const poll = options.pollMs ?? 60_000;
  const timer = poll > 0 ? setInterval(() => void reload(), poll) : null;
  timer?.unref(); // polling must never keep the process alive

  return {
    lookup(ip: string): IpGeo {
      n.lookups++;
      const hit = cache.get(ip);
      if (hit) {
        n.cacheHits++;
        return hit;
      }
      const parsed = parseIp(ip); // null for non-strings too
      if (!parsed) return NO_GEO; // not cached: junk text must not push real addresses out
      const geo = resolveIp(set, parsed, onError);
      cache.set(ip, geo);
      return geo;
    },
    info,
    reload,
    ready,
    close(): void {
      closed = true;
      if (timer) clearInterval(timer);
      held.clear();
      csv = null;
      set = { country: [], asnTable: null, asn: [] };
      cache.clear();
    },
  };
}
