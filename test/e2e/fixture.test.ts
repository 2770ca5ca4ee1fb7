/**
 * Checks the upstream fixture itself: knotd serves every record the resolver tests rely on, so a
 * failure in resolver.test.ts points at telemute, not at the zone files or the helpers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, frame, kdig, readHeader, tcpExchange, udpExchange } from '../helpers/kdig.js';
import { startKnot, type Knot } from '../helpers/knot.js';

let knot: Knot;

beforeAll(async () => {
  knot = await startKnot();
}, 40_000);

afterAll(async () => {
  await knot?.stop();
});

/** [name, type, expected answer data of that type] straight from test/fixtures/zones. */
const RECORDS: [string, string, string[]][] = [
  ['example.org', 'A', ['192.0.2.1']],
  ['example.org', 'AAAA', ['2001:db8::1']],
  ['example.org', 'MX', ['10 mail.example.org.', '20 mail2.example.org.']],
  ['example.org', 'TXT', ['"v=spf1 -all"']],
  ['example.org', 'CAA', ['0 issue "ca.example.net" ']],
  ['example.org', 'HTTPS', ['1 . alpn=h2,h3 ipv4hint=192.0.2.1 ipv6hint=2001:db8::1']],
  ['example.org', 'SOA', ['ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 300']],
  ['example.org', 'NS', ['ns1.example.org.']],
  ['_dns.example.org', 'SVCB', ['1 dns.example.org. alpn=dot port=853']],
  ['_sip._tcp.example.org', 'SRV', ['10 60 5060 sip.example.org.']],
  ['naptr.example.org', 'NAPTR', ['100 10 "S" "SIP+D2U" "" _sip._udp.example.org.']],
  ['ptr.example.org', 'PTR', ['host.example.org.']],
  ['unknown.example.org', 'TYPE65280', ['\\# 4 0A000001']],
  ['short.example.org', 'A', ['203.0.113.2']],
  ['blocked.example.org', 'A', ['203.0.113.66']],
  ['sub.blocked.example.org', 'A', ['203.0.113.67']],
  ['sibling.example.org', 'A', ['203.0.113.68']],
  ['unblocked.example.org', 'A', ['203.0.113.69']],
  ['upper.example.org', 'A', ['203.0.113.70']],
  ['spaced.example.org', 'A', ['203.0.113.71']],
];

describe('knot fixture', () => {
  describe('when queried for each record type', () => {
    it.each(RECORDS)('serves %s %s', async (name, type, data) => {
      const r = await kdig(knot.port, name, type);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.filter((rr) => rr.type === type).map((rr) => rr.data).sort()).toEqual(data);
    });

    it('serves the CNAME chain www -> cdn -> edge', async () => {
      const r = await kdig(knot.port, 'www.example.org', 'A');
      expect(r.answer.map((rr) => `${rr.name} ${rr.type} ${rr.data}`)).toEqual([
        'www.example.org. CNAME cdn.example.org.',
        'cdn.example.org. CNAME edge.example.org.',
        'edge.example.org. A 198.51.100.7',
      ]);
    });

    it('gives the short-TTL record a TTL of 2 s', async () => {
      const r = await kdig(knot.port, 'short.example.org', 'A');
      expect(r.answer[0].ttl).toBe(2);
    });
  });

  describe('when the answer is negative', () => {
    it('answers NXDOMAIN with the SOA (negative TTL 300) for a random name', async () => {
      const r = await kdig(knot.port, `nx-${Date.now()}.example.org`, 'A');
      expect(r.rcode).toBe('NXDOMAIN');
      expect(r.authority.map((rr) => [rr.type, rr.ttl])).toEqual([['SOA', 300]]);
    });

    it('answers NODATA with the SOA for AAAA on an A-only name', async () => {
      const r = await kdig(knot.port, 'v4only.example.org', 'AAAA');
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer).toEqual([]);
      expect(r.authority.map((rr) => rr.type)).toEqual(['SOA']);
    });
  });

  describe('when the answer is larger than 1232 bytes', () => {
    it('truncates big.example.org TXT over UDP with +ignore', async () => {
      const r = await kdig(knot.port, 'big.example.org', 'TXT', ['+ignore', '+bufsize=1232']);
      expect(r.flags).toContain('tc');
      expect(r.answer).toEqual([]);
    });

    it('sends medium.example.org TXT (about 800 B) whole with EDNS 1232, truncated without EDNS', async () => {
      const edns = await kdig(knot.port, 'medium.example.org', 'TXT', ['+ignore', '+bufsize=1232']);
      expect(edns.answer).toHaveLength(3);
      const classic = await kdig(knot.port, 'medium.example.org', 'TXT', ['+ignore', '+noedns']);
      expect(classic.flags).toContain('tc');
    });

    it('sends all 12 strings (about 3 KB) over TCP', async () => {
      const r = await kdig(knot.port, 'big.example.org', 'TXT', ['+tcp']);
      expect(r.flags).not.toContain('tc');
      expect(r.answer).toHaveLength(12);
      expect(r.answer.reduce((n, rr) => n + rr.hex.length / 2, 0)).toBeGreaterThan(3000);
    });
  });

  describe('when the zone is signed', () => {
    it('returns RRSIGs with DO set', async () => {
      const r = await kdig(knot.port, 'signed.example.net', 'A', ['+dnssec']);
      expect(r.answer.map((rr) => rr.type).sort()).toEqual(['A', 'RRSIG']);
      expect(r.opt?.do).toBe(true);
    });

    it('returns no RRSIG without DO', async () => {
      const r = await kdig(knot.port, 'signed.example.net', 'A');
      expect(r.answer.map((rr) => rr.type)).toEqual(['A']);
    });
  });

  describe('when using the EDNS and raw helpers', () => {
    it('parses BADVERS from the OPT extended RCODE', async () => {
      const r = await kdig(knot.port, 'example.org', 'A', ['+edns=1']);
      expect(r.rcode).toBe('BADVERS');
      expect(r.opt?.version).toBe(0);
    });

    it('exchanges raw UDP and pipelined TCP messages', async () => {
      const udp = await udpExchange(knot.port, buildQuery('example.org', 'A', { id: 0x4242 }));
      expect(udp && readHeader(udp)).toMatchObject({ id: 0x4242, qr: true, rcode: 0, ancount: 1 });
      const ids = [0x1111, 0x2222, 0x3333];
      const replies = await tcpExchange(knot.port, Buffer.concat(ids.map((id) => frame(buildQuery('example.org', 'A', { id })))), 3);
      expect(replies.map((r) => readHeader(r).id).sort((a, b) => a - b)).toEqual(ids);
    });

    it('can pause knot so that queries time out, and resume it', async () => {
      await knot.pause();
      try {
        expect(await udpExchange(knot.port, buildQuery('example.org', 'A'), 300)).toBeNull();
      } finally {
        knot.resume();
      }
      expect(await udpExchange(knot.port, buildQuery('example.org', 'A'), 2000)).not.toBeNull();
    });
  });
});
