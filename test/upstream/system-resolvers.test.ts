import { describe, expect, it } from 'vitest';
import { addressValue } from '../../src/net/cidr.js';
import { ownAddresses, parseResolvConf, readSystemUpstreams } from '../../src/upstream/system-resolvers.js';

const own = (...addrs: string[]) => new Set(addrs.map((a) => String(addressValue(a))));

describe('parseResolvConf', () => {
  describe('when the file lists public servers', () => {
    it('returns the nameserver addresses in order', () => {
      const text = '# generated\nsearch lan\nnameserver 192.0.2.1\nnameserver 2001:db8::53\noptions edns0\n';
      expect(parseResolvConf(text, own())).toEqual(['192.0.2.1', '2001:db8::53']);
    });

    it('reads indented lines and CRLF endings', () => {
      expect(parseResolvConf('  nameserver\t192.0.2.1\r\nnameserver 192.0.2.2\r\n', own())).toEqual(['192.0.2.1', '192.0.2.2']);
    });

    it('ignores commented lines and trailing comments', () => {
      expect(parseResolvConf('#nameserver 192.0.2.9\n; nameserver 192.0.2.8\nnameserver 192.0.2.1 # main\n', own())).toEqual(['192.0.2.1']);
    });

    it('drops duplicates', () => {
      expect(parseResolvConf('nameserver 192.0.2.1\nnameserver 192.0.2.1\n', own())).toEqual(['192.0.2.1']);
    });

    // BUG: system-resolvers.ts:85 drops the zone index, but a link-local address cannot be reached
    // without it (sendto fails with EINVAL); parseUpstream accepts 'fe80::1%eth0' as it is.
    it('keeps the zone index a link-local address needs', () => {
      expect(parseResolvConf('nameserver fe80::1%eth0\n', own())).toEqual(['fe80::1%eth0']);
    });

    it('skips a link-local address that is this host’s own, zone or not', () => {
      expect(parseResolvConf('nameserver fe80::5%eth0\n', own('fe80::5'))).toEqual([]);
    });
  });

  describe('when the file points back at this host', () => {
    it.each(['127.0.0.1', '127.0.1.1', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1'])('skips %s', (addr) => {
      expect(parseResolvConf(`nameserver ${addr}\nnameserver 192.0.2.1\n`, own())).toEqual(['192.0.2.1']);
    });

    it("skips this host's own addresses", () => {
      const text = 'nameserver 192.168.1.1\nnameserver 2001:db8::1\nnameserver 192.0.2.1\n';
      expect(parseResolvConf(text, own('192.168.1.1', '2001:db8::1'))).toEqual(['192.0.2.1']);
    });
  });

  it('skips values that are not addresses', () => {
    expect(parseResolvConf('nameserver dns.example.org\nnameserver 192.0.2.300\nnameserver\n', own())).toEqual([]);
  });
});

describe('readSystemUpstreams', () => {
  it('gives an empty list for a missing file', () => {
    expect(readSystemUpstreams('/nonexistent/resolv.conf', own())).toEqual([]);
  });
});

describe('ownAddresses', () => {
  it('includes loopback', () => {
    expect(ownAddresses().has(String(addressValue('127.0.0.1')))).toBe(true);
  });
});
