import { describe, expect, it } from 'vitest';
import { BarList, TimeBarChart } from '../../../src/web/pages/charts.js';
import { HOSTILE, render, tags } from './page-fixture.js';

const series = {
  names: ['Allowed', HOSTILE],
  points: [
    { label: '10:00', values: [30, 10] },
    { label: HOSTILE, values: [0, 0] },
    { label: '12:00', values: [60, 20] },
  ],
};

describe('TimeBarChart', () => {
  it('is an image named by its title and description, with a data table as its text alternative', async () => {
    const html = await render(TimeBarChart({ id: 'q', title: 'Queries per hour', description: 'Allowed and blocked', series }));
    expect(html).toContain('<svg class="chart" viewBox="0 0 600 180" role="img" aria-labelledby="q-title q-desc">');
    expect(html).toContain('<title id="q-title">Queries per hour</title><desc id="q-desc">Allowed and blocked</desc>');
    expect(html).toContain('<th scope="row">12:00</th><td class="num">60</td><td class="num">20</td>');
  });

  it('scales the tallest stack to the plot height and stacks the series', async () => {
    const html = await render(TimeBarChart({ id: 'q', title: 't', description: 'd', series }));
    // 80 is the tallest total: its two rects fill the 152-unit plot (180 − 8 top − 20 bottom).
    const rects = tags(html, 'rect').filter((r) => r.includes(' x="'));
    const heights = rects.map((r) => Number(/height="([\d.]+)"/.exec(r)?.[1]));
    expect(heights).toEqual([57, 19, 114, 38]);
    expect(html).toContain('>80</text>');
  });

  it('escapes labels and series names in SVG titles, axis text and the table', async () => {
    const html = await render(TimeBarChart({ id: 'q', title: HOSTILE, description: HOSTILE, series }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('<title id="q-title">&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(html).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;: Allowed 0, &lt;script&gt;alert(1)&lt;/script&gt; 0</title>');
  });

  it('says so when there is no data', async () => {
    expect(await render(TimeBarChart({ id: 'q', title: 't', description: 'd', series: { names: ['a'], points: [] } }))).toBe('<p class="empty">No data yet.</p>');
  });
});

describe('BarList', () => {
  it('ranks items with text labels and values, bars hidden from screen readers', async () => {
    const html = await render(BarList({ title: 'Top', items: [{ label: 'example.org', value: 1500 }, { label: 'example.net', value: 750 }] }));
    expect(html).toContain('<ol class="barlist" aria-label="Top">');
    expect(html).toContain('<span class="num">1,500</span>');
    expect(tags(html, 'svg').every((s) => s.includes('aria-hidden="true"'))).toBe(true);
    expect(html).toContain('<rect class="bar" width="50" height="6" rx="3"></rect>');
  });

  it('escapes labels and notes, and links only to local paths', async () => {
    const html = await render(
      BarList({
        title: HOSTILE,
        items: [
          { label: HOSTILE, value: 1, note: HOSTILE, href: 'javascript:alert(1)' },
          { label: 'ok', value: 1, href: '/devices/a' },
          { label: 'far', value: 1, href: '//evil.example.net/' },
        ],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('javascript:');
    expect(tags(html, 'a')).toEqual(['<a href="/devices/a">']);
    expect(html).toContain('aria-label="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});
