/**
 * The sources every device policy draws on, built once at startup from the bundled data: the
 * vendor catalogs, the bypass guard's canaries, the public DoH resolvers and SafeSearch. Lists
 * come and go at run time, so they are looked up through `list(id)` on every query.
 */
import { nameToWire } from '../dns/name.js';
import { CANARIES, DOH_RESOLVERS, safeSearchTarget } from './bypass/bypass-data.js';
import { buildCatalogIndex } from './catalog-index.js';
import type { Catalog } from './catalogs.js';
import { decision, type Decision, type ListLookup, type PolicySources } from './decide.js';
import { createSuffixMap, suffixAt } from './name-walk.js';

/**
 * A SuffixMap over named entries: suffix entries as they are; exact ones only for the name
 * itself (kept in the map under the name and rejected for longer names by `exactOnly`).
 */
function nameMap<E extends { name: string; kind: 'exact' | 'suffix' }>(entries: E[], make: (e: E) => Decision) {
  const map = new Map<string, Decision>();
  const exact = new Set<string>();
  for (const e of entries) {
    const wire = nameToWire(e.name);
    if (wire === null) continue;
    map.set(wire, make(e));
    if (e.kind === 'exact') exact.add(wire);
  }
  const inner = createSuffixMap(map);
  return {
    ...inner,
    longest(walk: Parameters<typeof inner.longest>[0], from = 0) {
      for (let k = from; k < walk.count; k++) {
        const d = inner.at(walk, k);
        if (d !== undefined && (k === 0 || !exact.has(suffixAt(walk, k)))) return d;
      }
      return undefined;
    },
  };
}

/** Builds the shared sources; `list` finds a compiled list by id (null while it is not ready). */
export function buildPolicySources(catalogs: readonly Catalog[], list: (id: string) => ListLookup | null): PolicySources {
  const index = buildCatalogIndex(catalogs);
  return {
    catalogs: index,
    canaries: nameMap(CANARIES.entries, (e) => decision(e.answer === 'nodata' ? 'nodata' : 'nxdomain', `bypass:${e.name}`)),
    doh: nameMap(DOH_RESOLVERS.entries, (e) => decision('block', `doh:${e.name}`)),
    safeSearch: safeSearchTarget,
    list,
  };
}
