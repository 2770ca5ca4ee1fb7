/**
 * The config file the package installs (/etc/config/telemute) is read by telemute itself without
 * a single error, with the values the comments promise.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings } from '../../src/config/settings.js';

const FILE = fileURLToPath(new URL('../../openwrt/files/telemute.config', import.meta.url));

describe('openwrt/files/telemute.config', () => {
  it('loads with no errors and the router defaults', () => {
    const r = loadSettings(parseArgs(['--config', FILE]), (p) => readFileSync(p, 'utf8'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.settings).toMatchObject({
      stateDir: '/etc/telemute',
      volatileDir: '/tmp/telemute',
      dnsmasqIntegration: true,
      policy: { blockResponse: 'null', blockTtl: 10 },
      geo: { registration: false, whois: false, countryDbs: null },
      log: { maxEntries: 100_000, flushMinutes: 15, metricsPublic: false },
    });
  });
});
