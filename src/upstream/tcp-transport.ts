/**
 * Plain DNS over TCP to upstreams (RFC 7766): one connection per upstream, reused and pipelined
 * (many queries in flight, answers in any order, matched by ID and question), closed after
 * `idleMs` without traffic. Used for tcp:// upstreams and to retry answers truncated over UDP.
 */
import net from 'node:net';
import { logLimited } from '../log.js';
import { createFrameReader } from '../net/frames.js';
import { answersQuery } from './match.js';
import { randomId } from './random.js';
import type { Upstream } from './server.js';

interface Pending {
  query: Buffer;
  timer: NodeJS.Timeout;
  resolve: (reply: Buffer | null) => void;
}

interface Connection {
  socket: net.Socket;
  pending: Map<number, Pending>;
}

export interface TcpTransportOptions {
  /** Close an idle connection after this many ms (RFC 7766 §6.2.3 leaves it to us; unbound uses 10 s-ish). */
  idleMs?: number;
  /** Most queries in flight on one connection; more wait for a new connection. */
  maxPending?: number;
}

export interface TcpTransport {
  exchange(server: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | null>;
  close(): void;
}

/** Creates the TCP upstream transport. */
export function createTcpTransport(options: TcpTransportOptions = {}): TcpTransport {
  const idleMs = options.idleMs ?? 10_000;
  const maxPending = options.maxPending ?? 256;
  const connections = new Map<string, Connection>();

  function connect(server: Upstream): Connection {
    const socket = net.connect({ host: server.host, port: server.port });
    const conn: Connection = { socket, pending: new Map() };
    socket.setNoDelay(true);
    socket.setTimeout(idleMs, () => socket.destroy());
    const frames = createFrameReader((msg) => {
      const p = conn.pending.get((msg[0] << 8) | msg[1]);
      if (p === undefined || !answersQuery(p.query, msg)) return;
      clearTimeout(p.timer);
      conn.pending.delete((msg[0] << 8) | msg[1]);
      p.resolve(Buffer.from(msg));
    });
    socket.on('data', (chunk) => {
      if (!frames.push(chunk)) socket.destroy();
    });
    socket.on('error', (err) => logLimited('debug', 'tcp-upstream', `tcp upstream ${server.url}: ${err.message}`));
    socket.on('close', () => {
      if (connections.get(server.url) === conn) connections.delete(server.url);
      for (const p of conn.pending.values()) {
        clearTimeout(p.timer);
        p.resolve(null);
      }
      conn.pending.clear();
    });
    socket.unref();
    connections.set(server.url, conn);
    return conn;
  }

  function exchange(server: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | null> {
    let conn = connections.get(server.url);
    if (conn === undefined || conn.socket.destroyed || conn.pending.size >= maxPending) conn = connect(server);
    const c = conn;
    let id = randomId();
    while (c.pending.has(id)) id = randomId();
    const framed = Buffer.allocUnsafe(query.length + 2);
    framed.writeUInt16BE(query.length, 0);
    query.copy(framed, 2);
    framed[2] = id >> 8;
    framed[3] = id & 0xff;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        c.pending.delete(id);
        resolve(null);
      }, timeoutMs);
      c.pending.set(id, { query: framed.subarray(2), timer, resolve });
      c.socket.write(framed);
    });
  }

  function close() {
    for (const c of connections.values()) c.socket.destroy();
    connections.clear();
  }

  return { exchange, close };
}
