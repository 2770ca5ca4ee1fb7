import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileAsnCsv, parseV4 } from '../../src/geo/asn-csv.js';
import { loadAsnCsv, tablePath } from '../../src/geo/asn-source.js';
import { decodeAsnTable, encodeAsnTable, findV4, findV6, recordAt, type AsnTable } from '../../src/geo/asn-table.js';
import { parseIp } from '../../src/geo/resolve-ip.js';

const dir = mkdtempSync(join(tmpdir(), 'geo-csv-'));
function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
function at(t: AsnTable, ip: string): { asn: number; org: string | null } | null {
  const p = parseIp(ip)!;
  return recordAt(t, p.v4 >= 0 ? findV4(t, p.v4) : findV6(t, p.words!));
}

const V4_TEXT = [
  '192.0.2.0,192.0.2.127,64500,"Example, Inc."',
  '192.0.2.128,192.0.2.255,64501,"Org ""Quoted"" LLC"',
  '198.51.100.0,198.51.100.255,64500,"Example, Inc."',
  '203.0.113.0,203.0.113.255,64502,Überörg GmbH\r',
].join('\n');
const V4_NUM = `${parseV4('10.0.0.0')},${parseV4('10.255.255.255')},64510,Num Org\n`;
const V6_TEXT = '2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,64496,Six Org\n2001:db8:1::,2001:db8:1::ff,64497,Tiny Six\n';
const V6_NUM = `${0x20010db8_00020000n << 64n},${(0x20010db8_00020000n << 64n) + 0xffffn},64498,Six Num\n`;

describe('compileAsnCsv', () => {
  describe('when the files are well formed', () => {
    it('finds each range by text or integer form, IPv4 and IPv6', async () => {
      const { table, report } = await compileAsnCsv([csv('b.csv', V4_NUM), csv('a.csv', V4_TEXT), csv('c.csv', V6_TEXT), csv('d.csv', V6_NUM)]);
      expect(report).toEqual({ lines: 8, badLines: 0 });
      expect(at(table, '192.0.2.0')).toEqual({ asn: 64500, org: 'Example, Inc.' });
      expect(at(table, '192.0.2.200')).toEqual({ asn: 64501, org: 'Org "Quoted" LLC' });
      expect(at(table, '198.51.100.255')).toEqual({ asn: 64500, org: 'Example, Inc.' });
      expect(at(table, '203.0.113.9')).toEqual({ asn: 64502, org: 'Überörg GmbH' });
      expect(at(table, '10.1.2.3')).toEqual({ asn: 64510, org: 'Num Org' });
      expect(at(table, '2001:db8::1')).toEqual({ asn: 64496, org: 'Six Org' });
      expect(at(table, '2001:db8:1::ff')).toEqual({ asn: 64497, org: 'Tiny Six' });
      expect(at(table, '2001:db8:2::abcd')).toEqual({ asn: 64498, org: 'Six Num' });
      expect(table.recAsn.length).toBe(1 + 7); // record 0 + seven (asn, org) pairs: 64500's two lines share one
    });

    it('answers null in the gaps, before the first range and after the last', async () => {
      const { table } = await compileAsnCsv([csv('e.csv', V4_TEXT + '\n' + V6_TEXT)]);
      for (const ip of ['0.0.0.0', '192.0.1.255', '198.51.101.0', '203.0.114.0', '255.255.255.255', '::', '2001:db8:1::100', 'ffff::1']) {
        expect(at(table, ip), ip).toBeNull();
      }
    });

    it('lets a later overlapping range win from its start and resumes the outer one after it', async () => {
      const { table } = await compileAsnCsv([csv('f.csv', '10.0.0.0,10.0.255.255,1,Outer\n10.0.1.0,10.0.1.255,2,Inner\n10.0.2.0,10.0.2.255,3,Next\n')]);
      expect(at(table, '10.0.0.5')!.asn).toBe(1);
      expect(at(table, '10.0.1.5')!.asn).toBe(2);
      expect(at(table, '10.0.2.5')!.asn).toBe(3);
      expect(at(table, '10.0.3.5')!.asn).toBe(1);
      expect(at(table, '10.1.0.0')).toBeNull();
    });
  });

  describe('when a file is bad', () => {
    it('skips under 1% of bad lines and refuses more', async () => {
      const good = Array.from({ length: 200 }, (_, i) => `10.0.${i}.0,10.0.${i}.255,${i + 1},Org ${i}`);
      const { report } = await compileAsnCsv([csv('g.csv', ['first,last,asn,org', ...good].join('\n'))]);
      expect(report).toEqual({ lines: 201, badLines: 1 });
      await expect(compileAsnCsv([csv('h.csv', ['x', 'y', 'z', ...good.slice(0, 50)].join('\n'))])).rejects.toThrow(/3 of 53 lines/);
      await expect(compileAsnCsv([csv('i.csv', [...good].reverse().join('\n'))])).rejects.toThrow(/not sorted/);
      await expect(compileAsnCsv([csv('j.csv', '')])).rejects.toThrow(/0 of 0/);
      await expect(compileAsnCsv([join(dir, 'missing.csv')])).rejects.toThrow(/ENOENT/);
    });
  });
});

describe('ASN table file', () => {
  it('round-trips, and refuses damaged bytes', async () => {
    const { table } = await compileAsnCsv([csv('k.csv', V4_TEXT + '\n' + V6_TEXT)]);
    const file = encodeAsnTable(table, 'fp');
    const back = decodeAsnTable(file);
    expect(at(back, '192.0.2.200')).toEqual({ asn: 64501, org: 'Org "Quoted" LLC' });
    expect(at(back, '2001:db8::1')!.asn).toBe(64496);
    const bad = Buffer.from(file);
    bad[bad.length - 8] ^= 0xff;
    expect(() => decodeAsnTable(bad)).toThrow();
    expect(() => decodeAsnTable(Buffer.from('not a table'))).toThrow(/not an ASN table/);
  });

  it('is reused while the CSVs keep size and mtime, and recompiled when they change', async () => {
    const vol = mkdtempSync(join(tmpdir(), 'geo-vol-'));
    const p = csv('l.csv', V4_TEXT);
    const first = await loadAsnCsv([p], vol);
    expect(first.origin).toBe('compiled');
    expect(first.fileBytes).toBe(statSync(tablePath(vol)).size);
    expect((await loadAsnCsv([p], vol)).origin).toBe('reused');
    writeFileSync(p, V4_TEXT.replace('64502', '64999'));
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    const third = await loadAsnCsv([p], vol);
    expect(third.origin).toBe('compiled');
    expect(at(third.table, '203.0.113.1')!.asn).toBe(64999);
    writeFileSync(tablePath(vol), readFileSync(tablePath(vol)).subarray(0, 40)); // damaged: a miss
    expect((await loadAsnCsv([p], vol)).origin).toBe('compiled');
    expect((await loadAsnCsv([p], null)).fileBytes).toBe(0);
  });
});
