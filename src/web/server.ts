/**
 * Puts the admin app on a socket with @hono/node-server. Listening errors (EADDRINUSE, EACCES, an
 * address the router does not have) reject with a message naming the address, so the caller can
 * log it and keep DNS running.
 */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { log } from '../log.js';

/** Where to listen. Port 0 picks a free port (tests). */
export interface ListenOptions {
  host: string;
  port: number;
}

/** A running admin server. */
export interface AdminServer {
  /** Stops accepting, ends open connections, resolves when closed. */
  close(): Promise<void>;
  /** The port actually bound. */
  port: number;
}

/**
 * Starts serving `app`.
 *
 * @example const server = await startAdminServer(app, { host: '127.0.0.1', port: 0 });
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Env: the server never looks inside
export function startAdminServer(app: Hono<any, any, any>, listen: ListenOptions): Promise<AdminServer> {
  const where = listen.host.includes(':') ? `[${listen.host}]:${listen.port}` : `${listen.host}:${listen.port}`;
  return new Promise((resolve, reject) => {
    let server: Server;
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new Error(`admin server: cannot listen on ${where}: ${err.code ?? err.message}`, { cause: err }));
    };
    try {
      server = serve({ fetch: app.fetch, hostname: listen.host, port: listen.port }, (info: AddressInfo) => {
        server.off('error', onError);
        // After listening, a server error is noise from one client; it must not end the process.
        server.on('error', (err) => log('debug', `admin server: ${err.message}`));
        resolve({ port: info.port, close: () => closeServer(server) });
      }) as Server;
    } catch (err) {
      return reject(new Error(`admin server: cannot listen on ${where}: ${(err as Error).message}`, { cause: err }));
    }
    server.once('error', onError);
    // Slow clients hold sockets and RAM; the Node 18 defaults (60 s headers, 300 s request) are for
    // the internet's long tail, not a LAN.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
  });
}
