/**
 * Checks policy data from the admin API and from policy.json, naming the bad field
 * (`groups[1].spec.catalogs.xiaomi: must be block, observe or off`). Never throws: a bad file
 * on flash or a bad form field gets a message and changes nothing.
 */
import { isDeviceId } from '../devices/registry.js';
import type { Group, ListSource, PolicyDoc, PolicySpec, Rule, Schedule, TemporaryAllow } from './policy-doc.js';

/** What ids exist, for cross-checks (a rule scoped to a group that does not exist). */
export interface KnownIds {
  catalogs: ReadonlySet<string>;
}

type Errors = string[];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Ids are short slugs: they end up in URLs, log details and file names. */
export const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Printable text without control characters (names reach logs, HTML and CSV). */
const TEXT = /^[^\p{Cc}]*$/u;

function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string, errors: Errors): v is T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return true;
  errors.push(`${path}: must be ${allowed.join(', ')}`);
  return false;
}

function modeMap(v: unknown, allowed: readonly string[], path: string, errors: Errors, keys?: ReadonlySet<string>): void {
  if (!isObject(v)) return void errors.push(`${path}: must be an object`);
  for (const [k, mode] of Object.entries(v)) {
    if (k !== '*' && !ID.test(k)) errors.push(`${path}: "${k}" is not an id`);
    else if (keys && k !== '*' && !keys.has(k)) errors.push(`${path}.${k}: no such catalog`);
    oneOf(mode, allowed, `${path}.${k}`, errors);
  }
}

const SPEC_KEYS = ['catalogs', 'sensitive', 'lists', 'observe', 'blockAll', 'safeSearch', 'bypassGuard', 'blockDoh', 'geo', 'logMode', 'schedules'];

/** Checks one layer's spec. */
export function checkSpec(v: unknown, path: string, known: KnownIds, errors: Errors, inSchedule = false): v is PolicySpec {
  const before = errors.length;
  if (!isObject(v)) return (errors.push(`${path}: must be an object`), false);
  for (const k of Object.keys(v)) if (!SPEC_KEYS.includes(k) || (inSchedule && k === 'schedules')) errors.push(`${path}.${k}: unknown field`);
  if (v.catalogs !== undefined) modeMap(v.catalogs, ['block', 'observe', 'off'], `${path}.catalogs`, errors, known.catalogs);
  if (v.sensitive !== undefined) modeMap(v.sensitive, ['block', 'flag', 'allow'], `${path}.sensitive`, errors, known.catalogs);
  if (v.lists !== undefined) modeMap(v.lists, ['block', 'observe', 'off'], `${path}.lists`, errors);
  for (const k of ['observe', 'blockAll', 'bypassGuard', 'blockDoh']) if (v[k] !== undefined && typeof v[k] !== 'boolean') errors.push(`${path}.${k}: must be true or false`);
  if (v.safeSearch !== undefined) oneOf(v.safeSearch, ['off', 'moderate', 'strict'], `${path}.safeSearch`, errors);
  if (v.logMode !== undefined) oneOf(v.logMode, ['full', 'anonymous', 'off'], `${path}.logMode`, errors);
  if (v.geo !== undefined) {
    if (!Array.isArray(v.geo) || v.geo.length > 100) errors.push(`${path}.geo: a list of at most 100 rules`);
    else v.geo.forEach((r, i) => checkGeoRule(r, `${path}.geo[${i}]`, errors));
  }
  if (v.schedules !== undefined) {
    if (!Array.isArray(v.schedules)) errors.push(`${path}.schedules: must be a list`);
    else v.schedules.forEach((s, i) => checkSchedule(s, `${path}.schedules[${i}]`, known, errors));
  }
  return errors.length === before;
}

const COUNTRY = /^[A-Z]{2}$/;

