import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login, makeWorld, postJson, type World } from './fixture.js';

describe('apiGuard', () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.cleanup());

  describe('when the caller has no credentials', () => {
    it('answers 401 with a Bearer challenge', async () => {
      const res = await world.app.request('/api/tokens');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="telemute"');
      expect((await res.json()).error.code).toBe('unauthorized');
    });

    it('treats an unknown session cookie as none', async () => {
      const cookie = 'tm_session=' + 'x'.repeat(43);
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(401);
      expect((await postJson(world, '/api/login', { password: 'correct horse battery' }, { cookie })).status).toBe(200);
    });
  });

  describe('when a browser session changes state (CSRF)', () => {
    it('answers 403 csrf without X-Requested-With: telemute', async () => {
      const cookie = await login(world);
      const res = await postJson(world, '/api/tokens', { name: 'x' }, { cookie });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf');
    });

    it('answers 403 to a wrong header value, even with a same-origin Origin', async () => {
      const cookie = await login(world);
      const headers = { cookie, 'x-requested-with': 'XMLHttpRequest', origin: 'http://localhost' };
      expect((await postJson(world, '/api/tokens', { name: 'x' }, headers)).status).toBe(403);
    });

    it('lets a GET through without the header', async () => {
      const cookie = await login(world);
      expect((await world.app.request('/api/tokens', { headers: { cookie } })).status).toBe(200);
    });

    it('lets the state change through with the header', async () => {
      const cookie = await login(world);
      const res = await postJson(world, '/api/tokens', { name: 'x' }, { cookie, 'x-requested-with': 'telemute' });
      expect(res.status).toBe(201);
    });
  });
});
