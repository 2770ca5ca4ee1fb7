/**
 * telemute against upstreams that lie (a small UDP server in this file) and against knotd through
 * each --upstream URL form. A forwarder that took a reply with the wrong ID or for another
 * question would be open to cache poisoning (RFC 5452 §9.1), so those must end in SERVFAIL.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, frame, kdig, readHeader, rrsetKey, tcpExchange } from '../helpers/kdig.js';
import { startKnot, type Knot } from '../helpers/knot.js';
import { freePort } from '../helpers/ports.js';
import { ensureBuilt, startTelemute, type Telemute } from '../helpers/telemute.js';

const LIE = [192, 0, 2, 66];
const TRUTH = [192, 0, 2, 1];

/** A reply to `query` (question copied, its OPT dropped) with one A record, or NXDOMAIN (or `rcode`) without `addr`. */
function reply(query: Buffer, o: { addr?: number[]; id?: number; qname?: string; ad?: boolean; ttl?: number; rcode?: number }): Buffer {
  let end = 12;
  while (query[end] !== 0) end += query[end] + 1;
  let question = query.subarray(12, end + 5);
  if (o.qname) {
    const labels = o.qname.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
    question = Buffer.concat([...labels, Buffer.from([0]), question.subarray(question.length - 4)]);
  }
  const header = Buffer.from(query.subarray(0, 12));
  header.writeUInt16BE(o.id ?? query.readUInt16BE(0), 0);
  header[2] = 0x81; // QR, RD
  header[3] = (o.rcode ?? (o.addr ? 0 : 3)) | 0x80 | (o.ad ? 0x20 : 0); // RA, AD, RCODE
  header.writeUInt16BE(o.addr ? 1 : 0, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  const answer = o.addr ? Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, o.ttl ?? 60, 0, 4, ...o.addr]) : Buffer.alloc(0);
  return Buffer.concat([header, question, answer]);
}

/** The lying upstream: what it does depends on the first label of the name asked. */
function startLiar(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  const seen = new Set<string>();
  socket.on('message', (query, peer) => {
    const send = (msg: Buffer) => socket.send(msg, peer.port, peer.address);
    const label = query.subarray(13, 13 + query[12]).toString('latin1').toLowerCase();
    const wrongId = query.readUInt16BE(0) ^ 0x5a5a;
    if (label === 'wrongid') send(reply(query, { addr: LIE, id: wrongId }));
    else if (label === 'wrongq') send(reply(query, { addr: LIE, qname: 'evil.example.org' }));
    else if (label === 'late') {
      send(reply(query, { addr: LIE, id: wrongId }));
      setTimeout(() => send(reply(query, { addr: TRUTH })), 100);
    } else if (label === 'ad') send(reply(query, { addr: TRUTH, ad: true }));
    else if (label.startsWith('once')) {
      // Answers once with TTL 1, then only SERVFAIL: a broken rather than a silent upstream.
      send(seen.has(label) ? reply(query, { rcode: 2 }) : reply(query, { addr: TRUTH, ttl: 1 }));
      seen.add(label);
    } else if (label.startsWith('slow')) setTimeout(() => send(reply(query, { addr: TRUTH })), 1500);
    else if (label === 'garbage') send(Buffer.concat([reply(query, { addr: TRUTH }).subarray(0, 12), Buffer.from([63, 1, 2])]));
    else send(reply(query, {}));
  });
  return new Promise((resolve) => socket.bind(port, '127.0.0.1', () => resolve(socket)));
}

let knot: Knot;
let liar: dgram.Socket;
let tm: Telemute;
let liarPort: number;

beforeAll(async () => {
  await ensureBuilt();
  knot = await startKnot({ zones: ['example.org'] });
  liarPort = await freePort();
  liar = await startLiar(liarPort);
  tm = await startTelemute(['--upstream', `udp://127.0.0.1:${liarPort}`, '--admin', 'off']);
}, 200_000);

afterAll(async () => {
  await tm?.stop();
  liar?.close();
  await knot?.stop();
});

