/**
 * The system's upstream list: `nameserver` lines of a resolv.conf-style file. On OpenWrt that is
 * dnsmasq's /tmp/resolv.conf.d/resolv.conf.auto (the WAN's DNS servers), never /etc/resolv.conf,
 * which points at dnsmasq, which forwards to telemute: a loop. For the same reason addresses of
 * this host are skipped here (they are only used when given explicitly).
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { addressValue } from '../net/cidr.js';

/** Addresses that point back at this host: loopback, unspecified, and every interface address. */
export function ownAddresses(): Set<string> {
  const own = new Set<string>();
  for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) own.add(String(addressValue(a.address)));
  return own;
}

/** Nameserver addresses from resolv.conf text, minus this host's own. */
export function parseResolvConf(text: string, own: Set<string>): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const bare = m[1].replace(/%.*$/, ''); // compared without the zone index...
    const v = addressValue(bare);
    if (!isIP(bare) || v === null) continue;
    const isLoopback = (v >> 24n) === 0xffff7fn || v === 1n || v === 0n || v === 0xffff00000000n;
    if (isLoopback || own.has(String(v))) continue;
    if (!out.includes(m[1])) out.push(m[1]); // ...but kept: a link-local server is unreachable without it
  }
  return out;
}

/** Reads the file; a missing file gives an empty list (the caller logs it). */
export function readSystemUpstreams(file: string, own = ownAddresses()): string[] {
  try {
    return parseResolvConf(readFileSync(file, 'utf8'), own);
  } catch {
    return [];
  }
}
