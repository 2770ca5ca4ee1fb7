/**
 * The per-query lookup of a compiled list (`list-store.ts`). The Bloom filter answers the
 * ~99.7 % of names that are not listed without touching LMDB; a filter hit turns the suffix into
 * its sort key (list-key.ts) in a scratch buffer, finds its block in the in-memory index and reads
 * that one block with `getBinaryFast` (lmdb-js's shared read buffer), so a miss allocates nothing
 * and a hit only its answer (measured for 1M names in bench/list-compile.mjs: ~0.1 µs per miss,
 * ~1 µs per hit).
 */
import type { Database } from 'lmdb';
import { findBlock, findInBlock } from './list-blocks.js';
import { keyFromWire } from './list-key.js';
import type { CompiledList, ListCounts, ListMatch } from './list-store.js';
import type { SuffixBloom } from './suffix-filter.js';

/** Flag bits of a stored name: block with subdomains (hosts, `||x^`, dnsmasq). */
export const BLOCK = 1;
/** Allow with subdomains (`@@||x^`). */
export const ALLOW = 2;
/** Block the name itself only (`|x^`). */
export const EXACT = 4;

/** What `compiledList` needs to know about a version. */
export interface ListVersion {
  id: string;
  hash: string;
  dbName: string;
  counts: ListCounts;
  bloom: SuffixBloom;
  /** First keys of the blocks (list-blocks.ts) and their offsets. */
  index: Uint8Array;
  offsets: Uint32Array;
}

/** The key being looked up (a key is at most 254 bytes). */
const key = new Uint8Array(256);
/** LMDB key of a block: its number, big-endian, so blocks sort in order. */
const blockKey = Buffer.alloc(4);

/** The block's LMDB key for number `n` (a shared Buffer, valid until the next call). */
export function blockKeyOf(n: number): Buffer {
  blockKey.writeUInt32BE(n, 0);
  return blockKey;
}

/** A CompiledList over an open sub-database; `drop` deletes it. */
export function compiledList(db: Database<Buffer, Buffer>, v: ListVersion, drop: () => void, lmdbBytes: number): CompiledList {
  let isOpen = true;
  let isDropped = false;
  let current = '';
  let allowAt = -1;
  let blockAt = -1;
  const visit = (start: number) => {
    const len = keyFromWire(current, start, key, 0);
    if (len <= 0) return;
    const n = findBlock(v.index, v.offsets, key, len);
    const block = n < 0 ? undefined : db.getBinaryFast(blockKeyOf(n));
    const f = block === undefined ? -1 : findInBlock(block, block.length, key, len);
    if (f < 0) return; // a Bloom false positive (~0.24 % per suffix)
    if (f & ALLOW) allowAt = start; // shortest first: the last one seen is the longest
    if (f & BLOCK || (start === 0 && f & EXACT)) blockAt = start;
  };
  const result = (wire: string): ListMatch | null => {
    if (allowAt >= 0) return { action: 'allow', entry: allowAt === 0 ? wire : wire.slice(allowAt) };
    if (blockAt >= 0) return { action: 'block', entry: blockAt === 0 ? wire : wire.slice(blockAt) };
    return null;
  };
  const bloomBytes = v.bloom.byteLength + v.index.byteLength + v.offsets.byteLength;
  return {
    id: v.id,
    hash: v.hash,
    dbName: v.dbName,
    counts: v.counts,
    bytes: { lmdb: lmdbBytes, bloom: bloomBytes, total: lmdbBytes + bloomBytes },
    match(wire: string): ListMatch | null {
      if (!isOpen || wire.length > 255) return null;
      current = wire;
      allowAt = blockAt = -1;
      v.bloom.candidates(wire, visit);
      current = '';
      return result(wire);
    },
    matchWalk(walk) {
      if (!isOpen || walk.wire.length > 255) return null;
      current = walk.wire;
      allowAt = blockAt = -1;
      v.bloom.candidatesOf(walk.hashes, walk.offsets, walk.count, visit);
      current = '';
      return result(walk.wire);
    },
    close() {
      isOpen = false;
    },
    drop() {
      isOpen = false;
      if (isDropped) return;
      isDropped = true;
      drop();
    },
  };
}

/** Bytes of LMDB pages a sub-database holds (branch, leaf and overflow pages). */
export function lmdbBytesOf(db: Database<Buffer, Buffer>): number {
  const s = db.getStats() as { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number };
  return s.pageSize * (s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages);
}
