/**
 * `config telemute 'main'`: where telemute listens, which upstreams it asks, where it keeps state.
 *
 *   list listen '127.0.0.1:5335'     DNS listen addresses, UDP and TCP (flag --dns). Default 127.0.0.1:5335.
 *   list upstream 'udp://9.9.9.9'    upstream servers (flag --upstream). Default: the system's list (resolv_file).
 *   option resolv_file PATH          the system's list: /tmp/resolv.conf.d/resolv.conf.auto on OpenWrt
 *                                    (dnsmasq's upstreams; /etc/resolv.conf there points back at dnsmasq),
 *                                    else /etc/resolv.conf. Addresses of this host are skipped: a loop.
 *   option admin '127.0.0.1:8080'    admin web and API, or 'off' (flag --admin). Default 127.0.0.1:8080.
 *   option state_dir DIR             flash: persistent, written rarely (flag --state). Default ./var/state.
 *   option volatile_dir DIR          RAM: live databases (flag --volatile). Default ./var/run.
 *   list blocklist FILE              domain lists to block, with subdomains (flag --blocklist).
 *   list allow PREFIX                clients allowed; default loopback + LAN subnets (never the WAN).
 *   option lan_domain 'lan'          the LAN's domain: never sent to public upstreams. Default 'lan'.
 *   option local_server ADDR         where local names go (dnsmasq: 127.0.0.1:53); unset: NXDOMAIN.
 *   option log_level info            debug, info, warn, error (flag --log-level).
 *   option enabled / dnsmasq_integration   read by the init script.
 */
import { existsSync } from 'node:fs';
import { parseUpstream } from '../upstream/server.js';
import { parsePrefix } from '../net/cidr.js';
import { nameToWire } from '../dns/name.js';
import type { Level } from '../log.js';
import type { CliArgs } from './cli.js';
import { parseHostPort, type HostPort } from './address.js';
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface MainSettings {
  listen: HostPort[];
  /** Explicit upstream URLs; empty: read `resolvFile`. */
  upstreams: string[];
  resolvFile: string;
  admin: HostPort | null;
  stateDir: string;
  volatileDir: string;
  blocklists: string[];
  /** Allowed client prefixes, or null for automatic (loopback + LAN subnets). */
  allow: string[] | null;
  lanDomain: string | null;
  localServer: string | null;
  logLevel: Level;
  /** dnsmasq forwards to telemute (the init script sets it up); some answers must then differ. */
  dnsmasqIntegration: boolean;
}

const KNOWN = ['enabled', 'listen', 'upstream', 'resolv_file', 'admin', 'state_dir', 'volatile_dir', 'blocklist', 'allow', 'lan_domain', 'local_server', 'log_level', 'dnsmasq_integration'];
const OPENWRT_RESOLV = '/tmp/resolv.conf.d/resolv.conf.auto';

/** Reads the main section and applies the flags over it. */
export function readMainSection(section: UciSection | null, args: CliArgs, errors: ConfigErrors): MainSettings {
  const o = optionReader(section, errors, KNOWN);
  o.bool('enabled');
  const dnsmasqIntegration = o.bool('dnsmasq_integration') ?? false;
  const fromFlag = <T>(flagValues: T[], fileValues: T[] | undefined, fallback: T[]) => (flagValues.length > 0 ? flagValues : (fileValues ?? fallback));

  const check = <T>(values: string[], flag: string, key: string, parse: (v: string) => T, fromFlags: boolean): T[] => {
    const out: T[] = [];
    for (const v of values) {
      try {
        out.push(parse(v));
      } catch (err) {
        if (fromFlags) errors.flag(flag, (err as Error).message);
        else errors.add(o.line(key), key, (err as Error).message);
      }
    }
    return out;
  };

  const listen = check(fromFlag(args.dns, o.list('listen'), ['127.0.0.1:5335']), '--dns', 'listen', (v) => parseHostPort(v, 53), args.dns.length > 0);
  const upstreams = fromFlag(args.upstream, o.list('upstream'), []);
  check(upstreams, '--upstream', 'upstream', parseUpstream, args.upstream.length > 0);

  let admin: HostPort | null = null;
  const adminText = args.admin ?? o.string('admin') ?? '127.0.0.1:8080';
  if (!['off', 'none', '0', ''].includes(adminText)) {
    [admin] = check([adminText], '--admin', 'admin', (v) => parseHostPort(v, 8080), args.admin !== null);
    admin ??= null;
  }

  const allow = o.list('allow') ?? null;
  if (allow) check(allow, '', 'allow', parsePrefix, false);

  const lan = o.string('lan_domain') ?? 'lan';
  if (lan !== '' && nameToWire(lan) === null) errors.add(o.line('lan_domain'), 'lan_domain', `'${lan}' is not a valid domain`);

  const localServer = o.string('local_server') || null;
  if (localServer) check([localServer], '', 'local_server', parseUpstream, false);

  const logLevel = (args.logLevel ?? o.string('log_level') ?? 'info') as Level;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    if (args.logLevel) errors.flag('--log-level', `'${logLevel}' must be debug, info, warn or error`);
    else errors.add(o.line('log_level'), 'log_level', `'${logLevel}' must be debug, info, warn or error`);
  }

  return {
    listen,
    upstreams,
    resolvFile: o.string('resolv_file') ?? (existsSync(OPENWRT_RESOLV) ? OPENWRT_RESOLV : '/etc/resolv.conf'),
    admin,
    stateDir: args.state ?? o.string('state_dir') ?? './var/state',
    volatileDir: args.volatile ?? o.string('volatile_dir') ?? './var/run',
    blocklists: fromFlag(args.blocklist, o.list('blocklist'), []),
    allow,
    lanDomain: lan === '' ? null : lan,
    localServer,
    logLevel,
    dnsmasqIntegration,
  };
}
