import { describe, expect, it } from 'vitest';
import { parseV4 } from '../../src/geo/asn-csv.js';
import { parseIp } from '../../src/geo/resolve-ip.js';
import { addressValue } from '../../src/net/cidr.js';

const bigOf = (w: Uint32Array): bigint => w.reduce((v, x) => (v << 32n) | BigInt(x), 0n);

describe('parseIp', () => {
  describe('when given IPv6 text', () => {
    it.each(['2001:db8::1', '::', '::1', '2001:db8::', 'fe80::1:2', '2001:DB8:0:0:0:0:0:ABCD', '1:2:3:4:5:6:7:8', '64:ff9b::192.0.2.33', '2001:db8:1::ab9:c0a8:102', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])(
      'reads %s as cidr.ts addressValue does',
      (ip) => expect(bigOf(parseIp(ip)!.words!)).toBe(addressValue(ip)),
    );

    it('drops a zone and turns IPv4-mapped addresses into IPv4', () => {
      expect(parseIp('fe80::1%eth0')!.text).toBe('fe80::1');
      expect(parseIp('::ffff:192.0.2.1')).toEqual({ text: '192.0.2.1', v4: 0xc0000201, words: null });
      expect(parseIp('::FFFF:c000:201')).toEqual({ text: '192.0.2.1', v4: 0xc0000201, words: null });
    });
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'example.org', ':::', '1::2::3', '::ffff:1.2.3.256'])('refuses %j', (ip) => {
    expect(parseIp(ip)).toBeNull();
  });
});

describe('parseV4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['192.0.2.1', 0xc0000201],
    ['255.255.255.255', 0xffffffff],
    ['10.0.0.01', -1],
    ['1.2.3.1000', -1],
    ['1.2.3.', -1],
    ['.1.2.3', -1],
  ])('%s -> %i', (ip, v) => expect(parseV4(ip)).toBe(v));
});
