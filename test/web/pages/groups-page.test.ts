/**
 * The groups page, the dashboard's household pause and the settings page's password form, as
 * rendered; each button's body sent to the real API as admin.js would send it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nameToWire } from '../../../src/dns/name.js';
import { PHONE, statsWorld, TV, type StatsWorld } from '../routes/stats-world.js';
import { attrOf, pageWorld, safePage } from './page-fixture.js';

let w: StatsWorld;
afterEach(() => w?.cleanup());

const page = (path: string) => safePage(w, path);

/** Sends the form around the element with `marker` (an aria-label or a data-append) as admin.js would. */
async function send(html: string, marker: string, append?: Record<string, unknown>) {
  const at = html.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  const start = html.lastIndexOf('<form', at);
  const form = html.slice(start, html.indexOf('>', start));
  const attr = (name: string) => attrOf(form, name);
  const body = JSON.parse(attr('data-base') || '{}');
  if (append) (body.spec.schedules ??= []).push(append); // admin.js getList creates a missing list too
  return w.send(attr('data-method'), attr('data-api'), body);
}

describe('groups page', () => {
  it('lists each group with its members, escaped, and a form to create one', async () => {
    w = await statsWorld();
    w.admin.putGroup('kids', { name: 'Kids <i>', spec: {} });
    w.devices.update(TV, { policy: 'kids' });
    const html = await page('/groups');
    expect(html).toContain('<a href="/groups" aria-current="page">Groups</a>');
    expect(html).toContain('<h2 id="group-kids">Kids &lt;i&gt;</h2>');
    expect(html).toContain(`Devices (1): </span><a href="/devices/${encodeURIComponent(TV)}">&lt;script&gt;alert(1)&lt;/script&gt;</a>`);
    expect(html).toContain('data-api="/api/groups/{id}" data-method="PUT" data-base="{&quot;spec&quot;:{}}"');
    // The members' suggested catalogs (xiaomi) come first, open.
    expect(html.indexOf('Xiaomi / MIUI / HyperOS telemetry')).toBeLessThan(html.indexOf('Other catalogs (14)'));
  });

  it('changes a group catalog with its button; the group members follow, others do not', async () => {
    w = await statsWorld();
    w.admin.putGroup('kids', { name: 'Kids', spec: { safeSearch: 'moderate' } });
    w.devices.update(TV, { policy: 'kids' });
    const res = await send(await page('/groups'), 'aria-label="Xiaomi / MIUI / HyperOS telemetry: off"');
    expect(res.status).toBe(200);
    expect(w.admin.view().groups[0]).toEqual({ id: 'kids', name: 'Kids', spec: { safeSearch: 'moderate', catalogs: { xiaomi: 'off' } } });
    const wire = nameToWire('data.mistat.intl.xiaomi.com')!;
    expect(w.policy.engine.decide(wire, w.devices.get(TV)!)).toBeNull();
    expect(w.policy.engine.decide(wire, w.devices.get(PHONE)!)?.action).toBe('block');
  });

  it('adds a "block everything" schedule, shows it running, and deletes it', async () => {
    w = await statsWorld();
    w.admin.putGroup('kids', { name: 'Kids', spec: {} });
    w.devices.update(TV, { policy: 'kids' });
    const hhmm = (t: number) => new Date(t).toTimeString().slice(0, 5);
    // What admin.js pushes onto spec.schedules from the form: days from the checked boxes, apply.blockAll nested.
    const html = await page('/groups');
    expect(html).toContain('data-append="spec.schedules"');
    expect(html).toContain('<input type="checkbox" name="days" value="1" data-type="set" checked=""/>');
    expect(html).toContain('<input type="hidden" name="id" value="sched-1"/>');
    const schedule = { days: [0, 1, 2, 3, 4, 5, 6], from: hhmm(w.clock.t - 3_600_000), to: hhmm(w.clock.t + 3_600_000), apply: { blockAll: true }, id: 'sched-1' };
    expect((await send(html, 'data-append="spec.schedules"', schedule)).status).toBe(200);
    expect(w.policy.engine.decide(nameToWire('www.example.org')!, w.devices.get(TV)!)?.action).toBe('block');
    const after = await page('/groups');
    expect(after).toMatch(/Every day \d\d:\d\d–\d\d:\d\d(?: \(next day\))?: block everything <span class="badge flagged">running now<\/span>/);
    expect((await send(after, 'aria-label="Delete schedule sched-1"')).status).toBe(200);
    expect(w.admin.view().groups[0].spec.schedules).toEqual([]);
    expect(w.policy.engine.decide(nameToWire('www.example.org')!, w.devices.get(TV)!)).toBeNull();
  });

  it('refuses to delete a group with devices (the message reaches the form), deletes an empty one', async () => {
    w = await statsWorld();
    w.admin.putGroup('kids', { name: 'Kids', spec: {} });
    w.devices.update(TV, { policy: 'kids' });
    const html = await page('/groups');
    const refused = await send(html, 'aria-label="Delete group Kids"');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { message: 'group kids still has 1 device(s): move them first' } });
    w.devices.update(TV, { policy: null });
    expect((await send(html, 'aria-label="Delete group Kids"')).status).toBe(204);
    expect(await page('/groups')).toContain('No groups yet.');
  });

  it('says so when there is no policy engine', async () => {
    const { world, cookie } = await pageWorld();
    const html = await (await world.app.request('/groups', { headers: { cookie } })).text();
    expect(html).toContain('The policy engine is not running in this instance.');
    await world.cleanup();
  });
});

describe('dashboard household pause', () => {
  it('shows blocking on, pauses for 15 min, shows until when, and resumes', async () => {
    w = await statsWorld();
    let html = await page('/');
    expect(html).toContain('<h2 id="house-pause">Household blocking</h2>');
    expect(html).toContain('Blocking is on.');
    expect(html).not.toContain('Resume blocking');
    expect((await send(html, 'aria-label="Pause blocking for the whole household for 15 min"')).status).toBe(200);
    expect(w.admin.view().pauses.household).toBe(w.clock.t + 15 * 60_000);
    html = await page('/');
    expect(html).toMatch(/<span class="badge flagged">paused<\/span> Nothing is blocked until <time datetime="2025-01-01T12:15:00.000Z">\d\d:\d\d<\/time> \(15 min left\)\./);
    expect((await send(html, 'aria-label="Resume blocking for the whole household"')).status).toBe(200);
    expect(w.admin.view().pauses).toEqual({});
  });

  it('leaves the pause out without a policy engine', async () => {
    const { world, cookie } = await pageWorld();
    expect(await (await world.app.request('/', { headers: { cookie } })).text()).not.toContain('Household blocking');
    await world.cleanup();
  });
});

describe('settings password form', () => {
  it('posts current and new password to /api/password; the repeat field is checked, never sent', async () => {
    w = await statsWorld();
    const html = await page('/settings');
    expect(html).toContain('<form data-api="/api/password" data-then="say:Password changed. Other browsers are signed out." method="post">');
    expect(html).toContain('name="current" type="password" autocomplete="current-password"');
    expect(html).toContain('name="password" type="password" autocomplete="new-password" required="" minlength="8"');
    expect(html).toMatch(/<input id="pw-repeat" type="password" autocomplete="new-password" required="" data-same-as="password"\/>/);
    expect(html).not.toContain('There is no way to change it from this page');
  });
});
