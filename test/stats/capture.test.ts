import { describe, expect, it } from 'vitest';
import { createCapture, type Batch } from '../../src/stats/capture.js';
import { ACTIONS } from '../../src/stats/types.js';
import { device, query } from './helpers.js';

/** A plain copy of one slot (the batch's arrays are reused after drain). */
function slot(b: Batch, i: number) {
  return { time: b.time[i], latency: b.latency[i], qtype: b.qtype[i], rcode: b.rcode[i], action: ACTIONS[b.action[i]], device: b.device[i]?.id ?? null, client: b.client[i], nameWire: b.nameWire[i], detail: b.detail[i], upstream: b.upstream[i], flag: b.flag[i], addresses: b.facts[i]?.addresses ?? null };
}

describe('capture', () => {
  describe('when queries are added', () => {
    it('copies what the log needs into the batch slots', () => {
      const c = createCapture(8, () => 1_700_000_000_025);
      c.add(query({ time: 1_700_000_000_000, name: 'a.example.org', reason: 'resolved', detail: 'rule:1', upstream: '192.0.2.53', flag: 'cname-cloak', addresses: ['198.51.100.1'], rcode: 3, qtype: 28 }));
      let got: ReturnType<typeof slot> | undefined;
      expect(c.drain((b) => (got = slot(b, 0)))).toBe(1);
      expect(got).toEqual({ time: 1_700_000_000_000, latency: 25, qtype: 28, rcode: 3, action: 'answered', device: 'aa:bb:cc:00:00:01', client: '192.0.2.10', nameWire: '\x01a\x07example\x03org\x00', detail: 'rule:1', upstream: '192.0.2.53', flag: 'cname-cloak', addresses: ['198.51.100.1'] });
    });

    it('maps every reason to its action, and no reply to rcode -1', () => {
      const c = createCapture(16);
      const reasons = ['resolved', 'cached', 'blocked', 'local', 'refused', 'stale', 'servfail', 'malformed', 'dropped'] as const;
      for (const reason of reasons) c.add(query({ reason }));
      const q = query();
      q.reply = null;
      c.add(q);
      const actions: string[] = [];
      let rcode = 0;
      c.drain((b) => {
        for (let i = 0; i < reasons.length; i++) actions.push(ACTIONS[b.action[i]]);
        rcode = b.rcode[reasons.length];
      });
      expect(actions).toEqual(['answered', 'cached', 'blocked', 'local', 'refused', 'stale', 'servfail', 'malformed', 'dropped']);
      expect(rcode).toBe(-1);
    });
  });

  describe('when the batch is full', () => {
    it('drops and counts the overflow, then accepts again after a drain', () => {
      const c = createCapture(4);
      for (let i = 0; i < 10; i++) c.add(query());
      expect(c.dropped()).toBe(6);
      expect(c.drain(() => {})).toBe(4);
      c.add(query());
      expect(c.drain(() => {})).toBe(1);
      expect(c.dropped()).toBe(6);
    });
  });

  describe('when drained', () => {
    it('releases device and answer references so they can be collected', () => {
      const c = createCapture(4);
      c.add(query({ device: device('aa:bb:cc:00:00:09'), addresses: ['198.51.100.1'] }));
      let batch: Batch | undefined;
      c.drain((b) => (batch = b));
      expect(batch!.length).toBe(0);
      expect(batch!.device[0]).toBeNull();
      expect(batch!.facts[0]).toBeNull();
    });

    it('empties the batch even when the consumer throws', () => {
      const c = createCapture(4);
      c.add(query());
      expect(() => c.drain(() => { throw new Error('boom'); })).toThrow('boom');
      expect(c.drain(() => {})).toBe(0);
    });
  });
});
