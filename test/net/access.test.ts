import { describe, expect, it, vi } from 'vitest';

// Count prefix matching to see when a decision is remembered and when it is not.
const matching = vi.hoisted(() => ({ calls: 0 }));
vi.mock('../../src/net/cidr.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/net/cidr.js')>();
  return {
    ...real,
    inPrefixes: (...args: Parameters<typeof real.inPrefixes>) => {
      matching.calls++;
      return real.inPrefixes(...args);
    },
  };
});

const { createAccessList, localSubnets } = await import('../../src/net/access.js');
const { parsePrefix } = await import('../../src/net/cidr.js');

describe('createAccessList', () => {
  describe('when prefixes are configured', () => {
    it('allows addresses inside them and refuses the rest', () => {
      const a = createAccessList(['192.168.1.0/24', '2001:db8::/64'], () => ['10.0.0.0/8']);
      expect(a.isAllowed('192.168.1.20')).toBe(true);
      expect(a.isAllowed('2001:db8::20')).toBe(true);
      expect(a.isAllowed('192.168.2.20')).toBe(false);
      expect(a.isAllowed('203.0.113.1')).toBe(false);
    });

    it('does not read the interfaces', () => {
      const read = vi.fn(() => ['10.0.0.0/8']);
      const a = createAccessList(['192.168.1.0/24'], read);
      expect(read).not.toHaveBeenCalled();
      expect(a.isAllowed('10.1.1.1')).toBe(false);
    });

    it('throws at creation on a bad prefix', () => {
      expect(() => createAccessList(['192.168.1.0/40'])).toThrow(/prefix length/);
    });
  });

  describe('when in auto mode', () => {
    it('allows the subnets readInterfaces gives', () => {
      const a = createAccessList(null, () => ['192.168.1.1/24', 'fd00:1::1/64']);
      expect(a.isAllowed('192.168.1.99')).toBe(true);
      expect(a.isAllowed('fd00:1::99')).toBe(true);
      expect(a.isAllowed('198.51.100.1')).toBe(false);
    });

    it('re-reads the interfaces and forgets decisions on refresh', () => {
      let subnets = ['192.168.1.0/24'];
      const a = createAccessList(null, () => subnets);
      expect(a.isAllowed('192.168.5.1')).toBe(false);
      subnets = ['192.168.5.0/24'];
      expect(a.isAllowed('192.168.5.1')).toBe(false); // remembered
      a.refresh();
      expect(a.isAllowed('192.168.5.1')).toBe(true);
      expect(a.isAllowed('192.168.1.1')).toBe(false);
    });
  });

  describe('when the client is on loopback', () => {
    it.each([
      [['192.168.1.0/24']],
      [[]],
    ])('always allows it (configured %j)', (configured) => {
      const a = createAccessList(configured, () => []);
      expect(a.isAllowed('127.0.0.1')).toBe(true);
      expect(a.isAllowed('127.5.5.5')).toBe(true);
      expect(a.isAllowed('::1')).toBe(true);
      expect(a.isAllowed('::ffff:127.0.0.1')).toBe(true);
    });

    it('lists loopback first among the prefixes', () => {
      expect(createAccessList(['192.168.1.0/24']).prefixes()).toEqual(['127.0.0.0/8', '::1/128', '192.168.1.0/24']);
    });
  });

  describe('when remembering decisions', () => {
    it('matches an address once', () => {
      const a = createAccessList(['192.168.1.0/24']);
      matching.calls = 0;
      for (let i = 0; i < 10; i++) a.isAllowed('192.168.1.10');
      expect(matching.calls).toBe(1);
    });

    it('stays bounded under a scan from many addresses', () => {
      const a = createAccessList(['192.168.1.0/24']);
      a.isAllowed('192.168.1.10');
      matching.calls = 0;
      for (let i = 0; i < 5000; i++) a.isAllowed(`10.${(i >> 8) & 0xff}.${i & 0xff}.1`);
      expect(matching.calls).toBe(5000);
      a.isAllowed('192.168.1.10');
      expect(matching.calls).toBe(5001); // forgotten: the table was cleared at its bound
      expect(a.isAllowed('192.168.1.10')).toBe(true);
      expect(a.isAllowed('10.0.0.1')).toBe(false);
    });
  });
});

describe('localSubnets', () => {
  it('gives prefixes that parse, none of them loopback', () => {
    for (const p of localSubnets()) {
      expect(() => parsePrefix(p)).not.toThrow();
      expect(p.startsWith('127.')).toBe(false);
    }
  });
});
