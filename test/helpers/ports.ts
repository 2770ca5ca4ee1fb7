/** Free local ports for the e2e fixtures (knotd, telemute, fake upstreams). */
import dgram from 'node:dgram';
import net from 'node:net';

/** Ports this process already handed out: a fixture may not have bound its port yet. */
const handedOut = new Set<number>();

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * A random port on 127.0.0.1 that is free for both UDP and TCP (DNS needs both).
 * Random rather than sequential because vitest runs test files in parallel processes; the
 * window between this check and the server's bind is closed by the callers' retry on EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (handedOut.has(port)) continue;
    if ((await tcpFree(port)) && (await udpFree(port))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('freePort: no free UDP+TCP port found in 200 tries');
}
