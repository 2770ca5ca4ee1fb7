/**
 * The policy editors as rendered (device page, groups page, dashboard pause, settings password form)
 * and, for each button tested, that the body it carries is what the real policy API accepts and
 * changes the decision for that device: the page is sent as admin.js would send it.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { nameToWire } from '../../../src/dns/name.js';
import { PHONE, statsWorld, TV, type StatsWorld } from '../routes/stats-world.js';
import { attrOf, safePage } from './page-fixture.js';

let w: StatsWorld;
afterEach(() => w?.cleanup());

const TELEMETRY = 'data.mistat.intl.xiaomi.com';
const XIAOMI = 'Xiaomi / MIUI / HyperOS';
const devicePath = (id: string) => `/devices/${encodeURIComponent(id)}`;
async function page(path: string) {
  const html = await safePage(w, path);
  expect(html).not.toContain('<script>alert');
  expect(gzipSync(html).length).toBeLessThan(60 * 1024);
  return html;
}

/** The form around the button labelled `aria`: where it sends what, as admin.js would. */
function formOf(html: string, aria: string): { api: string; method: string; body: unknown; isPressed: boolean } {
  const at = html.indexOf(`aria-label="${aria}"`);
  expect(at, aria).toBeGreaterThan(0);
  const form = html.slice(html.lastIndexOf('<form', at), at);
  const attr = (name: string) => attrOf(form, name);
  const button = html.slice(html.lastIndexOf('<button', at), html.indexOf('>', at));
  return { api: attr('data-api'), method: attr('data-method'), body: JSON.parse(attr('data-base') || '{}'), isPressed: button.includes('aria-pressed="true"') };
}

async function press(html: string, aria: string) {
  const f = formOf(html, aria);
  const res = await w.send(f.method, f.api, f.body);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return f;
}

const decide = (id: string) => w.policy.engine.decide(nameToWire(TELEMETRY)!, w.devices.get(id)!)?.action ?? 'none';

