/**
 * POST /api/password: change the admin password from a signed-in browser or with a token. The
 * current password is asked again, so a borrowed session (a laptop left open) cannot lock the owner
 * out; a wrong one counts against the same per-address limiter as a wrong login.
 */
import type { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Level } from '../../log.js';
import type { AdminFile } from '../admin-file.js';
import { readJson } from '../body.js';
import { clientAddress, isHttps, type AdminEnv } from '../context.js';
import { apiError, tooMany } from '../errors.js';
import type { LoginLimiter } from '../login-limiter.js';
import { passwordProblem } from '../passwd.js';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../password.js';
import { ABSOLUTE_MS, SESSION_COOKIE, type Sessions } from '../sessions.js';

/** What the password route needs (the login routes' file, sessions and limiter). */
export interface PasswordRouteDeps {
  file: AdminFile;
  sessions: Sessions;
  limiter: LoginLimiter;
  log: (level: Level, message: string) => void;
}

/** One change at a time: each holds two scrypt runs (16 MiB each) on a router with 128 MB. */
const MAX_CONCURRENT_CHANGES = 1;

/** Adds POST /api/password. */
export function passwordRoutes(app: Hono<AdminEnv>, deps: PasswordRouteDeps): void {
  const { file, sessions, limiter, log } = deps;
  let changing = 0;

  app.post('/api/password', async (c) => {
    const address = clientAddress(c);
    const wait = limiter.retryAfterS(address);
    if (wait > 0) return tooMany(c, wait, 'rate_limited', 'Too many wrong passwords; try again later');
    const body = await readJson(c, {
      current: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH },
      password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH },
    });
    if (!body.ok) return body.response;
    const stored = (await file.read()).password;
    if (!stored) return apiError(c, 503, 'no_password', 'No admin password is set: run `telemute passwd`');
    // Same rule as setup and `telemute passwd`; checked before scrypt, so a short one costs nothing.
    const problem = passwordProblem(body.value.password);
    if (problem) return apiError(c, 400, 'bad_request', `password: ${problem}`, { field: 'password', message: problem });
    if (changing >= MAX_CONCURRENT_CHANGES) return tooMany(c, 1, 'busy', 'Another password check is running; try again');
    changing++;
    try {
      if (!(await verifyPassword(body.value.current, stored))) {
        limiter.fail(address);
        log('warn', `admin: wrong current password in a password change from ${address}`);
        return apiError(c, 401, 'bad_password', 'The current password is wrong', { field: 'current' });
      }
      limiter.succeed(address);
      const hash = await hashPassword(body.value.password);
      await file.update((state) => ({ ...state, password: hash }));
      // Sessions are tied to the hash, so every browser is now signed out; this one gets a fresh
      // session so the owner is not thrown out of the page they changed it on. Tokens stay valid.
      const old = getCookie(c, SESSION_COOKIE);
      if (c.get('principal')?.kind === 'session' && old) {
        sessions.revoke(old);
        const session = sessions.create(hash.hash);
        setCookie(c, SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: isHttps(c), maxAge: ABSOLUTE_MS / 1000 });
      }
      log('info', `admin: password changed from ${address}; other sessions signed out`);
      return c.body(null, 204);
    } finally {
      changing--;
    }
  });
}
