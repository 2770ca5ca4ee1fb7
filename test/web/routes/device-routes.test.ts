import { afterEach, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/devices/registry.js';
import { browser, login, makeWorld, type World } from '../fixture.js';

const MAC = '64:09:80:3a:4b:5c';
let world: World;

async function setup() {
  const devices = createRegistry({ flash: null, vendorOf: () => ({ vendor: 'Xiaomi', isPrivate: false }), suggest: () => ['xiaomi'] });
  devices.seen(MAC, MAC, '192.168.1.20', 1000);
  devices.seen('router', null, '127.0.0.1', 2000);
  world = await makeWorld({ deps: { devices } });
  return { devices, cookie: await login(world) };
}
afterEach(() => world?.cleanup());

const patch = (path: string, body: unknown, headers: Record<string, string>) =>
  world.app.request(path, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('device routes', () => {
  it('lists devices, most recently seen first, with their display names', async () => {
    const { cookie } = await setup();
    const res = await world.app.request('/api/devices', { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { devices: { id: string; displayName: string; suggested: string[] }[] };
    expect(body.devices.map((d) => d.id)).toEqual(['router', MAC]);
    expect(body.devices[1]).toMatchObject({ displayName: 'Xiaomi 3a:4b:5c', suggested: ['xiaomi'] });
  });

  it('needs authentication', async () => {
    await setup();
    expect((await world.app.request('/api/devices')).status).toBe(401);
  });

  it('shows one device, case-insensitively, or 404', async () => {
    const { cookie } = await setup();
    expect((await world.app.request(`/api/devices/${MAC.toUpperCase()}`, { headers: { cookie } })).status).toBe(200);
    const missing = await world.app.request('/api/devices/02:00:00:00:00:01', { headers: { cookie } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('renames a device and sets its policy; an empty name clears it', async () => {
    const { cookie, devices } = await setup();
    const res = await patch(`/api/devices/${MAC}`, { name: '  Kitchen TV ', policy: 'tv' }, browser(cookie));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ name: 'Kitchen TV', policy: 'tv', displayName: 'Kitchen TV' });
    await patch(`/api/devices/${MAC}`, { name: '' }, browser(cookie));
    expect(devices.get(MAC)!.name).toBeNull();
  });

  it('keeps a hostile name as text (escaping is the view’s job) but refuses control characters', async () => {
    const { cookie } = await setup();
    expect(await (await patch(`/api/devices/${MAC}`, { name: '<script>alert(1)</script>' }, browser(cookie))).json()).toMatchObject({ name: '<script>alert(1)</script>' });
    expect((await patch(`/api/devices/${MAC}`, { name: 'a\u0000b' }, browser(cookie))).status).toBe(400);
  });

  it('refuses bad fields, bad ids, unknown devices and a self-merge', async () => {
    const { cookie } = await setup();
    expect((await patch(`/api/devices/${MAC}`, { colour: 'red' }, browser(cookie))).status).toBe(400);
    expect((await patch('/api/devices/not-a-mac', { name: 'x' }, browser(cookie))).status).toBe(400);
    expect((await patch('/api/devices/02:00:00:00:00:01', { name: 'x' }, browser(cookie))).status).toBe(404);
    expect((await patch(`/api/devices/${MAC}`, { mergeInto: MAC }, browser(cookie))).status).toBe(400);
    expect((await patch(`/api/devices/${MAC}`, { mergeInto: 'router' }, browser(cookie))).status).toBe(200);
  });

  it('refuses a state change without the CSRF header', async () => {
    const { cookie } = await setup();
    expect((await patch(`/api/devices/${MAC}`, { name: 'x' }, { cookie })).status).toBe(403);
  });
});
