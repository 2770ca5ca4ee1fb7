import { describe, expect, it } from 'vitest';
import { RCODE } from '../../../src/dns/constants.js';
import { respondStage } from '../../../src/resolver/stages/respond.js';
import type { Transport } from '../../../src/resolver/query.js';
import { T, aRdata, parse, type QuerySpec } from '../../helpers/packets.js';
import { entryFor } from '../entries.js';
import { decodedQuery } from '../query-fixture.js';

const T0 = 7_000_000;
const stage = respondStage(() => T0 + 10_000);

/** A decoded query with an answer of `n` A records (16 bytes each). */
function withAnswer(spec: QuerySpec, n: number, transport: Transport = 'udp') {
  const q = decodedQuery({ name: 'www.example.org', ...spec }, { transport });
  q.answer = entryFor(q, T0, Array.from({ length: n }, (_, i) => ({ type: T.A, ttl: 60, rdata: aRdata(`192.0.2.${i}`) })));
  q.reason = 'resolved';
  return q;
}

describe('respond', () => {
  it('is the respond stage and runs always', () => {
    expect(stage).toMatchObject({ name: 'respond', onError: 'servfail', when: 'always' });
  });

  describe('when there is an answer', () => {
    it('serves it by copy-and-patch: the query ID and TTLs counted down', () => {
      const q = withAnswer({ id: 0x0abc, name: 'WWW.example.org' }, 2);
      expect(stage.run(q)).toEqual({ kind: 'next' });
      const p = parse(q.reply!);
      expect(p.header).toMatchObject({ id: 0x0abc, qr: true, ancount: 2, tc: false });
      expect(p.question!.name).toBe('WWW.example.org');
      expect(p.answers.map((r) => r.ttl)).toEqual([50, 50]);
    });

    it('serves a stale answer with TTL 30', () => {
      const q = withAnswer({}, 1);
      q.reason = 'stale';
      stage.run(q);
      expect(parse(q.reply!).answers[0].ttl).toBe(30);
    });
  });

  describe('when a stage already made the reply', () => {
    it('keeps it', () => {
      const q = decodedQuery();
      const bytes = Buffer.from(q.raw);
      bytes[2] |= 0x80;
      q.reply = bytes;
      stage.run(q);
      expect(q.reply).toBe(bytes);
    });
  });

  describe('when there is neither answer nor reply', () => {
    it('answers SERVFAIL', () => {
      const q = decodedQuery({ id: 0x0909 });
      stage.run(q);
      expect(parse(q.reply!).header).toMatchObject({ id: 0x0909, rcode: RCODE.SERVFAIL });
      expect(q.reason).toBe('servfail');
    });
  });

  describe('when the reply is too big for UDP', () => {
    it('truncates to header and question with TC for a client without EDNS (512 bytes)', () => {
      const q = withAnswer({}, 40); // 33 + 40 * 16 = 673 bytes
      stage.run(q);
      const p = parse(q.reply!);
      expect(p.header).toMatchObject({ tc: true, qr: true, ancount: 0, nscount: 0, arcount: 0, id: 0x1234 });
      expect(p.question!.name).toBe('www.example.org');
      expect(q.reply!.length).toBe(q.questionEnd);
    });

    it('does not truncate an answer that fits in 512 bytes', () => {
      const q = withAnswer({}, 29); // 33 + 29 * 16 = 497 bytes
      stage.run(q);
      expect(q.reply!.length).toBeLessThanOrEqual(512);
      expect(parse(q.reply!).header).toMatchObject({ tc: false, ancount: 29 });
    });

    it('uses the EDNS size: fits in 1232, truncated beyond it with our OPT', () => {
      const fits = withAnswer({ edns: { udpSize: 1232 } }, 60); // 33 + 960 + 11
      stage.run(fits);
      expect(parse(fits.reply!).header).toMatchObject({ tc: false, ancount: 60 });
      const big = withAnswer({ edns: { udpSize: 1232, do: true } }, 100); // 33 + 1600 + 11
      stage.run(big);
      const p = parse(big.reply!);
      expect(p.header).toMatchObject({ tc: true, ancount: 0, arcount: 1 });
      expect(p.opt!.do).toBe(true);
    });

    it('never truncates over TCP', () => {
      const q = withAnswer({}, 300, 'tcp');
      stage.run(q);
      expect(q.reply!.length).toBeGreaterThan(4000);
      expect(parse(q.reply!).header).toMatchObject({ tc: false, ancount: 300 });
    });
  });
});