describe('resolver e2e', { timeout: 15_000 }, () => {
  describe('when the upstream lies', () => {
    it('ignores a reply with the wrong ID and answers SERVFAIL within 3 s', async () => {
      const r = await kdig(tm.port, 'wrongid.example.org', 'A', ['+timeout=5']);
      expect(r.rcode).toBe('SERVFAIL');
      expect(r.answer).toEqual([]);
      expect(r.elapsedMs).toBeLessThan(3300);
    });

    it('ignores a reply for a different question and answers SERVFAIL within 3 s', async () => {
      const r = await kdig(tm.port, 'wrongq.example.org', 'A', ['+timeout=5']);
      expect(r.rcode).toBe('SERVFAIL');
      expect(r.answer).toEqual([]);
      expect(r.elapsedMs).toBeLessThan(3300);
    });

    it('takes the right reply that follows a wrong-ID one', async () => {
      const r = await kdig(tm.port, 'late.example.org', 'A', ['+timeout=5']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => rr.data)).toEqual(['192.0.2.1']);
    });

    it('ignores a reply that cannot be parsed and answers SERVFAIL within 3 s', async () => {
      const r = await kdig(tm.port, 'garbage.example.org', 'A', ['+timeout=5']);
      expect(r.rcode).toBe('SERVFAIL');
      expect(r.elapsedMs).toBeLessThan(3300);
    });

    it('clears an upstream AD flag when the query had neither AD nor DO (RFC 6840 §5.8)', async () => {
      const r = await kdig(tm.port, 'ad.example.org', 'A', ['+noadflag', '+nodnssec']);
      expect(r.answer.map((rr) => rr.data)).toEqual(['192.0.2.1']);
      expect(r.flags).not.toContain('ad');
    });
  });

  describe('when the upstream answers SERVFAIL for a name it answered before', () => {
    it('serves the expired answer stale, with TTL 30 (RFC 8767)', async () => {
      expect((await kdig(tm.port, 'once-a.example.org', 'A')).answer.map((rr) => rr.ttl)).toEqual([1]);
      await new Promise((r) => setTimeout(r, 1500));
      const r = await kdig(tm.port, 'once-a.example.org', 'A', ['+timeout=5']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => [rr.data, rr.ttl])).toEqual([['192.0.2.1', 30]]);
    });
  });

  describe('when the upstream is slow but honest', () => {
    // A fresh telemute: its estimate of the upstream's speed must not come from the lies above.
    it('takes a reply that arrives 1.5 s after the query, within its 2.8 s deadline', async () => {
      const fresh = await startTelemute(['--upstream', `udp://127.0.0.1:${liarPort}`, '--admin', 'off']);
      try {
        const r = await kdig(fresh.port, 'slow-a.example.org', 'A', ['+timeout=5']);
        expect(r.rcode).toBe('NOERROR');
        expect(r.answer.map((rr) => rr.data)).toEqual(['192.0.2.1']);
      } finally {
        await fresh.stop();
      }
    });
  });

  describe('when a slow query and a fast one share a TCP connection', () => {
    it('answers the fast one first (RFC 7766 §6.2.1.1 out-of-order replies)', async () => {
      const slow = buildQuery('slow-b.example.org', 'A', { id: 0x0051 });
      const fast = buildQuery('ad.example.org', 'A', { id: 0x00fa });
      const replies = await tcpExchange(tm.port, Buffer.concat([frame(slow), frame(fast)]), 2, 5000);
      expect(replies.map((r) => readHeader(r).id)).toEqual([0x00fa, 0x0051]);
    });
  });

  describe('when --upstream is given in each URL form', () => {
    it.each(['udp://127.0.0.1:PORT', 'tcp://127.0.0.1:PORT', '127.0.0.1:PORT'])('forwards through %s', async (form) => {
      const one = await startTelemute(['--upstream', form.replace('PORT', String(knot.port)), '--admin', 'off']);
      try {
        const [want, got] = await Promise.all([kdig(knot.port, 'www.example.org', 'A'), kdig(one.port, 'www.example.org', 'A')]);
        expect(got.rcode).toBe('NOERROR');
        expect(rrsetKey(got.answer)).toEqual(rrsetKey(want.answer));
      } finally {
        await one.stop();
      }
    });

    it('fetches a truncated answer over TCP from a bare ADDR:PORT upstream', async () => {
      const one = await startTelemute(['--upstream', `127.0.0.1:${knot.port}`, '--admin', 'off']);
      try {
        const r = await kdig(one.port, 'big.example.org', 'TXT', ['+tcp']);
        expect(r.answer).toHaveLength(12);
      } finally {
        await one.stop();
      }
    });
  });
});
