/**
 * The built-in vendor catalogs as one index, built once at startup: every entry of every catalog,
 * found for a query name in O(labels). Per-device policies do not rebuild it; they only say which
 * catalogs are on (a mode per catalog), so twenty policies share one index.
 *
 * Which entries decide: the most specific among the catalogs that are on for the device — the
 * longest matching suffix (an exact entry on the name itself first; a wildcard counts at the
 * position of its literal tail). The engine weighs the entries found at that position: a
 * functional one wins (never blocked, so a telemetry suffix cannot cut off the login or firmware
 * endpoint below it), then the strongest action.
 */
import { nameToWire } from '../dns/name.js';
import type { Catalog, EntryClass } from './catalogs.js';
import { wildcardParts } from './rules.js';
import { createSuffixMap, presentation, type NameWalk } from './name-walk.js';

/** One catalog entry, as the engine sees it. */
export interface CatalogHit {
  /** Index of the catalog in the list the index was built from. */
  catalog: number;
  catalogId: string;
  class: EntryClass;
  pattern: string;
  /** What the log and the statistics record: `catalog:<id>:<pattern>`. */
  detail: string;
}

export interface CatalogIndex {
  catalogs: readonly Catalog[];
  /**
   * The deciding entries among catalogs with `isOn(catalogIndex)`: every entry at the most
   * specific position that has any (several catalogs may list the same endpoint: the Mi Fit
   * relay is in the Xiaomi and the Huami catalog). Filled into `out` (reused: no allocation).
   */
  match(walk: NameWalk, isOn: (catalog: number) => boolean, out: CatalogHit[]): CatalogHit[];
  /** Entries that did not compile (a bad pattern in a catalog file), for the log. */
  problems: string[];
}

interface Wildcard {
  re: RegExp;
  hit: CatalogHit;
  /** Literal labels of the pattern in wire form (length byte + label): all must occur in the name. */
  needles: string[];
}

/** Builds the index over `catalogs`. Never throws: a bad entry is reported in `problems`. */
export function buildCatalogIndex(catalogs: readonly Catalog[]): CatalogIndex {
  const exact = new Map<string, CatalogHit[]>();
  const suffix = new Map<string, CatalogHit[]>();
  const byTail = new Map<string, Wildcard[]>();
  const tailless: Wildcard[] = [];
  const problems: string[] = [];
  catalogs.forEach((c, catalog) => {
    for (const e of c.entries) {
      const hit: CatalogHit = { catalog, catalogId: c.id, class: e.class, pattern: e.pattern, detail: `catalog:${c.id}:${e.pattern}` };
      if (e.kind === 'wildcard') {
        const w = compileWildcard(e.pattern);
        if (!w) problems.push(`catalog ${c.id}: bad pattern ${e.pattern}`);
        else if (w.tail === null) tailless.push({ re: w.re, hit, needles: w.needles });
        else push(byTail, w.tail, { re: w.re, hit, needles: w.needles });
        continue;
      }
      const wire = nameToWire(e.pattern);
      if (wire === null) problems.push(`catalog ${c.id}: bad name ${e.pattern}`);
      else push(e.kind === 'exact' ? exact : suffix, wire, hit);
    }
  });
  const exactMap = createSuffixMap(exact);
  const suffixMap = createSuffixMap(suffix);
  const tailMap = createSuffixMap(byTail);
  const collect = (hits: CatalogHit[] | undefined, isOn: (c: number) => boolean, out: CatalogHit[]) => {
    if (hits) for (const h of hits) if (isOn(h.catalog)) out.push(h);
  };
  // The needles first: `unagi.amazon.*` is tried on every name (no literal tail to file it
  // under), and a regex on the presentation form cost ~10 % of a cache hit; indexOf on the wire
  // name rules out almost every name without making a string.
  const wild = (list: Wildcard[] | undefined, walk: NameWalk, isOn: (c: number) => boolean, out: CatalogHit[]) => {
    if (list) for (const w of list) if (isOn(w.hit.catalog) && hasNeedles(walk.wire, w.needles) && w.re.test(presentation(walk))) out.push(w.hit);
  };
  return {
    catalogs,
    problems,
    match(walk, isOn, out) {
      out.length = 0;
      if (walk.count === 0) return out;
      collect(exactMap.get(walk.wire), isOn, out); // exact entries share position 0 with suffix ones
      for (let k = 0; k < walk.count && (out.length === 0 || k === 0); k++) {
        collect(suffixMap.at(walk, k), isOn, out);
        if (k > 0) wild(tailMap.at(walk, k), walk, isOn, out);
      }
      if (out.length === 0) wild(tailless, walk, isOn, out);
      return out;
    },
  };
}

function hasNeedles(wire: string, needles: string[]): boolean {
  for (const n of needles) if (wire.indexOf(n) < 0) return false;
  return true;
}

/**
 * A catalog wildcard, with the syntax of custom rules (rules.ts `wildcardParts`)
 * (`data.mistat.*.xiaomi.com`, `fr-app-chat-global-xiaomi-net*.*.elb.amazonaws.com`,
 * `unagi.amazon.*`); like suffix entries it also covers subdomains. `tail` is the wire form of
 * the literal labels after the last wildcard label (null when the last label has a `*`).
 */
function compileWildcard(pattern: string): { re: RegExp; tail: string | null; needles: string[] } | null {
  const labels = pattern.toLowerCase().split('.');
  if (labels.some((l) => l === '' || !/^[a-z0-9_*-]+$/.test(l))) return null;
  const { body, tailStart } = wildcardParts(labels);
  const tail = tailStart === labels.length ? null : nameToWire(labels.slice(tailStart).join('.'));
  const needles = labels.filter((l) => !l.includes('*')).map((l) => String.fromCharCode(l.length) + l);
  return { re: new RegExp(`(?:^|\\.)${body}$`), tail, needles };
}

function push<T>(map: Map<string, T[]>, key: string, value: T) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
