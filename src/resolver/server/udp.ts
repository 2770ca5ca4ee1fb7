/**
 * DNS over UDP: one socket per listen address. Bytes in, bytes out; all DNS work is the
 * pipeline's. Socket errors are logged and the socket keeps serving.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { log, logLimited } from '../../log.js';
import type { Query } from '../query.js';
import type { PacketHandler } from './handler.js';

export interface Listener {
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Binds a UDP socket on host:port (port 0: any free port) and serves it. */
export function listenUdp(host: string, port: number, handle: PacketHandler): Promise<Listener> {
  const v6 = isIP(host) === 6;
  const socket = dgram.createSocket({ type: v6 ? "udp6" : "udp4", ipv6Only: v6 });
  const send = (reply: Buffer | null, q: Query) => {
    if (reply !== null) socket.send(reply, q.client.port, q.client.address);
  };
  socket.on('message', (msg, rinfo) => handle(msg, rinfo, 'udp', send));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', (err) => logLimited('warn', 'udp-listener', `udp ${host}:${port}: ${err.message}`));
      const bound = socket.address();
      log('info', `listening on udp ${host}:${bound.port}`);
      resolve({
        transport: 'udp',
        host,
        port: bound.port,
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}
