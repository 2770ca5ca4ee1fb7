import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings } from '../../src/config/settings.js';
import { nameToWire } from '../../src/dns/name.js';
import { startGeo } from '../../src/geo/start.js';
import { createFlashWriter } from '../../src/store/flash.js';
import { openVolatileStore, type VolatileStore } from '../../src/store/volatile.js';

describe('startGeo', () => {
  let dir: string;
  let volatile: VolatileStore | null = null;
  afterEach(async () => {
    await volatile?.close();
    volatile = null;
    rmSync(dir, { recursive: true, force: true });
  });

  function start(config = "config geo 'geo'\n\toption enabled '1'\n") {
    mkdirSync(join(dir, 'state'), { recursive: true }); // main.ts makes it before anything starts
    const loaded = loadSettings(parseArgs(['--config', '/virtual/telemute', '--volatile', join(dir, 'run'), '--state', join(dir, 'state')]), () => config);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    volatile ??= openVolatileStore(join(dir, 'run'));
    return startGeo(loaded.settings, { volatile, flash: createFlashWriter(join(dir, 'state')) });
  }

  it('keeps registration lookups off by default, and the owner switch across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-geo-start-'));
    const first = start();
    expect(first.isRegistrationOn()).toBe(false);
    expect(first.registrationOf(nameToWire('www.example.org')!)).toBeNull(); // off: nothing pending, nothing asked
    await first.setRegistration(true);
    expect(first.isRegistrationOn()).toBe(true);
    expect(first.registrationOf(nameToWire('www.example.org')!)).toBe('pending'); // asked in the background
    expect(JSON.parse(readFileSync(join(dir, 'state', 'registration.json'), 'utf8'))).toEqual({ enabled: true });
    first.registrations!.setEnabled(false); // no network in the test: stop the queued lookup
    await first.stop();
    const second = start();
    expect(second.isRegistrationOn()).toBe(true); // the owner's switch wins over the config default
    second.registrations!.setEnabled(false);
    await second.stop();
  });

  it('has no geography at all with geo.enabled 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-geo-start-'));
    const g = start("config geo 'geo'\n\toption enabled '0'\n");
    expect(g.geo).toBeNull();
    expect(g.registrations).toBeNull();
    expect(g.lookup('8.8.8.8')).toEqual({ country: null, asn: null, org: null });
    await expect(g.setRegistration(true)).rejects.toThrow('need geo');
    await g.stop();
  });
});
