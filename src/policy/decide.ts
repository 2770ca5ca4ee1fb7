/**
 * The decision for one name and one device: the order of the policy's sources, written once.
 *
 *   1. paused (device or household)            → nothing blocked
 *   2. temporary allow of the name              → allowed ("this broke my TV")
 *   3. an allow rule (device, group, household) → allowed: the owner's word beats every list
 *   4. bypass guard canary                      → NXDOMAIN (browsers fall back to the router)
 *   5. a block rule                             → blocked
 *   6. block-all (schedule or policy)           → blocked
 *   7. vendor catalogs                          → functional: never blocked by a catalog;
 *                                                 telemetry: blocked/observed; sensitive: flagged/blocked
 *   8. public DoH resolvers (if on)             → blocked
 *   9. subscribed lists                         → an allow entry in any list beats every block entry
 *  10. SafeSearch                               → rewritten to the engine's safe name
 * A flag (observe mode, sensitive entry) never stops a later source from blocking. In observe
 * mode every block becomes a flag: logged as "would block", answered normally.
 */
import { nameToWire, wireStringToName } from '../dns/name.js';
import type { CatalogHit, CatalogIndex } from './catalog-index.js';
import { BLOCK, OBSERVE, S_BLOCK, S_FLAG, type EffectivePolicy } from './effective.js';
import { presentation, type NameWalk, type SuffixMap } from './name-walk.js';
import type { RuleMatcher } from './rules.js';
import type { GeoPolicy } from '../geo/geo-policy.js';

/** What the policy does with a name. */
export interface Decision {
  action: 'block' | 'flag' | 'allow' | 'nxdomain' | 'nodata' | 'rewrite';
  /** Which source decided, for the log and statistics: `catalog:xiaomi:<pattern>`, `list:<id>:<name>`, `rule:<id>`… */
  detail: string;
  /** For rewrites: the wire name to answer with (a CNAME to it). */
  target: string;
}

/** Decisions are shared, never changed: one object per source entry, not one per query. */
export const decision = (action: Decision['action'], detail: string, target = ''): Decision => Object.freeze({ action, detail, target });

/** One list's lookup (src/policy/list-store.ts). */
export interface ListLookup {
  match(wire: string): { action: 'block' | 'allow'; entry: string } | null;
  /** The same for the walked name, reusing its suffix hashes (compiled lists have it). */
  matchWalk?(walk: NameWalk): { action: 'block' | 'allow'; entry: string } | null;
}

/** The sources every policy shares. */
export interface PolicySources {
  catalogs: CatalogIndex;
  canaries: SuffixMap<Decision>;
  doh: SuffixMap<Decision>;
  safeSearch: (name: string, level: 'strict' | 'moderate') => string | null;
  list: (id: string) => ListLookup | null;
}

/** A device's compiled policy. */
export interface DevicePolicy {
  effective: EffectivePolicy;
  /** Rule matchers of the device's scopes, most specific first. */
  rules: RuleMatcher[];
  /** The device's temporary allows: wire name → until (epoch ms). */
  allows: SuffixMap<number> | null;
  /** Paused until (epoch ms), the later of the device's and the household's pause. */
  pausedUntil: number;
  isOn: (catalog: number) => boolean;
  /** Compiled geography rules, null when there are none. */
  geo: GeoPolicy | null;
}

const PAUSED: Decision = decision('allow', 'pause');
const TEMPORARY: Decision = decision('allow', 'temporary-allow');
const flagMemo = new WeakMap<Decision, Decision>();
const catalogMemo = new WeakMap<CatalogHit, { block: Decision; flag: Decision }>();
const ruleMemo = new Map<string, Decision>();

/** The observe-mode twin of a block: logged as what would have been blocked. */
export function asFlag(d: Decision): Decision {
  let f = flagMemo.get(d);
  if (f === undefined) flagMemo.set(d, (f = decision('flag', `observe:${d.detail}`)));
  return f;
}

function catalogDecisions(hit: CatalogHit) {
  let d = catalogMemo.get(hit);
  if (d === undefined) catalogMemo.set(hit, (d = { block: decision('block', hit.detail), flag: decision('flag', hit.detail) }));
  return d;
}

