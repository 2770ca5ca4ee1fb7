/**
 * telemute's settings: the embedded defaults, overridden by the UCI file, overridden by flags.
 * `loadSettings` reads and validates everything at startup and reports all errors at once; it
 * never throws for bad input (the caller prints the errors and exits with status 2).
 */
import { readFileSync } from 'node:fs';
import type { CliArgs } from './cli.js';
import { ConfigErrors } from './read-options.js';
import { readMainSection, type MainSettings } from './section-main.js';
import { readCacheSection, type CacheSettings } from './section-cache.js';
import { readDevicesSection, type DevicesSettings } from './section-devices.js';
import { readForwardSections, type ForwardSetting } from './section-forward.js';
import { readRecordSections, type RecordSetting } from './section-record.js';
import { readPolicySection, type PolicySettings } from './section-policy.js';
import { readGeoSection, type GeoSettings } from './section-geo.js';
import { readLogSection, type LogSettings } from './section-log.js';
import { UciSyntaxError, parseUci, type UciSection } from './uci.js';

export interface Settings extends MainSettings {
  cache: CacheSettings;
  devices: DevicesSettings;
  forwards: ForwardSetting[];
  records: RecordSetting[];
  policy: PolicySettings;
  geo: GeoSettings;
  log: LogSettings;
  /** The file the settings came from, or null for embedded defaults. */
  configFile: string | null;
}

export type LoadResult = { ok: true; settings: Settings } | { ok: false; errors: string[] };

/** Known section types; anything else is an error. */
const SECTION_TYPES = ['telemute', 'cache', 'devices', 'policy', 'geo', 'log', 'forward', 'record'];

/** Reads the config file (if any), applies the flags, validates. */
export function loadSettings(args: CliArgs, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): LoadResult {
  const file = args.config;
  const errors = new ConfigErrors(file ?? 'command line');
  let sections: UciSection[] = [];
  if (file !== null) {
    try {
      sections = parseUci(readFile(file));
    } catch (err) {
      if (err instanceof UciSyntaxError) errors.add(err.line, null, err.message);
      else errors.add(null, null, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return { ok: false, errors: errors.messages };
    }
  }
  for (const s of sections) {
    if (!SECTION_TYPES.includes(s.type)) errors.add(s.line, null, `unknown section 'config ${s.type}' (known: ${SECTION_TYPES.join(', ')})`);
  }
  const only = (type: string) => {
    const found = sections.filter((s) => s.type === type);
    if (found.length > 1) errors.add(found[1].line, null, `'config ${type}' may appear only once`);
    return found[0] ?? null;
  };
  const main = readMainSection(only('telemute'), args, errors);
  const cache = readCacheSection(only('cache'), errors);
  const devices = readDevicesSection(only('devices'), errors);
  const forwards = readForwardSections(sections.filter((s) => s.type === 'forward'), errors);
  const records = readRecordSections(sections.filter((s) => s.type === 'record'), errors);
  const policy = readPolicySection(only('policy'), errors, main.dnsmasqIntegration);
  const geo = readGeoSection(only('geo'), errors);
  const log = readLogSection(only('log'), errors);
  if (errors.messages.length > 0) return { ok: false, errors: errors.messages };
  return { ok: true, settings: { ...main, cache, devices, forwards, records, policy, geo, log, configFile: file } };
}
