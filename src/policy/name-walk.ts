/**
 * One pass over a query name that every in-RAM name index of the policy engine shares: where each
 * label starts, and a hash of each suffix. An index keeps the hashes of its keys in a Set of
 * numbers and slices a suffix string (an allocation) only when the hash is there: almost every
 * query names nothing listed, and for those no string is made at all.
 *
 * The hash is FNV-1a read backwards from the root, so all suffix hashes come from one pass; the
 * Bloom filters of compiled lists (suffix-filter.ts, list-key.ts) use this same hash.
 */

/** A name's label starts and suffix hashes; `hashes[k]` is the hash of `wire.slice(offsets[k])`. */
export interface NameWalk {
  wire: string;
  /** Labels before the root. */
  count: number;
  offsets: Int32Array;
  hashes: Int32Array;
  /** Presentation form, made on first use (wildcard and regex rules need it). */
  name: string | null;
}

/** FNV-1a's 32-bit offset basis and prime. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** A reusable walk (a 255-octet name has at most 127 labels). */
export function newNameWalk(): NameWalk {
  return { wire: '', count: 0, offsets: new Int32Array(128), hashes: new Int32Array(128), name: null };
}

/** Fills `walk` for `wire` (a lowercase wire name, root label included). Allocates nothing. */
export function walkName(wire: string, walk: NameWalk): NameWalk {
  let n = 0;
  for (let i = 0; i < wire.length && n < 128; ) {
    const len = wire.charCodeAt(i);
    if (len === 0) break;
    walk.offsets[n++] = i;
    i += len + 1;
  }
  let h = FNV_OFFSET;
  let pos = wire.length - 1;
  for (let k = n - 1; k >= 0; k--) {
    for (const start = walk.offsets[k]; pos >= start; pos--) h = Math.imul(h ^ wire.charCodeAt(pos), FNV_PRIME);
    walk.hashes[k] = h;
  }
  walk.wire = wire;
  walk.count = n;
  walk.name = null;
  return walk;
}

/** The hash `walkName` gives the whole of `wire` (for building an index's hash set). */
export function nameHash(wire: string): number {
  let h = FNV_OFFSET;
  for (let i = wire.length - 1; i >= 0; i--) h = Math.imul(h ^ wire.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The walked name in presentation form (lowercase, no trailing dot), made once per walk. */
export function presentation(walk: NameWalk): string {
  if (walk.name !== null) return walk.name;
  let out = '';
  for (let i = 0; i < walk.wire.length; ) {
    const len = walk.wire.charCodeAt(i);
    if (len === 0) break;
    out += (out === '' ? '' : '.') + walk.wire.slice(i + 1, i + 1 + len);
    i += len + 1;
  }
  return (walk.name = out);
}

/** The suffix of the walked name starting at label k, as a wire string. */
export function suffixAt(walk: NameWalk, k: number): string {
  return k === 0 ? walk.wire : walk.wire.slice(walk.offsets[k]);
}

/**
 * A map from wire names to values, looked up by suffix. `longest` gives the value of the longest
 * suffix of the walked name that is a key (label boundaries only), or undefined.
 */
export interface SuffixMap<T> {
  size: number;
  get(wire: string): T | undefined;
  /** Longest matching suffix's value; `from` skips the first labels (0: the whole name counts). */
  longest(walk: NameWalk, from?: number): T | undefined;
  /** The value of the suffix starting at label k exactly, or undefined. */
  at(walk: NameWalk, k: number): T | undefined;
}

/** Builds a SuffixMap over `entries` (wire name → value). */
export function createSuffixMap<T>(entries: Map<string, T>): SuffixMap<T> {
  const hashes = new Set<number>();
  for (const wire of entries.keys()) hashes.add(nameHash(wire));
  const map: SuffixMap<T> = {
    size: entries.size,
    get: (wire) => entries.get(wire),
    at: (walk, k) => (hashes.has(walk.hashes[k]) ? entries.get(suffixAt(walk, k)) : undefined),
    longest(walk, from = 0) {
      if (entries.size === 0) return undefined;
      for (let k = from; k < walk.count; k++) {
        if (!hashes.has(walk.hashes[k])) continue;
        const v = entries.get(suffixAt(walk, k));
        if (v !== undefined) return v;
      }
      return undefined;
    },
  };
  return map;
}
