/**
 * `config forward`: names under a domain go to their own upstreams (dnsmasq's server=/domain/addr).
 *
 *   config forward
 *       option domain 'corp.example.net'
 *       list server '10.0.0.1'
 */
import { nameToWire } from '../dns/name.js';
import { parseUpstream } from '../upstream/server.js';
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface ForwardSetting {
  domain: string;
  servers: string[];
}

/** Reads every forward section. */
export function readForwardSections(sections: UciSection[], errors: ConfigErrors): ForwardSetting[] {
  const out: ForwardSetting[] = [];
  for (const section of sections) {
    const o = optionReader(section, errors, ['domain', 'server']);
    const domain = o.string('domain');
    const servers = o.list('server') ?? [];
    if (!domain || nameToWire(domain) === null) {
      errors.add(o.line('domain'), 'domain', domain ? `'${domain}' is not a valid domain` : "missing: 'config forward' needs a domain");
      continue;
    }
    if (servers.length === 0) errors.add(section.line, 'server', `missing: forward for '${domain}' needs at least one server`);
    for (const s of servers) {
      try {
        parseUpstream(s);
      } catch (err) {
        errors.add(o.line('server'), 'server', (err as Error).message);
      }
    }
    out.push({ domain, servers });
  }
  return out;
}
