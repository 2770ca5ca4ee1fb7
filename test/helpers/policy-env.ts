/**
 * A real policy engine for tests: the bundled catalogs and bypass data, an in-RAM document
 * (no flash), lists from a plain Map, and a stepped clock.
 */
import { createPolicyEngine, type PolicyEngine } from '../../src/policy/engine.js';
import { buildPolicySources } from '../../src/policy/sources.js';
import { createPolicyStore } from '../../src/policy/policy-store.js';
import { CATALOGS } from '../../src/policy/catalogs.js';
import { defaultPolicyDoc, type PolicyDoc } from '../../src/policy/policy-doc.js';
import { checkPolicyDoc } from '../../src/policy/policy-validate.js';
import type { ListLookup } from '../../src/policy/decide.js';
import { nameToWire } from '../../src/dns/name.js';
import type { Device } from '../../src/devices/registry.js';

/** A list lookup over plain names: `block` with subdomains, `allow` with subdomains. */
export function plainList(block: string[], allow: string[] = []): ListLookup {
  const b = new Set(block.map((n) => nameToWire(n)!));
  const a = new Set(allow.map((n) => nameToWire(n)!));
  return {
    match(wire) {
      let found: { action: 'block' | 'allow'; entry: string } | null = null;
      for (let i = 0; i < wire.length - 1; i += wire.charCodeAt(i) + 1) {
        const s = wire.slice(i);
        if (a.has(s)) return { action: 'allow', entry: s };
        if (!found && b.has(s)) found = { action: 'block', entry: s };
      }
      return found;
    },
  };
}

export interface TestPolicy {
  engine: PolicyEngine;
  clock: { t: number };
  lists: Map<string, ListLookup>;
  /** Applies an edit to the document (validated: throws on problems). */
  edit(fn: (doc: PolicyDoc) => void): void;
}

/** An engine starting from the default document changed by `setup`. */
export function testPolicy(setup: (doc: PolicyDoc) => void = () => {}, t0 = Date.UTC(2026, 10, 24, 12)): TestPolicy {
  const clock = { t: t0 };
  const lists = new Map<string, ListLookup>();
  const engine = createPolicyEngine({
    sources: buildPolicySources(CATALOGS, (id) => lists.get(id) ?? null),
    store: createPolicyStore(null, () => {}),
    now: () => clock.t,
    log: () => {},
  });
  const edit = (fn: (doc: PolicyDoc) => void) => {
    const problems = engine.change(fn, (d) => checkPolicyDoc(d, engine.known()).errors);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  };
  edit(setup);
  return { engine, clock, lists, edit };
}

/** A device as the registry makes it. */
export function device(id: string, group: string | null = null): Device {
  return { id, mac: id.includes(':') ? id : null, name: null, dhcpName: null, vendor: null, isPrivate: false, ips: [], firstSeen: 0, lastSeen: 0, policy: group, mergedInto: null, suggested: [] };
}

export { defaultPolicyDoc };
