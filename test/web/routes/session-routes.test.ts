import { afterEach, describe, expect, it } from 'vitest';
import { setPassword } from '../../../src/web/passwd.js';
import { browser, fromAddress, login, makeWorld, PASSWORD, postJson, type World } from '../fixture.js';

describe('session routes', () => {
  let world: World;
  afterEach(() => world.cleanup());

  describe('POST /api/login', () => {
    describe('when the password is right', () => {
      it('sets an HttpOnly, SameSite=Strict session cookie on path /', async () => {
        world = await makeWorld();
        const res = await postJson(world, '/api/login', { password: PASSWORD });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ expiresAt: '2025-01-08T00:00:00.000Z' });
        const cookie = res.headers.get('set-cookie') ?? '';
        expect(cookie).toMatch(/^tm_session=[A-Za-z0-9_-]{43};/);
        expect(cookie).toMatch(/; HttpOnly/);
        expect(cookie).toMatch(/; SameSite=Strict/);
        expect(cookie).toMatch(/; Path=\//);
        expect(cookie).toMatch(/; Max-Age=604800/);
        expect(cookie).not.toMatch(/Secure/);
      });

      it('marks the cookie Secure over https', async () => {
        world = await makeWorld();
        const res = await postJson(world, 'https://router.example.org/api/login', { password: PASSWORD });
        expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
      });

      it('opens a session that authenticates later requests', async () => {
        world = await makeWorld();
        const cookie = await login(world);
        expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(200);
      });
    });

    describe('when the password is wrong', () => {
      it('answers 401 bad_password and sets no cookie', async () => {
        world = await makeWorld();
        const res = await postJson(world, '/api/login', { password: 'not the password' });
        expect(res.status).toBe(401);
        expect((await res.json()).error.code).toBe('bad_password');
        expect(res.headers.get('set-cookie')).toBeNull();
      });

      it('answers 429 with Retry-After after 5 failures in a minute, per address', async () => {
        world = await makeWorld();
        const attacker = fromAddress('::ffff:192.0.2.7');
        for (let i = 0; i < 5; i++) {
          expect((await postJson(world, '/api/login', { password: 'guess-' + i }, {}, attacker)).status).toBe(401);
        }
        world.clock.t += 20_000;
        const blocked = await postJson(world, '/api/login', { password: PASSWORD }, {}, attacker);
        expect(blocked.status).toBe(429);
        expect(blocked.headers.get('retry-after')).toBe('40');
        expect(await blocked.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterS: 40 } } });
        // another address is unaffected
        expect((await postJson(world, '/api/login', { password: PASSWORD }, {}, fromAddress('192.0.2.8'))).status).toBe(200);
        world.clock.t += 40_000;
        expect((await postJson(world, '/api/login', { password: PASSWORD }, {}, attacker)).status).toBe(200);
      });
    });

    describe('when many logins arrive at once', () => {
      it('checks two passwords at a time and answers 429 busy to the rest', async () => {
        world = await makeWorld();
        const statuses = await Promise.all([1, 2, 3].map((i) => postJson(world, '/api/login', { password: PASSWORD }, {}, fromAddress(`192.0.2.${i}`))));
        const busy = statuses.find((r) => r.status === 429);
        expect(statuses.map((r) => r.status).sort()).toEqual([200, 200, 429]);
        expect(busy?.headers.get('retry-after')).toBe('1');
        expect((await busy?.json()).error.code).toBe('busy');
      });
    });

    describe('when no password is set', () => {
      it('answers 503 no_password with how to set one', async () => {
        world = await makeWorld({ hasPassword: false });
        const res = await postJson(world, '/api/login', { password: 'anything at all' });
        expect(res.status).toBe(503);
        expect(await res.json()).toEqual({
          error: {
            code: 'no_password',
            message: 'No admin password is set: run `telemute passwd` or set TELEMUTE_ADMIN_PASSWORD',
          },
        });
      });
    });

    describe('when the body is malformed', () => {
      it.each([
        ['invalid JSON', '{"password":', 'application/json', 400, 'bad_json'],
        ['a missing field', '{}', 'application/json', 400, 'bad_request'],
        ['a wrong type', '{"password":5}', 'application/json', 400, 'bad_request'],
        ['an unknown field', '{"password":"x","user":"root"}', 'application/json', 400, 'bad_request'],
        ['a form content type', 'password=x', 'application/x-www-form-urlencoded', 415, 'bad_content_type'],
      ])('answers %s with %i %s', async (_, body, type, status, code) => {
        world = await makeWorld();
        const res = await world.app.request('/api/login', { method: 'POST', headers: { 'content-type': type }, body });
        expect(res.status).toBe(status);
        expect((await res.json()).error.code).toBe(code);
      });

      it('names the field', async () => {
        world = await makeWorld();
        const res = await postJson(world, '/api/login', { password: 5 });
        expect(await res.json()).toEqual({
          error: { code: 'bad_request', message: 'password: must be a string', details: { field: 'password', message: 'must be a string' } },
        });
      });
    });
  });

  describe('session expiry', () => {
    it('ends a session idle for 12 hours', async () => {
      world = await makeWorld();
      const cookie = await login(world);
      world.clock.t += 12 * 3600_000 - 1;
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(200);
      world.clock.t += 12 * 3600_000;
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(401);
    });

    it('ends a busy session 7 days after login', async () => {
      world = await makeWorld();
      const start = world.clock.t;
      const cookie = await login(world);
      const week = 7 * 24 * 3600_000;
      while (world.clock.t + 11 * 3600_000 < start + week) {
        world.clock.t += 11 * 3600_000; // never idle long enough to expire that way
        expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(200);
      }
      world.clock.t = start + week;
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(401);
    });

    it('ends sessions when the password changes', async () => {
      world = await makeWorld();
      const cookie = await login(world);
      await setPassword(world.stateDir, 'a brand new password');
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(401);
    });
  });

  describe('POST /api/logout', () => {
    it('ends the session and clears the cookie', async () => {
      world = await makeWorld();
      const cookie = await login(world);
      const res = await world.app.request('/api/logout', { method: 'POST', headers: browser(cookie) });
      expect(res.status).toBe(204);
      expect(res.headers.get('set-cookie')).toMatch(/^tm_session=; Max-Age=0/);
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(401);
    });

    it('needs the CSRF header like any state change', async () => {
      world = await makeWorld();
      const cookie = await login(world);
      expect((await world.app.request('/api/logout', { method: 'POST', headers: { cookie } })).status).toBe(403);
    });
  });
});
