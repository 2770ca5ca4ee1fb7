/**
 * Starts the policy part of telemute: the owner's document, the list subscriptions that follow
 * it, the engine the query path asks, and the admin operations. Lists need the volatile store
 * (LMDB under --volatile); without it telemute still blocks by catalogs and rules. Given the
 * bundle's path (`compilerEntry`), lists compile in a child process (list-compiler.ts).
 */
import { basename } from 'node:path';
import type { Settings } from '../config/settings.js';
import type { Registry } from '../devices/registry.js';
import { log } from '../log.js';
import type { FlashWriter } from '../store/flash.js';
import type { VolatileStore } from '../store/volatile.js';
import { CATALOGS } from './catalogs.js';
import { createPolicyEngine, type PolicyEngine } from './engine.js';
import { createPolicyAdmin, type PolicyAdmin } from './policy-admin.js';
import type { PolicyDoc } from './policy-doc.js';
import { createPolicyStore } from './policy-store.js';
import { buildPolicySources } from './sources.js';
import { createSubscriptions, type SubscriptionSource, type Subscriptions } from './subscriptions.js';

export interface PolicyPart {
  engine: PolicyEngine;
  admin: PolicyAdmin;
  subscriptions: Subscriptions | null;
  stop(): Promise<void>;
}

/** Builds and starts the policy; never throws for bad data (a bad policy.json starts on defaults). */
export function startPolicy(settings: Settings, parts: { flash: FlashWriter; volatile: VolatileStore | null; devices: Registry; compilerEntry?: string | null }): PolicyPart {
  // The config file's `blocklist` files: lists owned by the config, not the admin.
  const configLists: SubscriptionSource[] = settings.blocklists.map((path, i) => ({ id: `config-${i + 1}`, name: basename(path), url: path, enabled: true }));
  const subscriptions = parts.volatile
    ? createSubscriptions({
        volatile: parts.volatile,
        flash: parts.flash,
        log,
        budgetBytes: settings.policy.listBudgetBytes,
        compiler: parts.compilerEntry ? { entry: parts.compilerEntry, volatileDir: settings.volatileDir } : null,
      })
    : null;
  if (!subscriptions && (configLists.length > 0 || settings.blocklists.length > 0)) log('error', 'lists need the volatile store, which did not open: blocking by catalogs and rules only');
  const follow = (doc: PolicyDoc) => {
    try {
      subscriptions?.setSources([...doc.lists, ...configLists]);
    } catch (err) {
      log('error', `lists: ${(err as Error).message}`);
    }
  };
  const sources = buildPolicySources(CATALOGS, (id) => subscriptions?.active(id) ?? null);
  for (const p of sources.catalogs.problems) log('warn', p);
  const engine = createPolicyEngine({
    sources,
    store: createPolicyStore(parts.flash, (m) => log('error', m)),
    configLists: configLists.map((l) => l.id),
    log,
    onChange: follow,
  });
  follow(engine.doc());
  const tick = setInterval(() => engine.tick(), 60_000); // schedules, expired pauses and allows
  tick.unref();
  return {
    engine,
    admin: createPolicyAdmin({ engine, catalogs: sources.catalogs, devices: parts.devices }),
    subscriptions,
    async stop() {
      clearInterval(tick);
      await subscriptions?.stop();
      await engine.stop();
    },
  };
}
