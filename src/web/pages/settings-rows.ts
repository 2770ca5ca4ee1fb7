/**
 * The running settings as rows for the settings page: each option's UCI path, its value, and the
 * `uci` command that changes it. Settings are read at startup only (src/config/), so the page shows
 * them and the commands rather than a form that could not take effect before a restart anyway.
 */
import { formatHostPort } from '../../config/address.js';
import type { Settings } from '../../config/settings.js';
import type { SettingRow } from './manage-models.js';

type Value = string | number | boolean | null | undefined | readonly string[];

/** Shell single-quoting: the value is taken literally by `uci` (a quote becomes '\''). */
function quote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function row(section: string, option: string, value: Value): SettingRow {
  const key = `telemute.${section}.${option}`;
  if (Array.isArray(value)) {
    const list = value as readonly string[];
    const adds = list.map((v) => `uci add_list ${key}=${quote(v)}`);
    return { key, value: list.length ? list.join(', ') : '(none)', command: [`uci -q delete ${key}`, ...adds].join('; ') };
  }
  const text = value === null || value === undefined ? '' : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  return { key, value: text === '' ? '(unset)' : text, command: text === '' ? `uci -q delete ${key}` : `uci set ${key}=${quote(text)}` };
}

const MB = 1024 * 1024;

/** The settings by section. Optional sections (policy, geo, log) are read defensively: older configs lack them. */
export function settingRows(s: Settings): { section: string; rows: SettingRow[] }[] {
  const main = [
    row('main', 'listen', s.listen.map(formatHostPort)),
    row('main', 'upstream', s.upstreams),
    row('main', 'resolv_file', s.resolvFile),
    row('main', 'admin', s.admin ? formatHostPort(s.admin) : 'off'),
    row('main', 'state_dir', s.stateDir),
    row('main', 'volatile_dir', s.volatileDir),
    row('main', 'blocklist', s.blocklists),
    row('main', 'allow', s.allow ?? []),
    row('main', 'lan_domain', s.lanDomain),
    row('main', 'local_server', s.localServer),
    row('main', 'log_level', s.logLevel),
    row('main', 'dnsmasq_integration', s.dnsmasqIntegration),
  ];
  const c = s.cache;
  const cache = [
    row('cache', 'size', c.size), row('cache', 'max_bytes', c.maxBytes), row('cache', 'min_ttl', c.minTtl), row('cache', 'max_ttl', c.maxTtl),
    row('cache', 'negative_max_ttl', c.negativeMaxTtl), row('cache', 'servfail_ttl', c.servfailTtl), row('cache', 'serve_stale', c.serveStale), row('cache', 'stale_ttl', c.staleTtl),
  ];
  const d = s.devices;
  const devices = [row('devices', 'dnsmasq_leases', d.dnsmasqLeases), row('devices', 'odhcpd_leases', d.odhcpdLeases), row('devices', 'trusted_forwarder', d.trustedForwarders), row('devices', 'flush_interval', d.flushIntervalS)];
  const out = [
    { section: 'main', rows: main },
    { section: 'cache', rows: cache },
    { section: 'devices', rows: devices },
  ];
  if (s.policy) out.push({ section: 'policy', rows: [row('policy', 'block_response', s.policy.blockResponse), row('policy', 'block_ttl', s.policy.blockTtl), row('policy', 'list_budget_mb', s.policy.listBudgetBytes / MB)] });
  if (s.geo) {
    const g = s.geo;
    out.push({ section: 'geo', rows: [row('geo', 'country_db', g.countryDbs ?? []), row('geo', 'asn_db', g.asnDbs ?? []), row('geo', 'update_url', g.updateUrl), row('geo', 'update_dir', g.updateDir), row('geo', 'registration', g.registration), row('geo', 'whois', g.whois), row('geo', 'bootstrap_url', g.bootstrapUrl)] });
  }
  if (s.log) {
    const l = s.log;
    out.push({ section: 'log', rows: [row('log', 'max_entries', l.maxEntries), row('log', 'max_mb', l.maxBytes / MB), row('log', 'retention_hours', l.retentionHours), row('log', 'flush_minutes', l.flushMinutes), row('log', 'metrics_public', l.metricsPublic)] });
  }
  return out;
}
