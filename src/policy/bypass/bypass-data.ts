/**
 * The bypass guard's bundled data (researched and cited in docs/catalogs.md, "Bypass guard and
 * SafeSearch"): canary names answered negatively so browsers and OSes keep using the router,
 * public DoH/DoT resolver names a device may be barred from, and the search engines' documented
 * SafeSearch CNAME rewrites. Plain data plus one lookup table built at module load.
 */
import canaries from './canaries.json' with { type: 'json' };
import dohResolvers from './doh-resolvers.json' with { type: 'json' };
import safesearch from './safesearch.json' with { type: 'json' };

/** A cited public source; `retrieved` is YYYY-MM-DD. */
export interface BypassSource {
  id: number;
  title: string;
  url: string;
  retrieved: string;
}

/** `exact` matches the name only; `suffix` the name and every name below it. */
export type NameKind = 'exact' | 'suffix';

/** A canary: `answer` is the negative reply to give (RFC 9462 §4 asks NODATA for resolver.arpa). */
export interface CanaryEntry {
  name: string;
  kind: NameKind;
  answer: 'nxdomain' | 'nodata';
  note: string;
  sources: number[];
}

/** The canary list, with notes on what has no canary (Chrome). */
export interface CanaryList {
  version: number;
  date: string;
  entries: CanaryEntry[];
  notes: { text: string; sources: number[] }[];
  sources: BypassSource[];
}

/** A public DoH/DoT resolver host name and who runs it. */
export interface ResolverEntry {
  name: string;
  kind: NameKind;
  provider: string;
  note: string;
  sources: number[];
}

/** The DoH/DoT resolver list. */
export interface ResolverList {
  version: number;
  date: string;
  entries: ResolverEntry[];
  sources: BypassSource[];
}

/** One engine's rewrite: each of `names` (exact) gets a CNAME to `target`. */
export interface SafeSearchEngine {
  id: string;
  name: string;
  names: string[];
  target: string;
  /** A second, milder level (YouTube only); `target` is then the strict one. */
  moderateTarget?: string;
  sources: number[];
  note: string;
}

/** The SafeSearch rewrite table. */
export interface SafeSearchList {
  version: number;
  date: string;
  engines: SafeSearchEngine[];
  sources: BypassSource[];
}

/** SafeSearch level of a group: YouTube differs, every other engine has one target. */
export type SafeSearchLevel = 'strict' | 'moderate';

/** Names answered negatively by the bypass guard. */
export const CANARIES = canaries as CanaryList;
/** Public DoH/DoT resolver names, blockable per device. */
export const DOH_RESOLVERS = dohResolvers as ResolverList;
/** Documented SafeSearch CNAME rewrites, per engine. */
export const SAFESEARCH = safesearch as SafeSearchList;

// Built once at load (261 names in version 1): each lookup is one Map.get, no per-query scan.
const REWRITES = new Map<string, { strict: string; moderate: string }>();
for (const engine of SAFESEARCH.engines) {
  const targets = { strict: engine.target, moderate: engine.moderateTarget ?? engine.target };
  for (const name of engine.names) REWRITES.set(name, targets);
}

/**
 * The CNAME target that enforces SafeSearch for `name`, or null if the name is not rewritten.
 * `name` is the lowercase presentation form without the trailing dot.
 * @example safeSearchTarget('www.youtube.com', 'moderate') // 'restrictmoderate.youtube.com'
 */
export function safeSearchTarget(name: string, level: SafeSearchLevel): string | null {
  const targets = REWRITES.get(name);
  return targets === undefined ? null : targets[level];
}

// RFC 1035 §2.3.1 / RFC 1123 §2.1: letters, digits, hyphen; labels 1-63, no edge hyphen.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** True for a lowercase host name of two or more labels, at most 253 characters. */
export function isHostName(name: string): boolean {
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** Problems in one data set's sources and the ids its items cite. */
function checkSources(set: string, sources: BypassSource[], cited: [string, number[]][]): string[] {
  const problems: string[] = [];
  const ids = new Set<number>();
  for (const s of sources) {
    if (ids.has(s.id)) problems.push(`${set}: duplicate source id ${s.id}`);
    ids.add(s.id);
    if (!/^https:\/\/\S+$/.test(s.url)) problems.push(`${set}: source ${s.id} has no https url`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s.retrieved)) problems.push(`${set}: source ${s.id} has no retrieved date`);
    if (s.title.trim() === '') problems.push(`${set}: source ${s.id} has no title`);
  }
  for (const [what, refs] of cited) {
    if (refs.length === 0) problems.push(`${set}: ${what} cites no source`);
    for (const id of refs) if (!ids.has(id)) problems.push(`${set}: ${what} cites unknown source ${id}`);
  }
  return problems;
}

/** Problems in a list of names: invalid, or listed twice. */
function checkNames(set: string, names: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!isHostName(name)) problems.push(`${set}: invalid host name "${name}"`);
    if (seen.has(name)) problems.push(`${set}: duplicate name "${name}"`);
    seen.add(name);
  }
  return problems;
}

/**
 * Every problem in the three data sets (empty when sound): bad or duplicate names, uncited
 * entries, sources without url or date, and SafeSearch targets that are themselves rewritten.
 */
export function checkBypassData(
  c: CanaryList = CANARIES,
  d: ResolverList = DOH_RESOLVERS,
  s: SafeSearchList = SAFESEARCH,
): string[] {
  const rewritten = new Set(s.engines.flatMap((e) => e.names));
  const targets = s.engines.flatMap((e) => [e.target, ...(e.moderateTarget ? [e.moderateTarget] : [])]);
  return [
    ...checkNames('canaries', c.entries.map((e) => e.name)),
    ...checkSources('canaries', c.sources, [
      ...c.entries.map((e): [string, number[]] => [e.name, e.sources]),
      ...c.notes.map((n, i): [string, number[]] => [`note ${i + 1}`, n.sources]),
    ]),
    ...checkNames('doh-resolvers', d.entries.map((e) => e.name)),
    ...checkSources('doh-resolvers', d.sources, d.entries.map((e) => [e.name, e.sources])),
    ...checkNames('safesearch', s.engines.flatMap((e) => e.names)),
    ...checkNames('safesearch targets', [...new Set(targets)]),
    ...checkSources('safesearch', s.sources, s.engines.map((e) => [e.id, e.sources])),
    ...targets.filter((t) => rewritten.has(t)).map((t) => `safesearch: target "${t}" is itself rewritten`),
  ];
}
