/**
 * telemute's entry point: wiring only. Reads the command line and settings, builds the resolver,
 * binds the sockets, starts the admin server, and handles signals. Bad settings exit with status
 * 2 and every error listed; nothing a client sends can end the process.
 */
import { mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { USAGE, UsageError, parseArgs, type CliArgs } from './config/cli.js';
import { formatHostPort } from './config/address.js';
import { loadSettings, type Settings } from './config/settings.js';
import { log, logLimited, setLogLevel } from './log.js';
import { createResolver, type Resolver } from './resolver/resolver.js';
import { listenTcp } from './resolver/server/tcp.js';
import { listenUdp, type Listener } from './resolver/server/udp.js';
import { readSystemUpstreams } from './upstream/system-resolvers.js';
import { openVolatileStore, type VolatileStore } from './store/volatile.js';
import { loadCache, saveCache } from './cache/persist.js';
import { startDevices } from './devices/devices.js';
import { createFlashWriter } from './store/flash.js';
import { startPolicy } from './policy/start.js';
import { COMPILE_LIST_COMMAND, runListCompiler } from './policy/list-compiler.js';
import { startGeo } from './geo/start.js';
import { registrableDomain } from './geo/registration/index.js';
import { createStats } from './stats/stats.js';
import { lastTwoLabels } from './stats/drain.js';
import type { AdminParts } from './web/start.js';
import { VERSION } from './version.js';

/** Runs the command line; resolves with the exit code (serve resolves only on shutdown). */
export async function main(argv: string[]): Promise<number> {
  // The list compiler's process (list-compiler.ts): no settings, no sockets.
  if (argv[0] === COMPILE_LIST_COMMAND) return runListCompiler(argv[1]);
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`telemute: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'help') return (process.stdout.write(USAGE + '\n'), 0);
  if (args.command === 'version') return (process.stdout.write(`telemute ${VERSION}\n`), 0);
  const loaded = loadSettings(args);
  if (!loaded.ok) {
    process.stderr.write(`telemute: bad configuration:\n${loaded.errors.map((e) => `  ${e}\n`).join('')}`);
    return 2;
  }
  const settings = loaded.settings;
  setLogLevel(settings.logLevel);
  if (args.command === 'passwd') {
    mkdirSync(settings.stateDir, { recursive: true });
    return (await import('./web/password-command.js')).passwdCommand(settings.stateDir);
  }
  return serve(settings);
}

async function serve(settings: Settings): Promise<number> {
  guardProcess();
  mkdirSync(settings.stateDir, { recursive: true });
  const upstreams = settings.upstreams.length > 0 ? settings.upstreams : readSystemUpstreams(settings.resolvFile);
  if (upstreams.length === 0) log('warn', `no upstream servers (none configured, none usable in ${settings.resolvFile}): names that are not local get SERVFAIL`);
  else log('info', `upstreams: ${upstreams.join(', ')}${settings.upstreams.length === 0 ? ` (from ${settings.resolvFile})` : ''}`);

  const volatile = openVolatile(settings.volatileDir);
  const flash = createFlashWriter(settings.stateDir);
  const devices = startDevices(settings, flash, volatile);
  const policy = startPolicy(settings, { flash, volatile, devices: devices.registry, compilerEntry: bundlePath() });
  const geo = startGeo(settings, { volatile, flash });
  const stats = createStats({
    volatile,
    flash,
    flushMinutes: settings.log.flushMinutes,
    maxPerDrain: settings.log.maxRate,
    logLimits: { maxEntries: settings.log.maxEntries, maxBytes: settings.log.maxBytes, retentionHours: settings.log.retentionHours },
    logMode: (id) => policy.engine.logModeOf(id === null ? null : (devices.registry.get(id) ?? null)),
    geoOf: geo.geo ? geo.logGeoOf : undefined,
    registrationOf: geo.registrations ? geo.summaryOf : undefined,
    // Names under a TLD the Public Suffix List does not know (test., lan.) count by their last two labels.
    registrableOf: (name) => registrableDomain(name) ?? lastTwoLabels(name),
    log,
  });
  const resolver = createResolver(settings, {
    upstreams,
    policy: policy.engine,
    identify: devices.identify,
    geo: geo.geo ? { lookup: geo.lookup, registrationOf: geo.registrationOf } : undefined,
    record: settings.log.enabled ? [stats.add] : [],
  });
  if (volatile) restoreCache(resolver, volatile);
  log('info', `clients allowed from: ${resolver.access.prefixes().join(', ')}`);

  const listeners: Listener[] = [];
  try {
    for (const a of settings.listen) {
      listeners.push(await listenUdp(a.host, a.port, resolver.handle));
      listeners.push(await listenTcp(a.host, listeners[listeners.length - 1].port, resolver.handle));
    }
  } catch (err) {
    log('error', `cannot listen: ${(err as Error).message}`);
    return 1;
  }
  const admin = await startAdmin(settings, resolver, {
    devices: devices.registry,
    flash,
    policy: { admin: policy.admin, lists: policy.subscriptions ?? undefined },
    geo: geo.routes(log),
    stats,
    metricsPublic: settings.log.metricsPublic,
    listStatuses: () => policy.subscriptions?.statuses() ?? [],
    health: () => ({ lists: policy.subscriptions?.statuses() ?? [], log: stats.sizes(), geo: geo.geo?.info() ?? null, registrations: geo.registrations?.stats() ?? null }),
  });

  // The system's list changes when the WAN reconnects; the access list when interfaces change.
  const watch = settings.upstreams.length === 0 ? watchSystemUpstreams(settings.resolvFile, resolver.setUpstreams) : null;
  const refresh = setInterval(() => resolver.access.refresh(), 60_000);
  refresh.unref();

  log('info', `telemute ${VERSION} ready: DNS on ${settings.listen.map(formatHostPort).join(', ')}${admin ? `, admin on ${admin.url}` : ''}`);
  return new Promise((resolve) => {
    const stop = async (signal: string) => {
      log('info', `${signal}: shutting down`);
      if (watch) clearInterval(watch);
      clearInterval(refresh);
      await Promise.allSettled([...listeners.map((l) => l.close()), admin?.close()]);
      // Before the volatile store closes: these keep their data there.
      await devices.stop();
      await policy.stop();
      await stats.stop();
      await geo.stop();
      if (volatile) {
        keepCache(resolver, volatile);
        await volatile.close();
      }
      resolver.close();
      resolve(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

function openVolatile(dir: string): VolatileStore | null {
  try {
    return openVolatileStore(dir);
  } catch (err) {
    log('error', `${(err as Error).message}: running without it (no warm cache across restarts)`);
    return null;
  }
}

function restoreCache(resolver: Resolver, store: VolatileStore) {
  try {
    const n = loadCache(resolver.cache, store, Date.now());
    if (n > 0) log('info', `cache: ${n} answers kept from the last run`);
  } catch (err) {
    log('warn', `cache from the last run not loaded: ${(err as Error).message}`);
  }
}

function keepCache(resolver: Resolver, store: VolatileStore) {
  try {
    log('info', `cache: ${saveCache(resolver.cache, store, Date.now())} answers kept for the next run`);
  } catch (err) {
    log('warn', `cache not kept: ${(err as Error).message}`);
  }
}

async function startAdmin(settings: Settings, resolver: Resolver, parts: AdminParts) {
  try {
    const { startAdmin } = await import('./web/start.js');
    return await startAdmin(settings, resolver, parts);
  } catch (err) {
    // DNS is the lifeline: the house keeps resolving even if the admin cannot start.
    log('error', `admin server not started: ${(err as Error).message}`);
    return null;
  }
}

function watchSystemUpstreams(file: string, apply: (urls: string[]) => void): NodeJS.Timeout {
  let mtime = mtimeOf(file);
  const timer = setInterval(() => {
    const m = mtimeOf(file);
    if (m === mtime) return;
    mtime = m;
    const urls = readSystemUpstreams(file);
    log('info', `upstreams from ${file} changed: ${urls.join(', ') || 'none'}`);
    apply(urls);
  }, 5000);
  timer.unref();
  return timer;
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Last line of defence: a bug must not take the house's DNS down. Logged, counted, survived. */
function guardProcess() {
  process.on('uncaughtException', (err) => logLimited('error', 'uncaught', `uncaught exception: ${err?.stack ?? err}`));
  process.on('unhandledRejection', (err) => logLimited('error', 'unhandled', `unhandled rejection: ${(err as Error)?.stack ?? err}`));
}

/**
 * This file's path when it runs as the bundle (a child `node` can start it again), else null:
 * the TypeScript sources under test cannot be run by plain node.
 */
function bundlePath(): string | null {
  const self = fileURLToPath(import.meta.url);
  return self.endsWith('.mjs') ? self : null;
}
