/**
 * The sort key of a listed name: its labels root first, joined by '.' (`www.example.org` is
 * `org.example.www`). Sorted this way, the names under one domain and one TLD sit together, so
 * front coding (list-blocks.ts) shares their common part: measured 8.8 bytes per name against
 * 17.9 in wire order on a 1M-name list shaped like real ones (registrable domains plus bursts of
 * subdomains), and 10.8 against 12.6 on a real 13.7k-name phishing list (bench/list-compile.mjs).
 * '.' cannot occur inside a listed label (list-formats.ts allows `[a-z0-9_-]` only), so a query
 * label holding a '.' has no key and matches nothing.
 */
import { FNV_OFFSET, FNV_PRIME } from './name-walk.js';

const DOT = 0x2e;
/** Label start offsets of the name being converted (a 255-octet name has at most 127 labels). */
const starts = new Int32Array(128);

/**
 * Writes the key of `wire.slice(start)` (a lowercase wire name, root label included) into `out`
 * at `at` and returns its length, or -1 if it has no key (a '.' in a label, a malformed name).
 */
export function keyFromWire(wire: string, start: number, out: Uint8Array, at: number): number {
  let n = 0;
  let i = start;
  for (; i < wire.length; i += wire.charCodeAt(i) + 1) {
    if (wire.charCodeAt(i) === 0 || n === starts.length) break;
    starts[n++] = i;
  }
  if (n === 0 || i !== wire.length - 1) return -1;
  let o = at;
  for (let k = n - 1; k >= 0; k--) {
    const s = starts[k];
    const end = s + 1 + wire.charCodeAt(s);
    for (let j = s + 1; j < end; j++) {
      const c = wire.charCodeAt(j);
      if (c === DOT || c > 0xff) return -1;
      out[o++] = c;
    }
    if (k > 0) out[o++] = DOT;
  }
  return o - at;
}

/** memcmp order of two keys: < 0, 0 or > 0. */
export function compareKeys(a: Uint8Array, aAt: number, aLen: number, b: Uint8Array, bAt: number, bLen: number): number {
  const n = aLen < bLen ? aLen : bLen;
  for (let i = 0; i < n; i++) {
    const d = a[aAt + i] - b[bAt + i];
    if (d !== 0) return d;
  }
  return aLen - bLen;
}

/** Bytes `a` and `b` share at their start. */
export function sharedPrefix(a: Uint8Array, aAt: number, aLen: number, b: Uint8Array, bAt: number, bLen: number): number {
  const n = aLen < bLen ? aLen : bLen;
  let i = 0;
  while (i < n && a[aAt + i] === b[bAt + i]) i++;
  return i;
}

/**
 * The Bloom hash (name-walk.ts: FNV-1a over the wire form read backwards) of the name whose
 * key this is, computed from the key: root byte, then each label backwards and its length.
 */
export function keyBloomHash(key: Uint8Array, at: number, len: number): number {
  let h = Math.imul(FNV_OFFSET, FNV_PRIME); // the root label's 0 octet
  let labelStart = at;
  const end = at + len;
  for (let i = at; i <= end; i++) {
    if (i < end && key[i] !== DOT) continue;
    for (let j = i - 1; j >= labelStart; j--) h = Math.imul(h ^ key[j], FNV_PRIME);
    h = Math.imul(h ^ (i - labelStart), FNV_PRIME);
    labelStart = i + 1;
  }
  return h;
}

/** Whether the key is one label (a bare TLD; list-formats.ts refuses them, a test may not). */
export function isSingleLabel(key: Uint8Array, at: number, len: number): boolean {
  for (let i = at; i < at + len; i++) if (key[i] === DOT) return false;
  return true;
}
