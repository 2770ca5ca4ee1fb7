/**
 * IP prefixes: parsing "192.168.1.0/24" or "2001:db8::/32" and matching addresses against a set
 * of them. Addresses are compared as 128-bit values (IPv4 as ::ffff:a.b.c.d), held as BigInt:
 * matching is done once per client address and then remembered by the caller.
 */
import { isIP } from 'node:net';

export interface Prefix {
  text: string;
  value: bigint;
  bits: number;
}

/** An IPv4 address as given, or an IPv6 address in RFC 5952 form without its `%zone`; else null. */
export function canonicalIp(text: string): string | null {
  const pct = text.indexOf('%');
  const a = pct >= 0 ? text.slice(0, pct) : text;
  const kind = isIP(a);
  if (kind === 4) return a;
  if (kind !== 6) return null;
  // WHATWG URL serialises IPv6 hosts per RFC 5952 §4 (lowercase, longest zero run as ::), as Node
  // prints the addresses of received packets.
  return new URL(`http://[${a}]`).hostname.slice(1, -1);
}

/** The 128-bit value of an IPv4 or IPv6 address (IPv4 mapped into ::ffff:0:0/96), or null. */
export function addressValue(address: string): bigint | null {
  const pct = address.indexOf('%'); // zone index of a link-local address
  const a = pct >= 0 ? address.slice(0, pct) : address;
  const kind = isIP(a);
  if (kind === 4) return 0xffff00000000n | BigInt(ipv4ToInt(a));
  if (kind !== 6) return null;
  const tail4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  let text = a;
  let low = 0n;
  let groups = 8;
  if (tail4) {
    low = BigInt(ipv4ToInt(tail4[1]));
    text = a.slice(0, -tail4[1].length) + '0:0';
    groups = 8;
  }
  const [head, rest] = text.split('::');
  const h = head ? head.split(':') : [];
  const r = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const all = rest !== undefined ? [...h, ...Array(groups - h.length - r.length).fill('0'), ...r] : h;
  let v = 0n;
  for (const g of all) v = (v << 16n) | BigInt(parseInt(g || '0', 16));
  return tail4 ? (v & ~0xffffffffn) | low : v;
}

function ipv4ToInt(a: string): number {
  return a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Parses "addr/len" (or a bare address: a host prefix); throws with a clear message. */
export function parsePrefix(text: string): Prefix {
  const [addr, len, extra] = text.trim().split('/');
  const value = addressValue(addr);
  if (value === null || extra !== undefined) throw new Error(`'${text}' is not an IP prefix (like 192.168.1.0/24 or 2001:db8::/32)`);
  const v4 = isIP(addr) === 4;
  const max = v4 ? 32 : 128;
  const n = len === undefined ? max : Number(len);
  if (!Number.isInteger(n) || n < 0 || n > max || (len !== undefined && !/^\d+$/.test(len))) throw new Error(`'${text}': prefix length must be 0-${max}`);
  const bits = v4 ? n + 96 : n;
  return { text, value: value & mask(bits), bits };
}

function mask(bits: number): bigint {
  return bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
}

/** Whether the address lies in any of the prefixes. */
export function inPrefixes(address: string, prefixes: Prefix[]): boolean {
  const v = addressValue(address);
  if (v === null) return false;
  return prefixes.some((p) => (v & mask(p.bits)) === p.value);
}
