import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/config/cli.js';
import { loadSettings } from '../../src/config/settings.js';

const FILE = '/etc/config/telemute';
const load = (text: string) => loadSettings(parseArgs(['--config', FILE]), () => text);

describe('config policy', () => {
  it('defaults to null answers, a 10 s TTL and a 64 MiB list budget', () => {
    const r = load("config telemute 'main'\n");
    expect(r.ok && r.settings.policy).toEqual({ blockResponse: 'null', blockTtl: 10, listBudgetBytes: 64 * 1024 * 1024 });
  });

  it.each([
    ["option block_response 'nxdomain'\n\toption block_ttl '60'\n\toption list_budget_mb '16'", { blockResponse: 'nxdomain', blockTtl: 60, listBudgetBytes: 16 * 1024 * 1024 }],
    ["option block_response 'refused'", { blockResponse: 'refused', blockTtl: 10 }],
  ])('reads %s', (options, expected) => {
    const r = load(`config policy 'policy'\n\t${options}\n`);
    expect(r.ok && r.settings.policy).toMatchObject(expected);
  });

  it.each([
    ["option block_response 'sinkhole'", "option 'block_response': 'sinkhole' must be null, nxdomain or refused"],
    ["option block_ttl '-1'", 'block_ttl'],
    ["option list_budget_mb '0'", 'list_budget_mb'],
    ["option blok_ttl '5'", 'blok_ttl'],
  ])('names the bad key in %s', (options, message) => {
    const r = load(`config policy 'policy'\n\t${options}\n`);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toContain(message);
  });

  it('refuses REFUSED answers behind dnsmasq: dnsmasq would ask its next server, a bypass', () => {
    const r = load("config telemute 'main'\n\toption dnsmasq_integration '1'\nconfig policy 'policy'\n\toption block_response 'refused'\n");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/option 'block_response': 'refused' makes dnsmasq ask its next server/);
  });
});
