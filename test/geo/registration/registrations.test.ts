// Against real local servers (test/helpers/rdap-server.ts), no mocked fetch. Test names are
// example.<tld>: the house style's example.org/.net alone would collapse to two registrable domains.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegistrations, summary, type Registrations, type RegistrationsOptions } from '../../../src/geo/registration/index.js';
import { openVolatileStore, type VolatileStore } from '../../../src/store/volatile.js';
import { HOSTILE_ORG, XIAOMI_ORG, startRdapServer, startWhoisServer, type RdapWorld, type WhoisWorld } from '../../helpers/rdap-server.js';

let world: RdapWorld;
let whois: WhoisWorld;
let store: VolatileStore;
let dir: string;
let regs: Registrations | null = null;
let connects: string[] = [];
const rejections: unknown[] = [];
const onRejection = (r: unknown) => rejections.push(r);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  [world, whois] = await Promise.all([startRdapServer(), startWhoisServer()]);
});
afterAll(async () => {
  await Promise.all([world.close(), whois.close()]);
  process.off('unhandledRejection', onRejection);
  expect(rejections).toEqual([]); // never an unhandled rejection, whatever the servers did
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'telemute-reg-'));
  store = openVolatileStore(dir);
  world.requests.length = 0;
  whois.queries.length = 0;
  world.tooMany = 0;
  connects = [];
});
afterEach(async () => {
  regs?.stop();
  regs = null;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function make(over: Partial<RegistrationsOptions> = {}): Registrations {
  regs = createRegistrations({
    enabled: true,
    store,
    bootstrap: world.bootstrap,
    whois: true,
    rateMs: 10,
    timeoutMs: 1000,
    log: () => {},
    // Every WHOIS server name lands on the local server; the name asked for is recorded.
    connect: (host, port) => {
      connects.push(`${host}:${port}`);
      return connect({ host: '127.0.0.1', port: whois.port });
    },
    ...over,
  });
  return regs;
}

describe('createRegistrations', () => {
  describe('when the registrar publishes the registrant (thin .com registry)', () => {
    it('follows the related link and merges organisation, country, region, registrar, date', async () => {
      const reg = await make().lookup('api.io.Example.COM.');
      expect(reg).toMatchObject({
        domain: 'example.com',
        status: 'found',
        registrant: { org: XIAOMI_ORG, country: 'CN', region: 'Beijing' },
        registrar: 'MarkMonitor Inc.',
        created: '2010-03-03T07:22:15Z',
        source: 'rdap',
      });
      expect(summary(reg)).toBe('Beijing Xiaomi Mobile Software Co., Ltd., CN, Beijing');
      expect(world.requests).toEqual(['/com/domain/example.com', '/registrar/domain/EXAMPLE.COM']);
    });

    it('answers a second time from the cache without any request', async () => {
      const r = make();
      await r.lookup('example.com');
      const before = world.requests.length;
      expect(r.get('www.example.com')?.registrant?.org).toBe(XIAOMI_ORG);
      expect((await r.lookup('cdn.example.com')).status).toBe('found');
      expect(world.requests.length).toBe(before);
      expect(r.stats()).toMatchObject({ cacheHits: 1, lookups: 1 });
    });

    it('returns null from get on a miss and fills the cache in the background', async () => {
      const r = make();
      expect(r.get('www.example.com')).toBeNull();
      await vi.waitFor(() => expect(r.get('www.example.com')?.status).toBe('found'));
    });
  });

  describe('when the registrant is redacted (RFC 9537)', () => {
    it('shows withheld with the published location, never a placeholder as a name', async () => {
      const reg = await make().lookup('example.org');
      expect(reg).toMatchObject({ status: 'withheld', reason: 'privacy', registrant: { org: null, country: 'IS', region: 'Capital Region' } });
      expect(summary(reg)).toBe('withheld (privacy), IS, Capital Region');
    });
  });

  describe('when the server misbehaves', () => {
    it.each([
      ['a 404', 'example.net', 'unavailable', 'not found (404)'],
      ['malformed JSON', 'example.io', 'unavailable', 'malformed JSON'],
      ['an oversized body', 'example.dev', 'unavailable', 'body too large'],
      ['an answer slower than the timeout', 'example.app', 'error', 'timeout'],
    ])('turns %s into data', async (_what, name, status, reason) => {
      const started = Date.now();
      const reg = await make({ timeoutMs: 300 }).lookup(name);
      expect(reg).toMatchObject({ domain: name, status, reason, registrant: null });
      expect(Date.now() - started).toBeLessThan(2500);
      expect(summary(reg)).toMatch(/^registration (unavailable|lookup failed)$/);
    });

    it('follows a redirect and counts it as a hop', async () => {
      const reg = await make().lookup('example.xyz');
      expect(reg.registrant).toEqual({ org: 'Redirected Org', country: 'NL', region: null });
      expect(world.requests).toEqual(['/xyz/domain/example.xyz', '/xyz-moved/domain/example.xyz']);
    });

    it('keeps a hostile organisation name intact, as data', async () => {
      const reg = await make().lookup('example.us');
      expect(reg.registrant?.org).toBe(HOSTILE_ORG);
      expect(summary(reg)).toBe(`${HOSTILE_ORG}, US, CA`);
    });
  });

  describe('when the registry answers 429', () => {
    it('backs off for Retry-After, then retries in the background', async () => {
      world.tooMany = 1;
      world.retryAfter = '1';
      const r = make();
      const started = Date.now();
      expect(await r.lookup('example.info')).toMatchObject({ status: 'error', reason: 'rate limited (429)' });
      expect(r.get('example.info')).toBeNull(); // a 429 is not cached
      await vi.waitFor(() => expect(r.get('example.info')?.status).toBe('found'), { timeout: 5000, interval: 50 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(world.requests.filter((p) => p.startsWith('/info/'))).toHaveLength(2);
      expect(r.stats().rateLimited).toBe(1);
    });

    it('caps a long Retry-After at maxBackoffMs', async () => {
      world.tooMany = 1;
      world.retryAfter = '86400';
      const r = make({ maxBackoffMs: 200 });
      await r.lookup('example.info');
      await vi.waitFor(() => expect(r.get('example.info')?.status).toBe('found'), { timeout: 3000, interval: 50 });
    });
  });

  describe('when many names arrive at once', () => {
    it('keeps at most maxQueue waiting, drops the oldest and counts it', () => {
      const r = make({ rateMs: 60_000, maxQueue: 3 });
      for (const n of ['example.com', 'example.org', 'example.net', 'example.info', 'example.io', 'example.us']) r.get(n);
      r.get('example.us'); // already queued: not queued twice
      expect(r.stats()).toMatchObject({ inFlight: 1, queued: 3, dropped: 2 });
    });
  });

  describe('when lookups are disabled', () => {
    it('sends nothing at all, then works once enabled (bootstrap refreshed first)', async () => {
      const r = make({ enabled: false, bootstrapUrl: world.bootstrapUrl });
      expect(r.get('www.example.com')).toBeNull();
      expect(await r.lookup('example.com')).toMatchObject({ status: 'unavailable', reason: 'lookups disabled' });
      expect(await r.lookup('example.cn')).toMatchObject({ status: 'unavailable' });
      await new Promise((res) => setTimeout(res, 50));
      expect(world.requests).toEqual([]);
      expect(connects).toEqual([]);
      r.setEnabled(true);
      expect((await r.lookup('example.com')).status).toBe('found');
      expect(world.requests[0]).toBe('/iana/dns.json');
    });

    it('empties the queue when switched off', () => {
      const r = make({ rateMs: 60_000 });
      for (const n of ['example.com', 'example.org', 'example.net']) r.get(n);
      r.setEnabled(false);
      expect(r.stats()).toMatchObject({ enabled: false, queued: 0 });
    });
  });

  describe('when the bootstrap is refreshed', () => {
    it('uses the refreshed file (bad data would keep the old one)', async () => {
      const stale = { services: [[['com'], [`${world.base}/nowhere/`]]] };
      const r = make({ bootstrap: stale, bootstrapUrl: world.bootstrapUrl });
      expect((await r.lookup('example.com')).status).toBe('found');
      expect(world.requests.slice(0, 2)).toEqual(['/iana/dns.json', '/com/domain/example.com']);
      expect(r.stats().bootstrap.entries).toBe(9);
    });

    it('rejects a bootstrap option with no service at startup', () => {
      expect(() => make({ bootstrap: { services: [] } })).toThrow(/registration\.bootstrap/);
    });
  });

  describe('when the TLD has no RDAP (WHOIS)', () => {
    it('reads CNNIC and TCI records from port 43', async () => {
      const r = make();
      expect(await r.lookup('www.example.cn')).toMatchObject({
        status: 'found', source: 'whois', registrant: { org: '北京小米科技有限责任公司' },
        registrar: '北京新网数码信息技术有限公司', created: '2003-03-17 12:20:05',
      });
      expect(await r.lookup('example.ru')).toMatchObject({ status: 'found', registrant: { org: 'ООО "Пример"' }, registrar: 'RU-CENTER-RU' });
      expect(await r.lookup('private-example.ru')).toMatchObject({ status: 'withheld', registrant: null });
      expect(connects).toEqual(['whois.cnnic.cn:43', 'whois.tcinet.ru:43', 'whois.tcinet.ru:43']);
      expect(whois.queries).toEqual(['example.cn', 'example.ru', 'private-example.ru']);
    });

    it('does not use WHOIS unless allowed', async () => {
      const reg = await make({ whois: false }).lookup('example.cn');
      expect(reg).toMatchObject({ status: 'unavailable', reason: 'no registration service for .cn' });
      expect(connects).toEqual([]);
    });
  });

  describe('when the name is not a registrable domain', () => {
    it.each(['printer.lan', 'nas.local', '192.168.1.10', '1.1.168.192.in-addr.arpa', 'router'])('%s sends nothing', async (name) => {
      const r = make();
      expect(r.get(name)).toBeNull();
      expect(await r.lookup(name)).toMatchObject({ status: 'unavailable', reason: 'not a registrable domain' });
      expect(world.requests).toEqual([]);
    });
  });

  describe('when a snapshot crosses a reboot', () => {
    it('exports live entries and imports them into an empty store', async () => {
      const r = make();
      await r.lookup('example.com');
      const bytes = r.exportAll();
      r.stop();
      const dir2 = mkdtempSync(join(tmpdir(), 'telemute-reg-'));
      const store2 = openVolatileStore(dir2);
      try {
        const fresh = createRegistrations({ enabled: false, store: store2, whois: false, log: () => {} });
        expect(fresh.importAll(bytes)).toBe(1);
        expect(fresh.get('www.example.com')?.registrant?.org).toBe(XIAOMI_ORG);
        expect(fresh.importAll(new Uint8Array([1, 2, 3]))).toBe(0);
      } finally {
        await store2.close();
        rmSync(dir2, { recursive: true, force: true });
      }
    });
  });
});
