import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Stats } from '../../../src/stats/stats.js';
import { postJson } from '../fixture.js';
import { PHONE, statsWorld, TV, type StatsWorld } from './stats-world.js';

let w: StatsWorld;
afterEach(() => w?.cleanup());

/** Reads an SSE body until `until` matches what arrived (or 2 s pass). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: RegExp): Promise<string> {
  let text = '';
  const deadline = Date.now() + 2000;
  while (!until.test(text) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (chunk && !chunk.done) text += new TextDecoder().decode(chunk.value);
  }
  return text;
}

describe('log routes', () => {
  describe('GET /api/log', () => {
    it('answers entries newest first with a cursor, filtered by device, name, action and country', async () => {
      w = await statsWorld();
      w.feed(
        { name: 'www.example.org', addresses: ['203.0.113.7'] },
        { name: 'metrics.example.net', reason: 'blocked', detail: 'catalog:xiaomi:metrics.example.net' },
        { name: 'api.example.net', addresses: ['198.51.100.1'], flag: 'geo:sg' },
        { name: 'phone.example.org', device: w.devices.get(PHONE)! },
      );
      const all = (await (await w.get('/api/log?limit=2')).json()) as { entries: { name: string }[]; next: string | null };
      expect(all.entries.map((e) => e.name)).toEqual(['phone.example.org', 'api.example.net']);
      expect(all.next).toEqual(expect.any(String));
      const older = (await (await w.get(`/api/log?limit=2&cursor=${all.next}`)).json()) as { entries: { name: string }[] };
      expect(older.entries.map((e) => e.name)).toEqual(['metrics.example.net', 'www.example.org']);
      const names = async (q: string) => ((await (await w.get(`/api/log?${q}`)).json()) as { entries: { name: string }[] }).entries.map((e) => e.name);
      expect(await names(`device=${PHONE.toUpperCase()}`)).toEqual(['phone.example.org']);
      expect(await names('name=EXAMPLE.NET')).toEqual(['api.example.net', 'metrics.example.net']);
      expect(await names('action=blocked')).toEqual(['metrics.example.net']);
      expect(await names('action=flagged')).toEqual(['api.example.net']);
      expect(await names('country=de')).toEqual(['www.example.org']);
      expect(await names(`from=${w.clock.t}`)).toEqual([]);
    });

    it.each([
      ['limit=1001', 'limit'],
      ['limit=0', 'limit'],
      ['action=maybe', 'action'],
      ['device=<script>', 'device'],
      ['country=DEU', 'country'],
      ['from=yesterday', 'from'],
    ])('refuses %s naming the parameter', async (q, field) => {
      w = await statsWorld();
      const res = await w.get(`/api/log?${q}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { details: { field: string } } }).error.details.field).toBe(field);
    });

    it('needs a session or token', async () => {
      w = await statsWorld();
      expect((await w.world.app.request('/api/log')).status).toBe(401);
    });
  });

  describe('GET /api/log/stream', () => {
    it('streams matching entries as they are drained, and unsubscribes when the client goes', async () => {
      w = await statsWorld();
      const unsubscribed = vi.fn();
      const subscribe = w.stats.subscribe.bind(w.stats);
      w.stats.subscribe = ((cb, options) => {
        const off = subscribe(cb, options);
        return () => (unsubscribed(), off());
      }) as Stats['subscribe'];
      const res = await w.get('/api/log/stream?action=blocked');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.getReader();
      expect(await readUntil(reader, /: live/)).toContain(': live');
      w.feed({ name: 'www.example.org' }, { name: 'metrics.example.net', reason: 'blocked' });
      const text = await readUntil(reader, /metrics\.example\.net/);
      expect(text).toMatch(/event: entry\ndata: \{.*"name":"metrics\.example\.net".*\}\n(id: \S+\n)?\n/);
      expect(text).not.toMatch(/^id: $/m);
      expect(text).not.toContain('www.example.org');
      await reader.cancel();
      await vi.waitFor(() => expect(unsubscribed).toHaveBeenCalledTimes(1));
    });

    it('allows 4 streams at once and answers 429 to a fifth', async () => {
      w = await statsWorld();
      const open = await Promise.all([1, 2, 3, 4].map(() => w.get('/api/log/stream')));
      const fifth = await w.get('/api/log/stream');
      expect(fifth.status).toBe(429);
      expect(fifth.headers.get('retry-after')).toBe('30');
      for (const r of open) await r.body!.cancel();
      await vi.waitFor(async () => {
        const again = await w.get('/api/log/stream');
        expect(again.status).toBe(200);
        await again.body!.cancel();
      });
    });
  });

  describe('GET /api/stats', () => {
    it('answers totals, the hourly series and the top lists for a period', async () => {
      w = await statsWorld();
      w.feed({ name: 'a.example.org', addresses: ['203.0.113.7'] }, { name: 'b.example.net', reason: 'blocked', detail: 'catalog:xiaomi:b' }, { name: 'b.example.net', reason: 'blocked', detail: 'catalog:xiaomi:b' });
      const body = (await (await w.get('/api/stats?period=7d')).json()) as Record<string, any>;
      expect(body.period).toBe('7d');
      expect(body.to - body.from).toBe(7 * 86_400_000 + 1);
      expect(body.totals).toEqual({ queries: 3, blocked: 2, flagged: 0 });
      expect(body.series).toHaveLength(1);
      expect(body.top.domains[0]).toMatchObject({ key: 'example.net', queries: 2, blocked: 2 });
      expect(body.top.devices[0]).toMatchObject({ key: TV, name: '<script>alert(1)</script>', queries: 3 });
      expect(body.top.sources[0]).toMatchObject({ key: 'catalog:xiaomi', blocked: 2 });
      expect(body.top.countries[0]).toMatchObject({ key: 'DE', queries: 1 });
      expect(body.top.asns[0]).toMatchObject({ key: '64501' });
      expect((await w.get('/api/stats?period=1y')).status).toBe(400);
    });
  });

  describe('GET /api/report/:id', () => {
    it('answers a device report as JSON, and as a formula-guarded CSV attachment', async () => {
      w = await statsWorld();
      w.feed({ name: 'www.example.net', addresses: ['198.51.100.1'] }, { name: '=1+2.example', reason: 'blocked', detail: 'rule:r1' });
      const json = (await (await w.get(`/api/report/${encodeURIComponent(TV)}`)).json()) as { device: string; domains: { domain: string; registrant: string }[] };
      expect(json.device).toBe(TV);
      expect(json.domains.map((d) => d.domain).sort()).toEqual(['=1+2.example', 'example.net']);
      const csv = await w.get(`/api/report/${encodeURIComponent(TV)}?format=csv`);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe('attachment; filename="telemute-report-64-09-80-3a-4b-5c.csv"');
      const text = await csv.text();
      expect(text.split('\r\n')[0]).toMatch(/^domain,devices,first_seen/);
      expect(text).toContain('AS64500 Example <b>Net</b>');
      // A domain is text a device chose: a leading = would run as a formula in a spreadsheet.
      expect(text).toContain("\r\n'=1+2.example,");
      const house = await w.get('/api/report/house?format=csv');
      expect(house.headers.get('content-disposition')).toContain('telemute-report-house.csv');
      expect((await w.get('/api/report/nonsense!')).status).toBe(400);
    });
  });

  describe('GET /metrics', () => {
    it('needs a session or a token unless metrics are public', async () => {
      w = await statsWorld();
      const anon = await w.world.app.request('/metrics');
      expect(anon.status).toBe(401);
      expect(anon.headers.get('www-authenticate')).toBe('Bearer realm="telemute"');
      const bad = await w.world.app.request('/metrics', { headers: { authorization: 'Bearer tm_nope' } });
      expect(bad.status).toBe(401);
      const token = (await (await postJson(w.world, '/api/tokens', { name: 'prometheus' }, { cookie: w.cookie, 'x-requested-with': 'telemute' })).json()) as { token: string };
      w.feed({ name: 'www.example.org' });
      const ok = await w.world.app.request('/metrics', { headers: { authorization: `Bearer ${token.token}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await ok.text()).toMatch(/^telemute_queries_total\{action="answered"\} 1$/m);
      expect((await w.get('/metrics')).status).toBe(200); // the browser session
    });

    it('answers anyone when metricsPublic is set', async () => {
      w = await statsWorld({ metricsPublic: true });
      expect((await w.world.app.request('/metrics')).status).toBe(200);
    });
  });
});
