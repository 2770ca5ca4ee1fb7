/**
 * Reads a blocklist file: one domain per line, `#` comments, blank lines ignored; a hosts-file
 * line (`0.0.0.0 example.org [more names]`) is read as its names. Bad lines are counted and
 * skipped, never fatal: a list with some bad lines still loads the good ones (blocky's rule).
 * The full list formats (AdBlock, dnsmasq) come with the policy engine.
 *
 * Parsed byte by byte into flat latin1 wire strings: building names by string concatenation
 * left rope strings of ~6 heap objects each (measured: 260 B per name, 26 MB for 100k names);
 * a flat string is one object (~64 B per name with its Set slot).
 */
import { readFileSync } from 'node:fs';

export interface DomainList {
  /** Lowercase wire names (latin1 strings), the keys the policy stage looks up. */
  wires: Set<string>;
  lines: number;
  bad: number;
  /** The first few bad lines, for the log. */
  samples: string[];
}

const HOSTS_ADDRESSES = new Set(['0.0.0.0', '127.0.0.1', '::', '::1']);

/** An empty list to parse into. */
export function emptyDomainList(): DomainList {
  return { wires: new Set(), lines: 0, bad: 0, samples: [] };
}

/** Parses list bytes (or text) into wire names. */
export function parseDomainList(input: Uint8Array | string, into: DomainList = emptyDomainList()): DomainList {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const wire = Buffer.allocUnsafe(256);
  let pos = 0;
  while (pos < bytes.length) {
    let end = bytes.indexOf(0x0a, pos);
    if (end < 0) end = bytes.length;
    into.lines++;
    if (!parseLine(bytes, pos, end, wire, into)) {
      into.bad++;
      if (into.samples.length < 5) into.samples.push(`line ${into.lines}: ${JSON.stringify(Buffer.from(bytes.subarray(pos, Math.min(end, pos + 80))).toString('latin1').trim())}`);
    }
    pos = end + 1;
  }
  return into;
}

/** Reads and parses a list file. Throws (with the path) only if the file cannot be read. */
export function readDomainList(path: string, into?: DomainList): DomainList {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`blocklist ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseDomainList(bytes, into);
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d;

/** Adds the names of one line; false if the line is not valid. */
function parseLine(b: Uint8Array, start: number, end: number, wire: Buffer, list: DomainList): boolean {
  const tokens: [number, number][] = [];
  let i = start;
  while (i < end) {
    while (i < end && isSpace(b[i])) i++;
    if (i >= end || b[i] === 0x23) break; // '#': comment to the end of the line
    const t = i;
    while (i < end && !isSpace(b[i]) && b[i] !== 0x23) i++;
    tokens.push([t, i]);
  }
  if (tokens.length === 0) return true;
  let first = 0;
  if (tokens.length > 1) {
    const addr = Buffer.from(b.subarray(tokens[0][0], tokens[0][1])).toString('latin1');
    if (!HOSTS_ADDRESSES.has(addr)) return false;
    first = 1;
  }
  for (let k = first; k < tokens.length; k++) {
    const len = toWire(b, tokens[k][0], tokens[k][1], wire);
    if (first === 1 && (len === SINGLE_LABEL || wire.latin1Slice(0, len) === LOCALDOMAIN)) continue; // hosts-file housekeeping: localhost, broadcasthost
    if (len < 0) return false;
    list.wires.add(wire.latin1Slice(0, len));
  }
  return true;
}

/**
 * Writes the lowercase wire form of the host name in b[start, end) into `out`; returns its length,
 * SINGLE_LABEL for a one-label name, or -1 unless it is a valid host name: letters, digits, '-' and '_' (SRV/DMARC-style labels
 * appear in lists), labels of 1-63 bytes, at most 255 bytes, one optional trailing dot.
 */
function toWire(b: Uint8Array, start: number, end: number, out: Buffer): number {
  if (end > start && b[end - 1] === 0x2e) end--;
  if (end <= start || end - start > 253) return -1;
  let o = 0;
  let lenAt = 0;
  out[0] = 0;
  o = 1;
  for (let i = start; i < end; i++) {
    let c = b[i];
    if (c === 0x2e) {
      const n = o - lenAt - 1;
      if (n === 0 || n > 63) return -1;
      out[lenAt] = n;
      lenAt = o++;
      continue;
    }
    if (c >= 0x41 && c <= 0x5a) c += 32;
    else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x5f)) return -1;
    out[o++] = c;
  }
  const n = o - lenAt - 1;
  if (n === 0 || n > 63) return -1;
  out[lenAt] = n;
  out[o++] = 0;
  if (lenAt === 0) return SINGLE_LABEL; // a bare TLD ("com") would block a whole TLD: never from a list
  return o;
}

const SINGLE_LABEL = -2;
const LOCALDOMAIN = '\x09localhost\x0blocaldomain\x00';
