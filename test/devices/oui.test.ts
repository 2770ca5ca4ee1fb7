import { describe, expect, it } from 'vitest';
import { decodeOuiTable, normalizeMac, shortMac, vendorOf } from '../../src/devices/oui.js';
import { OUI_SOURCE, OUI_TABLE } from '../../src/devices/oui-table.js';

// Prefixes checked in oui-data 2.1.9 (index.json), with the registry's own name beside each.
describe('vendorOf', () => {
  describe('when the prefix is in the IEEE registry', () => {
    it.each([
      ['a4:83:e7:01:02:03', 'Apple'], // A483E7 Apple, Inc.
      ['3c:2e:ff:01:02:03', 'Apple'], // 3C2EFF Apple, Inc.
      ['64:09:80:3a:4b:5c', 'Xiaomi'], // 640980 Xiaomi Communications Co Ltd
      ['00:24:54:01:02:03', 'Samsung'], // 002454 Samsung Electronics Co.,Ltd
      ['b8:27:eb:01:02:03', 'Raspberry Pi'], // B827EB Raspberry Pi Foundation
      ['dc:a6:32:01:02:03', 'Raspberry Pi'], // DCA632 Raspberry Pi Trading Ltd
      ['2c:cf:67:01:02:03', 'Raspberry Pi'], // 2CCF67 Raspberry Pi (Trading) Ltd
      ['f4:f5:d8:01:02:03', 'Google'], // F4F5D8 Google, Inc.
      ['50:c7:bf:01:02:03', 'TP-Link'], // 50C7BF TP-LINK TECHNOLOGIES CO.,LTD.
      ['f0:d5:bf:01:02:03', 'Intel'], // F0D5BF Intel Corporate
    ])('names %s %s', (mac, vendor) => {
      expect(vendorOf(mac)).toEqual({ vendor, isPrivate: false });
    });

    it('prefers the 28-bit MA-M block over its IEEE container (C85CE27 inside C85CE2)', () => {
      expect(vendorOf('c8:5c:e2:7a:bc:de').vendor).toBe('Synergy'); // SYNERGY SYSTEMS AND SOLUTIONS
    });

    it('prefers the 36-bit MA-S block over its IEEE container (70B3D5F2F inside 70B3D5)', () => {
      expect(vendorOf('70:b3:d5:f2:f1:23').vendor).toBe('Teleplatforms'); // TELEPLATFORMS
    });
  });

  describe('when the prefix names no maker', () => {
    it.each([
      ['an unassigned MA-L', 'f8:ff:fc:01:02:03'],
      ['an IEEE container without a matching sub-block', '70:b3:d5:00:00:00'],
      ['an OUI registered as Private', 'ac:de:48:01:02:03'],
      ['the all-zero address', '00:00:00:00:00:00'],
    ])('returns null for %s', (_, mac) => {
      expect(vendorOf(mac)).toEqual({ vendor: null, isPrivate: false });
    });
  });

  describe('when the locally administered bit is set', () => {
    it.each(['02:00:00:00:00:01', 'da:a1:19:01:02:03', '66:09:80:3a:4b:5c', 'AE:12:34:56:78:9A'])('%s is private with no vendor', (mac) => {
      expect(vendorOf(mac)).toEqual({ vendor: null, isPrivate: true });
    });
  });

  describe('when the MAC is not a unicast MAC', () => {
    it.each(['01:00:5e:00:00:fb', '33:33:00:00:00:01', 'ff:ff:ff:ff:ff:ff'])('%s (group bit) has no vendor and is not private', (mac) => {
      expect(vendorOf(mac)).toEqual({ vendor: null, isPrivate: false });
    });
  });

  describe('when the MAC is malformed', () => {
    it.each([
      '',
      'zz:zz:zz:zz:zz:zz',
      'a4:83:e7:01:02',
      'a4:83:e7:01:02:03:04',
      'a4:83:e7:01:02:03:',
      ':a4:83:e7:01:02:03',
      'a4:83:e7-01-02-03',
      'a4:83:e7:01:02:123',
      'a483.e701.02',
      'a483e70102',
      'a483e701020g',
      'a483-e701-0203',
      ' a4:83:e7:01:02:03',
      'a4::e7:01:02:03',
    ])('returns null without throwing for %j', (mac) => {
      expect(vendorOf(mac)).toEqual({ vendor: null, isPrivate: false });
      expect(normalizeMac(mac)).toBeNull();
    });

    it('returns null for values that are not strings', () => {
      expect(vendorOf(undefined as unknown as string)).toEqual({ vendor: null, isPrivate: false });
      expect(vendorOf(42 as unknown as string).vendor).toBeNull();
    });
  });

  describe('when the MAC is spelt differently', () => {
    it.each(['a4:83:e7:0a:0b:0c', 'A4:83:E7:0A:0B:0C', 'a4-83-e7-0a-0b-0c', 'a483.e70a.0b0c', 'A483E70A0B0C', 'a4:83:e7:a:b:c'])('reads %s', (mac) => {
      expect(vendorOf(mac).vendor).toBe('Apple');
      expect(normalizeMac(mac)).toBe('a4:83:e7:0a:0b:0c');
      expect(shortMac(mac)).toBe('0a:0b:0c');
    });
  });

  it('returns the same frozen object for the same vendor (no allocation per lookup)', () => {
    const a = vendorOf('a4:83:e7:01:02:03');
    expect(vendorOf('3c:2e:ff:09:09:09')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('looks up in well under a microsecond once the table is loaded', () => {
    vendorOf('a4:83:e7:01:02:03');
    const macs = Array.from({ length: 1000 }, (_, i) => `64:09:80:${(i & 0xff).toString(16).padStart(2, '0')}:4b:5c`);
    const start = performance.now();
    for (let r = 0; r < 100; r++) for (const m of macs) vendorOf(m);
    const perLookupUs = ((performance.now() - start) * 1000) / 100_000;
    expect(perLookupUs).toBeLessThan(1); // ~0.1 µs measured on x86-64, Node 20
  });
});

describe('shortMac', () => {
  it('gives the last three octets for default device names', () => {
    expect(shortMac('64:09:80:3A:4B:5C')).toBe('3a:4b:5c');
  });

  it('is null for a malformed MAC', () => {
    expect(shortMac('64:09:80')).toBeNull();
  });
});

describe('the generated table', () => {
  const table = decodeOuiTable();

  it('names its source', () => {
    expect(OUI_SOURCE).toMatch(/^oui-data@\d+\.\d+\.\d+$/);
  });

  it('holds the three registries', () => {
    expect(table.mal.length).toBeGreaterThan(35_000);
    expect(table.mam.length).toBeGreaterThan(5_000);
    expect(table.mas.length).toBeGreaterThan(5_000);
  });

  it.each(['mal', 'mam', 'mas'] as const)('decodes %s to a strictly sorted array within its bit width', (key) => {
    const keys = table[key];
    const max = { mal: 2 ** 24, mam: 2 ** 28, mas: 2 ** 36 }[key];
    for (let i = 1; i < keys.length; i++) expect(keys[i] > keys[i - 1]).toBe(true);
    expect(keys[keys.length - 1]).toBeLessThan(max);
  });

  it('points every prefix at a name', () => {
    const names = table.starts.length - 1;
    expect(table.vendors.length).toBe(table.mal.length + table.mam.length + table.mas.length);
    expect(table.vendors.reduce((a, b) => Math.max(a, b), 0)).toBeLessThan(names);
  });

  it('stays small enough for the bundle (< 300 KB of source)', () => {
    expect(OUI_TABLE.length).toBeLessThan(300_000);
  });

  it('throws on a corrupt table rather than answering wrongly', () => {
    expect(() => decodeOuiTable('AAAA')).toThrow();
  });
});
