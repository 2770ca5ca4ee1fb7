/**
 * Names that must never reach a public upstream: they are private to the house, or answering
 * them publicly leaks which private addresses exist (RFC 6303 §1). They go to the local server
 * (dnsmasq on the router, which holds DHCP names) or get NXDOMAIN with an SOA.
 */

/** RFC 6303 §4 locally served zones, RFC 7793 (100.64.0.0/10 reverse), RFC 8375 home.arpa, RFC 6762 local. */
export function localZoneNames(lanDomain: string | null): string[] {
  const zones = [
    // RFC 6303 §4.1: RFC 1918 reverse zones
    '10.in-addr.arpa',
    ...Array.from({ length: 16 }, (_, i) => `${16 + i}.172.in-addr.arpa`),
    '168.192.in-addr.arpa',
    // RFC 6303 §4.2: special IPv4 ranges
    '0.in-addr.arpa',
    '127.in-addr.arpa',
    '254.169.in-addr.arpa',
    '2.0.192.in-addr.arpa',
    '100.51.198.in-addr.arpa',
    '113.0.203.in-addr.arpa',
    '255.255.255.255.in-addr.arpa',
    // RFC 6303 §4.3: the unspecified and loopback IPv6 addresses
    '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa',
    '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa',
    // RFC 6303 §4.4-4.6: ULA, link-local, documentation
    'd.f.ip6.arpa',
    '8.e.f.ip6.arpa',
    '9.e.f.ip6.arpa',
    'a.e.f.ip6.arpa',
    'b.e.f.ip6.arpa',
    '8.b.d.0.1.0.0.2.ip6.arpa',
    // RFC 7793: shared address space 100.64.0.0/10 (carrier-grade NAT)
    ...Array.from({ length: 64 }, (_, i) => `${64 + i}.100.in-addr.arpa`),
    'home.arpa',
    'local',
  ];
  if (lanDomain) zones.push(lanDomain);
  return zones;
}

/** RFC 6761 §6.4 `invalid` and RFC 7686 `onion`: always NXDOMAIN, never forwarded anywhere. */
export const NXDOMAIN_ZONES = ['invalid', 'onion'];
