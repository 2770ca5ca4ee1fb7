/**
 * telemute's protocol edges, forwarding to a real knotd: EDNS versions, opcodes, malformed and
 * stray packets, question-case echo and pipelined DNS over TCP.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildQuery, frame, kdig, readHeader, tcpExchange, udpExchange } from '../helpers/kdig.js';
import { useResolver } from '../helpers/resolver-env.js';

const env = useResolver();

/** Question section bytes of a message with one question (header is 12 bytes). */
function questionBytes(msg: Buffer): Buffer {
  let off = 12;
  while (msg[off] !== 0) off += msg[off] + 1;
  return msg.subarray(12, off + 5);
}

describe('resolver e2e', { timeout: 15_000 }, () => {
  describe('when the query carries EDNS', () => {
    it('returns an OPT record for a query with EDNS', async () => {
      const r = await kdig(env.tm.port, 'example.org', 'A', ['+bufsize=1232']);
      expect(r.opt).toBeDefined();
      expect(r.opt?.version).toBe(0);
    });

    it('returns no OPT record for a query without EDNS', async () => {
      const r = await kdig(env.tm.port, 'example.org', 'A', ['+noedns']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.opt).toBeUndefined();
    });

    it('answers normally when the query carries EDNS options (dnsmasq MAC 65001, cookie)', async () => {
      const r = await kdig(env.tm.port, 'example.org', 'A', ['+ednsopt=65001:020000000001', '+cookie']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => rr.data)).toEqual(['192.0.2.1']);
    });

    it('answers BADVERS with an OPT of version 0 for EDNS version 1 (RFC 6891 §6.1.3)', async () => {
      const r = await kdig(env.tm.port, 'example.org', 'A', ['+edns=1']);
      expect(r.rcode).toBe('BADVERS');
      expect(r.opt?.version).toBe(0);
      expect(r.answer).toEqual([]);
    });
  });

  describe('when the packet is unusual or malformed', () => {
    it('answers NOTIMP to an unknown opcode (3)', async () => {
      const reply = await udpExchange(env.tm.port, buildQuery('example.org', 'A', { id: 0x0303, opcode: 3 }));
      expect(reply).not.toBeNull();
      expect(readHeader(reply!)).toMatchObject({ id: 0x0303, qr: true, rcode: 4 });
    });

    it('does not answer a packet with QR set (a reply, not a query)', async () => {
      expect(await udpExchange(env.tm.port, buildQuery('example.org', 'A', { flags2: 0x80 }), 1000)).toBeNull();
    });

    it.each([
      ['3 bytes, shorter than a header', Buffer.from([0x12, 0x34, 0x01])],
      ['a header promising a question that is missing', Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0])],
      ['a label running past the end', Buffer.concat([Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([40, 0x61, 0x62])])],
      ['a compression pointer loop in the question', Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1])],
      ['random bytes', Buffer.from('a7f3c29d0b5e8814662f0a1c3b7d9e4f5a6b8c0d', 'hex')],
    ])('sends nothing or FORMERR for %s, and keeps answering', async (_label, bytes) => {
      const reply = await udpExchange(env.tm.port, bytes, 1000);
      if (reply) expect(readHeader(reply)).toMatchObject({ qr: true, rcode: 1 });
      expect((await kdig(env.tm.port, 'example.org', 'A')).rcode).toBe('NOERROR');
    });

    it('keeps a label holding a dot byte apart from two labels (no cache-key mix-up)', async () => {
      const two = await udpExchange(env.tm.port, buildQuery(['sub', 'blocked', 'example', 'org'], 'A'));
      expect(two && readHeader(two)).toMatchObject({ rcode: 0, ancount: 1 });
      const one = await udpExchange(env.tm.port, buildQuery(['sub.blocked', 'example', 'org'], 'A'));
      expect(one && readHeader(one)).toMatchObject({ rcode: 3, ancount: 0 }); // knot: no such name
    });

    it.each(['ExAmPlE.oRg', 'WwW.eXaMpLe.OrG'])('echoes the question name %s with its case', async (name) => {
      await kdig(env.tm.port, name.toLowerCase(), 'A'); // warm the cache with the lowercase spelling
      const query = buildQuery(name, 'A');
      const reply = await udpExchange(env.tm.port, query);
      expect(reply).not.toBeNull();
      expect(readHeader(reply!)).toMatchObject({ qr: true, rcode: 0 });
      expect(questionBytes(reply!).toString('latin1')).toBe(questionBytes(query).toString('latin1'));
    });
  });

  describe('when many clients ask for the same uncached name at once', () => {
    it('answers all 50 UDP queries, each with its own ID', async () => {
      const queries = Array.from({ length: 50 }, (_, i) => buildQuery('edge.example.org', 'A', { id: 0x5000 + i }));
      const replies = await Promise.all(queries.map((q) => udpExchange(env.tm.port, q, 3000)));
      replies.forEach((reply, i) => {
        expect(reply, `reply to query ${i}`).not.toBeNull();
        expect(readHeader(reply!)).toMatchObject({ id: 0x5000 + i, qr: true, rcode: 0, ancount: 1 });
      });
    });
  });

  describe('when several queries are pipelined on one TCP connection', () => {
    it('answers a query whose length prefix and body arrive in separate segments', async () => {
      const query = frame(buildQuery('example.org', 'A', { id: 0x4004 }));
      const reply = await new Promise<Buffer | null>((resolve) => {
        const socket = net.connect(env.tm.port, '127.0.0.1', () => {
          socket.setNoDelay(true);
          socket.write(query.subarray(0, 1));
          setTimeout(() => socket.write(query.subarray(1, 8)), 50);
          setTimeout(() => socket.write(query.subarray(8)), 100);
        });
        let got = Buffer.alloc(0);
        const timer = setTimeout(() => (socket.destroy(), resolve(null)), 3000);
        socket.on('data', (d) => {
          got = Buffer.concat([got, d]);
          if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
            clearTimeout(timer);
            socket.destroy();
            resolve(got.subarray(2));
          }
        });
        socket.on('error', () => resolve(null));
      });
      expect(reply).not.toBeNull();
      expect(readHeader(reply!)).toMatchObject({ id: 0x4004, qr: true, rcode: 0, ancount: 1 });
    });


    it('answers each of three queries sent in one write, matched by ID', async () => {
      const queries = [
        buildQuery('example.org', 'A', { id: 0x1001 }),
        buildQuery('example.org', 'AAAA', { id: 0x2002 }),
        buildQuery('v4only.example.org', 'A', { id: 0x3003 }),
      ];
      const replies = await tcpExchange(env.tm.port, Buffer.concat(queries.map(frame)), 3, 5000);
      expect(replies).toHaveLength(3);
      for (const query of queries) {
        const reply = replies.find((r) => r.readUInt16BE(0) === query.readUInt16BE(0));
        expect(reply, `reply for ID ${query.readUInt16BE(0)}`).toBeDefined();
        expect(readHeader(reply!)).toMatchObject({ qr: true, rcode: 0, ancount: 1 });
        expect(questionBytes(reply!)).toEqual(questionBytes(query));
      }
    });
  });
});
