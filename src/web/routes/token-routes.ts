/**
 * /api/tokens: create, list and revoke API tokens. Any authenticated caller may manage tokens; there
 * is one admin, and a token is that admin's key for scripts.
 */
import type { Hono } from 'hono';
import type { Level } from '../../log.js';
import type { AdminFile } from '../admin-file.js';
import { readJson } from '../body.js';
import type { AdminEnv } from '../context.js';
import { apiError } from '../errors.js';
import { createToken, deleteToken, listTokens, MAX_TOKENS } from '../tokens.js';

/** What the token routes need. */
export interface TokenRouteDeps {
  file: AdminFile;
  now: () => number;
  log: (level: Level, message: string) => void;
}

/** Printable, no control characters: names end up in logs and in HTML. */
const NAME_PATTERN = /^[^\p{Cc}]+$/u;

/** Adds the token routes. */
export function tokenRoutes(app: Hono<AdminEnv>, deps: TokenRouteDeps): void {
  const { file, now, log } = deps;

  app.post('/api/tokens', async (c) => {
    const body = await readJson(c, { name: { type: 'string', minLength: 1, maxLength: 64, pattern: NAME_PATTERN } });
    if (!body.ok) return body.response;
    const created = await createToken(file, body.value.name, now());
    if (!created) return apiError(c, 409, 'too_many_tokens', `At most ${MAX_TOKENS} tokens; delete one first`);
    log('info', `admin: token ${created.id} (${created.name}) created`);
    return c.json(created, 201);
  });

  app.get('/api/tokens', async (c) => c.json({ tokens: await listTokens(file) }));

  app.delete('/api/tokens/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await deleteToken(file, id))) return apiError(c, 404, 'not_found', `No token with id ${id}`);
    log('info', `admin: token ${id} revoked`);
    return c.body(null, 204);
  });
}
