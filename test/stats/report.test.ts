import { describe, expect, it } from 'vitest';
import { createDomains } from '../../src/stats/domains.js';
import { buildReport, csvCell, reportCsv } from '../../src/stats/report.js';

const T0 = Date.UTC(2025, 5, 30, 12);
const names = { registrations: { 'example.net': '=cmd|"/c calc"!A1' }, orgs: { '64500': 'Example, "Net"' } };

function domains() {
  const d = createDomains();
  d.record('aa:bb:cc:00:00:01', 'example.net', { time: T0, blocked: true, flagged: false, source: 'catalog:acme', countries: ['SG'], asns: [64500] }, 3);
  d.record('aa:bb:cc:00:00:02', 'example.net', { time: T0 + 60_000, blocked: false, flagged: true, source: '', countries: ['US'], asns: [] }, 1);
  d.record('aa:bb:cc:00:00:02', '+1-555.example.org', { time: T0, blocked: false, flagged: false, source: '', countries: [], asns: [] }, 9);
  return d;
}

describe('report', () => {
  describe('for the house', () => {
    it('merges devices per domain, busiest first', () => {
      const r = buildReport(domains(), null, names, T0);
      expect(r.domains.map((x) => x.domain)).toEqual(['+1-555.example.org', 'example.net']);
      expect(r.domains[1]).toEqual({ domain: 'example.net', devices: ['aa:bb:cc:00:00:01', 'aa:bb:cc:00:00:02'], firstSeen: T0, lastSeen: T0 + 60_000, queries: 4, blocked: 3, blockedBy: { 'catalog:acme': 3 }, flagged: 1, countries: ['SG', 'US'], networks: [{ asn: 64500, org: 'Example, "Net"' }], registrant: '=cmd|"/c calc"!A1' });
    });
  });

  describe('for one device', () => {
    it('shows only that device', () => {
      const r = buildReport(domains(), 'aa:bb:cc:00:00:01', names, T0);
      expect(r.domains.map((x) => [x.domain, x.queries])).toEqual([['example.net', 3]]);
    });
  });

  describe('as CSV', () => {
    it('guards formula cells and quotes per RFC 4180 with CRLF lines', () => {
      const csv = reportCsv(buildReport(domains(), null, names, T0));
      const lines = csv.split('\r\n');
      expect(lines[0]).toBe('domain,devices,first_seen,last_seen,queries,blocked,blocked_by,flagged,countries,networks,registrant');
      expect(lines[1]).toBe(`'+1-555.example.org,aa:bb:cc:00:00:02,2025-06-30T12:00:00.000Z,2025-06-30T12:00:00.000Z,9,0,,0,,,`);
      expect(lines[2]).toBe(`example.net,aa:bb:cc:00:00:01 aa:bb:cc:00:00:02,2025-06-30T12:00:00.000Z,2025-06-30T12:01:00.000Z,4,3,catalog:acme=3,1,SG US,"AS64500 Example, ""Net""","'=cmd|""/c calc""!A1"`);
      expect(lines[3]).toBe('');
    });

    it.each([
      ['=1+1', "'=1+1"],
      ['+1', "'+1"],
      ['-1', "'-1"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', `"'\rx"`],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['plain.example.org', 'plain.example.org'],
      ['<script>', '<script>'],
    ])('cell %j becomes %j', (input, output) => {
      expect(csvCell(input)).toBe(output);
    });
  });
});
