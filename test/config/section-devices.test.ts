import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings } from '../../src/config/settings.js';

const load = (text: string) => loadSettings(parseArgs(['--config', '/etc/config/telemute']), () => text);

describe('config devices', () => {
  it('has defaults for the router', () => {
    const r = load("config telemute 'main'\n");
    expect(r.ok && r.settings.devices).toEqual({
      dnsmasqLeases: '/tmp/dhcp.leases',
      odhcpdLeases: '/tmp/hosts/odhcpd',
      trustedForwarders: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
      flushIntervalS: 900,
    });
  });

  it('reads its options and names the bad ones', () => {
    const ok = load("config devices 'devices'\n\tlist trusted_forwarder '192.168.1.1'\n\toption flush_interval '60'\n");
    expect(ok.ok && ok.settings.devices).toMatchObject({ trustedForwarders: ['192.168.1.1'], flushIntervalS: 60 });
    const bad = load("config devices 'devices'\n\tlist trusted_forwarder 'dnsmasq'\n\toption flush_interval '1'\n");
    expect(bad.ok ? [] : bad.errors).toEqual([
      "/etc/config/telemute:2: option 'trusted_forwarder': 'dnsmasq' is not an IP address",
      "/etc/config/telemute:3: option 'flush_interval': '1' must be a whole number from 10 to 86400",
    ]);
  });
});
