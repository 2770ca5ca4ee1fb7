import { describe, expect, it } from 'vitest';
import { Destinations, RecentBlocked, Reports } from '../../../src/web/pages/device-sections.js';
import { ruleId } from '../../../src/web/pages/format.js';
import { HOSTILE, render, tags } from './page-fixture.js';

const NOW = Date.UTC(2025, 0, 1);
const endpoints = { device: 'aa:bb:cc:00:00:01' };

describe('device sections', () => {
  describe('when their data is not there yet', () => {
    it('say "not available" for undefined and "nothing" for an empty list', async () => {
      expect(await render(Destinations({}))).toContain('Not available in this version yet.');
      expect(await render(Destinations({ rows: [] }))).toContain('No queries recorded');
      expect(await render(RecentBlocked({ now: NOW }))).toContain('Not available');
      expect(await render(Reports({ links: [] }))).toContain('No reports');
    });
  });

  describe('Destinations', () => {
    it('shows every column escaped, and offers the opposite action only', async () => {
      const html = await render(
        Destinations({
          endpoints,
          rows: [
            { domain: 'example.org', catalog: HOSTILE, country: 'DE', network: 'AS64496 Example', registrant: HOSTILE, action: 'blocked', reason: HOSTILE, queries: 1200 },
            { domain: 'example.net', action: 'allowed', queries: 3 },
          ],
        }),
      );
      expect(html).not.toContain('<script>');
      expect(html.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)).toHaveLength(3);
      expect(html).toContain('<span class="badge blocked">blocked</span>');
      const buttons = tags(html, 'button').map((b) => /aria-label="([^"]+)"/.exec(b)?.[1]);
      expect(buttons).toEqual(['Allow: example.org', 'Block: example.net']);
      // A device-scoped rule through the real policy API, the id derived from device and name.
      expect(html).toContain(`data-api="/api/rules/${ruleId('a', endpoints.device, 'example.org')}" data-method="PUT" data-base="{&quot;text&quot;:&quot;@@||example.org^&quot;,&quot;scope&quot;:&quot;device:aa:bb:cc:00:00:01&quot;}"`);
      expect(html).toContain(`data-api="/api/rules/${ruleId('b', endpoints.device, 'example.net')}" data-method="PUT" data-base="{&quot;text&quot;:&quot;||example.net^&quot;`);
    });

    it('leaves the buttons out when there is no rule endpoint', async () => {
      const html = await render(Destinations({ rows: [{ domain: 'example.org', action: 'allowed', queries: 1 }] }));
      expect(tags(html, 'button')).toEqual([]);
      expect(html).not.toContain('>Change<');
    });
  });

  describe('RecentBlocked', () => {
    it('offers "allow for 1 h" as POST /api/allow for 60 minutes, the hostile name kept as data', async () => {
      const html = await render(RecentBlocked({ now: NOW, endpoints, names: [{ name: HOSTILE, at: NOW - 7_200_000, count: 12, reason: 'list' }] }));
      expect(html).toContain('data-api="/api/allow" data-method="POST" data-base="{&quot;device&quot;:&quot;aa:bb:cc:00:00:01&quot;,&quot;name&quot;:&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;,&quot;minutes&quot;:60}"');
      expect(html).toContain('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code><span class="muted"> 12× · 2 h ago · list</span>');
    });
  });

  describe('Reports', () => {
    it('links local and http(s) reports and shows any other href as plain text', async () => {
      const html = await render(
        Reports({ links: [{ label: 'Local', href: '/reports/1' }, { label: 'Far', href: 'https://example.org/r' }, { label: HOSTILE, href: 'javascript:alert(1)' }] }),
      );
      expect(tags(html, 'a')).toEqual(['<a href="/reports/1" rel="noreferrer">', '<a href="https://example.org/r" rel="noreferrer">']);
      expect(html).toContain('<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>');
    });
  });
});
