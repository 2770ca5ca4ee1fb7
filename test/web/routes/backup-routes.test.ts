import { afterEach, describe, expect, it } from 'vitest';
import { PHONE, statsWorld, TV, type StatsWorld } from './stats-world.js';

let w: StatsWorld;
afterEach(() => w?.cleanup());

type Json = Record<string, any>;

/** A household with a group, a rule, a list, a device override and two named devices. */
async function furnish(): Promise<void> {
  expect((await w.send('PUT', '/api/groups/tv', { name: 'TVs', spec: { catalogs: { samsung: 'block' } } })).status).toBe(200);
  expect((await w.send('PUT', '/api/rules/r1', { text: '||ads.example.org^', scope: 'household' })).status).toBe(200);
  expect((await w.send('PUT', '/api/lists/easy', { name: 'Easy', url: 'https://example.org/list.txt' })).status).toBe(200);
  expect((await w.send('PUT', `/api/devices/${TV}/policy`, { observe: true })).status).toBe(200);
  expect((await w.send('POST', '/api/allow', { device: TV, name: 'data.example.org', minutes: 60 })).status).toBe(200);
  w.devices.update(TV, { name: 'Living-room TV', policy: 'tv' });
  w.devices.update(PHONE, { name: 'Phone' });
}

describe('backup routes', () => {
  it('downloads the policy and the owner-given device names and groups, without secrets or temporary allows', async () => {
    w = await statsWorld();
    await furnish();
    const res = await w.get('/api/backup');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="telemute-backup-2025-01-01.json"');
    const text = await res.text();
    const file = JSON.parse(text) as Json;
    expect(file).toMatchObject({ format: 'telemute-backup', version: 1, date: '2025-01-01T12:00:00.000Z' });
    expect(file.policy.groups).toEqual([{ id: 'tv', name: 'TVs', spec: { catalogs: { samsung: 'block' } } }]);
    expect(file.policy.rules[0]).toMatchObject({ id: 'r1', text: '||ads.example.org^' });
    expect(file.policy.lists[0]).toMatchObject({ id: 'easy' });
    expect(file.policy.devices[TV]).toEqual({ observe: true });
    expect(file.policy.allows).toEqual([]);
    expect(file.policy.ruleErrors).toBeUndefined();
    expect(file.devices).toEqual(expect.arrayContaining([{ id: TV, name: 'Living-room TV', policy: 'tv' }, { id: PHONE, name: 'Phone', policy: null }]));
    expect(text).not.toMatch(/scrypt|hash|token|tm_/i);
  });

  it('previews what a restore would change, section by section', async () => {
    w = await statsWorld();
    await furnish();
    const file = (await (await w.get('/api/backup')).json()) as Json;
    file.policy.rules.push({ id: 'r2', text: '||more.example.net^', scope: 'household', enabled: true });
    file.policy.groups[0].name = 'Televisions';
    file.policy.lists = [];
    file.devices = [{ id: TV, name: 'Kitchen TV', policy: 'tv' }, { id: 'aa:bb:cc:dd:ee:ff', name: 'Gone', policy: null }];
    const preview = (await (await w.send('POST', '/api/backup/preview', file)).json()) as Json;
    expect(preview).toMatchObject({
      ok: true,
      errors: [],
      date: '2025-01-01T12:00:00.000Z',
      changes: {
        household: { changed: false },
        groups: { added: 0, removed: 0, changed: 1 },
        rules: { added: 1, removed: 0, changed: 0 },
        lists: { added: 0, removed: 1, changed: 0 },
        devicePolicies: { added: 0, removed: 0, changed: 0 },
        devices: { changed: 1, unknown: 1 },
      },
    });
    // A preview changes nothing.
    expect(w.admin.view().rules).toHaveLength(1);
  });

  it.each([
    [{ hello: 1 }, 'format: not a telemute backup'],
    [{ format: 'telemute-backup', version: 2, date: '2025-01-01', policy: {}, devices: [] }, 'version: 2 is not supported'],
    [{ format: 'telemute-backup', version: 1, date: 'soon', policy: null, devices: {} }, 'date: an ISO 8601 time'],
  ])('names what is wrong with a bad file (%#)', async (file, message) => {
    w = await statsWorld();
    const preview = (await (await w.send('POST', '/api/backup/preview', file)).json()) as Json;
    expect(preview.ok).toBe(false);
    expect(preview.errors.join('\n')).toContain(message);
    const restore = await w.send('POST', '/api/backup/restore', file);
    expect(restore.status).toBe(400);
    expect(((await restore.json()) as Json).error.code).toBe('bad_backup');
  });

  it('names a bad field inside the policy, and restores nothing', async () => {
    w = await statsWorld();
    await furnish();
    const file = (await (await w.get('/api/backup')).json()) as Json;
    file.policy.household.catalogs.nosuch = 'block';
    const res = await w.send('POST', '/api/backup/restore', file);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.message).toContain('policy.household.catalogs.nosuch: no such catalog');
    expect(w.admin.view().household.catalogs).not.toHaveProperty('nosuch');
  });

  it('round-trips: restore puts the policy and the device names back', async () => {
    w = await statsWorld();
    await furnish();
    const file = await (await w.get('/api/backup')).text();
    // The owner changes things, then restores yesterday's file.
    await w.send('DELETE', '/api/rules/r1');
    await w.send('PUT', '/api/rules/r9', { text: '||new.example.org^', scope: 'household' });
    w.devices.update(TV, { name: 'Renamed', policy: null });
    const res = await w.send('POST', '/api/backup/restore', file);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ devicesUpdated: 1, devicesSkipped: [] });
    expect(w.admin.view().rules.map((r) => r.id)).toEqual(['r1']);
    expect(w.devices.get(TV)).toMatchObject({ name: 'Living-room TV', policy: 'tv' });
    expect(w.world.logs.join('\n')).toContain('restored a backup from 2025-01-01T12:00:00.000Z');
  });

  it('takes a backup body larger than the 64 KiB limit of other routes, up to 2 MiB', async () => {
    w = await statsWorld();
    const file = (await (await w.get('/api/backup')).json()) as Json;
    file.policy.rules = Array.from({ length: 1500 }, (_, i) => ({ id: `r${i}`, text: `||host-${i}.ads.example.org^`, scope: 'household', enabled: true, comment: 'x'.repeat(40) }));
    const body = JSON.stringify(file);
    expect(body.length).toBeGreaterThan(64 * 1024);
    const preview = (await (await w.send('POST', '/api/backup/preview', body)).json()) as Json;
    expect(preview.changes.rules.added).toBe(1500);
    expect((await w.send('PUT', '/api/rules/big', { text: 'a'.repeat(70 * 1024) })).status).toBe(413);
    const huge = await w.send('POST', '/api/backup/preview', `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    expect(huge.status).toBe(413);
  });

  it('needs the CSRF header from a browser session', async () => {
    w = await statsWorld();
    const res = await w.world.app.request('/api/backup/restore', { method: 'POST', headers: { cookie: w.cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
  });
});
