/**
 * Domain names between presentation form ("www.example.org") and wire form. Lookups by name
 * (cache, blocklists, local zones, forward rules) compare lowercase wire names held as latin1
 * strings: the query's bytes can be sliced into such a key without decoding labels.
 */

/** One label byte in presentation form, escaped as RFC 1035 §5.1 says. */
export function escapeLabelByte(c: number): string {
  if (c === 0x2e || c === 0x5c) return '\\' + String.fromCharCode(c);
  if (c > 0x20 && c < 0x7f) return String.fromCharCode(c);
  return '\\' + String(c).padStart(3, '0');
}

/** Presentation form of a wire name held as a latin1 string (no trailing dot; '.' for the root). */
export function wireStringToName(wire: string): string {
  let out = '';
  for (let i = 0; i < wire.length; ) {
    const len = wire.charCodeAt(i);
    if (len === 0) break;
    if (out !== '') out += '.';
    for (let j = i + 1; j <= i + len; j++) out += escapeLabelByte(wire.charCodeAt(j));
    i += len + 1;
  }
  return out === '' ? '.' : out;
}

/**
 * Wire form (latin1 string, root label included, ASCII lowercased) of a presentation name,
 * or null if it is not a valid name. Accepts a trailing dot and `\.`/`\DDD` escapes.
 */
export function nameToWire(name: string): string | null {
  if (name === '.' || name === '') return '\0';
  const labels: string[] = [];
  let label = '';
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c === 0x2e) {
      if (label === '') return null; // empty label
      labels.push(label);
      label = '';
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
    if (c > 255) return null;
    label += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  if (label !== '') labels.push(label);
  let wire = '';
  for (const l of labels) {
    if (l.length > 63) return null;
    wire += String.fromCharCode(l.length) + l;
  }
  wire += '\0';
  return wire.length > 255 ? null : wire;
}
