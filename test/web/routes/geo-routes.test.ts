import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createGeo } from '../../../src/geo/geo.js';
import { defaultGeoSources } from '../../../src/geo/sources.js';
import { registrableDomain } from '../../../src/geo/registration/index.js';
import { geoRoutes } from '../../../src/web/routes/geo-routes.js';
import type { AdminEnv } from '../../../src/web/context.js';

function app(registration: ((d: string) => Promise<unknown>) | null = null) {
  const sources = defaultGeoSources()!;
  const geo = createGeo({ country: sources.country, asn: [], pollMs: 0 });
  const a = new Hono<AdminEnv>();
  geoRoutes(a, { lookup: geo.lookup, info: geo.info, registrableOf: registrableDomain, registration });
  return { a, geo };
}

describe('geo routes', () => {
  it('says where an address lands, from the real DB-IP data', async () => {
    const { a, geo } = app();
    await geo.ready;
    const res = await a.request('/api/geo/ip/8.219.0.1');
    expect(await res.json()).toMatchObject({ ip: '8.219.0.1', country: 'SG' });
    expect(await (await a.request('/api/geo/ip/2a02:6b8::2:242')).json()).toMatchObject({ country: 'RU' });
    geo.close();
  });

  it.each(['not-an-ip', '999.1.1.1', '<script>'])('refuses %s with 400', async (ip) => {
    const { a, geo } = app();
    expect((await a.request(`/api/geo/ip/${encodeURIComponent(ip)}`)).status).toBe(400);
    geo.close();
  });

  it('names the registrable domain and says when lookups are off', async () => {
    const { a, geo } = app();
    const body = await (await a.request('/api/geo/domain/data.mistat.intl.xiaomi.com')).json();
    expect(body).toMatchObject({ domain: 'xiaomi.com', registration: null, reason: expect.stringContaining('off') });
    expect((await a.request('/api/geo/domain/co.uk')).status).toBe(400); // a public suffix: nobody registered it
    expect((await a.request('/api/geo/domain/%3Cscript%3E')).status).toBe(400);
    geo.close();
  });

  it('asks the registration lookup for the registrable domain when lookups are on', async () => {
    const asked: string[] = [];
    const { a, geo } = app(async (d) => (asked.push(d), { domain: d, status: 'found', registrant: { org: 'Example Org', country: 'CN', region: 'Beijing' } }));
    const body = await (await a.request('/api/geo/domain/fr.app.example.com.cn')).json();
    expect(asked).toEqual(['example.com.cn']);
    expect(body.registration).toMatchObject({ status: 'found', registrant: { country: 'CN' } });
    geo.close();
  });

  it('turns registration lookups on and off with one request, saying so in GET /api/geo', async () => {
    const { geo } = app();
    let on = false;
    const a = new Hono<AdminEnv>();
    geoRoutes(a, { lookup: geo.lookup, info: geo.info, registrableOf: registrableDomain, registration: async (d) => ({ domain: d }), isRegistrationOn: () => on, setRegistration: async (v) => void (on = v) });
    const put = (body: unknown) => a.request('/api/geo/registration', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await (await a.request('/api/geo')).json()).registration).toBe(false);
    expect((await (await a.request('/api/geo/domain/www.example.org')).json()).registration).toBeNull();
    expect(await (await put({ enabled: true })).json()).toEqual({ registration: true });
    expect((await (await a.request('/api/geo/domain/www.example.org')).json()).registration).toEqual({ domain: 'example.org' });
    expect((await put({ enabled: 'yes' })).status).toBe(400);
    expect(await (await put({ enabled: false })).json()).toEqual({ registration: false });
    geo.close();
  });

  it('answers 404 for the switch where there is none', async () => {
    const { a, geo } = app();
    expect((await a.request('/api/geo/registration', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"enabled":true}' })).status).toBe(404);
    geo.close();
  });

  it('credits DB-IP', async () => {
    const { a, geo } = app();
    expect((await (await a.request('/api/geo')).json()).attribution).toContain('DB-IP');
    geo.close();
  });
});
