/**
 * Starts geography: the IP databases (country, network owner) and, when the owner turned it on,
 * domain registration lookups. Nothing is downloaded or looked up unless configured: the npm
 * packages' DB-IP Lite files serve `npm start` and the tests; on the router the owner points at
 * files or sets update_url. Registration results reach flash once a day (a reboot empties /tmp).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { wireStringToName } from '../dns/name.js';
import { log } from '../log.js';
import type { FlashWriter } from '../store/flash.js';
import type { VolatileStore } from '../store/volatile.js';
import { downloadMmdb } from './download.js';
import { createGeo, type Geo } from './geo.js';
import type { AddressGeo, RegistrationFacts } from './geo-policy.js';
import { NO_GEO } from './resolve-ip.js';
import { createRegistrations, registrableDomain, summary, type Registrations } from './registration/index.js';
import { defaultGeoSources } from './sources.js';
import type { GeoRouteDeps } from '../web/routes/geo-routes.js';

export interface GeoPart {
  geo: Geo | null;
  registrations: Registrations | null;
  lookup(ip: string): AddressGeo;
  /** The registration facts of a wire name's domain: known, null (none), or 'pending'. */
  registrationOf(nameWire: string): RegistrationFacts | null | 'pending';
  /** One-line registration summary of a presentation name's domain, for the log; null if unknown. */
  summaryOf(domain: string): string | null;
  /** Whether registration lookups are on now (the config's option, or the owner's switch). */
  isRegistrationOn(): boolean;
  /** The owner's one-click switch (admin): applied at once and kept on flash. */
  setRegistration(on: boolean): Promise<void>;
  /** What the query log keeps of an address ('' and 0 for unknown), null when geo knows nothing. */
  logGeoOf(ip: string): { country: string; asn: number; org: string } | null;
  /** What the admin's /api/geo routes need. */
  routes(log: GeoRouteDeps['log']): GeoRouteDeps;
  stop(): Promise<void>;
}

const REGISTRATIONS_FILE = 'registrations.bin';
/** The owner's switch from the admin, which wins over the config's `registration` option. */
const SWITCH_FILE = 'registration.json';
const DAY = 86_400_000;

/** Builds and starts geography from the settings. */
export function startGeo(settings: Settings, parts: { volatile: VolatileStore | null; flash: FlashWriter }): GeoPart {
  const g = settings.geo;
  const defaults = g.countryDbs === null || g.asnDbs === null ? defaultGeoSources() : null;
  const country = g.countryDbs ?? defaults?.country ?? [];
  const asn = g.asnDbs ?? defaults?.asn ?? [];
  const geo = g.enabled && country.length + asn.length > 0 ? createGeo({ country, asn, volatileDir: settings.volatileDir, log }) : null;
  if (geo) log('info', `geo: ${[...country, ...asn].length} database(s); IP geolocation by DB-IP (CC BY 4.0) when their files are used`);
  const timers: NodeJS.Timeout[] = [];
  if (geo && g.updateUrl && g.updateDir) timers.push(scheduleDownloads(g.updateUrl, g.updateDir, geo));

  let isOn = readSwitch(parts.flash.dir) ?? g.registration;
  const registrations = g.enabled && parts.volatile ? createRegistrations({ enabled: isOn, whois: g.whois, bootstrapUrl: g.bootstrapUrl, store: parts.volatile, log }) : null;
  if (registrations) {
    try {
      registrations.importAll(readFileSync(join(parts.flash.dir, REGISTRATIONS_FILE)));
    } catch {
      // first start, or nothing kept yet
    }
    const keep = () => parts.flash.write(REGISTRATIONS_FILE, registrations.exportAll()).catch((err: Error) => log('warn', `registrations not kept: ${err.message}`));
    const t = setInterval(() => void (isOn && keep()), DAY);
    t.unref();
    timers.push(t);
  }

  const part: GeoPart = {
    geo,
    registrations,
    lookup: (ip) => (geo ? geo.lookup(ip) : NO_GEO),
    registrationOf(nameWire) {
      if (!registrations) return null;
      // get() finds the registrable domain itself: on the per-query hit path, one tldts parse.
      const name = wireStringToName(nameWire);
      const r = registrations.get(name);
      if (r === null) return isOn && registrableDomain(name) !== null ? 'pending' : null;
      return r.registrant ? { country: r.registrant.country, org: r.registrant.org } : null;
    },
    summaryOf(domain) {
      const r = registrations?.get(domain) ?? null;
      return r ? summary(r) : null;
    },
    isRegistrationOn: () => registrations !== null && isOn,
    logGeoOf(ip) {
      const a = part.lookup(ip);
      return a.country === null && a.asn === null ? null : { country: a.country ?? '', asn: a.asn ?? 0, org: a.org ?? '' };
    },
    routes(routeLog) {
      return {
        lookup: part.lookup,
        info: () => geo?.info() ?? null,
        registrableOf: registrableDomain,
        registration: registrations ? (d) => registrations.lookup(d) : null,
        isRegistrationOn: part.isRegistrationOn,
        setRegistration: registrations ? (on) => part.setRegistration(on) : undefined,
        log: routeLog,
      };
    },
    async setRegistration(on) {
      if (!registrations) throw new Error('registration lookups need geo and the volatile store');
      isOn = on;
      registrations.setEnabled(on);
      await parts.flash.write(SWITCH_FILE, JSON.stringify({ enabled: on }));
      log('info', `geo: registration lookups turned ${on ? 'on' : 'off'} by the owner`);
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      if (registrations && isOn) await parts.flash.write(REGISTRATIONS_FILE, registrations.exportAll()).catch(() => undefined);
      registrations?.stop();
      geo?.close();
    },
  };
  return part;
}

/** The owner's switch kept on flash, or null when the owner never used it. */
function readSwitch(dir: string): boolean | null {
  try {
    const v = JSON.parse(readFileSync(join(dir, SWITCH_FILE), 'utf8')) as { enabled?: unknown };
    return typeof v.enabled === 'boolean' ? v.enabled : null;
  } catch {
    return null;
  }
}

/** Downloads the configured database now and every 30 days; swaps it in when it verifies. */
function scheduleDownloads(url: string, dir: string, geo: Geo): NodeJS.Timeout {
  const run = async () => {
    const r = await downloadMmdb({ url, dir });
    if (r.ok) {
      log('info', `geo: downloaded ${r.path} (${r.bytes} bytes, ${r.databaseType})`);
      await geo.reload();
    } else log('warn', `geo: download from ${url.replace(/license_key=[^&]+/i, 'license_key=…')} failed: ${r.error}; keeping the current files`);
  };
  setTimeout(() => void run(), 60_000).unref(); // after start: the WAN may not be up yet
  const t = setInterval(() => void run(), 30 * DAY);
  t.unref();
  return t;
}
