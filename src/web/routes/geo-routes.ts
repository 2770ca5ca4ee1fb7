/**
 * /api/geo (docs/api.md): where an address lands and who registered a domain, for the admin's
 * lookups. Thin: the answers come from src/geo. Geo policy itself is part of the policy document
 * (the `geo` field of household, group and device specs: policy routes).
 */
import { isIP } from 'node:net';
import type { Hono } from 'hono';
import type { AdminEnv } from '../context.js';
import { apiError } from '../errors.js';
import { readJson } from '../body.js';

export interface GeoRouteDeps {
  /** Country and network of an address; null fields when unknown. */
  lookup(ip: string): { country: string | null; asn: number | null; org: string | null };
  /** The databases in use (paths, sizes, errors) and the lookup counters. */
  info(): unknown;
  /** The registrable domain of a name (null: none, e.g. an IP or a single label). */
  registrableOf(name: string): string | null;
  /** A registration lookup (cached, or asked now); null when this instance has none. */
  registration: ((domain: string) => Promise<unknown>) | null;
  /** Whether lookups are on now, and the owner's switch (absent: no switch offered). */
  isRegistrationOn?: () => boolean;
  setRegistration?: (on: boolean) => Promise<void>;
  log?: (level: 'info' | 'warn', message: string) => void;
}

const NAME = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+\.?$/i;

/** Adds the geo routes. */
export function geoRoutes(app: Hono<AdminEnv>, deps: GeoRouteDeps): void {
  const isOn = () => deps.registration !== null && (deps.isRegistrationOn?.() ?? true);
  app.get('/api/geo', (c) => c.json({ databases: deps.info(), registration: isOn(), attribution: 'IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0, when its databases are used' }));

  app.get('/api/geo/ip/:ip', (c) => {
    const ip = c.req.param('ip');
    if (isIP(ip) === 0) return apiError(c, 400, 'bad_request', 'ip: an IPv4 or IPv6 address');
    return c.json({ ip, ...deps.lookup(ip) });
  });

  app.get('/api/geo/domain/:name', async (c) => {
    const name = c.req.param('name').toLowerCase();
    if (!NAME.test(name) || name.length > 253) return apiError(c, 400, 'bad_request', 'name: a domain name');
    const domain = deps.registrableOf(name);
    if (domain === null) return apiError(c, 400, 'bad_request', `${name} has no registrable domain (a public suffix, or a local name)`);
    if (!isOn()) return c.json({ name, domain, registration: null, reason: 'registration lookups are off (the Geo policy page, or config geo.registration)' });
    return c.json({ name, domain, registration: await deps.registration!(domain) });
  });

  // One click in the admin: lookups send the names the house uses (never who asked) to registries.
  app.put('/api/geo/registration', async (c) => {
    if (!deps.setRegistration) return apiError(c, 404, 'not_found', 'registration lookups are not available in this instance');
    const body = await readJson(c, { enabled: { type: 'boolean' } });
    if (!body.ok) return body.response;
    await deps.setRegistration(body.value.enabled);
    deps.log?.('info', `admin: registration lookups ${body.value.enabled ? 'on' : 'off'}`);
    return c.json({ registration: isOn() });
  });
}
