import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/config/cli.js';
import { loadSettings } from '../../../src/config/settings.js';
import { ruleId } from '../../../src/web/pages/format.js';
import { RulesPage } from '../../../src/web/pages/rules-page.js';
import { SCRIPT, STYLESHEET } from '../../../src/web/pages/assets.js';
import { PHONE, statsWorld, TV, type StatsWorld } from '../routes/stats-world.js';
import { expectCspSafe, render, tags } from './page-fixture.js';

let w: StatsWorld;
afterEach(() => w?.cleanup());

const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';
const page = async (path: string) => {
  const res = await w.get(path);
  const html = await res.text();
  expectCspSafe(res, html);
  expect(html).not.toContain('<script>alert');
  return { res, html };
};

describe('managing pages', () => {
  describe('query log', () => {
    it('shows entries with device, type, action, reason, answer geography and latency, all as text', async () => {
      w = await statsWorld();
      w.feed({ name: 'api.example.net', addresses: ['198.51.100.1'], qtype: 28 }, { name: 'data.example.org', reason: 'blocked', detail: 'catalog:xiaomi:data.example.org', flag: 'sensitive' });
      const { html } = await page('/queries');
      expect(html).toContain(`<a href="/devices/${encodeURIComponent(TV)}">${ESCAPED}</a>`);
      expect(html).toContain('<td class="name" data-slot="name">api.example.net</td>');
      expect(html).toContain('data-slot="type">AAAA<');
      expect(html).toContain('<span class="badge blocked" data-slot="action">blocked</span>');
      expect(html).toContain('<span class="badge flagged" data-slot="flag">sensitive</span>');
      expect(html).toContain('catalog:xiaomi:data.example.org');
      expect(html).toContain('SG · AS64500 Example &lt;b&gt;Net&lt;/b&gt;');
      expect(html).toContain('1000 ms');
      expect(tags(html, 'b').filter((t) => t === '<b>')).toEqual([]);
    });

    it('offers "allow 1 h" on blocked rows and "block" on the others, through the real policy API', async () => {
      w = await statsWorld();
      w.feed({ name: 'data.example.org', reason: 'blocked' }, { name: 'www.example.net' });
      const { html } = await page('/queries');
      expect(html).toContain('<form class="inline allow" data-api="/api/allow" data-then="say:Allowed for 1 h" method="post"><input type="hidden" name="device" value="64:09:80:3a:4b:5c"/><input type="hidden" name="name" value="data.example.org"/><input type="hidden" name="minutes" data-type="number" value="60"/>');
      expect(html).toContain(`<form class="inline block" data-api="/api/rules/${ruleId('b', TV, 'www.example.net')}" data-method="PUT"`);
      expect(html).toContain('<input type="hidden" name="text" value="||www.example.net^"/><input type="hidden" name="scope" value="device:64:09:80:3a:4b:5c"/>');
      // The live tail's row template, and the toggle that opens the stream with the same filter.
      expect(html).toContain('<template id="log-row"><tr>');
      expect(html).toContain('data-tail="/api/log/stream?"');
      // The buttons it sends work: the API accepts both bodies as rendered.
      expect((await w.send('POST', '/api/allow', { device: TV, name: 'data.example.org', minutes: 60 })).status).toBe(200);
      expect((await w.send('PUT', `/api/rules/${ruleId('b', TV, 'www.example.net')}`, { text: '||www.example.net^', scope: `device:${TV}` })).status).toBe(200);
    });

    it('keeps the filter in the form, the stream URL and the "older" link; a bad filter is a 400 page', async () => {
      w = await statsWorld();
      for (let i = 0; i < 120; i++) w.feed({ name: `n${i}.example.org`, device: w.devices.get(PHONE)! });
      const { html } = await page(`/queries?device=${encodeURIComponent(PHONE)}&name=example&action=answered`);
      expect(html).toContain(`<option value="${PHONE}" selected="">`);
      expect(html).toContain('<input name="name" value="example"');
      expect(html).toContain(`data-tail="/api/log/stream?device=${encodeURIComponent(PHONE)}&amp;name=example&amp;action=answered"`);
      expect(html.match(/<tr><td data-slot="time">/g)).toHaveLength(100 + 1); // 100 rows and the template
      expect(html).toMatch(/href="\/queries\?device=[^"]+&amp;cursor=[^"]+">Older entries/);
      const bad = await w.get('/queries?action=maybe');
      expect(bad.status).toBe(400);
      expect(await bad.text()).toContain('action: one of answered');
    });
  });

  describe('lists & catalogs', () => {
    it('shows each catalog with counts, the household mode, and toggles that send the whole household spec', async () => {
      w = await statsWorld();
      const { html } = await page('/lists');
      expect(html).toContain('<h2 id="cat-xiaomi">');
      expect(html).toMatch(/\d+ telemetry · \d+ sensitive · \d+ functional/);
      expect(html).toContain('aria-label="Xiaomi / MIUI / HyperOS telemetry: block" aria-pressed="true"');
      const observe = /data-base="([^"]+)" data-then="reload" method="post"><button type="submit" class="small secondary" aria-label="Xiaomi \/ MIUI \/ HyperOS telemetry: observe"/.exec(html);
      expect(observe).not.toBeNull();
      const body = JSON.parse(observe![1].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
      expect(body.catalogs).toMatchObject({ '*': 'block', xiaomi: 'observe' });
      expect((await w.send('PUT', '/api/policy/household', body)).status).toBe(200);
      expect((await page('/lists')).html).toContain('aria-label="Xiaomi / MIUI / HyperOS telemetry: observe" aria-pressed="true"');
      // Sensitive entries say what blocking them costs.
      expect(html).toContain('on Xiaomi phones the same relay serves Xiaomi push');
    });

    it('lists subscriptions with state, last error and counts, with update and delete', async () => {
      w = await statsWorld();
      await w.send('PUT', '/api/lists/easy', { name: 'Easy <list>', url: 'https://example.org/list.txt' });
      const { html } = await page('/lists');
      expect(html).toContain('Easy &lt;list&gt;');
      expect(html).toContain('data-api="/api/lists/easy/refresh" data-method="POST"');
      expect(html).toContain('data-api="/api/lists/easy" data-method="DELETE"');
      expect(html).toContain('data-api="/api/lists/{id}" data-method="PUT"');
    });
  });

  describe('rules', () => {
    it('lists rules with their scope, offers delete, and suggests a free id', async () => {
      w = await statsWorld();
      await w.send('PUT', '/api/rules/rule-1', { text: '||ads.example.org^', scope: `device:${TV}`, comment: '<i>why</i>' });
      const { html } = await page('/rules');
      expect(html).toContain('<code>||ads.example.org^</code>');
      expect(html).toContain(`Device: ${ESCAPED}`);
      expect(html).toContain('&lt;i&gt;why&lt;/i&gt;');
      expect(html).toContain('data-api="/api/rules/rule-1" data-method="DELETE"');
      expect(html).toContain('value="rule-2"');
      expect(html).toContain('<option value="household">Every device</option>');
    });

    it('shows a rule that did not compile with the message', async () => {
      const html = await render(RulesPage({ rules: [{ id: 'r1', text: '/(a+)+/', scope: 'household', enabled: true }], errors: [{ id: 'r1', text: '/(a+)+/', message: 'nested <quantifier>' }], scopes: [] }));
      expect(html).toContain('Not in force: nested &lt;quantifier&gt;');
    });
  });

  describe('geo policy', () => {
    it('shows each layer with its rules, a delete that sends the layer without the rule, and an add form', async () => {
      w = await statsWorld();
      const household = w.admin.view().household;
      const put = await w.send('PUT', '/api/policy/household', { ...household, geo: [{ id: 'geo-1', action: 'block', countries: ['CN'], registrantOrgs: ['Example <Org>'] }] });
      expect(put.status).toBe(200);
      await w.send('PUT', '/api/groups/tv', { name: 'TVs', spec: {} });
      const { html } = await page('/geo');
      expect(html).toContain('<span class="badge blocked">block</span> answers in CN; or registrant Example &lt;Org&gt;');
      expect(html).toContain('data-api="/api/policy/household" data-method="PUT" data-base="{&quot;catalogs');
      expect(html).toContain('&quot;geo&quot;:[]');
      expect(html).toContain('data-append="geo"');
      expect(html).toContain('data-api="/api/groups/tv" data-method="PUT" data-base="{&quot;name&quot;:&quot;TVs&quot;,&quot;spec&quot;:{}}" data-append="spec.geo"');
      expect(html).toContain('<input type="hidden" name="id" value="geo-2"/>');
    });
  });

  describe('settings, backup and report', () => {
    it('shows the running settings with uci commands, quoted for the shell, and the DB-IP attribution', async () => {
      const loaded = loadSettings(parseArgs(['--upstream', "udp://192.0.2.53", '--state', "/tmp/it's"]));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      w = await statsWorld({ settings: loaded.settings });
      const { html } = await page('/settings');
      const text = html.replace(/&#39;/g, "'");
      expect(text).toContain("uci set telemute.main.state_dir='/tmp/it'\\''s'");
      expect(text).toContain("uci -q delete telemute.main.upstream; uci add_list telemute.main.upstream='udp://192.0.2.53'");
      expect(html).toContain('telemute.cache.max_ttl');
      expect(html).toContain('IP geolocation by DB-IP</a> (<a href="https://creativecommons.org/licenses/by/4.0/" rel="noreferrer">CC BY 4.0</a>)');
      expect(html).toContain('telemute passwd');
    });

    it('offers the backup download and the restore form', async () => {
      w = await statsWorld();
      const { html } = await page('/backup');
      expect(html).toContain('<a class="button" href="/api/backup" download="">');
      expect(html).toContain('<form data-backup="true" method="post">');
    });

    it('prints a device report with links to JSON and CSV', async () => {
      w = await statsWorld();
      w.feed({ name: 'www.example.net', addresses: ['198.51.100.1'] }, { name: 'data.example.org', reason: 'blocked', detail: 'catalog:xiaomi:data' });
      const { html } = await page(`/devices/${encodeURIComponent(TV)}/report`);
      expect(html).toContain(`Phone-home report: ${ESCAPED}`);
      expect(html).toContain('<td class="name">example.net</td>');
      expect(html).toContain('AS64500 Example &lt;b&gt;Net&lt;/b&gt;');
      expect(html).toContain('Example Registrant, SG');
      expect(html).toContain(`href="/api/report/${encodeURIComponent(TV)}?format=csv"`);
      expect((await w.get('/devices/house/report')).status).toBe(200);
      expect((await w.get('/devices/nonsense/report')).status).toBe(404);
    });
  });

  describe('dashboard and device page from stats', () => {
    it('draws 24 hourly bars, or 7 daily ones, the top lists and the flagged names', async () => {
      w = await statsWorld();
      w.feed({ name: 'a.example.org', addresses: ['203.0.113.7'] }, { name: 'b.example.net', reason: 'blocked' }, { name: 'c.example.net', flag: 'geo' });
      const day = (await page('/')).html;
      expect(day).toMatch(/<b>3<\/b>queries/);
      expect(day).toContain('blocked (33%)');
      expect(day.match(/<th scope="row">\d\d:00<\/th>/g)).toHaveLength(24);
      expect(day).toContain('<a href="/devices/64%3A09%3A80%3A3a%3A4b%3A5c">&lt;script&gt;');
      expect(day).toContain('Germany<span class="muted"> DE</span>');
      expect(day).toContain('aria-label="Names flagged by inspection"><li><div class="row"><span>c.example.net<span class="muted"> geo</span>');
      const week = (await page('/?period=7d')).html;
      expect(week).toContain('Queries, last 7 days');
      expect(week.match(/<tr><th scope="row">/g)).toHaveLength(7);
    });

    it('fills the device sections: destinations, recent blocks with "allow for 1 h", report links', async () => {
      w = await statsWorld();
      w.feed({ name: 'data.example.org', reason: 'blocked', detail: 'catalog:xiaomi:data' }, { name: 'data.example.org', reason: 'blocked', detail: 'catalog:xiaomi:data' }, { name: 'www.example.net', addresses: ['198.51.100.1'] });
      const { html } = await page(`/devices/${encodeURIComponent(TV)}`);
      expect(html).toContain('2 of 2 blocked by catalog:xiaomi');
      expect(html).toContain('aria-label="Allow for 1 h: data.example.org"');
      expect(html).toContain('aria-label="Block: example.net"');
      expect(html).toContain(`<a href="/devices/${encodeURIComponent(TV)}/report" rel="noreferrer">Printable report</a>`);
    });
  });

  it('keeps each page, full of data, under 60 KB gzipped with its assets', async () => {
    w = await statsWorld();
    for (let i = 0; i < 300; i++) w.feed({ name: `host-${i}.some-long-telemetry-subdomain.example.org`, addresses: ['198.51.100.1', '203.0.113.7'], reason: i % 3 ? 'resolved' : 'blocked', detail: 'catalog:xiaomi:x' });
    for (let i = 0; i < 40; i++) await w.send('PUT', `/api/rules/r${i}`, { text: `||r${i}.example.org^`, scope: 'household' });
    const assets = gzipSync(STYLESHEET.body).length + gzipSync(SCRIPT.body).length;
    for (const path of ['/queries', '/lists', '/rules', '/geo', '/settings', '/backup', `/devices/${encodeURIComponent(TV)}/report`, `/devices/${encodeURIComponent(TV)}`, '/']) {
      const { html } = await page(path);
      expect(gzipSync(html).length + assets, path).toBeLessThan(60 * 1024);
    }
  });
});
