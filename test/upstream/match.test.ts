import { describe, expect, it } from 'vitest';
import { answersQuery } from '../../src/upstream/match.js';
import { T, aRdata, buildQuery, buildResponse } from '../helpers/packets.js';

describe('answersQuery', () => {
  const query = buildQuery({ id: 0x5151, name: 'www.example.org', type: T.A });
  const answer = buildResponse(query, { answers: [{ type: T.A, rdata: aRdata('192.0.2.1') }] });

  describe('when the response matches', () => {
    it('accepts it', () => {
      expect(answersQuery(query, answer)).toBe(true);
    });

    it('accepts a question in another case (RFC 4343, 0x20 encoding)', () => {
      const other = buildResponse(buildQuery({ id: 0x5151, name: 'WwW.ExAmPlE.oRg' }));
      expect(answersQuery(query, other)).toBe(true);
    });
  });

  describe('when the response does not match', () => {
    it('refuses another ID', () => {
      const r = Buffer.from(answer);
      r[1] ^= 1;
      expect(answersQuery(query, r)).toBe(false);
    });

    it('refuses a message without QR', () => {
      const r = Buffer.from(answer);
      r[2] &= 0x7f;
      expect(answersQuery(query, r)).toBe(false);
    });

    it('refuses another opcode', () => {
      const r = Buffer.from(answer);
      r[2] |= 2 << 3;
      expect(answersQuery(query, r)).toBe(false);
    });

    it('refuses another name', () => {
      expect(answersQuery(query, buildResponse(buildQuery({ id: 0x5151, name: 'www.example.net' })))).toBe(false);
    });

    it('refuses another type', () => {
      expect(answersQuery(query, buildResponse(buildQuery({ id: 0x5151, name: 'www.example.org', type: T.AAAA })))).toBe(false);
    });

    it('refuses another class', () => {
      expect(answersQuery(query, buildResponse(buildQuery({ id: 0x5151, name: 'www.example.org', klass: 3 })))).toBe(false);
    });

    it('refuses QDCOUNT 0', () => {
      const r = Buffer.from(answer);
      r[5] = 0;
      expect(answersQuery(query, r)).toBe(false);
    });

    it('refuses a message shorter than the question', () => {
      expect(answersQuery(query, answer.subarray(0, 20))).toBe(false);
      expect(answersQuery(query, answer.subarray(0, 11))).toBe(false);
    });
  });
});
