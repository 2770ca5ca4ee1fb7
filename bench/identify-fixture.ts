/** Fixture of bench/identify.mjs: 10 000 devices, a filled neighbour table, decoded queries. */
import { readClientOptions } from '../src/devices/client-options.js';
import { createIdentifier } from '../src/devices/identify.js';
import { createNeighbourTable } from '../src/devices/neighbours.js';
import { vendorOf } from '../src/devices/oui.js';
import { createRegistry } from '../src/devices/registry.js';
import { newQuery, type Query } from '../src/resolver/query.js';
import { decode } from '../src/resolver/stages/decode.js';

const N = 10_000;
const mac = (i: number) => `02:00:5e:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

function query(address: string, macOption?: string): Query {
  const name = Buffer.from([7, ...Buffer.from('example'), 3, ...Buffer.from('org'), 0]);
  const opt = macOption ? Buffer.concat([Buffer.from([0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 10, 0xfd, 0xe9, 0, 6]), Buffer.from(macOption.split(':').map((h) => parseInt(h, 16)))]) : Buffer.alloc(0);
  const raw = Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, macOption ? 1 : 0]), name, Buffer.from([0, 1, 0, 1]), opt]);
  const q = newQuery(raw, { address, port: 5353 }, 'udp', Date.now());
  decode(q);
  return q;
}

export function makeIdentifyBench() {
  const arp = ['IP address       HW type     Flags       HW address            Mask     Device', ...Array.from({ length: N }, (_, i) => `${ip(i)} 0x1 0x2 ${mac(i)} * br-lan`)].join('\n');
  const neighbours = createNeighbourTable({ readArp: () => arp, runIpNeigh: async () => '' });
  void neighbours.refresh();
  const registry = createRegistry({ flash: null, vendorOf, suggest: () => [], maxDevices: 2 * N });
  const identify = createIdentifier({ registry, neighbours, readClientOptions, trustedForwarders: new Set(['127.0.0.1']) });
  const direct = Array.from({ length: N }, (_, i) => query(ip(i)));
  const viaDnsmasq = Array.from({ length: N }, (_, i) => query('127.0.0.1', mac(i)));
  const loop = (qs: Query[]) => (rounds: number) => {
    for (let r = 0; r < rounds; r++) for (const q of qs) identify(q);
    return rounds * qs.length;
  };
  return { cases: { 'direct (arp)': loop(direct), 'dnsmasq add-mac': loop(viaDnsmasq) } };
}
