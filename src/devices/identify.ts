/**
 * Who asked: turns a query into a device of the registry. Runs on every query, so it only reads
 * memory — the neighbour table is refreshed in the background, never here.
 *
 * - From a trusted forwarder (dnsmasq on loopback, FACTS.md §4): the MAC that `--add-mac` put in
 *   the query's EDNS options, else the client address from `--add-subnet` (ECS /32 or /128),
 *   looked up in the neighbour table. dnsmasq only adds a MAC for hosts on the LAN.
 * - From a LAN client asking directly: its address, looked up in the neighbour table.
 * - Loopback without options: the router itself.
 * - No MAC known yet: an "unknown device" keyed by its address, until the MAC is learnt.
 */
import type { Query } from '../resolver/query.js';
import type { Device, Registry } from './registry.js';

export interface IdentifyOptions {
  registry: Registry;
  neighbours: { lookup(ip: string): string | null };
  readClientOptions: (raw: Uint8Array, offset: number, length: number) => { mac: string | null; subnet: { address: string; prefix: number; family: 4 | 6 } | null };
  /** Addresses whose EDNS client options are believed (the local dnsmasq). */
  trustedForwarders: ReadonlySet<string>;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The identify function the identify stage calls. */
export function createIdentifier(o: IdentifyOptions): (q: Query) => Device {
  const { registry, neighbours } = o;
  return function identifyDevice(q: Query): Device {
    const now = q.receivedAt;
    let ip = q.client.address;
    if (q.optionsLength > 0 && o.trustedForwarders.has(ip)) {
      const c = o.readClientOptions(q.raw, q.optionsOffset, q.optionsLength);
      const subnet = c.subnet && (c.subnet.prefix === 32 || c.subnet.prefix === 128) ? c.subnet.address : null;
      if (c.mac !== null) return registry.seen(c.mac, c.mac, subnet ?? ip, now);
      if (subnet !== null) ip = subnet;
    }
    const mac = neighbours.lookup(ip);
    if (mac !== null) return registry.seen(mac, mac, ip, now);
    if (LOOPBACK.test(ip)) return registry.seen('router', null, ip, now);
    return registry.seen(`ip:${ip}`, null, ip, now);
  };
}
