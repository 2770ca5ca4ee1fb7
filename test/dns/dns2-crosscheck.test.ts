/**
 * An independent reader checks the replies telemute writes: dns2's decoder (a separate codebase)
 * must read every kind of reply the resolver builds — errors, blocks, local answers, negative
 * answers with a pointer-owned SOA, truncated replies and cache hits served by copy-and-patch —
 * and agree on header, question and records. This is where dns2 fits (FACTS.md §1): reading.
 */
import dns2 from 'dns2';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../src/cache/entry.js';
import { serveEntry } from '../../src/cache/serve.js';
import { RCODE } from '../../src/dns/constants.js';
import { scanMessage } from '../../src/dns/message.js';
import { addressRecord, buildReply, errorReply, localNegativeReply, truncatedReply } from '../../src/dns/reply.js';
import { decodedQuery } from '../resolver/query-fixture.js';
import { T, aRdata, buildQuery, buildResponse, soaRdata, wireName } from '../helpers/packets.js';

const { Packet } = dns2 as unknown as { Packet: { parse(b: Buffer): Dns2Packet } };
interface Dns2Packet {
  header: { id: number; qr: number; aa: number; tc: number; rd: number; ra: number; ad: number; cd: number; rcode: number; qdcount: number; ancount: number; nscount: number; arcount: number };
  questions: { name: string; type: number; class: number }[];
  answers: { name: string; type: number; ttl: number; address?: string; domain?: string }[];
  authorities: { name: string; type: number; ttl: number; primary?: string; minimum?: number }[];
  additionals: { type: number }[];
  errors: unknown[];
}

const limits = { minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, staleTtl: 86400 };

describe('replies read by dns2', () => {
  it('reads an error reply with the client’s ID, flags, question and OPT', () => {
    const q = decodedQuery({ id: 0xbeef, name: 'WwW.Example.org', type: T.AAAA, cd: true, edns: { do: true } });
    const p = Packet.parse(errorReply(q, RCODE.SERVFAIL));
    expect(p.errors).toEqual([]);
    expect(p.header).toMatchObject({ id: 0xbeef, qr: 1, rd: 1, ra: 1, cd: 1, rcode: RCODE.SERVFAIL, qdcount: 1, ancount: 0, arcount: 1 });
    expect(p.questions).toEqual([{ name: 'WwW.Example.org', type: T.AAAA, class: 1 }]);
    expect(p.additionals[0].type).toBe(T.OPT);
  });

  it('reads a block answer (0.0.0.0 owned by the question name)', () => {
    const q = decodedQuery({ name: 'ads.example.org' });
    const p = Packet.parse(buildReply(q, { rcode: RCODE.NOERROR, records: addressRecord(new Uint8Array(4), 10), answerCount: 1 }));
    expect(p.answers).toMatchObject([{ name: 'ads.example.org', type: T.A, ttl: 10, address: '0.0.0.0' }]);
  });

  it('reads a locally served zone’s NXDOMAIN and its SOA owned by the apex', () => {
    const q = decodedQuery({ name: '1.1.168.192.in-addr.arpa', type: T.PTR });
    const p = Packet.parse(localNegativeReply(q, 4));
    expect(p.header).toMatchObject({ rcode: RCODE.NXDOMAIN, aa: 1, nscount: 1 });
    expect(p.authorities[0]).toMatchObject({ name: '168.192.in-addr.arpa', type: T.SOA, primary: 'localhost', minimum: 300 });
  });

  it('reads a truncated reply: TC, question, no records', () => {
    const q = decodedQuery({ name: 'big.example.org', type: T.TXT });
    const p = Packet.parse(truncatedReply(q, buildReply(q, { rcode: RCODE.NOERROR })));
    expect(p.header).toMatchObject({ tc: 1, qdcount: 1, ancount: 0 });
  });

  it('reads a cache hit served by copy-and-patch: CNAME chain, addresses, TTLs counted down', () => {
    const seed = buildQuery({ name: 'www.example.org' });
    const response = buildResponse(seed, {
      answers: [
        { type: T.CNAME, ttl: 300, rdata: wireName('edge.example.net') },
        { name: 'edge.example.net', type: T.A, ttl: 120, rdata: aRdata('192.0.2.44') },
      ],
      authority: [{ name: 'example.net', type: T.SOA, ttl: 60, rdata: soaRdata({ minimum: 30 }) }],
      edns: {},
    });
    const q = decodedQuery({ id: 7, name: 'WWW.example.ORG', edns: {} });
    const entry = makeEntry(q.key, response, scanMessage(response)!, 1_000_000, limits);
    const p = Packet.parse(serveEntry(q, entry, 1_000_000 + 20_500, false));
    expect(p.errors).toEqual([]);
    expect(p.header).toMatchObject({ id: 7, aa: 0, ra: 1, ancount: 2, nscount: 1, arcount: 1 });
    expect(p.questions[0].name).toBe('WWW.example.ORG');
    expect(p.answers).toMatchObject([
      { type: T.CNAME, ttl: 280, domain: 'edge.example.net' },
      { name: 'edge.example.net', type: T.A, ttl: 100, address: '192.0.2.44' },
    ]);
  });
});
