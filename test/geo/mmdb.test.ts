import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { metadataProblems, mmdbFromBuffer, openMmdb, type Metadata } from '../../src/geo/mmdb.js';
import { COUNTRY_ALL, COUNTRY_V4 } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'geo-mmdb-'));

describe('openMmdb', () => {
  describe('when the file is the DB-IP Lite country mmdb from npm', () => {
    it('detects the ip-location-db layout and reads countries', async () => {
      const db = await openMmdb(COUNTRY_ALL);
      expect(db.schema.name).toBe('ip-location-db');
      expect(db.schema.asn).toBeUndefined();
      expect(db.metadata.ipVersion).toBe(6);
      expect(db.bytes).toBe(statSync(COUNTRY_ALL).size); // the whole file is held in RAM
      expect(db.schema.country!(db.get('8.8.8.8'))).toBe('US');
      expect(db.get('192.168.1.1')).toBeNull();
    });
  });

  describe('when the file is not a usable mmdb', () => {
    const v4 = readFileSync(COUNTRY_V4);

    it('refuses gzip with the fix in the message', async () => {
      const p = join(dir, 'country.mmdb.gz');
      writeFileSync(p, gzipSync(v4));
      await expect(openMmdb(p)).rejects.toThrow(/gzip-compressed; gunzip it first/);
    });

    it('refuses a truncated file, a text file and an empty one', () => {
      expect(() => mmdbFromBuffer(v4.subarray(0, v4.length >> 1), 'half.mmdb')).toThrow(/half.mmdb: not an mmdb file/);
      expect(() => mmdbFromBuffer(Buffer.from('<html>404 Not Found</html>'), 'page.mmdb')).toThrow(/not an mmdb file/);
      expect(() => mmdbFromBuffer(Buffer.alloc(0), 'empty.mmdb')).toThrow(/not an mmdb file/);
    });

    it('refuses a file whose records are junk, though its metadata is intact', () => {
      const db = mmdbFromBuffer(v4, 'ok.mmdb');
      const junk = Buffer.from(v4);
      const dataStart = db.metadata.searchTreeSize + 16;
      const metaStart = junk.lastIndexOf(Buffer.from('\xab\xcd\xefMaxMind.com', 'latin1'));
      junk.fill(0xee, dataStart, metaStart);
      expect(() => mmdbFromBuffer(junk, 'junk.mmdb')).toThrow(/junk.mmdb: (records unreadable|unknown record layout)/);
    });

    it('names a missing file', async () => {
      await expect(openMmdb(join(dir, 'nope.mmdb'))).rejects.toThrow(/nope.mmdb: ENOENT/);
    });
  });
});

describe('metadataProblems', () => {
  const good = { binaryFormatMajorVersion: 2, ipVersion: 6, recordSize: 24, nodeCount: 10, searchTreeSize: 60, buildEpoch: new Date('2026-06-01'), databaseType: 'x' } as Metadata;

  it('passes sane metadata and lists each problem', () => {
    expect(metadataProblems(good, 1000)).toEqual([]);
    const bad = { ...good, binaryFormatMajorVersion: 1, ipVersion: 5, recordSize: 20, nodeCount: 0, buildEpoch: new Date(0) } as Metadata;
    expect(metadataProblems(bad, 1000)).toEqual(['format version 1 (need 2)', 'ip_version 5', 'record_size 20', 'no nodes', 'no build date']);
    expect(metadataProblems(good, 70)).toEqual(['search tree longer than the file (truncated?)']);
  });
});
