/**
 * POST /api/setup: the first password, chosen in the browser with the one-time code from the log
 * (see setup-code.ts). Public, like login, and throttled by the same limiter: a wrong code counts
 * as a wrong password. The caller logs in afterwards with POST /api/login.
 */
import type { Context, Hono } from 'hono';
import type { Level } from '../../log.js';
import type { AdminFile } from '../admin-file.js';
import { readJson } from '../body.js';
import { clientAddress, type AdminEnv } from '../context.js';
import { apiError, tooMany } from '../errors.js';
import type { LoginLimiter } from '../login-limiter.js';
import { passwordProblem } from '../passwd.js';
import { hashPassword, MAX_PASSWORD_LENGTH } from '../password.js';
import type { SetupCode } from '../setup-code.js';

/** What the setup route needs. */
export interface SetupRouteDeps {
  file: AdminFile;
  /** The code printed at start; undefined when a password was already set then. */
  setupCode: SetupCode | undefined;
  limiter: LoginLimiter;
  log: (level: Level, message: string) => void;
}

/** Adds POST /api/setup. */
export function setupRoutes(app: Hono<AdminEnv>, deps: SetupRouteDeps): void {
  const { file, setupCode, limiter, log } = deps;

  app.post('/api/setup', async (c) => {
    const address = clientAddress(c);
    const wait = limiter.retryAfterS(address);
    if (wait > 0) return tooMany(c, wait, 'rate_limited', 'Too many wrong codes or passwords; try again later');
    const body = await readJson(c, {
      code: { type: 'string', minLength: 1, maxLength: 64 },
      password: { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH },
    });
    if (!body.ok) return body.response;
    if ((await file.read()).password) return alreadySet(c);
    if (!setupCode) {
      return apiError(c, 409, 'no_setup_code', 'No setup code was issued: restart telemute to get one in its log, or run `telemute passwd`');
    }
    if (!setupCode.matches(body.value.code)) {
      limiter.fail(address);
      log('warn', `admin: wrong setup code from ${address}`);
      return apiError(c, 401, 'bad_setup_code', 'Wrong setup code; copy it from the router log (logread -e telemute)');
    }
    const problem = passwordProblem(body.value.password);
    if (problem) return apiError(c, 400, 'bad_request', `password: ${problem}`, { field: 'password', message: problem });
    const hash = await hashPassword(body.value.password);
    let isRaced = false;
    // Checked again inside the write queue: two tabs submitting at once must not both win.
    await file.update((state) => {
      isRaced = state.password !== undefined;
      return isRaced ? state : { ...state, password: hash };
    });
    if (isRaced) return alreadySet(c);
    setupCode.consume();
    limiter.succeed(address);
    log('info', `admin: password set with the setup code from ${address}`);
    return c.body(null, 204);
  });
}

function alreadySet(c: Context<AdminEnv>): Response {
  return apiError(c, 409, 'already_set', 'An admin password is set already; log in, or change it with `telemute passwd`');
}
