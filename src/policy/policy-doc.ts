/**
 * The household's policy document: what the owner set in the admin, kept as policy.json under
 * --state (flash; written only when the owner changes something). Plain data, validated here;
 * the engine compiles it.
 *
 * Layers, the most specific winning: household default → group ("kids", "TVs", "IoT") → device.
 * A device joins a group through its `policy` field in the device registry. Maps (catalogs,
 * sensitive, lists) merge per key, and a key beats `*` ("every catalog") at the same layer.
 * A schedule lays a partial spec over its layer during its window (e.g. `blockAll` at night).
 */

/** Telemetry entries of a catalog: block them, log what would be blocked (observe), or ignore. */
export type CatalogMode = 'block' | 'observe' | 'off';
/** Sensitive entries (carry personal content, a function may depend on them). */
export type SensitiveMode = 'block' | 'flag' | 'allow';
/** A subscribed list: block its names, observe them, or ignore it. */
export type ListMode = 'block' | 'observe' | 'off';
export type SafeSearchLevel = 'off' | 'moderate' | 'strict';

/** What one layer says; unset fields come from the layer above. */
export interface PolicySpec {
  catalogs?: Record<string, CatalogMode>;
  sensitive?: Record<string, SensitiveMode>;
  lists?: Record<string, ListMode>;
  /** Log what would be blocked, block nothing (try a policy before enforcing it). */
  observe?: boolean;
  /** Block every name but the allowed ones ("internet off", mostly from a schedule). */
  blockAll?: boolean;
  safeSearch?: SafeSearchLevel;
  /** NXDOMAIN for the DoH canaries so browsers and OSes keep using the router. */
  bypassGuard?: boolean;
  /** Block the public DoH/DoT resolvers' names. */
  blockDoh?: boolean;
  /** Where answers may land (docs/geo.md); a layer's list replaces the one above. */
  geo?: GeoRule[];
  /** How this layer's queries are logged: full, anonymous (guests: no device, MAC or IP), off. */
  logMode?: 'full' | 'anonymous' | 'off';
  schedules?: Schedule[];
}

/**
 * A geography rule: answers landing in one of `countries` (ISO 3166 alpha-2) or networks
 * (`asns`), or names registered in `registrantCountries` / by an organisation containing one of
 * `registrantOrgs`, are flagged (logged and highlighted), stripped of the offending addresses,
 * or blocked.
 */
export interface GeoRule {
  id: string;
  action: 'flag' | 'strip' | 'block';
  countries?: string[];
  asns?: number[];
  registrantCountries?: string[];
  registrantOrgs?: string[];
}

/** A spec laid over its layer on some days between two times (local time; `to` < `from` spans midnight). */
export interface Schedule {
  id: string;
  name?: string;
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  from: string;
  to: string;
  apply: Omit<PolicySpec, 'schedules'>;
}

export interface Group {
  id: string;
  name: string;
  spec: PolicySpec;
}

/** A custom rule (syntax in rules.ts) and where it applies. */
export interface Rule {
  id: string;
  text: string;
  /** 'household', 'group:<id>' or 'device:<id>'. */
  scope: string;
  enabled: boolean;
  comment?: string;
}

/** A subscribed list. */
export interface ListSource {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  /** Hours between update checks. */
  updateHours: number;
}

/** A name allowed for one device until a time ("this broke my TV"); subdomains included. */
export interface TemporaryAllow {
  device: string;
  name: string;
  until: number;
}

export interface PolicyDoc {
  version: 1;
  household: PolicySpec;
  groups: Group[];
  /** Per-device overrides, by device id. */
  devices: Record<string, PolicySpec>;
  rules: Rule[];
  lists: ListSource[];
  /** Paused until (epoch ms): 'household' or a device id. */
  pauses: Record<string, number>;
  allows: TemporaryAllow[];
}

/** The household default on first start: every catalog's telemetry blocked, sensitive flagged. */
export function defaultPolicyDoc(): PolicyDoc {
  return {
    version: 1,
    household: { catalogs: { '*': 'block' }, sensitive: { '*': 'flag' }, lists: { '*': 'block' }, observe: false, blockAll: false, safeSearch: 'off', bypassGuard: true, blockDoh: false, geo: [], logMode: 'full', schedules: [] },
    groups: [],
    devices: {},
    rules: [],
    lists: [],
    pauses: {},
    allows: [],
  };
}
