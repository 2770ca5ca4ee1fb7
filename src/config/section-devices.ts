/**
 * `config devices 'devices'`: how telemute learns who is asking.
 *
 *   option dnsmasq_leases '/tmp/dhcp.leases'     dnsmasq's DHCP lease file (hostnames). Default as shown.
 *   option odhcpd_leases '/tmp/hosts/odhcpd'     odhcpd's lease file (DHCPv6 hostnames). Default as shown.
 *   list trusted_forwarder '127.0.0.1'           whose add-mac/add-subnet options are believed. Default loopback.
 *   option flush_interval '900'                  at most one device snapshot to flash per this many s. Default 900.
 */
import { isIP } from 'node:net';
import { DEFAULT_TRUSTED_FORWARDERS } from '../devices/client-options.js';
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface DevicesSettings {
  dnsmasqLeases: string;
  odhcpdLeases: string;
  trustedForwarders: string[];
  flushIntervalS: number;
}

const KNOWN = ['dnsmasq_leases', 'odhcpd_leases', 'trusted_forwarder', 'flush_interval'];

/** Reads the devices section (defaults when absent). */
export function readDevicesSection(section: UciSection | null, errors: ConfigErrors): DevicesSettings {
  const o = optionReader(section, errors, KNOWN);
  const trusted = o.list('trusted_forwarder') ?? [...DEFAULT_TRUSTED_FORWARDERS];
  for (const t of trusted) if (!isIP(t)) errors.add(o.line('trusted_forwarder'), 'trusted_forwarder', `'${t}' is not an IP address`);
  return {
    dnsmasqLeases: o.string('dnsmasq_leases') ?? '/tmp/dhcp.leases',
    odhcpdLeases: o.string('odhcpd_leases') ?? '/tmp/hosts/odhcpd',
    trustedForwarders: trusted,
    flushIntervalS: o.int('flush_interval', 10, 86_400) ?? 900,
  };
}
