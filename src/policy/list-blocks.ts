/**
 * A compiled list's names as front-coded blocks (the layout of LevelDB's tables): sorted keys
 * (list-key.ts), each stored as [bytes shared with the previous key u8][rest length u8][rest]
 * [flags u8], a full key every 16 entries (a restart), the restarts' offsets (u16) and their
 * count (u16) at the end. A block is one LMDB value of `pageSize - 24` bytes, which LMDB keeps in
 * exactly one overflow page (measured: 4072 bytes take 1 page of 4096, 4080 take 2), so pages
 * are full. 1M names: ~8.5 MB of blocks against 40 MB as one LMDB entry per name. Two or four
 * smaller blocks per leaf page (2 KB, 1 KB values) were no faster to look up (~1 µs all three,
 * the 4 KB copy of a block costs ~0.4 µs of it) and make the in-memory index 2-4x larger.
 *
 * The first key of every block goes to a small index ([length u8][key] each, ~50 KB for 1M
 * names) that is kept in memory: a lookup is a binary search there, one LMDB read of one block
 * (~0.15 µs for 4 KB), a binary search over the block's restarts and a scan of at most 16 entries.
 */
import { compareKeys, sharedPrefix } from './list-key.js';

/** A full key every this many entries (list-runs.ts estimates sizes with the same figure). */
export const RESTART_EVERY = 16;
/** LMDB's page header in lmdb-js 3.5 (measured, see above). */
const PAGE_HEADER = 24;

/** Value bytes that fill one LMDB overflow page exactly. */
export function blockBytesFor(pageSize: number): number {
  return pageSize - PAGE_HEADER;
}

/** Builds blocks from keys given in order. */
export interface BlockWriter {
  /** Adds a key; returns the finished block (valid until the next one) when the key did not fit. */
  add(key: Uint8Array, at: number, len: number, flags: number): Buffer | null;
  /** The last block, or null if it is empty. */
  finish(): Buffer | null;
  /** The index of the blocks' first keys so far. */
  index(): Buffer;
}

export function createBlockWriter(blockBytes: number): BlockWriter {
  // Two buffers: a finished block stays intact while the next one fills the other buffer.
  let block = Buffer.alloc(blockBytes);
  let spare = Buffer.alloc(blockBytes);
  const restarts: number[] = [];
  const prev = Buffer.alloc(256);
  let prevLen = 0;
  let used = 0;
  let entries = 0;
  let index = Buffer.alloc(4096);
  let indexUsed = 0;
  const seal = (): Buffer | null => {
    if (entries === 0) return null;
    let o = used;
    for (const r of restarts) o = block.writeUInt16LE(r, o);
    o = block.writeUInt16LE(restarts.length, o);
    restarts.length = used = entries = 0;
    const done = block.subarray(0, o);
    [block, spare] = [spare, block];
    return done;
  };
  /** Appends a key sharing `shared` bytes with the previous one (0 at a restart). */
  const put = (key: Uint8Array, at: number, len: number, flags: number, shared: number) => {
    if (entries % RESTART_EVERY === 0) restarts.push(used);
    if (entries === 0) {
      if (indexUsed + len + 1 > index.length) index = Buffer.concat([index, Buffer.alloc(index.length)]);
      index[indexUsed] = len;
      index.set(key.subarray(at, at + len), indexUsed + 1);
      indexUsed += len + 1;
    }
    block[used] = shared;
    block[used + 1] = len - shared;
    block.set(key.subarray(at + shared, at + len), used + 2);
    block[used + 2 + len - shared] = flags;
    used += 3 + len - shared;
    entries++;
    prev.set(key.subarray(at + shared, at + len), shared);
    prevLen = len;
  };
  return {
    add(key, at, len, flags) {
      const isRestart = entries % RESTART_EVERY === 0;
      const shared = isRestart ? 0 : sharedPrefix(prev, 0, prevLen, key, at, len);
      const need = 3 + len - shared + (isRestart ? 2 : 0) + 2 * restarts.length + 2;
      if (used + need <= blockBytes) {
        put(key, at, len, flags, shared);
        return null;
      }
      const full = seal();
      put(key, at, len, flags, 0); // the first entry of a new block is a restart
      return full;
    },
    finish: seal,
    index: () => index.subarray(0, indexUsed),
  };
}

/** The offsets of the index's keys, for `findBlock`. */
export function indexOffsets(index: Uint8Array): Uint32Array {
  let n = 0;
  for (let o = 0; o < index.length; o += index[o] + 1) n++;
  const offsets = new Uint32Array(n);
  for (let i = 0, o = 0; i < n; o += index[o] + 1) offsets[i++] = o;
  return offsets;
}

/** The block that may hold `key` (the last whose first key is <= key), or -1. */
export function findBlock(index: Uint8Array, offsets: Uint32Array, key: Uint8Array, len: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const o = offsets[mid];
    if (compareKeys(index, o + 1, index[o], key, 0, len) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The flags of `key` in block `b` (its first `n` bytes), or -1 if it is not there. */
export function findInBlock(b: Uint8Array, n: number, key: Uint8Array, len: number): number {
  const count = b[n - 2] | (b[n - 1] << 8);
  const base = n - 2 - 2 * count;
  let lo = 0;
  let hi = count - 1;
  let start = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const o = b[base + 2 * mid] | (b[base + 2 * mid + 1] << 8);
    if (compareKeys(b, o + 2, b[o + 1], key, 0, len) <= 0) {
      start = o;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (start < 0) return -1;
  // Keys only grow: `m` bytes of the current key equal the key's; an entry sharing more than m
  // with its predecessor is still smaller, one sharing fewer is already larger.
  let m = 0;
  for (let o = start; o < base; o += 3 + b[o + 1]) {
    const shared = b[o];
    if (shared > m) continue;
    if (shared < m) return -1;
    const rest = b[o + 1];
    const more = sharedPrefix(b, o + 2, rest, key, m, len - m);
    m += more;
    const entryLen = shared + rest;
    if (m === len && entryLen === len) return b[o + 2 + rest];
    if (m === len || (more < rest && b[o + 2 + more] > key[m])) return -1;
  }
  return -1;
}
