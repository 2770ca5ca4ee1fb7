/**
 * The one error shape of the admin API, `{ error: { code, message, details? } }`, and the two
 * app-level handlers that guarantee it: unknown routes and unexpected throws. Clients branch on
 * `code` (stable, snake_case); `message` is for people and may change.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Level } from '../log.js';

/** The body of every error response. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Answers with the shared error shape.
 *
 * @example return apiError(c, 404, 'not_found', `No token ${id}`);
 */
export function apiError(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
): Response {
  const body: ApiErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  return c.json(body, status);
}

/**
 * 429 with Retry-After (RFC 9110 §10.2.3, delay-seconds form) and the wait in `details`.
 *
 * @example if (wait > 0) return tooMany(c, wait, 'rate_limited', 'Too many wrong passwords; try again later');
 */
export function tooMany(c: Context, seconds: number, code: string, message: string): Response {
  c.header('Retry-After', String(seconds));
  return apiError(c, 429, code, message, { retryAfterS: seconds });
}

/** 404 for any path no route claims. */
export const notFound: NotFoundHandler = function notFound(c) {
  return apiError(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
};

/** Codes for HTTPExceptions thrown by Hono's own middleware (body-limit and the like). */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'too_large',
  415: 'bad_content_type',
  429: 'rate_limited',
};

/**
 * The catch-all: an HTTPException keeps its status; anything else is a bug, logged with its stack
 * and answered 500 `internal` without it (a stack names files and versions an attacker can use).
 */
export function errorHandler(log: (level: Level, message: string) => void): ErrorHandler {
  return function onError(err, c) {
    if (err instanceof HTTPException && err.status < 500) {
      return apiError(c, err.status as ContentfulStatusCode, CODE_BY_STATUS[err.status] ?? 'http_error', err.message);
    }
    log('error', `admin: ${c.req.method} ${c.req.path}: ${err.stack ?? String(err)}`);
    return apiError(c, 500, 'internal', 'Internal error; the router log has the details');
  };
}
