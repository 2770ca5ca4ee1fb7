import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { nameToWire } from '../../src/dns/name.js';
import { createRegistry } from '../../src/devices/registry.js';
import { startPolicy, type PolicyPart } from '../../src/policy/start.js';
import { defaultPolicyDoc } from '../../src/policy/policy-doc.js';
import { checkPolicyDoc } from '../../src/policy/policy-validate.js';
import { createFlashWriter } from '../../src/store/flash.js';
import { openVolatileStore, type VolatileStore } from '../../src/store/volatile.js';

/** Polls `ok` every 20 ms until it holds or `ms` pass. */
async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('policy start', () => {
  let dir: string;
  let settings: Settings;
  let volatiles: VolatileStore[];
  let parts: PolicyPart[];

  const start = (withVolatile = true) => {
    const volatile = withVolatile ? openVolatileStore(settings.volatileDir) : null;
    if (volatile) volatiles.push(volatile);
    const devices = createRegistry({ flash: null, vendorOf: () => ({ vendor: null, isPrivate: false }), suggest: () => [] });
    const part = startPolicy(settings, { flash: createFlashWriter(settings.stateDir), volatile, devices });
    parts.push(part);
    return part;
  };
  const decide = (p: PolicyPart, name: string) => {
    const d = p.engine.decide(nameToWire(name)!, null);
    return d === null ? null : `${d.action} ${d.detail}`;
  };
  const ready = (p: PolicyPart) => () => p.subscriptions!.statuses().some((s) => s.id === 'config-1' && s.state === 'ready');

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-policy-start-'));
    const list = path.join(dir, 'blocked.txt');
    writeFileSync(list, '# test list\nads.example.org\ntracker.example.net\n');
    const loaded = loadSettings(parseArgs(['--blocklist', list, '--state', path.join(dir, 'state'), '--volatile', path.join(dir, 'run')]));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    settings = loaded.settings;
    mkdirSync(settings.stateDir, { recursive: true }); // as main.ts does
    volatiles = [];
    parts = [];
  });

  afterEach(async () => {
    for (const p of parts) await p.stop();
    for (const v of volatiles) await v.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when a blocklist file is configured', () => {
    it('subscribes to it as config-1 and blocks its names once ready', async () => {
      const p = start();
      expect(p.subscriptions!.statuses().map((s) => ({ id: s.id, name: s.name, url: s.url, enabled: s.enabled }))).toEqual([
        { id: 'config-1', name: 'blocked.txt', url: path.join(dir, 'blocked.txt'), enabled: true },
      ]);
      await until(ready(p));
      expect(decide(p, 'x.ads.example.org')).toMatch(/^block list:config-1:/);
      expect(decide(p, 'tracker.example.net')).toMatch(/^block list:config-1:/);
      expect(decide(p, 'example.org')).toBeNull();
    });

    it('keeps the config list when the owner changes the document', async () => {
      const p = start();
      await until(ready(p));
      const problems = p.engine.change(
        (d) => void d.lists.push({ id: 'extra', name: 'Extra', url: path.join(dir, 'extra.txt'), enabled: false, updateHours: 24 }),
        (d) => checkPolicyDoc(d, p.engine.known()).errors,
      );
      expect(problems).toEqual([]);
      expect(p.subscriptions!.statuses().map((s) => s.id).sort()).toEqual(['config-1', 'extra']);
      expect(decide(p, 'ads.example.org')).toMatch(/^block list:config-1:/);
    });
  });

  describe('when stopped and started again', () => {
    it('resolves stop(), writes the pending document, and a second start reopens list and document', async () => {
      const first = start();
      await until(ready(first));
      first.engine.change((d) => void (d.household.safeSearch = 'strict'), () => []);
      await first.stop();
      parts = [];
      expect(JSON.parse(readFileSync(path.join(settings.stateDir, 'policy.json'), 'utf8')).household.safeSearch).toBe('strict');
      await volatiles.pop()!.close();

      const second = start();
      expect(second.engine.doc().household.safeSearch).toBe('strict');
      await until(ready(second));
      expect(decide(second, 'ads.example.org')).toMatch(/^block list:config-1:/);
    });
  });

  describe('when the volatile store is not there', () => {
    it('starts without lists, still blocking by catalogs', async () => {
      const p = start(false);
      expect(p.subscriptions).toBeNull();
      expect(decide(p, 'ads.example.org')).toBeNull();
      expect(decide(p, 'a.b.tracking.miui.com')).toBe('block catalog:xiaomi:tracking.miui.com');
      await expect(p.stop()).resolves.toBeUndefined();
    });
  });

  describe('when policy.json is bad', () => {
    it('starts on the defaults and leaves the file alone', () => {
      writeFileSync(path.join(settings.stateDir, 'policy.json'), '{"version": 1,');
      const p = start(false);
      expect(p.engine.doc()).toEqual(defaultPolicyDoc());
      expect(readFileSync(path.join(settings.stateDir, 'policy.json'), 'utf8')).toBe('{"version": 1,');
    });
  });
});
