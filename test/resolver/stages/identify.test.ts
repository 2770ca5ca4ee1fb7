import { describe, expect, it } from 'vitest';
import { identifyStage } from '../../../src/resolver/stages/identify.js';
import type { Query } from '../../../src/resolver/query.js';
import { decodedQuery } from '../query-fixture.js';

describe('identify', () => {
  it('is the identify stage and fails open', () => {
    expect(identifyStage()).toMatchObject({ name: 'identify', onError: 'skip', when: 'question' });
  });

  describe('when no device resolver is given', () => {
    it('leaves the device unknown', () => {
      const q = decodedQuery();
      expect(identifyStage().run(q)).toEqual({ kind: 'next' });
      expect(q.device).toBeNull();
    });
  });

  describe('when a device resolver is given', () => {
    it('sets q.device from it, with the EDNS options readable (dnsmasq add-mac)', () => {
      const mac = Buffer.from([0x02, 0, 0x5e, 0x10, 0, 1]);
      const byMac = (q: Query) => {
        const opts = q.raw.subarray(q.optionsOffset, q.optionsOffset + q.optionsLength);
        return opts.length >= 10 && opts.readUInt16BE(0) === 65001 ? { mac: opts.subarray(4, 10).toString('hex') } : null;
      };
      const q = decodedQuery({ edns: { options: [{ code: 65001, data: mac }] } });
      expect(identifyStage(byMac).run(q)).toEqual({ kind: 'next' });
      expect(q.device).toEqual({ mac: '02005e100001' });
    });
  });
});
