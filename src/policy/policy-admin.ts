/**
 * What the admin can do to the policy, as plain functions over the engine (no HTTP here: the
 * routes in src/web/routes/policy-routes.ts only parse and answer). Every change is validated in
 * full against the document it would produce, so a bad form field changes nothing.
 */
import type { Registry } from '../devices/registry.js';
import { nameToWire } from '../dns/name.js';
import type { CatalogIndex } from './catalog-index.js';
import { activeLayers, BLOCK, foldLayers, OBSERVE, S_ALLOW, S_BLOCK } from './effective.js';
import type { PolicyEngine } from './engine.js';
import type { CatalogMode, GeoRule, Group, ListMode, ListSource, PolicyDoc, PolicySpec, Rule, SensitiveMode } from './policy-doc.js';
import { ID, checkGroup, checkListSource, checkPolicyDoc, checkRule, checkSpec } from './policy-validate.js';
import { describeRule } from './rules.js';

/** An outcome for the route: done, or a status and a message for the owner. */
export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; message: string };

const done = <T>(value: T): Outcome<T> => ({ ok: true, value });
const bad = (message: string, status: 400 | 404 | 409 = 400): Outcome<never> => ({ ok: false, status, message });

export interface PolicyAdminDeps {
  engine: PolicyEngine;
  catalogs: CatalogIndex;
  devices?: Registry;
  now?: () => number;
}

/** What a device (or a layer stack) gets now, with names instead of the engine's numeric modes. */
export interface EffectiveView {
  catalogs: Record<string, CatalogMode>;
  sensitive: Record<string, SensitiveMode>;
  /** Enabled lists of the document (not the config's `blocklist` files). */
  lists: Record<string, ListMode>;
  observe: boolean;
  /** The schedule id (or 'policy') blocking everything, null when nothing is. */
  blockAll: string | null;
  safeSearch: 'off' | 'moderate' | 'strict';
  bypassGuard: boolean;
  blockDoh: boolean;
  geo: GeoRule[];
  logMode: 'full' | 'anonymous' | 'off';
  /** Ids of the schedules running now on these layers. */
  schedules: string[];
}

/**
 * Folds `specs` (most general first, schedules running at `at` included) the way the engine does
 * (effective.ts), named for people and the API. The same fold as the query path, so the page
 * cannot claim something the resolver does not do.
 */
export function effectiveView(specs: (PolicySpec | undefined)[], doc: PolicyDoc, catalogIds: readonly string[], at: number): EffectiveView {
  const layers = activeLayers(specs, new Date(at));
  const listIds = doc.lists.filter((l) => l.enabled).map((l) => l.id);
  const e = foldLayers(layers, catalogIds, listIds);
  const mode = (m: number): CatalogMode => (m === BLOCK ? 'block' : m === OBSERVE ? 'observe' : 'off');
  const folded = new Map(e.lists.map((l) => [l.id, mode(l.mode)]));
  return {
    catalogs: Object.fromEntries(catalogIds.map((id, i) => [id, mode(e.catalogMode[i])])),
    sensitive: Object.fromEntries(catalogIds.map((id, i) => [id, e.sensitiveMode[i] === S_BLOCK ? 'block' : e.sensitiveMode[i] === S_ALLOW ? 'allow' : 'flag'])),
    lists: Object.fromEntries(listIds.map((id) => [id, folded.get(id) ?? 'off'])),
    observe: e.observe,
    blockAll: e.blockAll || null,
    safeSearch: e.safeSearch,
    bypassGuard: e.bypassGuard,
    blockDoh: e.blockDoh,
    geo: e.geo,
    logMode: e.logMode,
    schedules: layers.filter((l) => l.schedule !== '').map((l) => l.schedule),
  };
}

/** Longest pause or temporary allow, minutes (a week): longer is a policy change, not a pause. */
const MAX_MINUTES = 7 * 24 * 60;

