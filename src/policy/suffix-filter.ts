/**
 * A Bloom filter over the names of a blocklist, consulted before the list itself. Almost every
 * query is for a name that is not blocked; the filter answers "no" for those from a bit array
 * small enough to stay in the CPU cache (16 bits per name: 200 KB for 100k names), instead of
 * probing a hash table of megabytes at random. Measured on the bench's hit workload with a 100k
 * list: the list cost ~0.8 µs per query in the server (cache misses) against ~0.1 µs in-process.
 *
 * The hash of every suffix of a name comes from one backwards pass over its wire form (FNV-1a
 * read root first), so no string is made per suffix; only a filter hit slices and asks the Set.
 */

export interface SuffixFilter {
  /** The longest suffix of `wire` (at a label boundary) in the set, or null. */
  match(wire: string): string | null;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const PROBES = 4;
const BITS_PER_NAME = 16; // false positives ≈ 0.24 % with 4 probes
const offsets = new Int32Array(128); // a 255-octet name has at most 127 labels

/** Backwards FNV-1a of wire[start..]. */
function suffixHash(wire: string, start: number): number {
  let h = FNV_OFFSET;
  for (let i = wire.length - 1; i >= start; i--) h = Math.imul(h ^ wire.charCodeAt(i), FNV_PRIME);
  return h;
}

/** A second, independent-enough hash for double hashing (murmur3 finalizer). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 1;
}

/** Builds the filter over `set` (lowercase wire names); the set is kept for exact answers. */
export function buildSuffixFilter(set: ReadonlySet<string>): SuffixFilter {
  const bits = Math.max(1024, set.size * BITS_PER_NAME);
  const mask = (1 << Math.ceil(Math.log2(bits))) - 1;
  const filter = new Int32Array((mask + 1) >>> 5);
  let hasSingleLabel = false;
  const add = (h: number) => {
    const h2 = mix(h);
    for (let p = 0; p < PROBES; p++) {
      const bit = (h + p * h2) & mask;
      filter[bit >>> 5] |= 1 << (bit & 31);
    }
  };
  const has = (h: number) => {
    const h2 = mix(h);
    for (let p = 0; p < PROBES; p++) {
      const bit = (h + p * h2) & mask;
      if ((filter[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  };
  for (const w of set) {
    add(suffixHash(w, 0));
    if (w.charCodeAt(w.charCodeAt(0) + 1) === 0) hasSingleLabel = true;
  }

  return {
    match(wire) {
      if (set.size === 0) return null;
      let n = 0;
      for (let i = 0; i < wire.length && n < offsets.length; ) {
        const len = wire.charCodeAt(i);
        if (len === 0) break;
        offsets[n++] = i;
        i += len + 1;
      }
      let h = FNV_OFFSET;
      let pos = wire.length - 1;
      let found: string | null = null;
      for (let k = n - 1; k >= 0; k--) {
        const start = offsets[k];
        for (; pos >= start; pos--) h = Math.imul(h ^ wire.charCodeAt(pos), FNV_PRIME);
        if (k === n - 1 && !hasSingleLabel) continue; // lists hold no bare TLD
        if (!has(h)) continue;
        const suffix = start === 0 ? wire : wire.slice(start);
        if (set.has(suffix)) found = suffix; // keep going: a longer entry wins
      }
      return found;
    },
  };
}
