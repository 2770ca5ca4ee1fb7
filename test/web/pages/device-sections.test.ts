import { describe, expect, it } from 'vitest';
import { Destinations, RecentBlocked, Reports } from '../../../src/web/pages/device-sections.js';
import { HOSTILE, render, tags } from './page-fixture.js';

const NOW = Date.UTC(2025, 0, 1);
const endpoints = { rule: '/api/devices/x/rules', allowFor: '/api/devices/x/allow' };

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
      expect(html).toContain('<input type="hidden" name="domain" value="example.org"/><input type="hidden" name="action" value="allow"/>');
    });

    it('leaves the buttons out when there is no rule endpoint', async () => {
      const html = await render(Destinations({ rows: [{ domain: 'example.org', action: 'allowed', queries: 1 }] }));
      expect(tags(html, 'button')).toEqual([]);
      expect(html).not.toContain('>Change<');
    });
  });

  describe('RecentBlocked', () => {
    it('offers "allow for 1 h" as a number of seconds for the allowFor endpoint', async () => {
      const html = await render(RecentBlocked({ now: NOW, endpoints, names: [{ name: HOSTILE, at: NOW - 7_200_000, count: 12, reason: 'list' }] }));
      expect(html).toContain('data-api="/api/devices/x/allow"');
      expect(html).toContain('<input type="hidden" name="ttlS" data-type="number" value="3600"/>');
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
