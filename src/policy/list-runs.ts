/**
 * A list's names as sorted runs of key bytes, for a compile that never holds the whole list as
 * JS strings: 1M names as strings in Sets took ~100 MB of heap; as runs they are ~25 MB of
 * Buffers outside the heap (bench/list-compile.mjs). Each parsed piece's names are appended to
 * the open run; every 16 384 names the run is sorted (~10 ms, short enough for DNS to keep
 * answering) and sealed. `mergeRuns` then yields all names once, in key order, flags merged.
 *
 * Record layout in a run: [key length u8][key][flags u8]; `order` holds record offsets, sorted.
 */
import type { ParsedList } from './list-formats.js';
import { RESTART_EVERY } from './list-blocks.js';
import { compareKeys, sharedPrefix, keyFromWire } from './list-key.js';
import { ALLOW, BLOCK, EXACT } from './list-match.js';

/** One sorted run. */
export interface NameRun {
  keys: Buffer;
  order: Uint32Array;
}

/** All runs of a list, and what they add up to. */
export interface ListNames {
  runs: NameRun[];
  /** Names in all runs (a name in several runs counts once per run). */
  names: number;
  /** Front-coded bytes of the runs taken one by one: an upper bound of the merged blocks. */
  codedBytes: number;
}

/** The merge's current name: `buf[at..at+len]` is its key. Valid until the next call. */
export interface NameCursor {
  buf: Buffer;
  at: number;
  len: number;
  flags: number;
}

const RUN_NAMES = 16_384;

/** Collects names into sorted runs. */
export interface NameCollector {
  /** Adds the names of a parsed piece. */
  add(piece: ParsedList): void;
  /** Adds one lowercase wire name with its flags (list-match.ts). */
  addName(wire: string, flags: number): void;
  finish(): ListNames;
}

export function createNameCollector(): NameCollector {
  let scratch = Buffer.allocUnsafeSlow(1 << 20);
  const offsets = new Uint32Array(RUN_NAMES);
  let used = 0;
  let count = 0;
  const out: ListNames = { runs: [], names: 0, codedBytes: 0 };
  const addName = (wire: string, flags: number) => {
    if (used + 258 > scratch.length) {
      const bigger = Buffer.allocUnsafeSlow(scratch.length * 2);
      scratch.copy(bigger, 0, 0, used);
      scratch = bigger;
    }
    const len = keyFromWire(wire, 0, scratch, used + 1);
    if (len <= 0) return;
    scratch[used] = len;
    scratch[used + 1 + len] = flags;
    offsets[count++] = used;
    used += len + 2;
    if (count === RUN_NAMES) seal();
  };
  const seal = () => {
    if (count === 0) return;
    const keys = Buffer.allocUnsafeSlow(used);
    scratch.copy(keys, 0, 0, used);
    const order = offsets.slice(0, count).sort((a, b) => compareKeys(keys, a + 1, keys[a], keys, b + 1, keys[b]));
    out.runs.push({ keys, order });
    out.names += count;
    out.codedBytes += codedBytes(keys, order);
    used = count = 0;
  };
  return {
    add(p) {
      for (const [w, flags] of flagged(p)) addName(w, flags);
    },
    addName,
    finish() {
      seal();
      scratch = Buffer.alloc(0);
      return out;
    },
  };
}

/** The runs of one parsed list (small lists and tests). */
export function namesOf(parsed: ParsedList): ListNames {
  const c = createNameCollector();
  c.add(parsed);
  return c.finish();
}

/** `namesOf`, letting the event loop run every `sliceMs` (sorting 1M names took ~400 ms). */
export async function namesInSlices(parsed: ParsedList, sliceMs: number): Promise<ListNames> {
  const c = createNameCollector();
  let until = performance.now() + sliceMs;
  let n = 0;
  for (const [w, flags] of flagged(parsed)) {
    c.addName(w, flags);
    if ((++n & 1023) === 0 && performance.now() > until) {
      await new Promise((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
  return c.finish();
}

/** Each distinct name of `p` once, with its flags. */
function* flagged(p: ParsedList): Generator<[string, number]> {
  for (const w of p.block) yield [w, BLOCK | (p.allow.has(w) ? ALLOW : 0) | (p.exact.has(w) ? EXACT : 0)];
  for (const w of p.allow) if (!p.block.has(w)) yield [w, ALLOW | (p.exact.has(w) ? EXACT : 0)];
  for (const w of p.exact) if (!p.block.has(w) && !p.allow.has(w)) yield [w, EXACT];
}

/** Bytes of `order` front-coded as list-blocks.ts writes it (3 per entry, 2 per restart). */
function codedBytes(keys: Buffer, order: Uint32Array): number {
  let bytes = 0;
  for (let i = 0; i < order.length; i++) {
    const a = order[i];
    const b = order[i - 1];
    const shared = i % RESTART_EVERY === 0 ? 0 : sharedPrefix(keys, a + 1, keys[a], keys, b + 1, keys[b]);
    bytes += 3 + keys[a] - shared + (shared === 0 ? 2 : 0);
  }
  return bytes;
}

/**
 * Yields every name once in key order (a name in several runs: flags OR-ed), then null. A run
 * is let go as soon as it is consumed, so its Buffer can be freed during the merge.
 */
export function mergeRuns(names: ListNames): () => NameCursor | null {
  const runs: (NameRun | null)[] = names.runs.slice();
  names.runs.length = 0;
  const pos = new Uint32Array(runs.length);
  const heap: number[] = runs.map((_, i) => i);
  const cursor: NameCursor = { buf: Buffer.alloc(0), at: 0, len: 0, flags: 0 };
  const off = (r: number) => runs[r]!.order[pos[r]];
  const less = (x: number, y: number) => {
    const kx = runs[x]!.keys;
    const ky = runs[y]!.keys;
    const a = off(x);
    const b = off(y);
    return compareKeys(kx, a + 1, kx[a], ky, b + 1, ky[b]) < 0;
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) return;
      const c = l + 1 < heap.length && less(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!less(heap[c], heap[i])) return;
      [heap[c], heap[i]] = [heap[i], heap[c]];
      i = c;
    }
  };
  const advance = () => {
    const r = heap[0];
    if (++pos[r] === runs[r]!.order.length) {
      runs[r] = null;
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length > 0) siftDown(0);
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  return () => {
    if (heap.length === 0) return null;
    const keys = runs[heap[0]]!.keys;
    const a = off(heap[0]);
    cursor.buf = keys;
    cursor.at = a + 1;
    cursor.len = keys[a];
    cursor.flags = keys[a + 1 + keys[a]];
    advance();
    while (heap.length > 0) {
      const k = runs[heap[0]]!.keys;
      const b = off(heap[0]);
      if (compareKeys(k, b + 1, k[b], cursor.buf, cursor.at, cursor.len) !== 0) break;
      cursor.flags |= k[b + 1 + k[b]];
      advance();
    }
    return cursor;
  };
}
