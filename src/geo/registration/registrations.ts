/**
 * Domain registrations: who registered the domains the house talks to. Off the query path:
 * `get` answers from the cache only and queues a lookup on a miss; lookups run in the
 * background (RDAP, WHOIS for .cn/.ru) at a trickle. Off by default: a lookup tells registries
 * which names the house uses (never which device asked); the owner turns it on.
 */
import { bundledBootstrap, parseBootstrap, rdapBaseFor, type Bootstrap } from './bootstrap.js';
import { createRegistrationCache } from './cache.js';
import { registrableDomain, tldOf } from './domain.js';
import { fetchJson as defaultFetchJson } from './http.js';
import type { Registrations, RegistrationsOptions } from './options.js';
import { createLookupQueue } from './queue.js';
import { rdapLookup, type Outcome } from './rdap.js';
import { emptyRegistration, type Registration } from './types.js';
import { parseWhois, whoisQuery, WHOIS_SERVERS } from './whois.js';

export type { Registrations, RegistrationsOptions, RegistrationStats } from './options.js';

const WEEK = 7 * 86_400_000;
const BOOTSTRAP_MAX_BYTES = 1 << 20; // IANA's full dns.json is about 100 KB

/** Creates the service. Throws only for a `bootstrap` option with no usable service. */
export function createRegistrations(options: RegistrationsOptions): Registrations {
  const now = options.now ?? Date.now;
  const fetchJson = options.fetchJson ?? defaultFetchJson;
  const timeoutMs = options.timeoutMs ?? 8000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  let bootstrap: Bootstrap = options.bootstrap === undefined ? bundledBootstrap() : mustParse(options.bootstrap);
  let refreshedAt: number | null = null;
  let refreshing: Promise<void> | null = null;
  let enabled = options.enabled;
  let stopped = false;
  let abort = new AbortController();
  const cache = createRegistrationCache(options.store);
  const counts = { lookups: 0, requests: 0, cacheHits: 0, cacheMisses: 0 };
  const byStatus: Record<Registration['status'], number> = { found: 0, withheld: 0, unavailable: 0, error: 0 };

  type Route = { kind: 'rdap'; base: string; host: string } | { kind: 'whois'; server: string } | { kind: 'none' };
  function route(domain: string): Route {
    const base = rdapBaseFor(bootstrap, domain);
    if (base) return { kind: 'rdap', base, host: new URL(base).host };
    const server = WHOIS_SERVERS[tldOf(domain)];
    return options.whois && server ? { kind: 'whois', server } : { kind: 'none' };
  }

  async function refreshIfDue(): Promise<void> {
    const url = options.bootstrapUrl;
    if (!url || (refreshedAt !== null && Date.now() - refreshedAt < WEEK)) return;
    refreshing ??= (async () => {
      counts.requests++;
      const res = await fetchJson(url, { timeoutMs, maxBytes: BOOTSTRAP_MAX_BYTES, signal: abort.signal });
      const parsed = res.kind === 'ok' ? parseBootstrap(res.json) : null;
      // A failed refresh keeps the old file and tries again in a day, not on every lookup.
      refreshedAt = parsed ? Date.now() : Date.now() - WEEK + 86_400_000;
      if (parsed) bootstrap = parsed;
      options.log(parsed ? 'info' : 'debug', `registration: bootstrap ${parsed ? `refreshed, ${parsed.bases.size} entries` : `refresh failed (${res.kind})`}`);
    })().finally(() => (refreshing = null));
    await refreshing;
  }

  async function work(domain: string): Promise<Outcome> {
    await refreshIfDue();
    const r = route(domain);
    if (r.kind === 'rdap') {
      const deps = { fetchJson, timeoutMs, maxBytes, maxHops: options.maxHops ?? 3, now, signal: abort.signal, blockedUntil: queue.blockedUntil };
      return rdapLookup(domain, r.base, deps);
    }
    if (r.kind === 'whois') {
      const res = await whoisQuery(domain, r.server, { connect: options.connect, timeoutMs, maxBytes, signal: abort.signal });
      const reg = res.ok ? parseWhois(domain, res.text, now()) : emptyRegistration(domain, res.network ? 'error' : 'unavailable', 'whois', now(), res.reason);
      const limited = reg.reason === 'rate limited';
      return { reg, retry: limited, backoff: limited ? { host: r.server, retryAfterMs: null } : undefined, requests: 1 };
    }
    return { reg: emptyRegistration(domain, 'unavailable', 'rdap', now(), `no registration service for .${tldOf(domain)}`), retry: false, requests: 0 };
  }

  const queue = createLookupQueue(
    {
      rateMs: options.rateMs ?? 2000,
      concurrency: Math.min(2, Math.max(1, options.concurrency ?? 1)),
      maxQueue: Math.max(1, options.maxQueue ?? 256),
      maxBackoffMs: options.maxBackoffMs ?? 3_600_000,
      defaultBackoffMs: 60_000,
      now,
      hostOf(domain) {
        const r = route(domain);
        return r.kind === 'rdap' ? r.host : r.kind === 'whois' ? r.server : '';
      },
      work: async (domain) => {
        const outcome = await work(domain);
        counts.requests += outcome.requests;
        counts.lookups++;
        byStatus[outcome.reg.status]++;
        if (outcome.reg.status === 'error') options.log('debug', `registration: ${domain}: ${outcome.reg.reason}`);
        return outcome;
      },
      // A lookup cut short by setEnabled(false) or stop() says nothing about the domain.
      done: (outcome) => outcome.reg.reason !== 'stopped' && cache.write(outcome.reg, now()),
    },
    () => enabled && !stopped,
  );

  function cached(name: string): { domain: string | null; reg: Registration | null; fresh: boolean } {
    const domain = registrableDomain(name);
    if (!domain) return { domain, reg: null, fresh: false };
    const hit = cache.read(domain);
    return { domain, reg: hit?.reg ?? null, fresh: !!hit && hit.expiresAt > now() };
  }

  return {
    get(name) {
      const { domain, reg, fresh } = cached(name);
      if (!domain) return null;
      if (fresh) {
        counts.cacheHits++;
        return reg;
      }
      counts.cacheMisses++;
      if (enabled && !stopped) queue.add(domain);
      // Stale data about who registered a domain is still right nearly always: show it meanwhile.
      return reg && (reg.status === 'found' || reg.status === 'withheld') ? reg : null;
    },
    async lookup(name) {
      const { domain, reg, fresh } = cached(name);
      if (!domain) return emptyRegistration(String(name).slice(0, 253), 'unavailable', 'rdap', now(), 'not a registrable domain');
      if (fresh && reg) return reg;
      if (!enabled || stopped) return reg ?? emptyRegistration(domain, 'unavailable', 'rdap', now(), 'lookups disabled');
      return queue.add(domain, true)!;
    },
    setEnabled(value) {
      enabled = value;
      if (value && !stopped) queue.pump();
      if (!value) {
        queue.clear('lookups disabled');
        abort.abort(); // in-flight requests end now: nothing more leaves the house
        abort = new AbortController();
      }
    },
    stats: () => ({
      enabled,
      ...queue.counts(),
      ...counts,
      byStatus: { ...byStatus },
      cached: cache.count(),
      bootstrap: { publication: bootstrap.publication, entries: bootstrap.bases.size, refreshedAt },
    }),
    exportAll: () => cache.exportAll(now()),
    importAll: (bytes) => cache.importAll(bytes, now()),
    stop() {
      stopped = true;
      queue.clear('stopped');
      abort.abort();
    },
  };
}

function mustParse(json: unknown): Bootstrap {
  const parsed = parseBootstrap(json);
  if (!parsed) throw new Error('registration.bootstrap: no usable RDAP service in it');
  return parsed;
}
