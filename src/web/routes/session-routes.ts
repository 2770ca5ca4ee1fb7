/**
 * POST /api/login and POST /api/logout: trade the admin password for a session cookie and back.
 */
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Level } from '../../log.js';
import type { AdminFile } from '../admin-file.js';
import { readJson } from '../body.js';
import { clientAddress, isHttps, type AdminEnv } from '../context.js';
import { apiError, tooMany } from '../errors.js';
import type { LoginLimiter } from '../login-limiter.js';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../password.js';
import { ABSOLUTE_MS, SESSION_COOKIE, type Sessions } from '../sessions.js';

/** What the session routes need. */
export interface SessionRouteDeps {
  file: AdminFile;
  sessions: Sessions;
  limiter: LoginLimiter;
  log: (level: Level, message: string) => void;
}

/**
 * scrypt holds 16 MiB while it runs; a burst of logins on a 128 MB router must not push the
 * resolver into the OOM killer, so at most this many run at once.
 */
const MAX_CONCURRENT_CHECKS = 2;

/** Adds the login and logout routes. */
export function sessionRoutes(app: Hono<AdminEnv>, deps: SessionRouteDeps): void {
  const { file, sessions, limiter, log } = deps;
  let checking = 0;

  app.post('/api/login', async (c) => {
    const address = clientAddress(c);
    const wait = limiter.retryAfterS(address);
    if (wait > 0) return tooMany(c, wait, 'rate_limited', 'Too many wrong passwords; try again later');
    const body = await readJson(c, { password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH } });
    if (!body.ok) return body.response;
    const stored = (await file.read()).password;
    if (!stored) {
      return apiError(c, 503, 'no_password', 'No admin password is set: run `telemute passwd` or set TELEMUTE_ADMIN_PASSWORD');
    }
    if (checking >= MAX_CONCURRENT_CHECKS) return tooMany(c, 1, 'busy', 'Another login is being checked; try again');
    checking++;
    let isMatch: boolean;
    try {
      isMatch = await verifyPassword(body.value.password, stored);
    } finally {
      checking--;
    }
    if (!isMatch) {
      limiter.fail(address);
      log('warn', `admin: wrong password from ${address}`);
      return apiError(c, 401, 'bad_password', 'Wrong password');
    }
    limiter.succeed(address);
    const session = sessions.create(stored.hash);
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true, // no script reads it, so an injected one cannot steal it
      sameSite: 'Strict', // never sent on a request another site starts
      path: '/',
      secure: isHttps(c), // a Secure cookie over plain http would never come back
      maxAge: ABSOLUTE_MS / 1000,
    });
    log('info', `admin: login from ${address}`);
    return c.json({ expiresAt: new Date(session.expiresAt).toISOString() });
  });

  app.post('/api/logout', (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) sessions.revoke(cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: isHttps(c) });
    return c.body(null, 204);
  });
}
