import { afterEach, describe, expect, it } from 'vitest';
import { createSetupCode } from '../../../src/web/setup-code.js';
import { fromAddress, makeWorld, postJson, type World } from '../fixture.js';

const CODE = '01234-56789';
const counting = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);
let world: World;
afterEach(() => world?.cleanup());

async function fresh(withCode = true) {
  world = await makeWorld({ hasPassword: false, deps: withCode ? { setupCode: createSetupCode(counting) } : {} });
}
const setup = (body: unknown, address = '192.168.1.50') => postJson(world, '/api/setup', body, {}, fromAddress(address));
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('POST /api/setup', () => {
  describe('when no password is set and a code was issued', () => {
    it('sets the password with the right code, without credentials, and login then works', async () => {
      await fresh();
      expect((await setup({ code: CODE.toLowerCase(), password: 'correct horse battery' })).status).toBe(204);
      expect((await postJson(world, '/api/login', { password: 'correct horse battery' })).status).toBe(200);
      expect(world.logs.some((l) => l.includes('password set with the setup code'))).toBe(true);
    });

    it('refuses a wrong code, and throttles after five', async () => {
      await fresh();
      for (let i = 0; i < 5; i++) {
        const res = await setup({ code: 'WRONG-WRONG', password: 'correct horse battery' });
        expect(res.status).toBe(401);
        expect(await code(res)).toBe('bad_setup_code');
      }
      const limited = await setup({ code: CODE, password: 'correct horse battery' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      // another address is not held back
      expect((await setup({ code: CODE, password: 'correct horse battery' }, '192.168.1.51')).status).toBe(204);
    });

    it('refuses a short password, naming the field, and keeps the code usable', async () => {
      await fresh();
      const res = await setup({ code: CODE, password: 'short' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request', details: { field: 'password' } } });
      expect((await setup({ code: CODE, password: 'correct horse battery' })).status).toBe(204);
    });

    it('works once: the second attempt finds the password set', async () => {
      await fresh();
      expect((await setup({ code: CODE, password: 'correct horse battery' })).status).toBe(204);
      const again = await setup({ code: CODE, password: 'another horse battery' });
      expect(again.status).toBe(409);
      expect(await code(again)).toBe('already_set');
      expect((await postJson(world, '/api/login', { password: 'another horse battery' })).status).toBe(401);
    });

    it('needs a JSON body with both fields', async () => {
      await fresh();
      expect((await setup({ code: CODE })).status).toBe(400);
      const form = await world.app.request('/api/setup', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=x' });
      expect(form.status).toBe(415);
    });
  });

  describe('when no code was issued', () => {
    it('answers 409 no_setup_code', async () => {
      await fresh(false);
      const res = await setup({ code: CODE, password: 'correct horse battery' });
      expect(res.status).toBe(409);
      expect(await code(res)).toBe('no_setup_code');
    });
  });

  describe('when a password is set already', () => {
    it('answers 409 already_set whatever the code', async () => {
      world = await makeWorld({ deps: { setupCode: createSetupCode(counting) } });
      const res = await setup({ code: CODE, password: 'correct horse battery' });
      expect(res.status).toBe(409);
      expect(await code(res)).toBe('already_set');
    });
  });
});
