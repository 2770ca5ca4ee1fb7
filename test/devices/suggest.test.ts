import { describe, expect, it } from 'vitest';
import { createSuggester } from '../../src/devices/suggest.js';
import { CATALOGS } from '../../src/policy/catalogs.js';

const suggest = createSuggester(CATALOGS);

describe('catalog suggestions', () => {
  it('suggests a catalog from the IEEE vendor name, however it is spelled', () => {
    expect(suggest({ vendor: 'Xiaomi Communications Co Ltd', dhcpName: null, name: null })).toContain('xiaomi');
    expect(suggest({ vendor: 'XIAOMI', dhcpName: null, name: null })).toContain('xiaomi');
  });

  it('suggests a catalog from a DHCP hostname', () => {
    expect(suggest({ vendor: null, dhcpName: 'Redmi-Note-12', name: null })).toContain('xiaomi');
  });

  it('suggests nothing for an unknown device, and survives a bad pattern', () => {
    expect(suggest({ vendor: null, dhcpName: null, name: null })).toEqual([]);
    const broken = createSuggester([{ ...CATALOGS[0], match: { oui_vendors: [], hostname_patterns: ['(unclosed'] } }]);
    expect(broken({ vendor: null, dhcpName: 'x', name: null })).toEqual([]);
  });

  it('loads every built-in catalog with entries and sources', () => {
    expect(CATALOGS.length).toBeGreaterThanOrEqual(15);
    for (const c of CATALOGS) {
      expect(c.entries.length, c.id).toBeGreaterThan(0);
      expect(c.sources.length, c.id).toBeGreaterThan(0);
    }
  });
});
