import { describe, expect, it } from 'vitest';
import { RCODE } from '../../../src/dns/constants.js';
import { createAccessList } from '../../../src/net/access.js';
import { accessStage } from '../../../src/resolver/stages/access.js';
import type { Verdict } from '../../../src/resolver/query.js';
import { parse } from '../../helpers/packets.js';
import { decodedQuery } from '../query-fixture.js';

const stage = accessStage(createAccessList(['192.168.1.0/24'], () => []));

describe('access', () => {
  it('is the access stage and fails closed', () => {
    expect(stage).toMatchObject({ name: 'access', onError: 'servfail', when: 'question' });
  });

  describe('when the client is allowed', () => {
    it.each(['192.168.1.20', '127.0.0.1', '::1'])('goes on for %s', (address) => {
      expect(stage.run(decodedQuery({}, { address }))).toEqual({ kind: 'next' });
    });
  });

  describe('when the client is not allowed', () => {
    it('answers REFUSED with the question (RFC 1035 §4.1.1)', () => {
      const q = decodedQuery({ id: 0x5555, name: 'www.example.org', edns: {} }, { address: '203.0.113.9' });
      const v = stage.run(q) as Verdict;
      if (v.kind !== 'reply') throw new Error(v.kind);
      expect(v.reason).toBe('refused');
      const p = parse(v.reply);
      expect(p.header).toMatchObject({ id: 0x5555, rcode: RCODE.REFUSED, qr: true, ancount: 0 });
      expect(p.question!.name).toBe('www.example.org');
      expect(q.detail).toMatch(/not in allowed networks/);
    });
  });
});
