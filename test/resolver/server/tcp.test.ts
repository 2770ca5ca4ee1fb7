import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenTcp } from '../../../src/resolver/server/tcp.js';
import type { Listener } from '../../../src/resolver/server/udp.js';
import type { PacketHandler } from '../../../src/resolver/server/handler.js';

/** A 12-byte query header with an ID, plus `delay` (ms) encoded in the second count field. */
function message(id: number, delay = 0): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(delay, 6);
  return b;
}
const frame = (m: Buffer) => Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m]);

/** Echoes each message back after the delay it carries, as the pipeline would answer it. */
const echo: PacketHandler = (raw, _client, _transport, send) => {
  const copy = Buffer.from(raw);
  setTimeout(() => send(copy, null as never), raw.readUInt16BE(6));
};

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Reads `count` framed replies (their IDs), or whatever came before the socket closed. */
function readIds(s: net.Socket, count: number, timeoutMs = 2000): Promise<{ ids: number[]; closed: boolean }> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const ids: number[] = [];
    const done = (closed: boolean) => {
      clearTimeout(timer);
      s.removeAllListeners('data');
      resolve({ ids, closed });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        ids.push(buf.readUInt16BE(2));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
      }
      if (ids.length >= count) done(false);
    });
    s.once('close', () => done(true));
  });
}

let listener: Listener | undefined;
afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

describe('tcp listener', () => {
  describe('when queries are pipelined on one connection', () => {
    it('answers each as soon as it is ready, out of order (RFC 7766 §6.2.1.1)', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo);
      const s = await connect(listener.port);
      s.write(Buffer.concat([frame(message(1, 300)), frame(message(2, 0)), frame(message(3, 100))]));
      const { ids } = await readIds(s, 3);
      expect(ids).toEqual([2, 3, 1]);
      s.destroy();
    });

    it('reassembles a message split across many writes', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo);
      const s = await connect(listener.port);
      const bytes = Buffer.concat([frame(message(7)), frame(message(8))]);
      for (const b of bytes) {
        s.write(Buffer.from([b]));
        await new Promise((r) => setImmediate(r));
      }
      expect((await readIds(s, 2)).ids).toEqual([7, 8]);
      s.destroy();
    });
  });

  describe('when the client half-closes after its query', () => {
    it('still sends the reply, then closes', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo);
      const s = new net.Socket({ allowHalfOpen: true });
      await new Promise<void>((r) => s.connect(listener!.port, '127.0.0.1', () => r()));
      s.end(frame(message(9, 100)));
      const got = await readIds(s, 2);
      expect(got.ids).toEqual([9]);
      expect(got.closed).toBe(true);
    });
  });

  describe('when a frame is shorter than a DNS header', () => {
    it('closes the connection', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo);
      const s = await connect(listener.port);
      s.write(Buffer.from([0, 3, 1, 2, 3]));
      expect((await readIds(s, 1)).closed).toBe(true);
    });
  });

  describe('when a connection stays idle', () => {
    it('closes it after the idle timeout', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo, { idleMs: 150 });
      const s = await connect(listener.port);
      const t0 = Date.now();
      expect((await readIds(s, 1, 2000)).closed).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    });
  });

  describe('when more clients connect than the cap allows', () => {
    it('closes the extra connections and keeps serving the others', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo, { maxConnections: 2 });
      const a = await connect(listener.port);
      const b = await connect(listener.port);
      const c = await connect(listener.port);
      expect((await readIds(c, 1, 1000)).closed).toBe(true);
      a.write(frame(message(21)));
      expect((await readIds(a, 1)).ids).toEqual([21]);
      a.destroy();
      b.destroy();
    });
  });

  describe('when a client has many queries in flight', () => {
    it('answers all of them though reading pauses at the in-flight limit', async () => {
      listener = await listenTcp('127.0.0.1', 0, echo, { maxInFlight: 4 });
      const s = await connect(listener.port);
      const ids = Array.from({ length: 40 }, (_, i) => i + 100);
      s.write(Buffer.concat(ids.map((id) => frame(message(id, 20)))));
      const got = await readIds(s, 40, 5000);
      expect(got.ids.sort((x, y) => x - y)).toEqual(ids);
      s.destroy();
    });
  });
});
