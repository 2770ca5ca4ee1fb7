import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseUpstream, type Upstream } from '../../src/upstream/server.js';
import { createUdpTransport, type UdpTransport } from '../../src/upstream/udp-transport.js';
import { T, aRdata, buildQuery, buildResponse, parse } from '../helpers/packets.js';

type OnQuery = (msg: Buffer, rinfo: dgram.RemoteInfo) => void;

/** A tiny DNS server on 127.0.0.1 whose behaviour each test sets, plus a second socket to spoof from. */
let server: dgram.Socket;
let spoofer: dgram.Socket;
let onQuery: OnQuery;
let upstream: Upstream;
let transport: UdpTransport;
const received: Buffer[] = [];

const bind = (s: dgram.Socket) => new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
const close = (s: dgram.Socket) => new Promise<void>((r) => s.close(() => r()));
const answer = (q: Buffer, last: number) => buildResponse(q, { answers: [{ type: T.A, ttl: 60, rdata: aRdata(`192.0.2.${last}`) }] });
const addressOf = (reply: Buffer | null) => parse(reply!).answers[0].rdata[3];
const later = (fn: () => void, ms = 15) => setTimeout(fn, ms);

beforeEach(async () => {
  server = dgram.createSocket('udp4');
  spoofer = dgram.createSocket('udp4');
  await Promise.all([bind(server), bind(spoofer)]);
  received.length = 0;
  server.on('message', (msg, rinfo) => {
    received.push(Buffer.from(msg));
    onQuery(msg, rinfo);
  });
  upstream = parseUpstream(`127.0.0.1:${server.address().port}`);
  transport = createUdpTransport({ socketsPerFamily: 2 });
});

afterEach(async () => {
  transport.close();
  await Promise.all([close(server), close(spoofer)]);
});

const query = buildQuery({ id: 0, name: 'www.example.org', edns: {} });

