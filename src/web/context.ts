/**
 * The per-request view shared by the admin middleware and routes: who is asking (Principal) and
 * from where. Set once by the guard, read by any route.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/** An authenticated caller: a browser session or a named API token. */
export type Principal = { kind: 'session' } | { kind: 'token'; tokenId: string };

/** Hono environment of the admin app. Bindings are absent under `app.request` in tests. */
export type AdminEnv = {
  Bindings: Partial<HttpBindings>;
  Variables: { principal?: Principal };
};

/**
 * The peer address of the TCP connection. X-Forwarded-For is ignored on purpose: the admin server
 * listens on the LAN directly, and trusting that header would let a client pick its own rate-limit key.
 */
export function clientAddress(c: Context<AdminEnv>): string {
  const address = c.env?.incoming?.socket?.remoteAddress;
  if (!address) return 'unknown';
  // One client, one key, whether it reached a dual-stack socket over IPv4 or IPv6.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** True if the request reached us over TLS; decides the cookie's Secure flag. */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:';
}
