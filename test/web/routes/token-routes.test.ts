import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browser, login, makeWorld, postJson, type World } from '../fixture.js';

describe('token routes', () => {
  let world: World;
  let cookie: string;
  beforeEach(async () => {
    world = await makeWorld();
    cookie = await login(world);
  });
  afterEach(() => world.cleanup());

  const create = (name: unknown) => postJson(world, '/api/tokens', { name }, browser(cookie));
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('POST /api/tokens', () => {
    it('returns the token once, and stores only its hash', async () => {
      const res = await create('home-assistant');
      expect(res.status).toBe(201);
      const body = await res.json();
      expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), name: 'home-assistant', createdAt: '2025-01-01T00:00:00.000Z', token: expect.stringMatching(/^tm_[A-Za-z0-9_-]{43}$/) });
      const stored = await readFile(join(world.stateDir, 'admin.json'), 'utf8');
      expect(stored).not.toContain(body.token);
      expect(stored).toContain('home-assistant');
    });

    it.each([[''], ['x'.repeat(65)], ['line\nbreak'], [7]])('refuses the name %j with 400', async (name) => {
      const res = await create(name);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'bad_request', details: { field: 'name' } });
    });
  });

  describe('GET /api/tokens', () => {
    it('lists tokens without secrets or hashes', async () => {
      const { id } = await (await create('cron')).json();
      const res = await world.app.request('/api/tokens', { headers: { cookie } });
      expect(await res.json()).toEqual({ tokens: [{ id, name: 'cron', createdAt: '2025-01-01T00:00:00.000Z' }] });
    });
  });

  describe('using a token', () => {
    it('authenticates a bearer request, with no CSRF header needed', async () => {
      const { token } = await (await create('script')).json();
      expect((await world.app.request('/api/tokens', { headers: bearer(token) })).status).toBe(200);
      const res = await postJson(world, '/api/tokens', { name: 'made-by-script' }, bearer(token));
      expect(res.status).toBe(201);
    });

    it('shows health details to a bearer caller', async () => {
      const { token } = await (await create('monitor')).json();
      const res = await world.app.request('/api/health', { headers: bearer(token) });
      expect(await res.json()).toMatchObject({ details: { devices: 3 } });
    });

    it('answers 401 invalid_token to an unknown token, even on a public route', async () => {
      for (const path of ['/api/tokens', '/api/health']) {
        const res = await world.app.request(path, { headers: bearer('tm_' + 'A'.repeat(43)) });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="telemute", error="invalid_token"');
        expect((await res.json()).error.code).toBe('invalid_token');
      }
    });
  });

  describe('DELETE /api/tokens/:id', () => {
    it('revokes the token: its next request gets 401', async () => {
      const { id, token } = await (await create('old')).json();
      const res = await world.app.request(`/api/tokens/${id}`, { method: 'DELETE', headers: browser(cookie) });
      expect(res.status).toBe(204);
      expect((await world.app.request('/api/tokens', { headers: bearer(token) })).status).toBe(401);
      const list = await (await world.app.request('/api/tokens', { headers: { cookie } })).json();
      expect(list).toEqual({ tokens: [] });
    });

    it('answers 404 for an unknown id', async () => {
      const res = await world.app.request('/api/tokens/0123456789abcdef', { method: 'DELETE', headers: browser(cookie) });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    });
  });
});
