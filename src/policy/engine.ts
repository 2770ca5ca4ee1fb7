/**
 * The policy engine: the owner's document, compiled per device, asked once per query.
 *
 * Per query it costs one Map lookup (the device's compiled policy, rebuilt only when the document,
 * the device's group or the running schedules change) and one walk over the name's labels shared
 * by every source (name-walk.ts). Changes come from the admin API through the methods below,
 * which validate, apply in RAM at once, and write policy.json to flash a second later.
 */
import type { Device } from '../devices/registry.js';
import { walkName, newNameWalk, createSuffixMap } from './name-walk.js';
import { nameToWire } from '../dns/name.js';
import { compileRules, type RuleError, type RuleMatcher } from './rules.js';
import { activeLayers, foldLayers, OFF } from './effective.js';
import { decideName, type Decision, type DevicePolicy, type PolicySources } from './decide.js';
import type { PolicyDoc, PolicySpec, Rule } from './policy-doc.js';
import type { PolicyStore } from './policy-store.js';
import type { KnownIds } from './policy-validate.js';
import { compileGeoPolicy, type GeoPolicy } from '../geo/geo-policy.js';

export interface PolicyEngineOptions {
  sources: PolicySources;
  store: PolicyStore;
  /** Ids of the lists that exist beyond the document's own (the `blocklist` files of the config). */
  configLists?: string[];
  now?: () => number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Called after each change of the document (the list subscriptions follow it). */
  onChange?: (doc: PolicyDoc) => void;
}

export interface PolicyEngine {
  /** The decision for a lowercase wire name asked by `device` (null: unknown device). */
  decide(wire: string, device: Device | null): Decision | null;
  /** The first CNAME target (wire names) the device's policy blocks, as a decision naming the target. */
  checkChain(targets: readonly string[], device: Device | null): Decision | null;
  /** The device's compiled geography rules (null: none), applied to every answer by inspect. */
  geoOf(device: Device | null): GeoPolicy | null;
  /** How the device's queries are logged. */
  logModeOf(device: Device | null): 'full' | 'anonymous' | 'off';
  /** The current document (do not change it: use `change`). */
  doc(): PolicyDoc;
  /** Applies a change to a copy of the document; validates; swaps it in and saves. Returns the problems. */
  change(edit: (doc: PolicyDoc) => void, validate: (doc: PolicyDoc) => string[]): string[];
  /** Rules that did not compile, with the reason. */
  ruleErrors(): RuleError[];
  /** What ids validation should accept. */
  known(): KnownIds;
  /** Re-reads the running schedules and drops expired pauses and allows (every minute). */
  tick(): void;
  stop(): Promise<void>;
}

/** Creates the engine over the document in `store`. */
export function createPolicyEngine(options: PolicyEngineOptions): PolicyEngine {
  const { sources, store, log } = options;
  const now = options.now ?? Date.now;
  const catalogIds = sources.catalogs.catalogs.map((c) => c.id);
  const known: KnownIds = { catalogs: new Set(catalogIds) };
  const loaded = store.load(known);
  if (loaded.problem) log('error', `${loaded.problem}: using the default policy until the owner saves one`);
  let doc = loaded.doc;
  let generation = 0;
  let running = '';
  let matchers = new Map<string, RuleMatcher>();
  let errors: RuleError[] = [];
  let allows = new Map<string, Map<string, number>>();
  const compiled = new Map<string, { generation: number; group: string | null; policy: DevicePolicy }>();
  const walk = newNameWalk();
  const chainWalk = newNameWalk();

  function rebuild(): void {
    generation++;
    compiled.clear();
    const byScope = new Map<string, Rule[]>();
    for (const r of doc.rules) if (r.enabled) byScope.set(r.scope, [...(byScope.get(r.scope) ?? []), r]);
    matchers = new Map();
    errors = [];
    for (const [scope, rules] of byScope) {
      const c = compileRules(rules);
      matchers.set(scope, c.matcher);
      errors.push(...c.errors);
    }
    allows = new Map();
    for (const a of doc.allows) {
      const wire = nameToWire(a.name);
      if (wire === null) continue;
      const m = allows.get(a.device) ?? new Map<string, number>();
      m.set(wire, Math.max(a.until, m.get(wire) ?? 0));
      allows.set(a.device, m);
    }
    running = runningSchedules();
  }

  function runningSchedules(): string {
    const at = new Date(now());
    const specs: (PolicySpec | undefined)[] = [doc.household, ...doc.groups.map((g) => g.spec), ...Object.values(doc.devices)];
    return activeLayers(specs, at).filter((l) => l.schedule !== '').map((l) => l.schedule).join(',');
  }

  function compile(id: string, group: string | null): DevicePolicy {
    const groupSpec = group ? doc.groups.find((g) => g.id === group)?.spec : undefined;
    const layers = activeLayers([doc.household, groupSpec, doc.devices[id]], new Date(now()));
    const listIds = [...doc.lists.filter((l) => l.enabled).map((l) => l.id), ...(options.configLists ?? [])];
    const effective = foldLayers(layers, catalogIds, listIds);
    const rules = [`device:${id}`, ...(group ? [`group:${group}`] : []), 'household'].map((s) => matchers.get(s)).filter((m): m is RuleMatcher => !!m);
    const mine = allows.get(id);
    const mode = effective.catalogMode;
    return {
      effective,
      rules,
      allows: mine ? createSuffixMap(mine) : null,
      pausedUntil: Math.max(doc.pauses.household ?? 0, doc.pauses[id] ?? 0),
      isOn: (c) => mode[c] !== OFF,
      geo: compileGeoPolicy(effective.geo),
    };
  }

  function policyOf(device: Device | null): DevicePolicy {
    const id = device === null ? '' : device.id;
    const group = device === null ? null : device.policy;
    const c = compiled.get(id);
    if (c !== undefined && c.generation === generation && c.group === group) return c.policy;
    const policy = compile(id, group);
    if (compiled.size > 4096) compiled.clear(); // bounded like the registry; rebuilt on demand
    compiled.set(id, { generation, group, policy });
    return policy;
  }

  rebuild();
  for (const e of errors) log('warn', `${e.message}: rule ${e.id} left out`);

  return {
    decide(wire, device) {
      return decideName(policyOf(device), walkName(wire, walk), sources, now());
    },
    checkChain(targets, device) {
      const p = policyOf(device);
      for (const t of targets) {
        const d = decideName(p, walkName(t, chainWalk), sources, now());
        if (d === null || d.action === 'flag' || d.action === 'rewrite') continue;
        if (d.action === 'allow') return null; // the owner allowed something on the chain: trust it
        return d;
      }
      return null;
    },
    geoOf: (device) => policyOf(device).geo,
    logModeOf: (device) => policyOf(device).effective.logMode,
    doc: () => doc,
    change(edit, validate) {
      const next = structuredClone(doc);
      edit(next);
      const problems = validate(next);
      if (problems.length > 0) return problems;
      doc = next;
      rebuild();
      store.save(doc);
      options.onChange?.(doc);
      return [];
    },
    ruleErrors: () => errors,
    known: () => known,
    tick() {
      const t = now();
      const expired = doc.allows.some((a) => a.until <= t) || Object.values(doc.pauses).some((u) => u <= t);
      if (expired) {
        doc = { ...doc, allows: doc.allows.filter((a) => a.until > t), pauses: Object.fromEntries(Object.entries(doc.pauses).filter(([, u]) => u > t)) };
        rebuild();
        store.save(doc);
      } else if (runningSchedules() !== running) rebuild();
    },
    stop: () => store.flush(),
  };
}
