import { describe, expect, it } from 'vitest';
import { createIdentifier } from '../../src/devices/identify.js';
import { createRegistry } from '../../src/devices/registry.js';
import { decodedQuery } from '../resolver/query-fixture.js';

const MAC = '64:09:80:3a:4b:5c';
const OTHER = '02:00:5e:10:00:01';

function setup(options: { mac?: string | null; subnet?: string | null } = {}) {
  const registry = createRegistry({ flash: null, vendorOf: () => ({ vendor: null, isPrivate: false }), suggest: () => [] });
  const table = new Map([['192.168.1.20', MAC], ['192.168.1.30', OTHER]]);
  const identify = createIdentifier({
    registry,
    neighbours: { lookup: (ip) => table.get(ip) ?? null },
    readClientOptions: () => ({ mac: options.mac ?? null, subnet: options.subnet ? { family: 4, address: options.subnet, prefix: 32 } : null }),
    trustedForwarders: new Set(['127.0.0.1', '::1']),
  });
  return { registry, identify };
}
const withOptions = { edns: { options: [{ code: 65001, data: Buffer.from([0x64, 0x09, 0x80, 0x3a, 0x4b, 0x5c]) }] } };

describe('identify', () => {
  it('finds a LAN client by its address in the neighbour table', () => {
    const { identify } = setup();
    expect(identify(decodedQuery({ name: 'example.org' }, { address: '192.168.1.20' })).id).toBe(MAC);
  });

  it('keeps the device when its address changes', () => {
    const { identify, registry } = setup();
    identify(decodedQuery({ name: 'example.org' }, { address: '192.168.1.20' }));
    const table = new Map([['192.168.1.21', MAC]]);
    const moved = createIdentifier({ registry, neighbours: { lookup: (ip) => table.get(ip) ?? null }, readClientOptions: () => ({ mac: null, subnet: null }), trustedForwarders: new Set() });
    expect(moved(decodedQuery({ name: 'example.org' }, { address: '192.168.1.21' })).ips).toEqual(['192.168.1.21', '192.168.1.20']);
  });

  it('believes the MAC that dnsmasq added, from a trusted forwarder', () => {
    const { identify } = setup({ mac: OTHER, subnet: '192.168.1.30' });
    const d = identify(decodedQuery({ name: 'example.org', ...withOptions }, { address: '127.0.0.1' }));
    expect(d.id).toBe(OTHER);
    expect(d.ips).toEqual(['192.168.1.30']);
  });

  it('uses the ECS address when dnsmasq added no MAC', () => {
    const { identify } = setup({ mac: null, subnet: '192.168.1.20' });
    expect(identify(decodedQuery({ name: 'example.org', ...withOptions }, { address: '127.0.0.1' })).id).toBe(MAC);
  });

  it('ignores client options from an untrusted address', () => {
    const { identify } = setup({ mac: OTHER });
    expect(identify(decodedQuery({ name: 'example.org', ...withOptions }, { address: '192.168.1.20' })).id).toBe(MAC);
  });

  it('calls the router "router" and an address without a MAC an unknown device', () => {
    const { identify } = setup();
    expect(identify(decodedQuery({ name: 'example.org' }, { address: '127.0.0.1' })).id).toBe('router');
    expect(identify(decodedQuery({ name: 'example.org' }, { address: '192.168.1.99' })).id).toBe('ip:192.168.1.99');
  });
});
