import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browser, login, makeWorld, type World } from './fixture.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

describe('createAdminApp', () => {
  let world: World;
  beforeEach(async () => {
    world = await makeWorld();
  });
  afterEach(() => world.cleanup());

  describe('security headers', () => {
    it.each(['/api/health', '/api/tokens', '/nowhere'])('are on the answer to %s', async (path) => {
      const res = await world.app.request(path);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    });

    it('are on a 500', async () => {
      world.app.get('/boom', () => {
        throw new Error('kaboom');
      });
      const res = await world.app.request('/boom');
      expect(res.status).toBe(500);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
    });
  });

  describe('when no route matches', () => {
    it('answers 404 not_found in the error shape', async () => {
      const res = await world.app.request('/nowhere');
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No route for GET /nowhere' } });
    });

    it('answers 401 under /api/ without credentials, so route names do not leak', async () => {
      expect((await world.app.request('/api/nowhere')).status).toBe(401);
    });

    it('answers 404 under /api/ with credentials', async () => {
      const cookie = await login(world);
      const res = await world.app.request('/api/nowhere', { headers: { cookie } });
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    });
  });

  describe('when a handler throws', () => {
    it('answers 500 internal without the stack and logs it', async () => {
      world.app.get('/boom', () => {
        throw new Error('kaboom at /secret/path.ts');
      });
      const res = await world.app.request('/boom');
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal error; the router log has the details' } });
      expect(text).not.toMatch(/kaboom|secret|\.ts/);
      expect(world.logs.some((l) => l.startsWith('error:') && l.includes('kaboom'))).toBe(true);
    });
  });

  describe('GET /api/health', () => {
    it('shows only status, version and uptime without credentials', async () => {
      world.clock.t += 90_500;
      const res = await world.app.request('/api/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', uptimeS: 90 });
      expect(res.headers.get('cache-control')).toBe('no-store');
    });

    it('answers HEAD without credentials too', async () => {
      expect((await world.app.request('/api/health', { method: 'HEAD' })).status).toBe(200);
    });

    it('adds details for a logged-in admin', async () => {
      const cookie = await login(world);
      const res = await world.app.request('/api/health', { headers: { cookie } });
      expect(await res.json()).toMatchObject({ status: 'ok', details: { devices: 3 } });
    });
  });

  describe('request bodies', () => {
    it('refuses a body over 64 KiB with 413 too_large', async () => {
      const cookie = await login(world);
      const res = await world.app.request('/api/tokens', {
        method: 'POST',
        headers: { ...browser(cookie), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(70_000) }),
      });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('too_large');
    });
  });
});
