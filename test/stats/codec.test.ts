import { describe, expect, it } from 'vitest';
import { beforeCursor, decodeEntry, decodeKey, encodeEntry, encodeKey, keyToCursor } from '../../src/stats/codec.js';
import type { LogEntry } from '../../src/stats/types.js';

const entry = (over: Partial<LogEntry> = {}): LogEntry => ({
  id: '1700000000000-7', time: 1_700_000_000_000, deviceId: 'aa:bb:cc:00:00:01', mac: 'aa:bb:cc:00:00:01', deviceName: 'Küche TV', client: '192.0.2.10',
  name: 'www.example.org', qtype: 1, rcode: 0, action: 'blocked', flag: '', detail: 'catalog:acme:*.example.org', upstream: '', latencyMs: 12,
  cnames: ['cdn.example.net'], answers: [{ ip: '198.51.100.1', country: 'SG', asn: 64500, org: 'Example "Net", Inc.' }], registration: 'Example Org, US', ...over,
});

describe('codec', () => {
  describe('when an entry round-trips', () => {
    it('gives back every field', () => {
      const e = entry();
      expect(decodeEntry(encodeKey(e.time, 7), encodeEntry(e))).toEqual(e);
    });

    it('keeps hostile names intact', () => {
      const e = entry({ name: '<script>alert(1)</script>.example.org', detail: '=HYPERLINK("x")', deviceName: '"; DROP TABLE', cnames: ['\\000\\255.example.net'] });
      expect(decodeEntry(encodeKey(e.time, 7), encodeEntry(e))).toEqual(e);
    });

    it('caps pathological lists and strings so one entry stays a few KB', () => {
      const e = entry({ name: 'x'.repeat(5000), answers: Array.from({ length: 100 }, (_, i) => ({ ip: `198.51.100.${i}`, country: 'SG', asn: 1, org: '' })) });
      const bytes = encodeEntry(e);
      const back = decodeEntry(encodeKey(e.time, 7), bytes)!;
      expect(back.name.length).toBe(1024);
      expect(back.answers.length).toBe(32);
      expect(bytes.length).toBeLessThan(3000);
    });

    it('is about 150 bytes for a typical household entry', () => {
      expect(encodeEntry(entry()).length).toBeLessThan(200);
    });
  });

  describe('when the bytes are not a valid record', () => {
    it('decodes a truncated value as null, not an exception', () => {
      const bytes = encodeEntry(entry());
      for (const n of [0, 5, 20, bytes.length - 1]) expect(decodeEntry(encodeKey(1, 0), bytes.subarray(0, n))).toBeNull();
    });
  });

  describe('keys', () => {
    it('sort bytewise in time order, then sequence', () => {
      const keys = [encodeKey(2_000, 0), encodeKey(1_000, 65535), encodeKey(1_000, 1), encodeKey(256, 3)];
      const sorted = [...keys].sort(Buffer.compare).map((k) => keyToCursor(k));
      expect(sorted).toEqual(['256-3', '1000-1', '1000-65535', '2000-0']);
    });

    it('give the key just before a cursor, and null for junk', () => {
      expect(decodeKey(beforeCursor('1000-5')!)).toEqual({ time: 1000, seq: 4 });
      expect(decodeKey(beforeCursor('1000-0')!)).toEqual({ time: 999, seq: 65535 });
      for (const bad of ['', 'x', '1-99999', '1-2-3', '0-0']) expect(beforeCursor(bad)).toBeNull();
    });
  });
});
