/**
 * The door of /api/*: deny by default. It identifies the caller (bearer token, else session
 * cookie), lets the few public routes through, answers 401 to the unidentified and 403 to a
 * cookie-authenticated state change without the CSRF header. Routes added later are protected
 * without doing anything.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AdminFile } from './admin-file.js';
import type { AdminEnv, Principal } from './context.js';
import { apiError } from './errors.js';
import { SESSION_COOKIE, type Sessions } from './sessions.js';
import { findToken } from './tokens.js';

/** Header a browser session must send on POST, PUT, PATCH and DELETE. */
export const CSRF_HEADER = 'X-Requested-With';
/** Its required value. */
export const CSRF_VALUE = 'telemute';

/** Options for apiGuard. */
export interface GuardOptions {
  file: AdminFile;
  sessions: Sessions;
  /** Routes open to anyone, as 'METHOD /path' (exact path). */
  publicRoutes: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Creates the /api/* guard. */
export function apiGuard(options: GuardOptions): MiddlewareHandler<AdminEnv> {
  const isPublic = new Set(options.publicRoutes);

  return async function guard(c, next) {
    const principal = await identify(c, options);
    if (principal === 'bad_token') return unauthorized(c, 'invalid_token', 'The API token is unknown or revoked');
    if (principal) c.set('principal', principal);
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method; // Hono answers HEAD with the GET route
    if (isPublic.has(`${method} ${c.req.path}`)) return next();
    if (!principal) return unauthorized(c, 'unauthorized', 'Log in, or send Authorization: Bearer <token>');
    // Cross-site pages cannot add a custom header without a CORS preflight, which we never answer;
    // bearer tokens are exempt because a browser never attaches them on its own.
    if (principal.kind === 'session' && !SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== CSRF_VALUE) {
      return apiError(c, 403, 'csrf', `Send the header ${CSRF_HEADER}: ${CSRF_VALUE} with this request`);
    }
    return next();
  };
}

/**
 * Who is asking: a bearer token, else a live session cookie; 'bad_token' for an Authorization
 * header that names no token. Shared with the routes outside /api/ (GET /metrics).
 */
export async function identify(c: Context, options: Pick<GuardOptions, 'file' | 'sessions'>): Promise<Principal | 'bad_token' | undefined> {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    // A script with a bad token should hear so at once, not fall back to a cookie it lacks.
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const found = token ? await findToken(options.file, token) : undefined;
    return found ? { kind: 'token', tokenId: found.id } : 'bad_token';
  }
  // A stale cookie counts as none: the browser must still be able to reach the login route.
  return (await hasSession(c, options)) ? { kind: 'session' } : undefined;
}

/**
 * True if the request carries a live session cookie (one made with the current password hash).
 * The cookie half of identify(); the pages use it alone, since a page is never a token's business.
 */
export async function hasSession(c: Context, options: Pick<GuardOptions, 'file' | 'sessions'>): Promise<boolean> {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return false; // no cookie, no read of admin.json
  return options.sessions.check(cookie, (await options.file.read()).password?.hash);
}

/** 401 with its challenge, in the shared error shape. */
export function unauthorized(c: Context, code: string, message: string): Response {
  // RFC 7235 §3.1: a 401 carries a challenge. Bearer (RFC 6750 §3) so browsers show no Basic dialog.
  c.header('WWW-Authenticate', code === 'invalid_token' ? 'Bearer realm="telemute", error="invalid_token"' : 'Bearer realm="telemute"');
  return apiError(c, 401, code, message);
}
