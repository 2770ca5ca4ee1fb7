import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { compileRecord } from '../../src/resolver/local-records.js';
import { T } from '../helpers/packets.js';

describe('compileRecord', () => {
  describe('when the record is valid', () => {
    it('compiles an A record owned by the query name', () => {
      const r = compileRecord('NAS.example.org', 'a', '192.0.2.10', 60);
      expect(r.wire).toBe(nameToWire('nas.example.org'));
      expect(r.type).toBe(T.A);
      expect(Array.from(r.rdata)).toEqual([192, 0, 2, 10]);
      expect(Array.from(r.record)).toEqual([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10]);
    });

    it('compiles an AAAA record', () => {
      const r = compileRecord('nas.example.org', 'AAAA', '2001:db8::a');
      expect(r.type).toBe(T.AAAA);
      expect(r.ttl).toBe(300);
      expect(r.rdata.toString('hex')).toBe('20010db800000000000000000000000a');
    });

    it('compiles a CNAME with its lowercase target', () => {
      const r = compileRecord('www.example.org', 'CNAME', 'Host.Example.NET');
      expect(r.type).toBe(T.CNAME);
      expect(r.target).toBe(nameToWire('host.example.net'));
      expect(r.rdata.toString('latin1')).toBe(nameToWire('host.example.net'));
    });
  });

  describe('when the record is not valid', () => {
    it.each([
      [['bad..example.org', 'A', '192.0.2.1'], /name 'bad\.\.example\.org' is not a valid domain/],
      [['.', 'A', '192.0.2.1'], /name '\.' is not a valid domain/],
      [['a.example.org', 'A', '2001:db8::1'], /value '2001:db8::1' is not an IPv4 address/],
      [['a.example.org', 'A', '192.0.2.300'], /is not an IPv4 address/],
      [['a.example.org', 'AAAA', '192.0.2.1'], /value '192.0.2.1' is not an IPv6 address/],
      [['a.example.org', 'CNAME', 'bad..example.net'], /value 'bad\.\.example\.net' is not a valid domain/],
      [['a.example.org', 'CNAME', '.'], /is not a valid domain/],
      [['a.example.org', 'MX', 'mail.example.org'], /type 'MX' is not supported \(A, AAAA or CNAME\)/],
      [['a.example.org', 'A', '192.0.2.1', -1], /ttl '-1' must be a whole number/],
      [['a.example.org', 'A', '192.0.2.1', 1.5], /ttl '1.5' must be a whole number/],
    ] as [[string, string, string, number?], RegExp][])('throws for %j', (args, message) => {
      expect(() => compileRecord(...args)).toThrow(message);
    });
  });
});