function checkGeoRule(v: unknown, path: string, errors: Errors): void {
  if (!isObject(v)) return void errors.push(`${path}: must be an object`);
  for (const k of Object.keys(v)) if (!['id', 'action', 'countries', 'asns', 'registrantCountries', 'registrantOrgs'].includes(k)) errors.push(`${path}.${k}: unknown field`);
  if (typeof v.id !== 'string' || !ID.test(v.id)) errors.push(`${path}.id: a short id (a-z, 0-9, - and _)`);
  oneOf(v.action, ['flag', 'strip', 'block'], `${path}.action`, errors);
  const list = (k: string, ok: (x: unknown) => boolean, what: string) => {
    if (v[k] === undefined) return 0;
    if (!Array.isArray(v[k]) || (v[k] as unknown[]).length > 300 || !(v[k] as unknown[]).every(ok)) errors.push(`${path}.${k}: a list of ${what}`);
    return Array.isArray(v[k]) ? (v[k] as unknown[]).length : 0;
  };
  const n =
    list('countries', (x) => typeof x === 'string' && COUNTRY.test(x), 'country codes (two capital letters: SG, RU)') +
    list('asns', (x) => Number.isInteger(x) && (x as number) > 0 && (x as number) < 2 ** 32, 'AS numbers') +
    list('registrantCountries', (x) => typeof x === 'string' && COUNTRY.test(x), 'country codes (two capital letters: CN)') +
    list('registrantOrgs', (x) => typeof x === 'string' && x.trim().length >= 3 && x.length <= 100 && TEXT.test(x), 'organisation names (3 to 100 characters)');
  if (n === 0) errors.push(`${path}: name at least one country, network or registrant`);
}

function checkSchedule(v: unknown, path: string, known: KnownIds, errors: Errors): v is Schedule {
  if (!isObject(v)) return (errors.push(`${path}: must be an object`), false);
  const before = errors.length;
  if (typeof v.id !== 'string' || !ID.test(v.id)) errors.push(`${path}.id: a short id (a-z, 0-9, - and _)`);
  if (v.name !== undefined && (typeof v.name !== 'string' || v.name.length > 64 || !TEXT.test(v.name))) errors.push(`${path}.name: text up to 64 characters`);
  if (!Array.isArray(v.days) || v.days.length === 0 || v.days.some((d) => !Number.isInteger(d) || (d as number) < 0 || (d as number) > 6)) errors.push(`${path}.days: a list of 0 (Sunday) … 6 (Saturday)`);
  for (const k of ['from', 'to']) if (typeof v[k] !== 'string' || !TIME.test(v[k] as string)) errors.push(`${path}.${k}: a time HH:MM`);
  if (v.from === v.to) errors.push(`${path}: from and to must differ`);
  checkSpec(v.apply, `${path}.apply`, known, errors, true);
  return errors.length === before;
}

/** Checks a group. */
export function checkGroup(v: unknown, path: string, known: KnownIds, errors: Errors): v is Group {
  if (!isObject(v)) return (errors.push(`${path}: must be an object`), false);
  const before = errors.length;
  if (typeof v.id !== 'string' || !ID.test(v.id)) errors.push(`${path}.id: a short id (a-z, 0-9, - and _)`);
  if (typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 64 || !TEXT.test(v.name)) errors.push(`${path}.name: text of 1 to 64 characters`);
  checkSpec(v.spec, `${path}.spec`, known, errors);
  return errors.length === before;
}

/** Checks a rule's fields (the rule text itself is checked by compiling it). */
export function checkRule(v: unknown, path: string, errors: Errors): v is Rule {
  if (!isObject(v)) return (errors.push(`${path}: must be an object`), false);
  const before = errors.length;
  if (typeof v.id !== 'string' || !ID.test(v.id)) errors.push(`${path}.id: a short id`);
  if (typeof v.text !== 'string' || v.text.length === 0 || v.text.length > 512 || !TEXT.test(v.text)) errors.push(`${path}.text: a rule of 1 to 512 characters`);
  if (typeof v.scope !== 'string' || !/^(household|group:[a-z0-9][a-z0-9_-]{0,39}|device:[0-9a-z:.]{1,64})$/.test(v.scope)) errors.push(`${path}.scope: household, group:<id> or device:<id>`);
  if (typeof v.enabled !== 'boolean') errors.push(`${path}.enabled: must be true or false`);
  if (v.comment !== undefined && (typeof v.comment !== 'string' || v.comment.length > 200 || !TEXT.test(v.comment))) errors.push(`${path}.comment: text up to 200 characters`);
  return errors.length === before;
}