/** Rule and schedule decisions, by detail (a rule id is either an allow or a block rule). */
function memo(map: Map<string, Decision>, action: Decision['action'], detail: string): Decision {
  let d = map.get(detail);
  if (d === undefined) {
    if (map.size >= 10_000) map.clear(); // bounded by the rules the owner typed, in practice
    map.set(detail, (d = decision(action, detail)));
  }
  return d;
}

/** Decides `walk`'s name for a device policy at time `now`; null: no source had a say. */
export function decideName(p: DevicePolicy, walk: NameWalk, src: PolicySources, now: number): Decision | null {
  if (p.pausedUntil > now) return PAUSED;
  if (p.allows !== null && (p.allows.longest(walk) ?? 0) > now) return TEMPORARY;
  const e = p.effective;
  let blockRule: string | null = null;
  for (const m of p.rules) {
    const r = m.match(presentation(walk));
    if (r?.action === 'allow') return memo(ruleMemo, 'allow', `rule:${r.ruleId}`);
    if (r && blockRule === null) blockRule = r.ruleId;
  }
  if (e.bypassGuard) {
    const c = src.canaries.longest(walk);
    if (c) return c;
  }
  let flag: Decision | null = null;
  const found = blockRule !== null ? memo(ruleMemo, 'block', `rule:${blockRule}`) : e.blockAll ? memo(ruleMemo, 'block', `schedule:${e.blockAll}`) : null;
  const block = found ?? fromCatalogs(p, walk, src);
  if (block?.action === 'block') return e.observe ? asFlag(block) : block;
  if (block?.action === 'flag') flag = block;
  if (e.blockDoh) {
    const d = src.doh.longest(walk);
    if (d) return e.observe ? asFlag(d) : d;
  }
  const listed = fromLists(e, walk, src);
  if (listed !== null) {
    if (listed.action !== 'block') return listed;
    return e.observe ? asFlag(listed) : listed;
  }
  if (e.safeSearch !== 'off') {
    const target = src.safeSearch(presentation(walk), e.safeSearch);
    if (target !== null) return rewrite(target);
  }
  return flag;
}

const rewrites = new Map<string, Decision>();
function rewrite(target: string): Decision {
  let d = rewrites.get(target);
  if (d === undefined) rewrites.set(target, (d = decision('rewrite', `safesearch:${target}`, nameToWire(target) ?? '\0')));
  return d;
}

const hits: CatalogHit[] = [];

/** The catalogs' say: a functional entry at the deciding position wins (never blocked), else the strongest action. */
function fromCatalogs(p: DevicePolicy, walk: NameWalk, src: PolicySources): Decision | null {
  let best: Decision | null = null;
  for (const hit of src.catalogs.match(walk, p.isOn, hits)) {
    if (hit.class === 'functional') return null;
    const d = catalogDecisions(hit);
    const s = p.effective.sensitiveMode[hit.catalog];
    const mine = hit.class === 'telemetry' ? (p.effective.catalogMode[hit.catalog] === BLOCK ? d.block : d.flag) : s === S_BLOCK ? d.block : s === S_FLAG ? d.flag : null;
    if (mine !== null && (best === null || (best.action === 'flag' && mine.action === 'block'))) best = mine;
  }
  return best;
}

function fromLists(e: EffectivePolicy, walk: NameWalk, src: PolicySources): Decision | null {
  let block: Decision | null = null;
  for (const l of e.lists) {
    const list = src.list(l.id);
    const hit = list === null ? null : list.matchWalk ? list.matchWalk(walk) : list.match(walk.wire);
    if (!hit) continue;
    if (hit.action === 'allow') return listDecision(l.id, 'allow', hit.entry);
    if (block === null || (block.action === 'flag' && l.mode === BLOCK)) block = listDecision(l.id, l.mode === OBSERVE ? 'flag' : 'block', hit.entry);
  }
  return block;
}

/**
 * A list's decision, made per query: it dies young. Its object literal is its own: V8 decides
 * per allocation site whether to allocate in the old generation, and `decision()`'s site also
 * makes the catalogs' and rules' decisions, which live for good. Memoized (a Map of 10 000),
 * a scan of random listed names promoted 76-86 MB per 2 s (bench/gc-promotion.sh,
 * docs/bench/2026-11-24-gc-promotion.txt).
 */
function listDecision(id: string, action: 'block' | 'flag' | 'allow', entry: string): Decision {
  return { action, detail: `list:${id}:${wireStringToName(entry)}`, target: '' };
}
