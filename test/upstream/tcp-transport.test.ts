import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseUpstream, type Upstream } from '../../src/upstream/server.js';
import { createTcpTransport, type TcpTransport } from '../../src/upstream/tcp-transport.js';
import { T, aRdata, buildQuery, buildResponse, parse } from '../helpers/packets.js';

type OnQueries = (msgs: Buffer[], write: (reply: Buffer) => void, socket: net.Socket) => void;

/** A tiny DNS-over-TCP server on 127.0.0.1: collects framed queries per connection and hands them to the test. */
let server: net.Server;
let onQueries: OnQueries;
let connections: number;
let upstream: Upstream;
let transport: TcpTransport;
const sockets = new Set<net.Socket>();

const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 0xff]), m]);
const answer = (q: Buffer, last: number) => buildResponse(q, { answers: [{ type: T.A, ttl: 60, rdata: aRdata(`192.0.2.${last}`) }] });
const addressOf = (reply: Buffer | null) => parse(reply!).answers[0].rdata[3];

beforeEach(async () => {
  connections = 0;
  server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    const msgs: Buffer[] = [];
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        msgs.push(Buffer.from(buf.subarray(2, 2 + buf.readUInt16BE(0))));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      onQueries(msgs, (r) => socket.write(frame(r)), socket);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  upstream = parseUpstream(`tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`);
  transport = createTcpTransport();
});

afterEach(async () => {
  transport.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const query = (name = 'www.example.org') => buildQuery({ id: 0, name, edns: {} });

describe('createTcpTransport', () => {
  describe('when the server answers', () => {
    it('resolves with the matching reply', async () => {
      onQueries = (msgs, write) => {
        for (const m of msgs.splice(0)) write(answer(m, 1));
      };
      const reply = await transport.exchange(upstream, query(), 1000);
      expect(addressOf(reply)).toBe(1);
      expect(parse(reply!).question!.name).toBe('www.example.org');
    });

    it('pipelines two exchanges on one connection, answered in reverse order', async () => {
      const seen: string[] = [];
      onQueries = (msgs, write) => {
        if (msgs.length < 2) return;
        const [first, second] = msgs.splice(0);
        seen.push(parse(first).question!.name, parse(second).question!.name);
        write(answer(second, 20));
        write(answer(first, 10));
      };
      const [a, b] = await Promise.all([transport.exchange(upstream, query('a.example.org'), 2000), transport.exchange(upstream, query('b.example.org'), 2000)]);
      expect(seen).toEqual(['a.example.org', 'b.example.org']);
      expect(parse(a!).question!.name).toBe('a.example.org');
      expect(addressOf(a)).toBe(10);
      expect(addressOf(b)).toBe(20);
      expect(connections).toBe(1);
    });

    it('reuses the connection for the next exchange', async () => {
      onQueries = (msgs, write) => {
        for (const m of msgs.splice(0)) write(answer(m, 1));
      };
      await transport.exchange(upstream, query(), 1000);
      await transport.exchange(upstream, query(), 1000);
      expect(connections).toBe(1);
    });

    it('reads a reply split across chunks', async () => {
      onQueries = (msgs, _write, socket) => {
        for (const m of msgs.splice(0)) {
          const f = frame(answer(m, 7));
          socket.write(f.subarray(0, 5));
          setTimeout(() => socket.write(f.subarray(5)), 10);
        }
      };
      expect(addressOf(await transport.exchange(upstream, query(), 1000))).toBe(7);
    });
  });

  describe('when limits apply', () => {
    it('opens another connection when one has maxPending queries in flight', async () => {
      const t = createTcpTransport({ maxPending: 1 });
      onQueries = (msgs, write) => {
        for (const m of msgs.splice(0)) setTimeout(() => write(answer(m, 1)), 20);
      };
      try {
        const [a, b] = await Promise.all([t.exchange(upstream, query('a.example.org'), 1000), t.exchange(upstream, query('b.example.org'), 1000)]);
        expect(a).not.toBeNull();
        expect(b).not.toBeNull();
        expect(connections).toBe(2);
      } finally {
        t.close();
      }
    });

    it('closes a connection idle for idleMs', async () => {
      const t = createTcpTransport({ idleMs: 50 });
      let closedAt = 0;
      onQueries = (msgs, write, socket) => {
        socket.once('close', () => (closedAt = Date.now()));
        for (const m of msgs.splice(0)) write(answer(m, 1));
      };
      try {
        await t.exchange(upstream, query(), 1000);
        const t0 = Date.now();
        await new Promise((r) => setTimeout(r, 300));
        expect(closedAt).toBeGreaterThan(0);
        expect(closedAt - t0).toBeLessThan(250);
      } finally {
        t.close();
      }
    });
  });

  describe('when a reply does not match', () => {
    it('ignores a reply with another ID and takes the right one', async () => {
      onQueries = (msgs, write) => {
        for (const m of msgs.splice(0)) {
          const wrong = answer(m, 66);
          wrong[1] ^= 1;
          write(wrong);
          write(answer(m, 1));
        }
      };
      expect(addressOf(await transport.exchange(upstream, query(), 1000))).toBe(1);
    });

    it('ignores a reply with the right ID and another question', async () => {
      onQueries = (msgs, write) => {
        for (const m of msgs.splice(0)) {
          write(answer(buildQuery({ id: m.readUInt16BE(0), name: 'www.example.net', edns: {} }), 66));
          write(answer(m, 1));
        }
      };
      expect(addressOf(await transport.exchange(upstream, query(), 1000))).toBe(1);
    });
  });

  describe('when the server is silent', () => {
    it('resolves to null after the timeout', async () => {
      onQueries = () => {};
      const t0 = Date.now();
      expect(await transport.exchange(upstream, query(), 100)).toBeNull();
      expect(Date.now() - t0).toBeLessThan(1000);
    });
  });

  describe('when the server closes the connection', () => {
    it('resolves pending exchanges with null at once', async () => {
      onQueries = (_msgs, _write, socket) => socket.destroy();
      const t0 = Date.now();
      expect(await transport.exchange(upstream, query(), 5000)).toBeNull();
      expect(Date.now() - t0).toBeLessThan(2000);
    });

    it('opens a new connection for the next exchange', async () => {
      let n = 0;
      onQueries = (msgs, write, socket) => {
        if (n++ === 0) return void socket.destroy();
        for (const m of msgs.splice(0)) write(answer(m, 1));
      };
      expect(await transport.exchange(upstream, query(), 2000)).toBeNull();
      expect(addressOf(await transport.exchange(upstream, query(), 2000))).toBe(1);
      expect(connections).toBe(2);
    });
  });
});