/** Builds the admin operations. */
export function createPolicyAdmin(deps: PolicyAdminDeps) {
  const { engine } = deps;
  const now = deps.now ?? Date.now;
  const validate = (doc: PolicyDoc) => checkPolicyDoc(doc, engine.known()).errors;
  const apply = <T>(edit: (doc: PolicyDoc) => void, value: () => T): Outcome<T> => {
    const problems = engine.change(edit, validate);
    return problems.length > 0 ? bad(problems.join('; ')) : done(value());
  };
  const knownDevice = (id: string) => !deps.devices || deps.devices.get(id) !== undefined;
  const upsert = <T extends { id: string }>(list: T[], item: T) => {
    const i = list.findIndex((x) => x.id === item.id);
    if (i >= 0) list[i] = item;
    else list.push(item);
  };

  return {
    /** The document plus what the owner needs to read it: rules that failed, catalogs offered. */
    view: () => ({ ...engine.doc(), ruleErrors: engine.ruleErrors() }),

    setHousehold(spec: unknown): Outcome {
      const errors: string[] = [];
      if (!checkSpec(spec, 'household', engine.known(), errors)) return bad(errors.join('; '));
      return apply((d) => (d.household = spec), () => engine.doc().household);
    },

    putGroup(id: string, body: unknown): Outcome<Group> {
      const group = { ...(body as object), id } as Group;
      const errors: string[] = [];
      if (!checkGroup(group, 'group', engine.known(), errors)) return bad(errors.join('; '));
      return apply((d) => upsert(d.groups, group), () => group);
    },

    deleteGroup(id: string): Outcome<null> {
      if (!engine.doc().groups.some((g) => g.id === id)) return bad(`no group ${id}`, 404);
      const members = deps.devices?.list().filter((d) => d.policy === id).length ?? 0;
      if (members > 0) return bad(`group ${id} still has ${members} device(s): move them first`, 409);
      return apply((d) => {
        d.groups = d.groups.filter((g) => g.id !== id);
        d.rules = d.rules.filter((r) => r.scope !== `group:${id}`);
      }, () => null);
    },

    setDevice(id: string, spec: unknown): Outcome {
      if (!knownDevice(id)) return bad(`no device ${id}`, 404);
      if (spec === null) return apply((d) => delete d.devices[id], () => null);
      const errors: string[] = [];
      if (!checkSpec(spec, `devices.${id}`, engine.known(), errors)) return bad(errors.join('; '));
      return apply((d) => (d.devices[id] = spec), () => spec);
    },

    putRule(id: string, body: unknown): Outcome<Rule> {
      const rule = { enabled: true, scope: 'household', ...(body as object), id } as Rule;
      const errors: string[] = [];
      if (!checkRule(rule, 'rule', errors)) return bad(errors.join('; '));
      const described = describeRule(rule.text);
      if ('message' in described) return bad(described.message);
      const [kind, target] = rule.scope.split(/:(.*)/);
      if (kind === 'group' && !engine.doc().groups.some((g) => g.id === target)) return bad(`rule.scope: no group ${target}`);
      if (kind === 'device' && !knownDevice(target)) return bad(`rule.scope: no device ${target}`);
      return apply((d) => upsert(d.rules, rule), () => rule);
    },

    deleteRule(id: string): Outcome<null> {
      if (!engine.doc().rules.some((r) => r.id === id)) return bad(`no rule ${id}`, 404);
      return apply((d) => (d.rules = d.rules.filter((r) => r.id !== id)), () => null);
    },

    putList(id: string, body: unknown): Outcome<ListSource> {
      const list = { enabled: true, updateHours: 24, ...(body as object), id } as ListSource;
      const errors: string[] = [];
      if (!checkListSource(list, 'list', errors)) return bad(errors.join('; '));
      return apply((d) => upsert(d.lists, list), () => list);
    },

    deleteList(id: string): Outcome<null> {
      if (!engine.doc().lists.some((l) => l.id === id)) return bad(`no list ${id}`, 404);
      return apply((d) => (d.lists = d.lists.filter((l) => l.id !== id)), () => null);
    },

    /** Pauses blocking for `target` ('household' or a device id) for `minutes`; 0 resumes. */
    pause(target: string, minutes: number): Outcome<{ target: string; until: number | null }> {
      if (target !== 'household' && !knownDevice(target)) return bad(`no device ${target}`, 404);
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_MINUTES) return bad(`minutes: 0 to ${MAX_MINUTES}`);
      const until = minutes === 0 ? null : now() + minutes * 60_000;
      return apply((d) => {
        if (until === null) delete d.pauses[target];
        else d.pauses[target] = until;
      }, () => ({ target, until }));
    },

    /**
     * What a device gets now: household → its group → its own spec, each with its running
     * schedules, and its pause. `isInherited` leaves the device's own spec out: what "as the
     * household/group" means on its page.
     */
    effective(id: string, isInherited = false): Outcome<EffectiveView & { device: string; group: string | null; pausedUntil: number | null }> {
      const device = deps.devices?.get(id);
      if (deps.devices && !device) return bad(`no device ${id}`, 404);
      const doc = engine.doc();
      const group = doc.groups.find((g) => g.id === device?.policy) ?? null;
      const at = now();
      const ids = deps.catalogs.catalogs.map((c) => c.id);
      const view = effectiveView([doc.household, group?.spec, isInherited ? undefined : doc.devices[id]], doc, ids, at);
      const paused = Math.max(doc.pauses.household ?? 0, doc.pauses[id] ?? 0);
      return done({ device: id, group: group?.id ?? null, pausedUntil: paused > at ? paused : null, ...view });
    },

    /** Allows `name` (and its subdomains) for one device for `minutes`; 0 removes the allow. */
    allow(device: string, name: string, minutes: number): Outcome<{ device: string; name: string; until: number | null }> {
      if (!knownDevice(device)) return bad(`no device ${device}`, 404);
      const clean = name.trim().toLowerCase().replace(/\.$/, '');
      if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(clean) || nameToWire(clean) === null || clean.length > 253) return bad('name: a domain name (letters, digits, "-", "_" and dots)');
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_MINUTES) return bad(`minutes: 0 to ${MAX_MINUTES}`);
      const until = minutes === 0 ? null : now() + minutes * 60_000;
      return apply((d) => {
        d.allows = d.allows.filter((a) => !(a.device === device && a.name === clean));
        if (until !== null) d.allows.push({ device, name: clean, until });
      }, () => ({ device, name: clean, until }));
    },

    /** What the policy would do with `name` for a device (or an unknown one), and why. */
    explain(name: string, deviceId: string | null): Outcome<{ name: string; device: string | null; action: string; detail: string }> {
      const wire = nameToWire(name.trim().toLowerCase());
      if (wire === null) return bad('name: not a domain name');
      const device = deviceId ? (deps.devices?.get(deviceId) ?? null) : null;
      if (deviceId && !device) return bad(`no device ${deviceId}`, 404);
      const d = engine.decide(wire, device);
      return done({ name, device: deviceId, action: d?.action ?? 'none', detail: d?.detail ?? '' });
    },

    /** The catalogs with their entries and what the household does with each. */
    catalogs: () =>
      deps.catalogs.catalogs.map((c) => ({
        id: c.id,
        name: c.name,
        version: c.version,
        date: c.date,
        description: c.description,
        counts: { telemetry: c.entries.filter((e) => e.class === 'telemetry').length, sensitive: c.entries.filter((e) => e.class === 'sensitive').length, functional: c.entries.filter((e) => e.class === 'functional').length },
        entries: c.entries,
        sources: c.sources,
      })),

    /** Replaces the whole document (backup restore), after validating it. */
    restore(doc: unknown): Outcome<null> {
      const checked = checkPolicyDoc(doc, engine.known());
      if (!checked.doc) return bad(checked.errors.slice(0, 10).join('; '));
      const next = checked.doc;
      return apply((d) => Object.assign(d, next), () => null);
    },

    isId: (id: string) => ID.test(id),
  };
}

export type PolicyAdmin = ReturnType<typeof createPolicyAdmin>;
