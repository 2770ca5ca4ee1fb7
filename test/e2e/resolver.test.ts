/**
 * telemute forwarding to a real knotd, queried with kdig over UDP and TCP: every record type,
 * truncation, header flags, negative answers and DNSSEC pass-through.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kdig, rrsetKey } from '../helpers/kdig.js';
import { useResolver } from '../helpers/resolver-env.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const env = useResolver();

/** Every record type the forwarder must pass through untouched, with a name that has it. */
const QUERIES: [string, string][] = [
  ['example.org', 'A'],
  ['example.org', 'AAAA'],
  ['example.org', 'MX'],
  ['example.org', 'TXT'],
  ['example.org', 'NS'],
  ['example.org', 'SOA'],
  ['example.org', 'CAA'],
  ['example.org', 'HTTPS'],
  ['_dns.example.org', 'SVCB'],
  ['_sip._tcp.example.org', 'SRV'],
  ['naptr.example.org', 'NAPTR'],
  ['ptr.example.org', 'PTR'],
  ['unknown.example.org', 'TYPE65280'],
  ['www.example.org', 'A'],
];

describe('resolver e2e', { timeout: 15_000 }, () => {
  describe('when forwarding each record type', () => {
    it.each(QUERIES)('answers %s %s over UDP exactly as knot does', async (name, type) => {
      const [want, got] = await Promise.all([kdig(env.knot.port, name, type), kdig(env.tm.port, name, type)]);
      expect(got.rcode).toBe(want.rcode);
      expect(got.answer.length).toBeGreaterThan(0);
      expect(rrsetKey(got.answer)).toEqual(rrsetKey(want.answer));
      expect(got.flags).toEqual(expect.arrayContaining(['qr', 'rd']));
    });

    it.each(QUERIES)('answers %s %s over TCP exactly as knot does', async (name, type) => {
      const [want, got] = await Promise.all([kdig(env.knot.port, name, type, ['+tcp']), kdig(env.tm.port, name, type, ['+tcp'])]);
      expect(got.rcode).toBe(want.rcode);
      expect(rrsetKey(got.answer)).toEqual(rrsetKey(want.answer));
    });
  });

  describe('when the answer does not fit in a UDP reply', () => {
    it('sets TC and sends no records over UDP (kdig +ignore, EDNS 1232)', async () => {
      const r = await kdig(env.tm.port, 'big.example.org', 'TXT', ['+ignore', '+bufsize=1232']);
      expect(r.flags).toContain('tc');
      expect(r.answer).toEqual([]);
    });

    it('sets TC and sends no records over UDP without EDNS (512-byte limit)', async () => {
      const r = await kdig(env.tm.port, 'big.example.org', 'TXT', ['+ignore', '+noedns']);
      expect(r.flags).toContain('tc');
      expect(r.answer).toEqual([]);
    });

    it('sends the whole RRset over TCP', async () => {
      const [want, got] = await Promise.all([
        kdig(env.knot.port, 'big.example.org', 'TXT', ['+tcp']),
        kdig(env.tm.port, 'big.example.org', 'TXT', ['+tcp']),
      ]);
      expect(got.flags).not.toContain('tc');
      expect(got.answer).toHaveLength(12);
      expect(rrsetKey(got.answer)).toEqual(rrsetKey(want.answer));
    });

    it('truncates a cached big answer for a later UDP query too', async () => {
      await kdig(env.tm.port, 'big.example.org', 'TXT', ['+tcp']);
      const r = await kdig(env.tm.port, 'big.example.org', 'TXT', ['+ignore', '+bufsize=1232']);
      expect(r.flags).toContain('tc');
      expect(r.answer).toEqual([]);
    });

    it('truncates an 800-byte answer for a client without EDNS, not for one with EDNS 1232', async () => {
      const classic = await kdig(env.tm.port, 'medium.example.org', 'TXT', ['+ignore', '+noedns']);
      expect(classic.flags).toContain('tc');
      expect(classic.answer).toEqual([]);
      const edns = await kdig(env.tm.port, 'medium.example.org', 'TXT', ['+ignore', '+bufsize=1232']);
      expect(edns.flags).not.toContain('tc');
      expect(edns.answer).toHaveLength(3);
    });

    it('honours a client EDNS size smaller than the answer (600 B for 800 B)', async () => {
      const r = await kdig(env.tm.port, 'medium.example.org', 'TXT', ['+ignore', '+bufsize=600']);
      expect(r.flags).toContain('tc');
      expect(r.answer).toEqual([]);
    });

    it('never sends a cut RRset: with EDNS 4096 the 3 KB answer is whole or empty with TC', async () => {
      const r = await kdig(env.tm.port, 'big.example.org', 'TXT', ['+ignore', '+bufsize=4096']);
      expect(r.answer).toHaveLength(r.flags.includes('tc') ? 0 : 12);
    });

    it('gives kdig the whole RRset when it may retry over TCP', async () => {
      const r = await kdig(env.tm.port, 'big.example.org', 'TXT', ['+bufsize=1232']);
      expect(r.answer).toHaveLength(12);
    });
  });

  describe('when setting header flags', () => {
    // RFC 1035 §4.1.1: RA says recursion is available (true of any forwarder, as dnsmasq sets it);
    // AA claims authority, which a cache never has (dnsmasq clears it on cached answers).
    it('sets RA on forwarded and on cached answers', async () => {
      const name = `ra-${Date.now()}.example.org`;
      const forwarded = await kdig(env.tm.port, name, 'A');
      const cached = await kdig(env.tm.port, name, 'A');
      expect(forwarded.flags).toContain('ra');
      expect(cached.flags).toContain('ra');
    });

    it('does not set AA on an answer from its cache', async () => {
      await kdig(env.tm.port, 'mail.example.org', 'A');
      const cached = await kdig(env.tm.port, 'mail.example.org', 'A');
      expect(cached.answer.map((rr) => rr.data)).toEqual(['192.0.2.25']);
      expect(cached.flags).not.toContain('aa');
    });
  });

  describe('when the name does not exist or has no data', () => {
    it('answers NXDOMAIN with the SOA in authority', async () => {
      const r = await kdig(env.tm.port, `nx-${Date.now()}.example.org`, 'A');
      expect(r.rcode).toBe('NXDOMAIN');
      expect(r.answer).toEqual([]);
      expect(r.authority.map((rr) => rr.type)).toEqual(['SOA']);
    });

    it('answers NODATA (NOERROR, no answer) with the SOA in authority', async () => {
      const r = await kdig(env.tm.port, 'v4only.example.org', 'AAAA');
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer).toEqual([]);
      expect(r.authority.map((rr) => rr.type)).toEqual(['SOA']);
    });
  });

  describe('when the zone is DNSSEC-signed', () => {
    it('passes RRSIGs through for a query with DO', async () => {
      const r = await kdig(env.tm.port, 'signed.example.net', 'A', ['+dnssec']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => rr.type).sort()).toEqual(['A', 'RRSIG']);
      expect(r.opt?.do).toBe(true);
    });

    it('sends no RRSIG to a later query without DO (RFC 3225 §3)', async () => {
      await kdig(env.tm.port, 'www.signed.example.net', 'A', ['+dnssec']);
      const r = await kdig(env.tm.port, 'www.signed.example.net', 'A');
      expect(r.answer.map((rr) => rr.type)).toEqual(['A']);
    });

    it('passes RRSIGs to a DO query for a name a plain query put in the cache', async () => {
      await kdig(env.tm.port, 'signed.example.net', 'AAAA');
      const r = await kdig(env.tm.port, 'signed.example.net', 'AAAA', ['+dnssec']);
      expect(r.answer.map((rr) => rr.type).sort()).toEqual(['AAAA', 'RRSIG']);
    });

    it('passes the NSEC proof of an NXDOMAIN through to a DO query', async () => {
      const name = `nx-${Date.now()}.signed.example.net`;
      const [want, got] = await Promise.all([kdig(env.knot.port, name, 'A', ['+dnssec']), kdig(env.tm.port, name, 'A', ['+dnssec'])]);
      expect(got.rcode).toBe('NXDOMAIN');
      expect(rrsetKey(got.authority)).toEqual(rrsetKey(want.authority));
      expect(got.authority.map((rr) => rr.type)).toContain('NSEC');
    });

    it('does not set AD when the query had neither AD nor DO (RFC 6840 §5.8)', async () => {
      const r = await kdig(env.tm.port, 'signed.example.net', 'AAAA', ['+noadflag', '+nodnssec']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.flags).not.toContain('ad');
    });
  });


  describe('when run from its bundle', () => {
    // TELEMUTE_BUNDLE (another build, run where it is) makes this moot.
    it.skipIf(Boolean(process.env.TELEMUTE_BUNDLE))('runs from a copy of dist/ outside the repo, so it cannot use node_modules', () => {
      expect(env.tm.bundle).toMatch(/\/dist\/telemute\.mjs$/);
      expect(path.relative(REPO, env.tm.bundle).startsWith('..')).toBe(true);
    });
  });
});
