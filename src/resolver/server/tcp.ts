/**
 * DNS over TCP (RFC 7766): 2-byte length framing, several queries per connection, pipelined and
 * answered as each is ready (§6.2.1.1), an idle timeout, a cap on connections and on queries in
 * flight per connection (reading pauses until replies drain).
 */
import net from 'node:net';
import { log, logLimited } from '../../log.js';
import { createFrameReader } from '../../net/frames.js';
import type { Query } from '../query.js';
import type { PacketHandler } from './handler.js';
import type { Listener } from './udp.js';

export interface TcpOptions {
  /** Close a connection idle this long, ms (RFC 7766 §6.2.3: seconds, not minutes). */
  idleMs?: number;
  maxConnections?: number;
  /** Queries in flight per connection before reading pauses. */
  maxInFlight?: number;
}

/** Listens for DNS over TCP on host:port. */
export function listenTcp(host: string, port: number, handle: PacketHandler, options: TcpOptions = {}): Promise<Listener> {
  const idleMs = options.idleMs ?? 10_000;
  const maxInFlight = options.maxInFlight ?? 32;
  const server = net.createServer({ allowHalfOpen: true }, (socket) => serve(socket, handle, idleMs, maxInFlight));
  server.maxConnections = options.maxConnections ?? 100;
  server.on('drop', () => logLimited('warn', 'tcp-cap', `tcp ${host}:${port}: connection cap reached, new connections closed`));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, ipv6Only: net.isIPv6(host) }, () => {
      server.off('error', reject);
      server.on('error', (err) => logLimited('warn', 'tcp-listener', `tcp ${host}:${port}: ${err.message}`));
      const bound = server.address() as net.AddressInfo;
      log('info', `listening on tcp ${host}:${bound.port}`);
      resolve({
        transport: 'tcp',
        host,
        port: bound.port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

function serve(socket: net.Socket, handle: PacketHandler, idleMs: number, maxInFlight: number) {
  const client = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
  let inFlight = 0;
  let ended = false;
  socket.setNoDelay(true);
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('error', (err) => logLimited('debug', 'tcp-client', `tcp client ${client.address}: ${err.message}`));

  const send = (reply: Buffer | null, _q: Query) => {
    inFlight--;
    if (reply !== null && !socket.destroyed && socket.writable) {
      const framed = Buffer.allocUnsafe(reply.length + 2);
      framed.writeUInt16BE(reply.length, 0);
      reply.copy(framed, 2);
      socket.write(framed);
    }
    if (socket.isPaused() && inFlight < maxInFlight) socket.resume();
    if (ended && inFlight === 0) socket.end();
  };
  const frames = createFrameReader((msg) => {
    inFlight++;
    handle(msg, client, 'tcp', send);
  });
  socket.on('data', (chunk) => {
    if (!frames.push(chunk)) {
      socket.destroy(); // not DNS: nothing more on this connection can be trusted
      return;
    }
    if (inFlight >= maxInFlight) socket.pause();
  });
  socket.on('end', () => {
    ended = true;
    if (inFlight === 0) socket.end();
  });
}
