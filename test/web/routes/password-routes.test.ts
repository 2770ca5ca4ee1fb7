import { afterEach, describe, expect, it } from 'vitest';
import { browser, fromAddress, login, makeWorld, PASSWORD, postJson, type World } from '../fixture.js';

const NEW = 'battery staple horse';

describe('password routes', () => {
  let world: World;
  afterEach(() => world.cleanup());

  const change = (cookie: string, body: unknown, address = '192.168.1.50') => postJson(world, '/api/password', body, browser(cookie), fromAddress(address));
  const loginStatus = async (password: string) => (await postJson(world, '/api/login', { password }, {}, fromAddress('192.168.1.99'))).status;

  describe('POST /api/password', () => {
    describe('when the current password is right', () => {
      it('answers 204, stores the new password and logs the change', async () => {
        world = await makeWorld();
        const cookie = await login(world);
        const res = await change(cookie, { current: PASSWORD, password: NEW });
        expect(res.status).toBe(204);
        expect(await loginStatus(PASSWORD)).toBe(401);
        expect(await loginStatus(NEW)).toBe(200);
        expect(world.logs).toContain('info: admin: password changed from 192.168.1.50; other sessions signed out');
      });

      it('signs out other browsers but gives this one a fresh session', async () => {
        world = await makeWorld();
        const mine = await login(world);
        const other = await login(world);
        const res = await change(mine, { current: PASSWORD, password: NEW });
        const fresh = (res.headers.get('set-cookie') ?? '').split(';')[0];
        expect(fresh).toMatch(/^tm_session=/);
        expect(fresh).not.toBe(mine);
        expect((await world.app.request('/api/tokens', { headers: { cookie: other } })).status).toBe(401);
        expect((await world.app.request('/api/tokens', { headers: { cookie: mine } })).status).toBe(401);
        expect((await world.app.request('/api/tokens', { headers: { cookie: fresh } })).status).toBe(200);
      });

      it('works with an API token, which stays valid', async () => {
        world = await makeWorld();
        const cookie = await login(world);
        const { token } = (await (await postJson(world, '/api/tokens', { name: 'cron' }, browser(cookie))).json()) as { token: string };
        const auth = { authorization: `Bearer ${token}` };
        const res = await postJson(world, '/api/password', { current: PASSWORD, password: NEW }, auth);
        expect(res.status).toBe(204);
        expect(res.headers.get('set-cookie')).toBeNull();
        expect((await world.app.request('/api/tokens', { headers: auth })).status).toBe(200);
      });
    });

    describe('when the request is not acceptable', () => {
      it('answers 401 bad_password for a wrong current password and keeps the old one', async () => {
        world = await makeWorld();
        const cookie = await login(world);
        const res = await change(cookie, { current: 'not the password', password: NEW });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { code: 'bad_password', details: { field: 'current' } } });
        expect(await loginStatus(PASSWORD)).toBe(200);
        expect(world.logs).toContain('warn: admin: wrong current password in a password change from 192.168.1.50');
      });

      it('counts wrong current passwords against the login limiter of that address', async () => {
        world = await makeWorld();
        const cookie = await login(world);
        for (let i = 0; i < 5; i++) expect((await change(cookie, { current: 'wrong wrong', password: NEW })).status).toBe(401);
        const limited = await change(cookie, { current: PASSWORD, password: NEW });
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
        // The same limiter as login: that address cannot log in either, another one can.
        expect((await postJson(world, '/api/login', { password: PASSWORD }, {}, fromAddress('192.168.1.50'))).status).toBe(429);
        expect(await loginStatus(PASSWORD)).toBe(200);
      });

      it.each([
        [{ current: PASSWORD, password: 'short' }, 400, 'password: must be at least 8 characters'],
        [{ current: PASSWORD }, 400, 'password'],
        [{ current: '', password: NEW }, 400, 'current'],
      ])('answers %j with %i naming the field', async (body, status, message) => {
        world = await makeWorld();
        const cookie = await login(world);
        const res = await change(cookie, body);
        expect(res.status).toBe(status);
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
        expect(await loginStatus(PASSWORD)).toBe(200);
      });

      it('needs a session or a token, and the CSRF header from a browser', async () => {
        world = await makeWorld();
        expect((await postJson(world, '/api/password', { current: PASSWORD, password: NEW })).status).toBe(401);
        const cookie = await login(world);
        expect((await postJson(world, '/api/password', { current: PASSWORD, password: NEW }, { cookie })).status).toBe(403);
        expect(await loginStatus(PASSWORD)).toBe(200);
      });
    });
  });
});
