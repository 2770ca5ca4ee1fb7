import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/devices/registry.js';
import { createPolicyAdmin } from '../../../src/policy/policy-admin.js';
import { buildCatalogIndex } from '../../../src/policy/catalog-index.js';
import { CATALOGS } from '../../../src/policy/catalogs.js';
import { policyRoutes } from '../../../src/web/routes/policy-routes.js';
import type { AdminEnv } from '../../../src/web/context.js';
import { testPolicy } from '../../helpers/policy-env.js';

const MAC = '64:09:80:3a:4b:5c';

function setup() {
  const t = testPolicy();
  const devices = createRegistry({ flash: null, vendorOf: () => ({ vendor: 'Xiaomi', isPrivate: false }), suggest: () => ['xiaomi'] });
  devices.seen(MAC, MAC, '192.168.1.20', 1000);
  const admin = createPolicyAdmin({ engine: t.engine, catalogs: buildCatalogIndex(CATALOGS), devices, now: () => t.clock.t });
  const logs: string[] = [];
  const refreshed: (string | undefined)[] = [];
  const app = new Hono<AdminEnv>();
  policyRoutes(app, { admin, log: (_l, m) => logs.push(m), lists: { statuses: () => [{ id: 'ads', state: 'ready' }], refresh: async (id) => refreshed.push(id) } });
  const send = (method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const json = async (res: Response | Promise<Response>) => (await res).json() as Promise<Record<string, any>>;
  return { t, devices, app, send, json, logs, refreshed };
}

describe('policy routes', () => {
  it('shows the document with the default household policy', async () => {
    const { send, json } = setup();
    const doc = await json(send('GET', '/api/policy'));
    expect(doc.household).toMatchObject({ catalogs: { '*': 'block' }, sensitive: { '*': 'flag' }, bypassGuard: true });
    expect(doc.ruleErrors).toEqual([]);
  });

  it('saves a group and puts the device in it through the device registry', async () => {
    const { send, json, t, devices } = setup();
    const res = await send('PUT', '/api/groups/tv', { name: 'TVs', spec: { catalogs: { '*': 'off', samsung: 'block' } } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'tv', name: 'TVs' });
    devices.update(MAC, { policy: 'tv' });
    const explain = await json(send('GET', `/api/policy/explain?name=data.mistat.intl.xiaomi.com&device=${MAC}`));
    expect(explain).toMatchObject({ action: 'none' });
    expect(t.engine.doc().groups).toHaveLength(1);
  });

  it('refuses a group still holding devices, and deletes an empty one', async () => {
    const { send, devices } = setup();
    await send('PUT', '/api/groups/tv', { name: 'TVs', spec: {} });
    devices.update(MAC, { policy: 'tv' });
    expect((await send('DELETE', '/api/groups/tv')).status).toBe(409);
    devices.update(MAC, { policy: null });
    expect((await send('DELETE', '/api/groups/tv')).status).toBe(204);
    expect((await send('DELETE', '/api/groups/tv')).status).toBe(404);
  });

  it.each([
    ['/api/groups/tv', { name: 'TVs', spec: { catalogs: { xiaomi: 'sometimes' } } }, 'group.spec.catalogs.xiaomi: must be block, observe, off'],
    ['/api/groups/tv', { name: 'TVs', spec: { catalogs: { nosuch: 'block' } } }, 'group.spec.catalogs.nosuch: no such catalog'],
    ['/api/groups/tv', { name: '<b>\u0007</b>', spec: {} }, 'group.name'],
    ['/api/groups/Bad%20Id', { name: 'x', spec: {} }, 'id: a short id'],
    ['/api/rules/r1', { text: '/(a+)+$/' }, 'nested'],
    ['/api/rules/r1', { text: '||ads.example.org^', scope: 'group:nosuch' }, 'no group nosuch'],
    ['/api/lists/l1', { name: 'L', url: 'ftp://lists.example.org/x' }, 'list.url'],
    ['/api/policy/household', { catalogs: { '*': 'block' }, schedules: [{ id: 's', days: [9], from: '25:00', to: '07:00', apply: {} }] }, 'household.schedules[0].days'],
  ])('answers 400 naming the field for PUT %s', async (path, body, message) => {
    const { send, json, t } = setup();
    const before = t.engine.doc();
    const res = await send('PUT', path, body);
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toContain(message);
    expect(t.engine.doc()).toBe(before); // nothing changed
  });

  it('answers 400 for a body that is not JSON and 415 for another content type', async () => {
    const { send, app } = setup();
    expect((await send('PUT', '/api/policy/household', '{nope')).status).toBe(400);
    expect((await app.request('/api/policy/household', { method: 'PUT', body: '{}', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  });

  it('saves a rule that then decides, and lists it', async () => {
    const { send, json, logs } = setup();
    const res = await send('PUT', '/api/rules/no-ads', { text: '||ads.example.org^', comment: 'ads' });
    expect(res.status).toBe(200);
    expect(await json(send('GET', '/api/policy/explain?name=x.ads.example.org'))).toMatchObject({ action: 'block', detail: 'rule:no-ads' });
    expect((await json(send('GET', '/api/rules'))).rules).toEqual([{ id: 'no-ads', text: '||ads.example.org^', comment: 'ads', scope: 'household', enabled: true }]);
    expect(logs).toContain('admin: rule no-ads saved');
    expect((await send('DELETE', '/api/rules/no-ads')).status).toBe(204);
  });

  it('keeps a hostile rule comment as data', async () => {
    const { send, json } = setup();
    await send('PUT', '/api/rules/x', { text: '||ads.example.org^', comment: '<script>alert(1)</script>' });
    expect((await json(send('GET', '/api/rules'))).rules[0].comment).toBe('<script>alert(1)</script>');
  });

  it('manages list subscriptions and asks for an update in the background', async () => {
    const { send, json, refreshed } = setup();
    expect((await send('PUT', '/api/lists/ads', { name: 'Ads', url: 'https://lists.example.org/ads.txt' })).status).toBe(200);
    const lists = await json(send('GET', '/api/lists'));
    expect(lists.lists).toEqual([{ id: 'ads', name: 'Ads', url: 'https://lists.example.org/ads.txt', enabled: true, updateHours: 24 }]);
    expect(lists.status).toEqual([{ id: 'ads', state: 'ready' }]);
    expect((await send('POST', '/api/lists/ads/refresh')).status).toBe(202);
    expect(refreshed).toEqual(['ads']);
    expect((await send('POST', '/api/lists/nosuch/refresh')).status).toBe(404);
  });

  it('pauses a device and the house, and resumes', async () => {
    const { send, json, t } = setup();
    const res = await json(send('POST', '/api/pause', { target: MAC, minutes: 15 }));
    expect(res).toEqual({ target: MAC, until: t.clock.t + 15 * 60_000 });
    expect(await json(send('GET', `/api/policy/explain?name=data.mistat.intl.xiaomi.com&device=${MAC}`))).toMatchObject({ action: 'allow', detail: 'pause' });
    await send('POST', '/api/pause', { target: MAC, minutes: 0 });
    expect(await json(send('GET', `/api/policy/explain?name=data.mistat.intl.xiaomi.com&device=${MAC}`))).toMatchObject({ action: 'block' });
    expect((await send('POST', '/api/pause', { target: 'household', minutes: 60 * 24 * 8 })).status).toBe(400);
    expect((await send('POST', '/api/pause', { target: 'aa:aa:aa:aa:aa:aa', minutes: 5 })).status).toBe(404);
  });

  it('allows one name for one device for a while ("this broke my TV")', async () => {
    const { send, json } = setup();
    const res = await json(send('POST', '/api/allow', { device: MAC, name: 'Data.Mistat.Intl.Xiaomi.com.', minutes: 60 }));
    expect(res).toMatchObject({ device: MAC, name: 'data.mistat.intl.xiaomi.com' });
    expect(await json(send('GET', `/api/policy/explain?name=data.mistat.intl.xiaomi.com&device=${MAC}`))).toMatchObject({ action: 'allow', detail: 'temporary-allow' });
    expect((await send('POST', '/api/allow', { device: MAC, name: '<script>', minutes: 60 })).status).toBe(400);
  });

  it('sets and clears a device override', async () => {
    const { send, json } = setup();
    expect((await send('PUT', `/api/devices/${MAC}/policy`, { observe: true })).status).toBe(200);
    expect(await json(send('GET', `/api/policy/explain?name=data.mistat.intl.xiaomi.com&device=${MAC}`))).toMatchObject({ action: 'flag' });
    expect((await send('DELETE', `/api/devices/${MAC}/policy`)).status).toBe(204);
    expect((await send('PUT', '/api/devices/aa:aa:aa:aa:aa:aa/policy', {})).status).toBe(404);
  });

  it('lists the catalogs with their counts and sources', async () => {
    const { send, json } = setup();
    const { catalogs } = await json(send('GET', '/api/catalogs'));
    const xiaomi = catalogs.find((c: { id: string }) => c.id === 'xiaomi');
    expect(xiaomi.counts.telemetry).toBeGreaterThan(10);
    expect(xiaomi.counts.sensitive).toBeGreaterThan(0);
    expect(xiaomi.counts.functional).toBeGreaterThan(0);
    expect(xiaomi.sources.length).toBeGreaterThan(0);
  });

  it('restores a whole document only when it validates', async () => {
    const { send, t } = setup();
    const doc = structuredClone(t.engine.doc());
    doc.rules.push({ id: 'r', text: '||x.example.org^', scope: 'household', enabled: true });
    expect((await send('POST', '/api/policy/restore', doc)).status).toBe(204);
    expect(t.engine.doc().rules).toHaveLength(1);
    expect((await send('POST', '/api/policy/restore', { ...doc, version: 2 })).status).toBe(400);
    expect(t.engine.doc().rules).toHaveLength(1);
  });
});
