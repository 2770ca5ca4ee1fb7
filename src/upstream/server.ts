/**
 * Upstream server addresses as the command line and config give them:
 * `udp://1.2.3.4:53`, `tcp://1.2.3.4`, `1.2.3.4`, `1.2.3.4:5301`, `[2001:db8::1]:53`, `2001:db8::1`.
 * A bare address means UDP with TCP fallback on truncation, like every stub resolver.
 */
import { isIP } from 'node:net';
import { canonicalIp } from '../net/cidr.js';

export type Protocol = 'udp' | 'tcp';

/** One upstream server and its health. */
export interface Upstream {
  /** As the user wrote it, normalized: `udp://127.0.0.1:53`. */
  url: string;
  protocol: Protocol;
  host: string;
  port: number;
  /** Smoothed round-trip time, ms. */
  srtt: number;
  /** Consecutive failures (timeouts, malformed answers). */
  failures: number;
  /** While in the future, the upstream is only tried when no other is left. */
  downUntil: number;
  /** Queries sent and failures seen since start. */
  sent: number;
  errors: number;
}

/** Parses an upstream address; throws an Error whose message says what is wrong. */
export function parseUpstream(text: string): Upstream {
  let rest = text.trim();
  let protocol: Protocol = 'udp';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    const s = scheme[1].toLowerCase();
    if (s === 'tls' || s === 'https' || s === 'h2' || s === 'quic')
      throw new Error(`${s}:// upstreams are not supported yet (use udp:// or tcp://)`);
    if (s !== 'udp' && s !== 'tcp' && s !== 'dns') throw new Error(`unknown upstream scheme '${s}://'`);
    protocol = s === 'tcp' ? 'tcp' : 'udp';
    rest = rest.slice(scheme[0].length).replace(/\/$/, '');
  }
  let host = rest;
  let port = 53;
  // dnsmasq and resolv.conf-style tools write ports as addr#port
  const hash = /^(.+)#(\d+)$/.exec(rest);
  if (hash) rest = isIP(hash[1]) === 6 ? `[${hash[1]}]:${hash[2]}` : `${hash[1]}:${hash[2]}`;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    host = bracket[1];
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if (isIP(rest) !== 6) {
    const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
    if (!m) throw new Error(`'${text}' is not an address`);
    host = m[1];
    if (m[2] !== undefined) port = Number(m[2]);
  }
  if (!isIP(host)) throw new Error(`'${text}': upstream must be an IP address (names would need a resolver to resolve them)`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`'${text}': port must be 1-65535`);
  // Replies are matched against Node's canonical text of the sender's address (RFC 5952 form).
  if (isIP(host) === 6 && !host.includes('%')) host = canonicalIp(host) ?? host;
  const shown = isIP(host) === 6 ? `[${host}]` : host;
  return { url: `${protocol}://${shown}:${port}`, protocol, host, port, srtt: 50, failures: 0, downUntil: 0, sent: 0, errors: 0 };
}
