/**
 * The compiled IP → ASN range table and its file format.
 *
 * Why this shape (figures for @ip-location-db/asn 2.3.2026061719): the CSVs hold 411 961 IPv4 and
 * 103 197 IPv6 ranges with 55 000 and 74 500 gaps between them, 91 065 distinct (ASN, org) pairs
 * and 81 276 distinct org names (2.0 MB of UTF-8); every ASN has exactly one org. The table keeps
 * only range *starts* with a record index (0 = unrouted gap), gaps included: 8 bytes per IPv4
 * boundary and 20 per IPv6 one, cheaper than start+end+record (12 and 36 bytes). Lookup is a
 * binary search over the starts (466 962 IPv4, 177 693 IPv6 boundaries): ~19 and ~18 steps, no
 * allocation, ~0.15 µs. Org names are stored once in a UTF-8 blob with offsets and decoded only
 * on a lookup. Loaded, the whole table is one Buffer (10.4 MB, outside the JS heap) with
 * typed-array views over it.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { AsnRecord } from './schema.js';

/** The range table; every array is a view into one buffer. Record index 0 means "no ASN". */
export interface AsnTable {
  v4Starts: Uint32Array;
  v4Recs: Uint32Array;
  /** Four 32-bit words per start, most significant first. */
  v6Starts: Uint32Array;
  v6Recs: Uint32Array;
  recAsn: Uint32Array;
  recOrg: Uint32Array;
  /** Offsets into orgBlob; org i is orgBlob[orgOffsets[i], orgOffsets[i + 1]). */
  orgOffsets: Uint32Array;
  orgBlob: Buffer;
  /** Bytes the loaded table holds in RAM. */
  bytes: number;
}

/** The record index of an IPv4 address (as an unsigned 32-bit number), 0 when unrouted. */
export function findV4(t: AsnTable, ip: number): number {
  const s = t.v4Starts;
  let lo = 0;
  let hi = s.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= ip) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at < 0 ? 0 : t.v4Recs[at];
}

function cmp6(s: Uint32Array, i: number, w: Uint32Array): number {
  const o = i * 4;
  for (let k = 0; k < 4; k++) if (s[o + k] !== w[k]) return s[o + k] < w[k] ? -1 : 1;
  return 0;
}

/** The record index of an IPv6 address given as four 32-bit words, 0 when unrouted. */
export function findV6(t: AsnTable, words: Uint32Array): number {
  let lo = 0;
  let hi = t.v6Recs.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp6(t.v6Starts, mid, words) <= 0) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at < 0 ? 0 : t.v6Recs[at];
}

/** The ASN and org of a record index, null for 0. */
export function recordAt(t: AsnTable, rec: number): AsnRecord | null {
  if (rec === 0 || rec >= t.recAsn.length) return null;
  const o = t.recOrg[rec];
  const org = t.orgBlob.toString('utf8', t.orgOffsets[o], t.orgOffsets[o + 1]);
  return { asn: t.recAsn[rec], org: org === '' ? null : org };
}

// File: "TMASN" + version byte + 2 spare, a native-endian check word (typed arrays are native
// endian; a file from another machine is recompiled, not misread), fingerprint length and text,
// then the deflated body: eight sections, each a u32 element count then its data, 4-byte aligned.
const MAGIC = Buffer.from('TMASN\x01\0\0', 'latin1');
const ENDIAN = 0x01020304;

function sections(t: AsnTable): Uint8Array[] {
  const arrays = [t.v4Starts, t.v4Recs, t.v6Starts, t.v6Recs, t.recAsn, t.recOrg, t.orgOffsets];
  const out: Uint8Array[] = [];
  for (const a of arrays) out.push(new Uint8Array(new Uint32Array([a.length]).buffer), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const pad = (4 - (t.orgBlob.length % 4)) % 4;
  out.push(new Uint8Array(new Uint32Array([t.orgBlob.length]).buffer), t.orgBlob, new Uint8Array(pad));
  return out;
}

/**
 * The file bytes of a table. Deflated (level 1): the 10.4 MB table shrinks to 4.4 MB, and the
 * file sits in /tmp, which is RAM on the router, on top of the loaded copy.
 */
export function encodeAsnTable(t: AsnTable, fingerprint: string): Buffer {
  const fp = Buffer.from(fingerprint, 'utf8');
  const head = Buffer.alloc(16);
  MAGIC.copy(head, 0);
  new Uint32Array(head.buffer, head.byteOffset + 8, 1)[0] = ENDIAN;
  head.writeUInt32LE(fp.length, 12);
  return Buffer.concat([head, fp, deflateSync(Buffer.concat(sections(t)), { level: 1 })]);
}

/** The fingerprint stored in a table file, or null if the bytes are not one (or another endianness). */
export function tableFingerprint(file: Buffer): string | null {
  if (file.length < 16 || !file.subarray(0, 8).equals(MAGIC)) return null;
  if (new Uint32Array(file.buffer.slice(file.byteOffset + 8, file.byteOffset + 12))[0] !== ENDIAN) return null;
  const n = file.readUInt32LE(12);
  return file.length < 16 + n ? null : file.toString('utf8', 16, 16 + n);
}

/** The table in a file written by encodeAsnTable; throws on a damaged file. */
export function decodeAsnTable(file: Buffer): AsnTable {
  const fp = tableFingerprint(file);
  if (fp === null) throw new Error('not an ASN table file');
  const raw = inflateSync(file.subarray(16 + Buffer.byteLength(fp)));
  // Views need 4-byte alignment; inflate returns a fresh buffer, copied only if it is not aligned.
  const body = raw.byteOffset % 4 === 0 ? raw : Buffer.from(raw);
  let off = 0;
  const count = (): number => {
    if (off + 4 > body.length) throw new Error('ASN table truncated');
    const n = new Uint32Array(body.buffer, body.byteOffset + off, 1)[0]; // native endian, as written
    off += 4;
    return n;
  };
  const u32 = (): Uint32Array => {
    const n = count();
    const a = new Uint32Array(body.buffer, body.byteOffset + off, n); // RangeError past the end
    off += n * 4;
    return a;
  };
  const [v4Starts, v4Recs, v6Starts, v6Recs, recAsn, recOrg, orgOffsets] = [u32(), u32(), u32(), u32(), u32(), u32(), u32()];
  const blobLen = count();
  const orgBlob = body.subarray(off, off + blobLen);
  if (v4Starts.length !== v4Recs.length || v6Starts.length !== v6Recs.length * 4 || recAsn.length !== recOrg.length || orgBlob.length !== blobLen) {
    throw new Error('ASN table sections disagree');
  }
  return { v4Starts, v4Recs, v6Starts, v6Recs, recAsn, recOrg, orgOffsets, orgBlob, bytes: body.length };
}
