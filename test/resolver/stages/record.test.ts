import { describe, expect, it, vi } from 'vitest';
import { newCounters, recordStage } from '../../../src/resolver/stages/record.js';
import type { Reason } from '../../../src/resolver/query.js';
import { decodedQuery } from '../query-fixture.js';

describe('record', () => {
  it('is the record stage, runs always and fails open', () => {
    expect(recordStage(newCounters())).toMatchObject({ name: 'record', onError: 'skip', when: 'always' });
  });

  it('starts at zero', () => {
    expect(Object.values(newCounters()).every((n) => n === 0)).toBe(true);
  });

  describe('when queries are recorded', () => {
    it('counts each by reason and all in total', () => {
      const counters = newCounters();
      const stage = recordStage(counters);
      const reasons: Reason[] = ['cached', 'cached', 'resolved', 'blocked', 'stale', 'local', 'refused', 'malformed', 'servfail', 'dropped', 'pending'];
      for (const reason of reasons) {
        const q = decodedQuery();
        q.reason = reason;
        expect(stage.run(q)).toEqual({ kind: 'next' });
      }
      expect(counters).toEqual({ total: 11, cached: 2, resolved: 1, stale: 1, blocked: 1, local: 1, refused: 1, malformed: 1, servfail: 1, dropped: 1 });
    });

    it('hands every query to the sinks', () => {
      const sink = vi.fn();
      const q = decodedQuery();
      q.reason = 'blocked';
      recordStage(newCounters(), [sink, sink]).run(q);
      expect(sink).toHaveBeenCalledTimes(2);
      expect(sink).toHaveBeenCalledWith(q);
    });
  });
});