describe('createUdpTransport', () => {
  describe('when the server answers', () => {
    it('resolves with the matching reply', async () => {
      onQuery = (msg, r) => server.send(answer(msg, 1), r.port, r.address);
      const reply = await transport.exchange(upstream, query, 1000);
      expect(addressOf(reply)).toBe(1);
      expect(received).toHaveLength(1);
      expect(reply!.readUInt16BE(0)).toBe(received[0].readUInt16BE(0));
      expect(transport.mismatches()).toBe(0);
    });

    it('sends the query with a fresh ID, leaving the caller’s buffer alone', async () => {
      const ids = new Set<number>();
      onQuery = (msg, r) => {
        ids.add(msg.readUInt16BE(0));
        server.send(answer(msg, 1), r.port, r.address);
      };
      const copy = Buffer.from(query);
      for (let i = 0; i < 5; i++) await transport.exchange(upstream, query, 1000);
      expect(query).toEqual(copy);
      expect(ids.size).toBeGreaterThan(1);
      expect(received[0].subarray(2)).toEqual(query.subarray(2));
    });

    it('keeps several exchanges apart', async () => {
      onQuery = (msg, r) => {
        const last = parse(msg).question!.name.startsWith('a.') ? 10 : 20;
        server.send(answer(msg, last), r.port, r.address);
      };
      const [a, b] = await Promise.all([
        transport.exchange(upstream, buildQuery({ name: 'a.example.org' }), 1000),
        transport.exchange(upstream, buildQuery({ name: 'b.example.org' }), 1000),
      ]);
      expect(addressOf(a)).toBe(10);
      expect(addressOf(b)).toBe(20);
    });
  });

  describe('when a socket has carried rotateAfter queries (RFC 5452 §4.5)', () => {
    it('moves to a new socket on a new port', async () => {
      const t = createUdpTransport({ socketsPerFamily: 1, rotateAfter: 2 });
      const ports: number[] = [];
      onQuery = (msg, r) => {
        ports.push(r.port);
        server.send(answer(msg, 1), r.port, r.address);
      };
      try {
        for (let i = 0; i < 4; i++) expect(await t.exchange(upstream, query, 1000)).not.toBeNull();
      } finally {
        t.close();
      }
      expect(ports[0]).toBe(ports[1]);
      expect(ports[2]).toBe(ports[3]);
      expect(ports[2]).not.toBe(ports[1]);
    });
  });

  describe('when a reply does not match (RFC 5452 §9.1)', () => {
    it('ignores a reply with another ID and takes the right one', async () => {
      onQuery = (msg, r) => {
        const wrong = answer(msg, 66);
        wrong[1] ^= 0x01;
        server.send(wrong, r.port, r.address);
        later(() => server.send(answer(msg, 1), r.port, r.address));
      };
      expect(addressOf(await transport.exchange(upstream, query, 1000))).toBe(1);
      expect(transport.mismatches()).toBe(1);
    });

    it('ignores a reply with the right ID and another question', async () => {
      onQuery = (msg, r) => {
        const other = buildQuery({ id: msg.readUInt16BE(0), name: 'www.example.net', edns: {} });
        server.send(answer(other, 66), r.port, r.address);
        later(() => server.send(answer(msg, 1), r.port, r.address));
      };
      expect(addressOf(await transport.exchange(upstream, query, 1000))).toBe(1);
      expect(transport.mismatches()).toBe(1);
    });

    it('ignores a reply from another source port', async () => {
      onQuery = (msg, r) => {
        spoofer.send(answer(msg, 66), r.port, r.address);
        later(() => server.send(answer(msg, 1), r.port, r.address));
      };
      expect(addressOf(await transport.exchange(upstream, query, 1000))).toBe(1);
      expect(transport.mismatches()).toBe(1);
    });

    it('times out when only wrong replies come', async () => {
      onQuery = (msg, r) => spoofer.send(answer(msg, 66), r.port, r.address);
      expect(await transport.exchange(upstream, query, 150)).toBeNull();
    });
  });

  describe('when the server is silent', () => {
    it('resolves to null after the timeout', async () => {
      onQuery = () => {};
      const t0 = Date.now();
      expect(await transport.exchange(upstream, query, 100)).toBeNull();
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(90);
      expect(took).toBeLessThan(1000);
    });

    it('ignores a reply that arrives after the timeout', async () => {
      onQuery = (msg, r) => later(() => server.send(answer(msg, 1), r.port, r.address), 150);
      expect(await transport.exchange(upstream, query, 50)).toBeNull();
      await new Promise((r) => setTimeout(r, 200));
      expect(transport.mismatches()).toBe(1);
    });
  });

  describe('when the transport is closed', () => {
    it('resolves pending exchanges with null', async () => {
      onQuery = () => {};
      const p = transport.exchange(upstream, query, 5000);
      await new Promise((r) => setTimeout(r, 20));
      transport.close();
      expect(await p).toBeNull();
    });
  });
});

describe('createUdpTransport over IPv6', () => {
  // BUG: server.ts keeps the host as written and udp-transport.ts:64 compares it with
  // rinfo.address, which Node gives in canonical form: a non-canonical IPv6 upstream
  // ('0:0:0:0:0:0:0:1', '2001:DB8::1') never has a reply accepted.
  it('accepts replies from an upstream written in a non-canonical IPv6 form', async () => {
    const v6 = dgram.createSocket('udp6');
    await new Promise<void>((r) => v6.bind(0, '::1', () => r()));
    v6.on('message', (msg, r) => v6.send(answer(msg, 1), r.port, r.address));
    const t = createUdpTransport();
    try {
      const reply = await t.exchange(parseUpstream(`[0:0:0:0:0:0:0:1]:${v6.address().port}`), query, 300);
      expect(reply).not.toBeNull();
    } finally {
      t.close();
      await close(v6);
    }
  });

  it('accepts replies from an upstream written canonically', async () => {
    const v6 = dgram.createSocket('udp6');
    await new Promise<void>((r) => v6.bind(0, '::1', () => r()));
    v6.on('message', (msg, r) => v6.send(answer(msg, 1), r.port, r.address));
    const t = createUdpTransport();
    try {
      expect(addressOf(await t.exchange(parseUpstream(`[::1]:${v6.address().port}`), query, 1000))).toBe(1);
    } finally {
      t.close();
      await close(v6);
    }
  });
});
