import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../src/dns/query.js';
import { nameToWire } from '../../src/dns/name.js';
import { T, parse } from '../helpers/packets.js';

describe('buildQuery', () => {
  const spec = { nameWire: nameToWire('www.example.org')!, qtype: T.AAAA, qclass: 1, dnssecOk: false, checkingDisabled: false };

  it('asks the question with RD and AD set and ID 0', () => {
    const p = parse(buildQuery(spec));
    expect(p.header).toMatchObject({ id: 0, qr: false, rd: true, ad: true, cd: false, qdcount: 1, ancount: 0, nscount: 0, arcount: 1 });
    expect(p.question).toEqual({ name: 'www.example.org', type: T.AAAA, klass: 1 });
  });

  it('carries our OPT: 1232 bytes, version 0, no options', () => {
    expect(parse(buildQuery(spec)).opt).toEqual({ udpSize: 1232, extendedRcode: 0, version: 0, do: false, options: [] });
  });

  it('sets DO and CD as asked', () => {
    const p = parse(buildQuery({ ...spec, dnssecOk: true, checkingDisabled: true }));
    expect(p.opt!.do).toBe(true);
    expect(p.header.cd).toBe(true);
  });
});
