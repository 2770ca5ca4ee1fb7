/**
 * The query log's byte layout. Raw bytes, not lmdb's msgpack and string keys: bundled by esbuild,
 * lmdb 3.5.6 decoded string keys wrongly (docs/design.md), and our own layout is about half the
 * size of msgpack with field names.
 *
 * Key (8 bytes): u48 big-endian arrival time in ms, u16 sequence within that ms. Big-endian
 * makes LMDB's byte order the time order, so a time range is a key range and the oldest entries
 * are the first keys.
 *
 * Value, version 1: u8 version, u8 action, u16 qtype, i8 rcode, u32 latency ms (capped), then
 * strings as u16 length + UTF-8 — deviceId, mac, deviceName, client, name, flag, detail,
 * upstream, registration — then u8 count of CNAMEs and each as a string, then u8 count of
 * answers and each as ip, country, u32 asn, org. A household entry is about 150–250 bytes.
 */
import { ACTIONS, type LogEntry } from './types.js';

const VERSION = 1;
/** Longest string kept, in characters: a name is at most 1 004 (255 octets, each `\DDD`). */
const MAX_STRING = 1024;
/** Most CNAMEs and answer addresses kept per entry: bounds one entry to a few KB. */
const MAX_LIST = 32;

/** Scratch for one value: 64 KB holds any household entry; grown for a pathological one. */
let scratch = Buffer.alloc(65_536);

/** The 8-byte key for an arrival time and a sequence number within that millisecond. */
export function encodeKey(time: number, seq: number): Buffer {
  const k = Buffer.alloc(8);
  k.writeUIntBE(Math.max(0, Math.min(time, 2 ** 48 - 1)), 0, 6);
  k.writeUInt16BE(seq & 0xffff, 6);
  return k;
}

/** Time and sequence of a key. */
export function decodeKey(key: Uint8Array): { time: number; seq: number } {
  const b = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { time: b.readUIntBE(0, 6), seq: b.readUInt16BE(6) };
}

/** The cursor text of a key ("time-seq"). */
export function keyToCursor(key: Uint8Array): string {
  const { time, seq } = decodeKey(key);
  return `${time}-${seq}`;
}

/** The key just before a cursor (pages are exclusive of the last entry shown), or null if invalid. */
export function beforeCursor(cursor: string): Buffer | null {
  const m = /^(\d{1,15})-(\d{1,5})$/.exec(cursor);
  if (!m) return null;
  const time = Number(m[1]);
  const seq = Number(m[2]);
  if (seq > 0xffff) return null;
  return seq > 0 ? encodeKey(time, seq - 1) : time > 0 ? encodeKey(time - 1, 0xffff) : null;
}

let at = 0;

function putString(s: string): void {
  const text = s.length > MAX_STRING ? s.slice(0, MAX_STRING) : s;
  if (at + 6 + 3 * text.length > scratch.length) scratch = Buffer.concat([scratch, Buffer.alloc(scratch.length)]); // 3 B per UTF-16 unit at most
  const n = scratch.write(text, at + 2, 'utf8');
  scratch.writeUInt16BE(n, at);
  at += 2 + n;
}

/** The stored bytes of an entry (its id and time live in the key). */
export function encodeEntry(e: LogEntry): Buffer {
  scratch[0] = VERSION;
  scratch[1] = Math.max(0, ACTIONS.indexOf(e.action));
  scratch.writeUInt16BE(e.qtype & 0xffff, 2);
  scratch.writeInt8(Math.max(-1, Math.min(e.rcode, 15)), 4);
  scratch.writeUInt32BE(Math.max(0, Math.min(Math.round(e.latencyMs), 0xffffffff)), 5);
  at = 9;
  for (const s of [e.deviceId, e.mac, e.deviceName, e.client, e.name, e.flag, e.detail, e.upstream, e.registration]) putString(s);
  const cnames = e.cnames.length > MAX_LIST ? e.cnames.slice(0, MAX_LIST) : e.cnames;
  scratch[at++] = cnames.length;
  for (const c of cnames) putString(c);
  const answers = e.answers.length > MAX_LIST ? e.answers.slice(0, MAX_LIST) : e.answers;
  scratch[at++] = answers.length;
  for (const a of answers) {
    putString(a.ip);
    putString(a.country);
    scratch.writeUInt32BE(a.asn >>> 0, at);
    at += 4;
    putString(a.org);
  }
  return Buffer.from(scratch.subarray(0, at)); // a copy: lmdb keeps the buffer until the commit
}

/** The entry for a key and stored bytes, or null if they are not a valid version-1 record. */
export function decodeEntry(key: Uint8Array, value: Uint8Array): LogEntry | null {
  const b = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (b.length < 9 || b[0] !== VERSION || key.length !== 8) return null;
  let p = 9;
  const str = (): string => {
    if (p + 2 > b.length) throw new RangeError('truncated');
    const n = b.readUInt16BE(p);
    if (p + 2 + n > b.length) throw new RangeError('truncated');
    p += 2 + n;
    return b.toString('utf8', p - n, p);
  };
  try {
    const [deviceId, mac, deviceName, client, name, flag, detail, upstream, registration] = Array.from({ length: 9 }, str);
    const cnames = Array.from({ length: b[p++] ?? 0 }, str);
    const answers = Array.from({ length: b[p++] ?? 0 }, () => {
      const ip = str();
      const country = str();
      const asn = b.readUInt32BE(p);
      p += 4;
      return { ip, country, asn, org: str() };
    });
    const { time, seq } = decodeKey(key);
    const action = ACTIONS[b[1]] ?? 'dropped';
    return { id: `${time}-${seq}`, time, deviceId, mac, deviceName, client, name, qtype: b.readUInt16BE(2), rcode: b.readInt8(4), action, flag, detail, upstream, latencyMs: b.readUInt32BE(5), cnames, answers, registration };
  } catch {
    return null; // a torn or foreign record is a miss, never an exception in the admin
  }
}
