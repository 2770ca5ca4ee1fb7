import { describe, expect, it } from 'vitest';
import { addressValue, inPrefixes, parsePrefix } from '../../src/net/cidr.js';

const inAny = (address: string, ...prefixes: string[]) => inPrefixes(address, prefixes.map(parsePrefix));

describe('addressValue', () => {
  it.each([
    ['192.0.2.1', 0xffff_c000_0201n],
    ['::ffff:192.0.2.1', 0xffff_c000_0201n],
    ['::ffff:c000:201', 0xffff_c000_0201n],
    ['::1', 1n],
    ['::', 0n],
    ['2001:db8::1', 0x2001_0db8_0000_0000_0000_0000_0000_0001n],
    ['2001:db8:0:0:0:0:0:1', 0x2001_0db8_0000_0000_0000_0000_0000_0001n],
    ['fe80::1%eth0', 0xfe80_0000_0000_0000_0000_0000_0000_0001n],
  ])('reads %s', (text, value) => {
    expect(addressValue(text)).toBe(value);
  });

  it.each(['example.org', '192.0.2', '192.0.2.256', '2001:db8:::1', ''])('gives null for %j', (text) => {
    expect(addressValue(text)).toBeNull();
  });
});

describe('parsePrefix', () => {
  describe('when the prefix is valid', () => {
    it('masks host bits', () => {
      expect(parsePrefix('192.168.1.77/24')).toEqual({ text: '192.168.1.77/24', value: 0xffff_c0a8_0100n, bits: 120 });
    });

    it('reads a bare address as a host prefix', () => {
      expect(parsePrefix('192.0.2.1').bits).toBe(128);
      expect(parsePrefix('2001:db8::1').bits).toBe(128);
    });

    it('reads an IPv6 prefix', () => {
      expect(parsePrefix('2001:db8::/32')).toMatchObject({ value: 0x2001_0db8n << 96n, bits: 32 });
    });
  });

  describe('when the prefix is not valid', () => {
    it.each([
      ['192.168.1.0/33', /prefix length must be 0-32/],
      ['2001:db8::/129', /prefix length must be 0-128/],
      ['192.168.1.0/-1', /prefix length/],
      ['192.168.1.0/', /prefix length/],
      ['192.168.1.0/ 8', /prefix length/],
      ['192.168.1.0/8.5', /prefix length/],
      ['192.168.1.0/24/1', /is not an IP prefix/],
      ['example.org/24', /is not an IP prefix/],
      ['/24', /is not an IP prefix/],
    ])('throws for %j', (text, message) => {
      expect(() => parsePrefix(text)).toThrow(message);
    });
  });
});

describe('inPrefixes', () => {
  describe('when matching IPv4', () => {
    it('matches inside the prefix and not outside', () => {
      expect(inAny('192.168.1.200', '192.168.1.0/24')).toBe(true);
      expect(inAny('192.168.2.1', '192.168.1.0/24')).toBe(false);
      expect(inAny('10.200.0.1', '10.0.0.0/8')).toBe(true);
      expect(inAny('11.0.0.1', '10.0.0.0/8')).toBe(false);
    });

    it('matches a host prefix exactly', () => {
      expect(inAny('192.0.2.1', '192.0.2.1')).toBe(true);
      expect(inAny('192.0.2.2', '192.0.2.1/32')).toBe(false);
    });

    it('matches an IPv4-mapped IPv6 address against an IPv4 prefix', () => {
      expect(inAny('::ffff:192.168.1.5', '192.168.1.0/24')).toBe(true);
      expect(inAny('::ffff:192.168.2.5', '192.168.1.0/24')).toBe(false);
    });

    it('matches every IPv4 address, and no IPv6 one, with 0.0.0.0/0', () => {
      expect(inAny('203.0.113.5', '0.0.0.0/0')).toBe(true);
      expect(inAny('255.255.255.255', '0.0.0.0/0')).toBe(true);
      expect(inAny('2001:db8::1', '0.0.0.0/0')).toBe(false);
    });
  });

  describe('when matching IPv6', () => {
    it('matches inside the prefix and not outside', () => {
      expect(inAny('2001:db8:1::5', '2001:db8::/32')).toBe(true);
      expect(inAny('2001:db9::5', '2001:db8::/32')).toBe(false);
      expect(inAny('fd12:3456::1', 'fd00::/8')).toBe(true);
    });

    it('matches a link-local address with a zone index', () => {
      expect(inAny('fe80::1%br-lan', 'fe80::/10')).toBe(true);
    });

    it('matches everything with ::/0', () => {
      expect(inAny('2001:db8::1', '::/0')).toBe(true);
      expect(inAny('192.0.2.1', '::/0')).toBe(true);
    });
  });

  it('never matches something that is not an address', () => {
    expect(inAny('example.org', '::/0')).toBe(false);
  });

  it('matches any of several prefixes', () => {
    expect(inAny('2001:db8::1', '192.168.1.0/24', '2001:db8::/64')).toBe(true);
    expect(inAny('198.51.100.1', '192.168.1.0/24', '2001:db8::/64')).toBe(false);
  });
});
