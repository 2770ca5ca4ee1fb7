/**
 * A Bloom filter over the names of a blocklist, consulted before the list itself. Almost every
 * query is for a name that is not blocked; the filter answers "no" for those from a bit array
 * small enough to stay in the CPU cache (16 bits per name: 200 KB for 100k names), instead of
 * probing a hash table of megabytes at random. Measured on the bench's hit workload with a 100k
 * list: the list cost ~0.8 µs per query in the server (cache misses) against ~0.1 µs in-process.
 *
 * The hash of every suffix of a name comes from one backwards pass over its wire form (FNV-1a
 * read root first), so no string is made per suffix; only a filter hit asks the backing store
 * (an LMDB sub-database in `list-store.ts`). The filter serializes to bytes so a
 * compiled list can be reopened after a restart without hashing its names again.
 */
import { nameHash, newNameWalk, walkName } from './name-walk.js';

/** The Bloom filter alone, for any backing store. */
export interface SuffixBloom {
  /** Adds a lowercase wire name. */
  add(wire: string): void;
  /** Adds a name by its hash (`list-key.ts` computes it from a sort key, no string made). */
  addHash(hash: number, isSingleLabel: boolean): void;
  /**
   * Calls `visit(start)` for each suffix `wire.slice(start)` (label boundaries, shortest first,
   * the name itself last) the filter may hold. Allocates nothing.
   */
  candidates(wire: string, visit: (start: number) => void): void;
  /**
   * The same from a name already walked (name-walk.ts computes the same backwards FNV-1a hash of
   * every suffix): the policy engine walks each query once and every list reuses the hashes.
   */
  candidatesOf(hashes: Int32Array, starts: Int32Array, count: number, visit: (start: number) => void): void;
  /** Header + bit array, for `restoreSuffixBloom` in this process or a later one on this host. */
  toBytes(): Uint8Array;
  /** Bytes of the bit array. */
  readonly byteLength: number;
}

const PROBES = 4;
const BITS_PER_NAME = 16; // false positives ≈ 0.24 % with 4 probes
/** Scratch walk for `candidates` (a name not walked by the engine: tests, the bench). */
const scratch = newNameWalk();
const MAGIC = 0x46424d54; // 'TMBF'
const HEADER = 16; // magic, version, flags, log2(bits), names

/** A second, independent-enough hash for double hashing (murmur3 finalizer). */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 1;
}

/** An empty filter sized for `names` names (at least 1024 bits, rounded up to a power of two). */
export function createSuffixBloom(names: number): SuffixBloom {
  const log2 = Math.ceil(Math.log2(Math.max(1024, names * BITS_PER_NAME)));
  return bloomOver(new Int32Array(2 ** log2 / 32), log2, { names: 0, hasSingleLabel: false });
}

/** The filter `toBytes` wrote, or null if the bytes are not one (a corrupt entry is a miss). */
export function restoreSuffixBloom(bytes: Uint8Array): SuffixBloom | null {
  if (bytes.byteLength < HEADER) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const log2 = view.getUint8(6);
  if (view.getUint32(0, true) !== MAGIC || view.getUint8(4) !== 1 || log2 < 10 || log2 > 31) return null;
  if (bytes.byteLength !== HEADER + 2 ** log2 / 8) return null;
  const bits = new Int32Array(2 ** log2 / 32); // a copy: the source may be unaligned or reused
  new Uint8Array(bits.buffer).set(bytes.subarray(HEADER));
  return bloomOver(bits, log2, { names: view.getUint32(8, true), hasSingleLabel: view.getUint8(5) === 1 });
}

function bloomOver(filter: Int32Array, log2: number, state: { names: number; hasSingleLabel: boolean }): SuffixBloom {
  const mask = 2 ** log2 - 1;
  const has = (h: number) => {
    const h2 = mix(h);
    for (let p = 0; p < PROBES; p++) {
      const bit = (h + p * h2) & mask;
      if ((filter[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  };
  const addHash = (h: number, isSingleLabel: boolean) => {
    const h2 = mix(h);
    for (let p = 0; p < PROBES; p++) {
      const bit = (h + p * h2) & mask;
      filter[bit >>> 5] |= 1 << (bit & 31);
    }
    state.names++;
    if (isSingleLabel) state.hasSingleLabel = true;
  };
  const candidatesOf = (hashes: Int32Array, starts: Int32Array, count: number, visit: (start: number) => void) => {
    if (state.names === 0) return;
    for (let k = count - 1; k >= 0; k--) {
      if (k === count - 1 && !state.hasSingleLabel) continue; // lists hold no bare TLD
      if (has(hashes[k])) visit(starts[k]);
    }
  };
  return {
    byteLength: filter.byteLength,
    add: (wire) => addHash(nameHash(wire), wire.charCodeAt(wire.charCodeAt(0) + 1) === 0),
    addHash,
    candidates(wire, visit) {
      if (state.names === 0) return;
      const w = walkName(wire, scratch);
      candidatesOf(w.hashes, w.offsets, w.count, visit);
    },
    candidatesOf,
    toBytes() {
      const out = new Uint8Array(HEADER + filter.byteLength);
      const view = new DataView(out.buffer);
      view.setUint32(0, MAGIC, true);
      view.setUint8(4, 1); // format version
      view.setUint8(5, state.hasSingleLabel ? 1 : 0);
      view.setUint8(6, log2);
      view.setUint32(8, state.names, true);
      // Native byte order: the bytes live in this host's volatile store only, never on the wire.
      out.set(new Uint8Array(filter.buffer, filter.byteOffset, filter.byteLength), HEADER);
      return out;
    },
  };
}