describe('device policy section', () => {
  it('blocks a catalog for one device with its button, then puts it back "as household"', async () => {
    w = await statsWorld();
    w.admin.setHousehold({ ...w.admin.view().household, catalogs: { '*': 'block', xiaomi: 'observe' } });
    let html = await page(devicePath(TV));
    // The device's suggested catalog (xiaomi) is in the open part, before "Other catalogs".
    expect(html.indexOf(`${XIAOMI} telemetry: block`)).toBeLessThan(html.indexOf('Other catalogs (14)'));
    expect(formOf(html, `${XIAOMI} telemetry: as household`).isPressed).toBe(true);
    expect(html).toContain('>as household (observe)</button>');
    expect(decide(TV)).toBe('flag');
    expect(await press(html, `${XIAOMI} telemetry: block`)).toMatchObject({ method: 'PUT', api: `/api/devices/${encodeURIComponent(TV)}/policy`, body: { catalogs: { xiaomi: 'block' } } });
    expect(decide(TV)).toBe('block');
    expect(decide(PHONE)).toBe('flag');
    html = await page(devicePath(TV));
    expect(formOf(html, `${XIAOMI} telemetry: block`).isPressed).toBe(true);
    expect(html).toMatch(/<th scope="row">Catalogs blocked<\/th><td>all \d+<\/td>/);
    expect(await press(html, `${XIAOMI} telemetry: as household`)).toMatchObject({ body: {} });
    expect(decide(TV)).toBe('flag');
  });

  it('explains the sensitive entries from the catalog notes and offers block / flag / allow', async () => {
    w = await statsWorld();
    const html = await page(devicePath(TV));
    expect(html).toContain(`What blocking ${XIAOMI}&#39;s 7 sensitive entries costs`);
    expect(html).toContain('on Xiaomi phones the same relay serves Xiaomi push — blocking stops band notifications from the vendor app and may delay or drop push notifications');
    const f = await press(html, `${XIAOMI} sensitive entries: block`);
    expect(f.body).toEqual({ sensitive: { xiaomi: 'block' } });
    expect(w.admin.view().devices[TV]).toEqual({ sensitive: { xiaomi: 'block' } });
  });

  it('sets the switches, keeping the other fields of the layer', async () => {
    w = await statsWorld();
    w.admin.setDevice(TV, { catalogs: { xiaomi: 'off' } });
    let html = await page(devicePath(TV));
    await press(html, 'SafeSearch: strict');
    html = await page(devicePath(TV));
    await press(html, 'Query log: anonymous');
    html = await page(devicePath(TV));
    await press(html, 'Observe only (log, block nothing): on');
    expect(w.admin.view().devices[TV]).toEqual({ catalogs: { xiaomi: 'off' }, safeSearch: 'strict', logMode: 'anonymous', observe: true });
    html = await page(devicePath(TV));
    expect(html).toContain('<th scope="row">SafeSearch</th><td>strict</td>');
    expect(html).toContain('<th scope="row">Observe only</th><td>on: nothing is blocked, what would be is logged</td>');
    // Reset: DELETE, everything inherited again.
    expect(formOf(html, 'Reset: everything as household')).toMatchObject({ method: 'DELETE' });
  });

  it('moves the device into a group; "as …" then names the group and shows its values', async () => {
    w = await statsWorld();
    w.admin.putGroup('tv', { name: 'TVs <b>', spec: { catalogs: { xiaomi: 'off' } } });
    let html = await page(devicePath(TV));
    expect(html).toContain('<select id="group-select" name="policy"><option value="" selected="">Household default (no group)</option><option value="tv">TVs &lt;b&gt;</option></select>');
    expect(html).toContain(`data-api="/api/devices/${encodeURIComponent(TV)}" data-method="PATCH"`);
    expect((await w.send('PATCH', `/api/devices/${encodeURIComponent(TV)}`, { policy: 'tv' })).status).toBe(200);
    html = await page(devicePath(TV));
    expect(html).toContain('>as group TVs &lt;b&gt; (off)</button>');
    expect(decide(TV)).toBe('none');
  });

  it('pauses the device: the buttons send /api/pause, the state shows, resume ends it', async () => {
    w = await statsWorld();
    let html = await page(devicePath(TV));
    expect(html).toContain('Blocking is on.');
    expect(formOf(html, 'Pause blocking for <script>alert(1)</script> for 8 h'.replace(/</g, '&lt;').replace(/>/g, '&gt;'))).toMatchObject({ api: '/api/pause', method: 'POST', body: { target: TV, minutes: 480 } });
    await press(html, 'Pause blocking for &lt;script&gt;alert(1)&lt;/script&gt; for 15 min');
    expect(decide(TV)).toBe('allow');
    html = await page(devicePath(TV));
    expect(html).toMatch(/Nothing is blocked until <time datetime="2025-01-01T12:15:00.000Z">\d\d:\d\d<\/time> \(15 min left\)/);
    await press(html, 'Resume blocking for &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(decide(TV)).toBe('block');
  });
});

describe('GET /api/devices/:id/policy/effective', () => {
  it('answers the folded policy: household, group, device and running schedules', async () => {
    w = await statsWorld();
    // 12:00 UTC on a Wednesday; the schedule's window is local time, so it is built from the clock.
    const at = new Date(w.clock.t);
    const hhmm = (d: Date) => d.toTimeString().slice(0, 5);
    const schedule = { id: 'now', days: [0, 1, 2, 3, 4, 5, 6], from: hhmm(new Date(at.getTime() - 3_600_000)), to: hhmm(new Date(at.getTime() + 3_600_000)), apply: { blockAll: true } };
    w.admin.putGroup('kids', { name: 'Kids', spec: { safeSearch: 'strict', schedules: [schedule] } });
    w.devices.update(TV, { policy: 'kids' });
    w.admin.setDevice(TV, { catalogs: { xiaomi: 'observe' } });
    const res = await w.get(`/api/devices/${encodeURIComponent(TV)}/policy/effective`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ device: TV, group: 'kids', pausedUntil: null, safeSearch: 'strict', blockAll: 'now', schedules: ['now'], logMode: 'full', catalogs: { xiaomi: 'observe', samsung: 'block' }, sensitive: { xiaomi: 'flag' } });
    const inherited = await (await w.get(`/api/devices/${encodeURIComponent(TV)}/policy/effective?inherited=1`)).json();
    expect(inherited).toMatchObject({ catalogs: { xiaomi: 'block' }, safeSearch: 'strict' });
    expect(w.world.logs.filter((l) => l.includes('effective'))).toEqual([]); // a read: not logged
  });

  it('shows a pause, and answers 404 for an unknown device', async () => {
    w = await statsWorld();
    w.admin.pause('household', 60);
    expect(await (await w.get(`/api/devices/${encodeURIComponent(PHONE)}/policy/effective`)).json()).toMatchObject({ pausedUntil: w.clock.t + 3_600_000 });
    const res = await w.get('/api/devices/aa:bb:cc:dd:ee:ff/policy/effective');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
