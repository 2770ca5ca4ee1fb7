import { describe, expect, it, vi } from 'vitest';
import { cnameCheck, inspectStage } from '../../../src/resolver/stages/inspect.js';
import { nameToWire } from '../../../src/dns/name.js';
import { device, testPolicy } from '../../helpers/policy-env.js';
import { parse } from '../../helpers/packets.js';
import { NEXT, reply, type Verdict } from '../../../src/resolver/query.js';
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
      expect(q.answer.facts).toEqual({ cnames: ['edge.example.net'], cnameWires: [nameToWire('edge.example.net')], addresses: ['192.0.2.5'], geo: null });
    });
  });

  describe('when the answer already has facts', () => {
    it('does not find them again', () => {
      const q = decodedQuery();
      q.answer = entryFor(q, 0);
      const facts = { cnames: ['kept.example.net'], cnameWires: [nameToWire('kept.example.net')!], addresses: [], geo: null };
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

describe('cnameCheck (cloaked trackers)', () => {
  const { engine } = testPolicy((doc) => {
    doc.rules = [{ id: 'cloak', text: '||tracker-cdn.example.net^', scope: 'household', enabled: true }];
    doc.devices['aa:bb:cc:00:00:02'] = { catalogs: { '*': 'off' } };
    doc.rules.push({ id: 'tv-ok', text: '@@||metrics.example.org^', scope: 'device:aa:bb:cc:00:00:03', enabled: true });
  });
  const check = cnameCheck({ checkChain: engine.checkChain, blockMode: 'null', blockTtl: 10 });
  const chained = (name: string, dev: string) => {
    const q = decodedQuery({ name, type: T.A });
    q.device = device(dev);
    q.answer = entryFor(q, 0, [
      { type: T.CNAME, rdata: wireName('edge.example.com') },
      { name: 'edge.example.com', type: T.CNAME, rdata: wireName('x1.tracker-cdn.example.net') },
      { name: 'x1.tracker-cdn.example.net', type: T.A, rdata: aRdata('192.0.2.9') },
    ]);
    inspectStage().run(q); // facts
    return q;
  };

  it('blocks an allowed name whose chain reaches a blocked target, anywhere in the chain', () => {
    const q = chained('metrics.example.org', 'aa:bb:cc:00:00:01');
    const v = check(q);
    expect(v.kind).toBe('reply');
    expect(q.detail).toBe('rule:cloak (via CNAME)');
    const p = parse((v as { reply: Buffer }).reply);
    expect(p.answers).toHaveLength(1);
    expect(Array.from(p.answers[0].rdata)).toEqual([0, 0, 0, 0]);
  });

  it('leaves a name alone when the owner allowed it for that device', () => {
    const q = chained('metrics.example.org', 'aa:bb:cc:00:00:03');
    q.allowed = true; // the policy stage sets this from the allow rule
    expect(check(q)).toEqual(NEXT);
  });

  it('leaves answers without CNAMEs alone', () => {
    const q = decodedQuery({ name: 'plain.example.org' });
    q.answer = entryFor(q, 0);
    inspectStage().run(q);
    expect(check(q)).toEqual(NEXT);
  });

  it('through the stage: the check runs on cached answers too, per device', () => {
    const stage = inspectStage([check]);
    const q1 = chained('metrics.example.org', 'aa:bb:cc:00:00:01');
    const q2 = chained('metrics.example.org', 'aa:bb:cc:00:00:02');
    expect((stage.run(q1) as Verdict).kind).toBe('reply');
    expect((stage.run(q2) as Verdict).kind).toBe('reply'); // a household rule: every device
  });
});
