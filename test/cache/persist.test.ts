import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../src/cache/entry.js';
import { decodeEntry, encodeEntry } from '../../src/cache/persist.js';
import { scanMessage } from '../../src/dns/message.js';
import { T, aRdata, buildQuery, buildResponse } from '../helpers/packets.js';

const limits = { minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, staleTtl: 600 };
const response = buildResponse(buildQuery({ name: 'www.example.org' }), {
  answers: [
    { type: T.A, ttl: 60, rdata: aRdata('192.0.2.1') },
    { type: T.A, ttl: 70, rdata: aRdata('192.0.2.2') },
  ],
});
const entry = makeEntry('key\u00e9', response, scanMessage(response)!, 1_700_000_000_123, limits);

describe('encodeEntry / decodeEntry', () => {
  describe('when the record is valid', () => {
    it('round-trips an entry', () => {
      const back = decodeEntry(entry.key, encodeEntry(entry))!;
      expect(back).toMatchObject({ key: entry.key, rcode: 0, storedAt: entry.storedAt, expiresAt: entry.expiresAt, staleUntil: entry.staleUntil, ttlOffsets: entry.ttlOffsets, cacheable: true, facts: null });
      expect(back.wire).toEqual(entry.wire);
    });

    it('copies the wire bytes out of the stored buffer', () => {
      const bytes = encodeEntry(entry);
      const back = decodeEntry(entry.key, bytes)!;
      bytes.fill(0);
      expect(back.wire).toEqual(entry.wire);
    });
  });

  describe('when the record is corrupt', () => {
    it('gives null for another version', () => {
      const bytes = encodeEntry(entry);
      bytes[0] = 2;
      expect(decodeEntry('k', bytes)).toBeNull();
    });

    it('gives null for a record too short for its header or wire', () => {
      const bytes = encodeEntry(entry);
      expect(decodeEntry('k', bytes.subarray(0, 20))).toBeNull();
      expect(decodeEntry('k', bytes.subarray(0, bytes.length - entry.wire.length + 5))).toBeNull();
    });

    it('gives null for a TTL offset outside the wire', () => {
      const bytes = encodeEntry(entry);
      bytes.writeUInt16BE(entry.wire.length, 28);
      expect(decodeEntry('k', bytes)).toBeNull();
    });
  });
});
