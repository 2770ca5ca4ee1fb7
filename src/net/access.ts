/**
 * Who may use the resolver. telemute must never be an open resolver (amplification, RFC 5358):
 * by default it serves loopback and the subnets of the host's own interfaces other than the WAN
 * (the ones holding a default route), as dnsmasq's `local-service` does; the owner may list
 * prefixes instead. Decisions are remembered per address, so the check costs one Map lookup.
 */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { log } from '../log.js';
import { inPrefixes, parsePrefix, type Prefix } from './cidr.js';

const LOOPBACK = ['127.0.0.0/8', '::1/128'].map(parsePrefix);

export interface AccessList {
  isAllowed(address: string): boolean;
  /** The prefixes in force, for the log and the admin. */
  prefixes(): string[];
  /** Re-reads the interfaces (auto mode) and forgets remembered decisions. */
  refresh(): void;
}

/** `configured`: prefixes from the config, or null for automatic (loopback + LAN subnets). */
export function createAccessList(configured: string[] | null, readInterfaces = localSubnets): AccessList {
  let prefixes: Prefix[] = [];
  const decided = new Map<string, boolean>();
  function refresh() {
    prefixes = [...LOOPBACK, ...(configured ?? readInterfaces()).map(parsePrefix)];
    decided.clear();
  }
  refresh();
  return {
    isAllowed(address) {
      let ok = decided.get(address);
      if (ok === undefined) {
        ok = inPrefixes(address, prefixes);
        if (decided.size >= 4096) decided.clear(); // a scan from many addresses must not grow memory
        decided.set(address, ok);
      }
      return ok;
    },
    prefixes: () => prefixes.map((p) => p.text),
    refresh,
  };
}

/** Subnets of this host's interfaces, except the WAN ones (interfaces with a default route). */
export function localSubnets(): string[] {
  const wan = defaultRouteInterfaces();
  const out: string[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (wan.has(name) || !addrs) continue;
    for (const a of addrs) if (!a.internal && a.cidr) out.push(a.cidr);
  }
  return out;
}

/** Interfaces holding an IPv4 or IPv6 default route, from /proc/net (no netlink in Node). */
export function defaultRouteInterfaces(): Set<string> {
  const wan = new Set<string>();
  try {
    for (const line of readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 7 && f[1] === '00000000' && f[7] === '00000000') wan.add(f[0]);
    }
  } catch (err) {
    log('debug', `no /proc/net/route: ${(err as Error).message}`);
  }
  try {
    for (const line of readFileSync('/proc/net/ipv6_route', 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      // destination ::/0 that is not a reject/loopback route (flags RTF_REJECT 0x0200)
      if (f.length >= 10 && /^0+$/.test(f[0]) && f[1] === '00' && f[9] !== 'lo' && !(parseInt(f[8], 16) & 0x200)) wan.add(f[9]);
    }
  } catch (err) {
    log('debug', `no /proc/net/ipv6_route: ${(err as Error).message}`);
  }
  return wan;
}
