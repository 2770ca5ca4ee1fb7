import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRegistrationCache, TTL_MS } from '../../../src/geo/registration/cache.js';
import { createRegistrations } from '../../../src/geo/registration/registrations.js';
import { emptyRegistration } from '../../../src/geo/registration/types.js';
import { openVolatileStore, type VolatileStore } from '../../../src/store/volatile.js';

let dir: string;
let store: VolatileStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'telemute-regcache-'));
  store = openVolatileStore(dir);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const found = (domain: string, at = 0) => ({ ...emptyRegistration(domain, 'found', 'rdap', at), registrant: { org: 'Пример Org', country: 'RU', region: null } });

describe('createRegistrationCache', () => {
  it('round-trips through binary keys, IDN and non-ASCII values included', () => {
    const c = createRegistrationCache(store);
    c.write(found('xn--e1afmkfd.xn--p1ai'), 1000);
    expect(c.read('xn--e1afmkfd.xn--p1ai')).toEqual({ reg: found('xn--e1afmkfd.xn--p1ai'), expiresAt: 1000 + TTL_MS.found });
    expect(c.read('example.org')).toBeNull();
  });

  it.each([
    ['found', 30 * 86_400_000],
    ['withheld', 30 * 86_400_000],
    ['unavailable', 86_400_000],
    ['error', 3_600_000],
  ] as const)('keeps %s for %d ms', (status, ttl) => {
    const c = createRegistrationCache(store);
    c.write(emptyRegistration('example.org', status, 'rdap', 0), 5);
    expect(c.read('example.org')?.expiresAt).toBe(5 + ttl);
  });

  it('treats a corrupt entry as a miss', () => {
    const raw = store.openDB<Buffer, Buffer>('registrations', { encoding: 'binary', keyEncoding: 'binary' });
    raw.putSync(Buffer.from('example.org'), Buffer.from('{not json'));
    raw.putSync(Buffer.from('example.net'), Buffer.from(JSON.stringify({ reg: { domain: 'example.net', status: 'pwned' }, expiresAt: 9e15 })));
    const c = createRegistrationCache(store);
    expect(c.read('example.org')).toBeNull();
    expect(c.read('example.net')).toBeNull();
  });

  it('exports only live entries and imports only valid, unexpired ones', () => {
    const c = createRegistrationCache(store);
    c.write(found('example.org'), 0);
    c.write(emptyRegistration('example.net', 'error', 'rdap', 0), 0);
    const bytes = c.exportAll(TTL_MS.error + 1); // the error entry has expired by then
    const other = createRegistrationCache(store);
    store.openDB('registrations', { encoding: 'binary', keyEncoding: 'binary' }).clearSync();
    expect(other.importAll(bytes, TTL_MS.error + 1)).toBe(1);
    expect(other.read('example.org')?.reg.registrant?.org).toBe('Пример Org');
    expect(other.read('example.net')).toBeNull();
    expect(other.importAll(bytes, TTL_MS.found + 1)).toBe(0);
  });

  it('stays within maxEntries', () => {
    const c = createRegistrationCache(store, 50);
    for (let i = 0; i < 200; i++) c.write(found(`example${i}.org`), 0);
    expect(c.count()).toBeLessThanOrEqual(150);
    expect(c.count()).toBeGreaterThan(0);
  });
});

describe('createRegistrations cache ages (injected clock)', () => {
  it('shows a stale found entry while it would refresh, but not a stale error', () => {
    let t = 0;
    const r = createRegistrations({ enabled: false, store, whois: false, log: () => {}, now: () => t });
    const c = createRegistrationCache(store);
    c.write(found('example.org'), 0);
    c.write(emptyRegistration('example.net', 'error', 'rdap', 0), 0);
    t = TTL_MS.found + 1;
    expect(r.get('www.example.org')?.status).toBe('found');
    expect(r.get('www.example.net')).toBeNull();
    expect(r.stats()).toMatchObject({ cacheHits: 0, cacheMisses: 2, queued: 0 }); // disabled: nothing queued
  });
});
