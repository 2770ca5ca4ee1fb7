/**
 * A full admin for the log, backup and page tests: real Stats over a temporary LMDB env, a real
 * policy engine and admin, a device registry (one device with a hostile DHCP name), a password and
 * a session cookie. Queries go in as the record stage hands them over (test/stats/helpers.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type Registry } from '../../../src/devices/registry.js';
import { buildCatalogIndex } from '../../../src/policy/catalog-index.js';
import { CATALOGS } from '../../../src/policy/catalogs.js';
import { createPolicyAdmin, type PolicyAdmin } from '../../../src/policy/policy-admin.js';
import { createStats, type Stats } from '../../../src/stats/stats.js';
import { openVolatileStore, type VolatileStore } from '../../../src/store/volatile.js';
import type { AdminDeps } from '../../../src/web/app.js';
import { testPolicy, type TestPolicy } from '../../helpers/policy-env.js';
import { device, query, type QueryParts } from '../../stats/helpers.js';
import { login, makeWorld, type World } from '../fixture.js';

export const TV = '64:09:80:3a:4b:5c';
export const PHONE = '02:00:5e:10:00:11';
export const HOSTILE = '<script>alert(1)</script>';
/** Answer addresses with known geography (documentation ranges, RFC 5737). */
export const GEO: Record<string, { country: string; asn: number; org: string }> = {
  '198.51.100.1': { country: 'SG', asn: 64500, org: 'Example <b>Net</b>' },
  '203.0.113.7': { country: 'DE', asn: 64501, org: 'Other Net' },
};

export interface StatsWorld {
  world: World;
  stats: Stats;
  devices: Registry;
  policy: TestPolicy;
  admin: PolicyAdmin;
  cookie: string;
  clock: { t: number };
  /** Adds queries (as the record stage would) and drains them into the log. */
  feed(...parts: QueryParts[]): void;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  cleanup(): Promise<void>;
}

/** Builds the world; `deps` overrides the admin's. */
export async function statsWorld(deps: Partial<AdminDeps> = {}): Promise<StatsWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'telemute-web-stats-'));
  const store: VolatileStore = openVolatileStore(join(dir, 'volatile'));
  const T0 = Date.UTC(2025, 0, 1, 12);
  // The app's clock is makeWorld's; stats and the policy admin read the same one once it exists.
  let clock = { t: T0 };
  const stats = createStats({ volatile: store, flash: null, now: () => clock.t, log: () => {}, geoOf: (ip) => GEO[ip] ?? null, registrationOf: (d) => (d === 'example.net' ? 'Example Registrant, SG' : null) });
  const devices = createRegistry({ flash: null, vendorOf: () => ({ vendor: 'Xiaomi', isPrivate: false }), suggest: () => ['xiaomi'] });
  devices.seen(TV, TV, '192.168.1.20', clock.t - 60_000);
  devices.seen(PHONE, PHONE, '192.168.1.21', clock.t - 30_000);
  devices.setDhcpNames(new Map([[TV, HOSTILE]]));
  const policy = testPolicy(() => {}, clock.t);
  const admin = createPolicyAdmin({ engine: policy.engine, catalogs: buildCatalogIndex(CATALOGS), devices, now: () => clock.t });
  const world = await makeWorld({ deps: { devices, stats, policy: { admin }, ...deps } });
  world.clock.t = T0;
  clock = world.clock;
  const cookie = await login(world);
  const feed = (...parts: QueryParts[]) => {
    for (const p of parts) {
      const d = p.device === undefined ? devices.get(TV)! : p.device;
      stats.add(query({ time: clock.t - 1000, ...p, device: d === null ? null : { ...device(d.id), ...d } }));
    }
    stats.drain();
  };
  return {
    world,
    stats,
    devices,
    policy,
    admin,
    cookie,
    clock,
    feed,
    get: async (path, headers = {}) => world.app.request(path, { headers: { cookie, ...headers } }),
    send: async (method, path, body, headers = {}) =>
      world.app.request(path, { method, headers: { cookie, 'x-requested-with': 'telemute', 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) }),
    async cleanup() {
      await stats.stop();
      await store.close();
      await world.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
