/**
 * `config policy 'policy'`: how blocked names are answered and what lists may cost. What is
 * blocked for whom (catalogs, lists, rules, groups) is the owner's policy document, edited in the
 * admin (policy.json under state_dir), not this file.
 *
 *   option block_response 'null'   null: 0.0.0.0 / :: for A/AAAA and NODATA for other types (what
 *                                  devices handle best, no retry storms); nxdomain; refused.
 *                                  REFUSED makes dnsmasq try its next server (a bypass), so it is
 *                                  rejected with dnsmasq_integration on. Default null.
 *   option block_ttl '10'          TTL of blocked answers, s: short, so an unblock acts fast. Default 10.
 *   option list_budget_mb '64'     memory all compiled lists may use together (LMDB under
 *                                  volatile_dir, i.e. RAM on the router), MiB. Default 64.
 */
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export type BlockResponse = 'null' | 'nxdomain' | 'refused';

export interface PolicySettings {
  blockResponse: BlockResponse;
  blockTtl: number;
  listBudgetBytes: number;
}

const KNOWN = ['block_response', 'block_ttl', 'list_budget_mb'];

/** Reads the policy section (defaults when absent); `behindDnsmasq` forbids REFUSED. */
export function readPolicySection(section: UciSection | null, errors: ConfigErrors, behindDnsmasq: boolean): PolicySettings {
  const o = optionReader(section, errors, KNOWN);
  const mode = o.string('block_response') ?? 'null';
  if (!['null', 'nxdomain', 'refused'].includes(mode)) errors.add(o.line('block_response'), 'block_response', `'${mode}' must be null, nxdomain or refused`);
  else if (mode === 'refused' && behindDnsmasq) errors.add(o.line('block_response'), 'block_response', `'refused' makes dnsmasq ask its next server, which would bypass the block: use null or nxdomain with dnsmasq_integration`);
  return {
    blockResponse: (['null', 'nxdomain', 'refused'].includes(mode) ? mode : 'null') as BlockResponse,
    blockTtl: o.int('block_ttl', 0, 86400) ?? 10,
    listBudgetBytes: (o.int('list_budget_mb', 1, 4096) ?? 64) * 1024 * 1024,
  };
}
