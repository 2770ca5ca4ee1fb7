import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SCRIPT, STYLESHEET } from '../../../src/web/pages/assets.js';
import type { World } from '../fixture.js';
import { ATTR_BREAKER, expectCspSafe, getPage, HOSTILE, MAC, pageWorld, PRIVATE_MAC, tags } from './page-fixture.js';
import { SAMPLE_DASHBOARD, sampleDeviceExtras } from './sample-data.js';

let world: World;
afterEach(() => world?.cleanup());

/** Page budget from the issue: each page at most 60 KB gzipped, its assets included. */
const BUDGET = 60 * 1024;
const gz = (text: string) => gzipSync(text).length;

describe('page routes', () => {
  describe('when nobody is signed in', () => {
    it('sends every page to /login, remembering where the owner was going', async () => {
      ({ world } = await pageWorld());
      for (const path of ['/', '/devices', `/devices/${MAC}`, '/rules', '/backup']) {
        const res = await getPage(world, path, '');
        expect(res.status, path).toBe(303);
        expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
    });

    it('sends everything to /setup while no password is set, and /setup renders', async () => {
      ({ world } = await pageWorld({ hasPassword: false }));
      expect((await getPage(world, '/devices', '')).headers.get('location')).toBe('/setup');
      expect((await getPage(world, '/login', '')).headers.get('location')).toBe('/setup');
      const res = await getPage(world, '/setup', '');
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('data-api="/api/setup"');
      expectCspSafe(res, html);
    });

    it('renders the login page, and sends a signed-in browser on to a local next page only', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld());
      const res = await getPage(world, '/login?next=/devices', '');
      const html = await res.text();
      expect(html).toContain('data-api="/api/login"');
      expect(html).toContain('data-then="go:/devices"');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expectCspSafe(res, html);
      expect((await getPage(world, '/login?next=//evil.example.net/', cookie)).headers.get('location')).toBe('/');
      expect((await getPage(world, '/login?next=/devices', cookie)).headers.get('location')).toBe('/devices');
      expect((await getPage(world, '/setup', '')).headers.get('location')).toBe('/login');
    });
  });

  describe('when signed in', () => {
    it('lists devices with a hostile DHCP name as escaped text, in text and in attributes', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld());
      const res = await getPage(world, '/devices', cookie);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain(HOSTILE);
      expect(html).toContain(`placeholder="&lt;script&gt;alert(1)&lt;/script&gt;"`);
      expectCspSafe(res, html);
    });

    it('keeps a quote-breaking owner name inside its attribute', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld());
      // Renamed through the API, as the browser does.
      const patch = await world.app.request(`/api/devices/${MAC}`, {
        method: 'PATCH',
        headers: { cookie, 'x-requested-with': 'telemute', 'content-type': 'application/json' },
        body: JSON.stringify({ name: ATTR_BREAKER }),
      });
      expect(patch.status).toBe(200);
      const html = await (await getPage(world, `/devices/${MAC}`, cookie)).text();
      expect(tags(html, 'img')).toEqual([]);
      expect(html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"');
    });

    it('shows the MAC with a private-address marker, the IPs, last seen and the default policy', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld());
      const html = await (await getPage(world, '/devices', cookie)).text();
      const privateRow = html.slice(html.indexOf(`data-device="${PRIVATE_MAC}"`));
      expect(privateRow).toMatch(/<code>02:00:5e:10:00:11<\/code> <span class="badge private"/);
      expect(html).toContain('192.168.1.20');
      expect(html).toContain('5 min ago');
      expect(html).toContain('>default<');
      // most recently seen first
      expect(html.indexOf(`data-device="${PRIVATE_MAC}"`)).toBeLessThan(html.indexOf(`data-device="${MAC}"`));
      expect(html).toContain(`data-api="/api/devices/${encodeURIComponent(MAC)}" data-method="PATCH"`);
    });

    it('renders a device page, and a 404 page for an unknown device', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld());
      const res = await getPage(world, `/devices/${MAC.toUpperCase()}`, cookie);
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('What this device talks to');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; · telemute</title>');
      expectCspSafe(res, html);
      const missing = await getPage(world, '/devices/02:00:00:00:00:99', cookie);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('No device 02:00:00:00:00:99.');
    });

    it('feeds the dashboard and the device sections from the optional page deps', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld({
        deps: {
          pages: {
            dashboard: () => ({ countries: [{ label: HOSTILE, value: 3, note: 'XX' }] }),
            deviceExtras: () => ({ recentBlocked: [{ name: 'telemetry.example.net', at: Date.UTC(2025, 0, 1), count: 4 }] }),
          },
        },
      }));
      const dash = await getPage(world, '/', cookie);
      const dashHtml = await dash.text();
      expect(dashHtml).toContain('<ol class="barlist" aria-label="Countries the answers pointed to"><li><div class="row"><span>&lt;script&gt;');
      expectCspSafe(dash, dashHtml);
      expect(await (await getPage(world, `/devices/${MAC}`, cookie)).text()).toContain('<code>telemetry.example.net</code>');
    });

    it('answers every navigation entry, marking the current one', async () => {
      let cookie: string;
      ({ world, cookie } = await pageWorld());
      for (const [path, label] of [['/queries', 'Query log'], ['/lists', 'Lists &amp; catalogs'], ['/geo', 'Geo policy'], ['/settings', 'Settings']]) {
        const html = await (await getPage(world, path, cookie)).text();
        expect(html, path).toContain(`<a href="${path}" aria-current="page">${label}</a>`);
      }
    });

    it('keeps each page, full of data, and its assets under 60 KB gzipped', async () => {
      let cookie: string;
      let devices: Awaited<ReturnType<typeof pageWorld>>['devices'];
      ({ world, cookie, devices } = await pageWorld({ deps: { pages: { dashboard: () => SAMPLE_DASHBOARD, deviceExtras: () => sampleDeviceExtras(Date.UTC(2025, 0, 1)) } } }));
      // A big house: 300 devices, each with a name and 8 addresses.
      for (let i = 0; i < 300; i++) {
        const mac = `64:09:80:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
        for (let a = 0; a < 8; a++) devices.seen(mac, mac, `fd00::${i.toString(16)}:${a}`, Date.UTC(2025, 0, 1) - i * 1000);
        devices.update(mac, { name: `Device number ${i} in the house` });
      }
      const assets = gz(STYLESHEET.body) + gz(SCRIPT.body);
      for (const path of ['/', '/devices', `/devices/${MAC}`]) {
        const res = await getPage(world, path, cookie);
        const html = await res.text();
        expectCspSafe(res, html);
        expect(gz(html) + assets, path).toBeLessThan(BUDGET);
      }
    });
  });

  describe('assets', () => {
    it('serves the stylesheet and script with their types, immutable under their versioned URL', async () => {
      ({ world } = await pageWorld());
      const css = await world.app.request(`/assets/admin.css?v=${STYLESHEET.hash}`);
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(css.headers.get('cache-control')).toContain('immutable');
      expect(await css.text()).toBe(STYLESHEET.body);
      const js = await world.app.request('/assets/admin.js');
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toBe('no-cache');
      expect(js.headers.get('content-security-policy')).toContain("default-src 'self'");
      const again = await world.app.request('/assets/admin.js', { headers: { 'if-none-match': `"${SCRIPT.hash}"` } });
      expect(again.status).toBe(304);
    });
  });

  describe('when a form is posted without JavaScript', () => {
    it('explains instead of answering JSON', async () => {
      ({ world } = await pageWorld());
      const res = await world.app.request('/login', { method: 'POST', body: 'password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('enable JavaScript');
    });
  });
});
