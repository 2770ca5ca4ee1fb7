/**
 * Builds the resolver from settings: the cache, the upstream sets, every stage, and the pipeline
 * that orders them. Knows no sockets (main.ts binds those) so tests can drive it in-process.
 */
import type { Settings } from '../config/settings.js';
import { createCacheStore, type CacheStore } from '../cache/store.js';
import type { CacheLimits } from '../cache/entry.js';
import { createAccessList, type AccessList } from '../net/access.js';
import { createTcpTransport } from '../upstream/tcp-transport.js';
import { createUdpTransport } from '../upstream/udp-transport.js';
import { parseUpstream, type Upstream } from '../upstream/server.js';
import { createUpstreamSet, type UpstreamSet, type Transports } from '../upstream/upstream-set.js';
import { compileRecord } from './local-records.js';
import { newQuery, type Query } from './query.js';
import { buildQuery } from '../dns/query.js';
import type { PolicyEngine } from '../policy/engine.js';
import { createPipeline, orderStages, type Pipeline } from './pipeline.js';
import { createHandler, type HandlerStats, type PacketHandler } from './server/handler.js';
import { accessStage } from './stages/access.js';
import { cacheStage } from './stages/cache.js';
import { decodeStage } from './stages/decode.js';
import { identifyStage } from './stages/identify.js';
import { cnameCheck, inspectStage } from './stages/inspect.js';
import { geoCheck, type GeoCheckOptions } from './stages/inspect-geo.js';
import { localStage } from './stages/local.js';
import { policyStage } from './stages/policy.js';
import { newCounters, recordStage, type Counters } from './stages/record.js';
import { respondStage } from './stages/respond.js';
import { upstreamStage } from './stages/upstream.js';

export interface ResolverDeps {
  /** Upstream URLs for the default set (explicit, or read from the system's list). */
  upstreams: string[];
  /** The policy engine (src/policy); without it nothing is blocked. */
  policy?: Pick<PolicyEngine, 'decide' | 'checkChain' | 'geoOf'>;
  now?: () => number;
  access?: AccessList;
  /** Ties each query to a device (src/devices); without it devices stay unknown. */
  identify?: (q: Query) => unknown;
  /** Where answers land (src/geo); without it the geo rules of policies do nothing. */
  geo?: Pick<GeoCheckOptions, 'lookup' | 'registrationOf'>;
  /** What else the record stage feeds (the query log and statistics). */
  record?: ((q: Query) => void)[];
}

export interface Resolver {
  handle: PacketHandler;
  pipeline: Pipeline;
  cache: CacheStore;
  counters: Counters;
  handlerStats: HandlerStats;
  defaultUpstreams: UpstreamSet;
  access: AccessList;
  /** Replaces the default upstreams (the system's list changed). */
  setUpstreams(urls: string[]): void;
  close(): void;
}

/** Wires a resolver; throws at startup on settings that cannot work. */
export function createResolver(settings: Settings, deps: ResolverDeps): Resolver {
  const now = deps.now ?? Date.now;
  const transports: Transports = { udp: createUdpTransport(), tcp: createTcpTransport(), now };
  const set = (name: string, urls: string[]) => createUpstreamSet(name, urls.map(parseUpstream), transports);
  const defaultUpstreams = set('default', deps.upstreams);
  const c = settings.cache;
  const cache = createCacheStore({ maxEntries: c.size, maxBytes: c.maxBytes });
  const limits: CacheLimits = { minTtl: c.minTtl, maxTtl: c.maxTtl, negativeMaxTtl: c.negativeMaxTtl, staleTtl: c.serveStale ? c.staleTtl : 0 };
  const access = deps.access ?? createAccessList(settings.allow);
  const counters = newCounters();
  const policy = deps.policy ?? { decide: () => null, checkChain: () => null };
  const { blockResponse: blockMode, blockTtl } = settings.policy;
  let internal: Pipeline | null = null;
  const stageSet = {
    decode: decodeStage(),
    access: accessStage(access),
    identify: identifyStage(deps.identify ?? null),
    policy: policyStage({ decide: policy.decide, blockMode, blockTtl, resolve: (wire, qtype) => resolveInternal(internal!, wire, qtype, now) }),
    local: localStage({
      records: settings.records.map((r) => compileRecord(r.name, r.type, r.value, r.ttl)),
      forwards: settings.forwards.map((f) => ({ domain: f.domain, set: set(`forward ${f.domain}`, f.servers) })),
      lanDomain: settings.lanDomain,
      localServer: settings.localServer ? set('local', [settings.localServer]) : null,
      upstreams: defaultUpstreams,
    }),
    cache: cacheStage({ store: cache, serveStale: c.serveStale }),
    upstream: upstreamStage({ upstreams: defaultUpstreams, store: cache, limits, failureTtl: c.servfailTtl, now }),
    inspect: inspectStage([
      cnameCheck({ checkChain: policy.checkChain, blockMode, blockTtl }), // a name's own block first
      ...(deps.geo && deps.policy ? [geoCheck({ ...deps.geo, policyOf: deps.policy.geoOf, blockMode, blockTtl })] : []),
    ]),
    respond: respondStage(),
    record: recordStage(counters, deps.record ?? []),
  };
  const stages = orderStages(stageSet);
  const pipeline = createPipeline(stages.beforeSend, stages.afterSend);
  // Names telemute resolves for itself (SafeSearch targets): local names, cache, upstreams only.
  const s = stageSet;
  internal = createPipeline([s.decode, s.local, s.cache, s.upstream, s.respond], []);
  const handlerStats: HandlerStats = { crashes: 0 };
  return {
    handle: createHandler(pipeline, handlerStats, now),
    pipeline,
    cache,
    counters,
    handlerStats,
    defaultUpstreams,
    access,
    setUpstreams(urls) {
      const fresh: Upstream[] = urls.map(parseUpstream);
      defaultUpstreams.upstreams.splice(0, defaultUpstreams.upstreams.length, ...fresh);
    },
    close() {
      transports.udp.close();
      transports.tcp.close();
    },
  };
}

/** Resolves a name for telemute itself through `pipeline`; the reply bytes (null if dropped). */
function resolveInternal(pipeline: Pipeline, wire: string, qtype: number, now: () => number): Promise<Buffer | null> {
  const raw = buildQuery({ nameWire: wire, qtype, qclass: 1, dnssecOk: false, checkingDisabled: false });
  return new Promise((resolve) => pipeline.handle(newQuery(raw, { address: '::1', port: 0 }, 'tcp', now()), (reply) => resolve(reply)));
}
