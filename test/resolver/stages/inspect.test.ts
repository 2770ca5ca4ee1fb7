import { describe, expect, it, vi } from 'vitest';
import { inspectStage } from '../../../src/resolver/stages/inspect.js';
import { NEXT, reply } from '../../../src/resolver/query.js';
import { T, aRdata, wireName } from '../../helpers/packets.js';
import { entryFor } from '../entries.js';
import { decodedQuery } from '../query-fixture.js';

describe('inspect', () => {
  it('is the inspect stage, runs only with an answer, and fails open', () => {
    expect(inspectStage()).toMatchObject({ name: 'inspect', onError: 'skip', when: 'answer' });
  });

  describe('when the answer has no facts yet', () => {
    it('finds its CNAME chain and addresses and keeps them with the entry', () => {
      const q = decodedQuery({ name: 'www.example.org' });
      q.answer = entryFor(q, 0, [
        { type: T.CNAME, rdata: wireName('edge.example.net') },
        { name: 'edge.example.net', type: T.A, rdata: aRdata('192.0.2.5') },
      ]);
      expect(inspectStage().run(q)).toEqual(NEXT);
      expect(q.answer.facts).toEqual({ cnames: ['edge.example.net'], addresses: ['192.0.2.5'] });
    });
  });

  describe('when the answer already has facts', () => {
    it('does not find them again', () => {
      const q = decodedQuery();
      q.answer = entryFor(q, 0);
      const facts = { cnames: ['kept.example.net'], addresses: [] };
      q.answer.facts = facts;
      inspectStage().run(q);
      expect(q.answer.facts).toBe(facts);
    });
  });

  describe('when checks are given', () => {
    it('runs them in order and returns the first verdict that is not NEXT', () => {
      const q = decodedQuery();
      q.answer = entryFor(q, 0);
      const block = reply(Buffer.from('blocked'), 'blocked');
      const first = vi.fn(() => NEXT);
      const second = vi.fn(() => block);
      const third = vi.fn(() => NEXT);
      expect(inspectStage([first, second, third]).run(q)).toBe(block);
      expect(first).toHaveBeenCalledWith(q);
      expect(third).not.toHaveBeenCalled();
    });
  });
});