/** Checks a list subscription. */
export function checkListSource(v: unknown, path: string, errors: Errors): v is ListSource {
  if (!isObject(v)) return (errors.push(`${path}: must be an object`), false);
  const before = errors.length;
  if (typeof v.id !== 'string' || !ID.test(v.id)) errors.push(`${path}.id: a short id`);
  if (typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 64 || !TEXT.test(v.name)) errors.push(`${path}.name: text of 1 to 64 characters`);
  if (typeof v.url !== 'string' || !/^(https?:\/\/[^\s]{1,2000}|file:\/\/\/[^\s]{1,1000}|\/[^\s]{1,1000})$/.test(v.url)) errors.push(`${path}.url: an http(s):// or file:/// URL, or an absolute path`);
  if (typeof v.enabled !== 'boolean') errors.push(`${path}.enabled: must be true or false`);
  if (!Number.isInteger(v.updateHours) || (v.updateHours as number) < 1 || (v.updateHours as number) > 24 * 30) errors.push(`${path}.updateHours: hours between updates, 1 to 720`);
  return errors.length === before;
}

/** A name of a temporary allow: letters, digits, `-` and `_` in dot-separated labels. */
const HOST_NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

function checkAllow(v: unknown, path: string, errors: Errors): v is TemporaryAllow {
  if (!isObject(v) || typeof v.device !== 'string' || typeof v.name !== 'string' || typeof v.until !== 'number') return (errors.push(`${path}: {device, name, until}`), false);
  if (!isDeviceId(v.device)) errors.push(`${path}.device: a device id (a MAC, router or ip:ADDRESS)`);
  if (!HOST_NAME.test(v.name) || v.name.length > 253) errors.push(`${path}.name: a domain name`);
  return true;
}

/** Checks a whole document (policy.json, or a backup being restored). */
export function checkPolicyDoc(v: unknown, known: KnownIds): { doc: PolicyDoc; errors: [] } | { doc: null; errors: string[] } {
  const errors: Errors = [];
  if (!isObject(v)) return { doc: null, errors: ['policy: must be an object'] };
  if (v.version !== 1) errors.push('version: must be 1');
  checkSpec(v.household, 'household', known, errors);
  const arrays = { groups: v.groups, rules: v.rules, lists: v.lists, allows: v.allows };
  for (const [k, a] of Object.entries(arrays)) if (!Array.isArray(a)) errors.push(`${k}: must be a list`);
  if (errors.length > 0) return { doc: null, errors };
  (v.groups as unknown[]).forEach((g, i) => checkGroup(g, `groups[${i}]`, known, errors));
  (v.rules as unknown[]).forEach((r, i) => checkRule(r, `rules[${i}]`, errors));
  (v.lists as unknown[]).forEach((l, i) => checkListSource(l, `lists[${i}]`, errors));
  (v.allows as unknown[]).forEach((a, i) => checkAllow(a, `allows[${i}]`, errors));
  if (!isObject(v.devices)) errors.push('devices: must be an object');
  else
    for (const [id, spec] of Object.entries(v.devices)) {
      if (!isDeviceId(id)) errors.push(`devices: "${id.replace(/[^\x20-\x7e]/g, '?')}" is not a device id`);
      checkSpec(spec, `devices.${id}`, known, errors);
    }
  if (!isObject(v.pauses) || Object.entries(v.pauses).some(([k, t]) => typeof t !== 'number' || (k !== 'household' && !isDeviceId(k)))) errors.push('pauses: household or device ids, each with a time');
  for (const [k, list] of [['groups', v.groups], ['rules', v.rules], ['lists', v.lists]] as const) {
    const ids = (list as { id?: unknown }[]).map((x) => x?.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) errors.push(`${k}: id "${String(dup)}" appears twice`);
  }
  return errors.length > 0 ? { doc: null, errors } : { doc: v as unknown as PolicyDoc, errors: [] };
}
