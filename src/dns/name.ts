/**
 * Domain names between presentation form ("www.example.org") and wire form. Lookups by name
 * (cache, blocklists, local zones, forward rules) compare lowercase wire names held as latin1
 * strings: the query's bytes can be sliced into such a key without decoding labels.
 */

/**
 * Writes label byte `c` in presentation form at `out[o]`, escaped as RFC 1035 §5.1 says (`\.`,
 * `\\`, `\DDD` outside printable ASCII); returns the offset after it (at most 4 bytes on).
 */
function writeLabelByte(out: Uint8Array, o: number, c: number): number {
  if (c === 0x2e || c === 0x5c) {
    out[o] = 0x5c;
    out[o + 1] = c;
    return o + 2;
  }
  if (c > 0x20 && c < 0x7f) {
    out[o] = c;
    return o + 1;
  }
  out[o] = 0x5c;
  out[o + 1] = 0x30 + ((c / 100) | 0);
  out[o + 2] = 0x30 + (((c / 10) | 0) % 10);
  out[o + 3] = 0x30 + (c % 10);
  return o + 4;
}

/** Room for one escaped byte. */
const oneByte = Buffer.alloc(4);

/** One label byte in presentation form, escaped as RFC 1035 §5.1 says. */
export function escapeLabelByte(c: number): string {
  return oneByte.latin1Slice(0, writeLabelByte(oneByte, 0, c));
}

/** Presentation text of one name: 255 octets, each at most 4 characters (`\DDD`). */
const text = Buffer.alloc(1024);

/**
 * Presentation form of a wire name held as a latin1 string (no trailing dot; '.' for the root).
 * Written into a byte buffer and read out once, like nameToWire: joining characters made a rope
 * of one heap object per character, and on the blocked-name path (a decision's detail per query)
 * V8 came to allocate them in the old generation (docs/performance.md).
 */
export function wireStringToName(wire: string): string {
  let o = 0;
  for (let i = 0; i < wire.length; ) {
    const len = wire.charCodeAt(i);
    if (len === 0) break;
    if (o !== 0) text[o++] = 0x2e;
    for (let j = i + 1; j <= i + len && o < text.length - 4; j++) o = writeLabelByte(text, o, wire.charCodeAt(j) & 0xff);
    i += len + 1;
  }
  return o === 0 ? '.' : text.latin1Slice(0, o);
}

/** Scratch space for one name: a name is at most 255 octets. */
const scratch = Buffer.alloc(256);

/**
 * Wire form (latin1 string, root label included, ASCII lowercased) of a presentation name,
 * or null if it is not a valid name. Accepts a trailing dot and `\.`/`\DDD` escapes.
 * Written into a byte buffer and read out once: one flat string (joining characters would leave
 * a rope of many heap objects per name, measured 212 MB against 85 MB for 1M list names).
 */
export function nameToWire(name: string): string | null {
  if (name === '.' || name === '') return '\0';
  let o = 1; // scratch[lenAt] gets each label's length when the label ends
  let lenAt = 0;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c === 0x2e) {
      const n = o - lenAt - 1;
      if (n === 0 || n > 63) return null; // empty or over-long label
      scratch[lenAt] = n;
      lenAt = o++;
      if (i === name.length - 1) break; // the trailing dot of a fully qualified name
      continue;
    }
    if (c === 0x5c) {
      const digits = name.slice(i + 1, i + 4);
      if (/^\d{3}$/.test(digits)) {
        c = Number(digits);
        if (c > 255) return null;
        i += 3;
      } else if (i + 1 < name.length) {
        c = name.charCodeAt(++i);
      } else return null;
    }
    if (c > 255 || o >= 255) return null;
    scratch[o++] = c >= 0x41 && c <= 0x5a ? c + 32 : c;
  }
  const last = o - lenAt - 1;
  if (last > 63) return null;
  if (last > 0) {
    scratch[lenAt] = last;
    scratch[o++] = 0;
  } else {
    scratch[lenAt] = 0; // ended with the trailing dot: that position is the root label
    o = lenAt + 1;
  }
  return o > 255 ? null : scratch.latin1Slice(0, o);
}
