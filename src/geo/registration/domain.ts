/**
 * The registrable domain (eTLD+1) of a queried name: the unit a registry has a record for.
 *
 * ICANN section only (tldts `allowPrivateDomains: false`): the Public Suffix List's private
 * section lists suffixes that companies hand out inside their own domain (`elb.amazonaws.com`,
 * `github.io`). No registry holds a record for `x.elb.amazonaws.com`; the registrant of the
 * traffic's destination is whoever registered `amazonaws.com`, which is what the owner wants to
 * see. With private suffixes we would ask Verisign about names it has never heard of.
 */
import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/** Names that never leave the house: special-use (RFC 6761, RFC 8375 home.arpa) and the
 * usual private zones dnsmasq serves (`lan`, `home`, `internal`). */
const LOCAL_SUFFIXES = ['local', 'lan', 'home', 'internal', 'localdomain', 'localhost', 'arpa', 'test', 'invalid'];

/**
 * The registrable domain of `name` in A-label form, lower case, or null for IP addresses,
 * single labels, local zones (`.local`, `.lan`, `.home.arpa`), reverse zones (`.arpa`) and
 * names whose suffix is not an ICANN public suffix.
 * @example registrableDomain('api.io.mi.com') // 'mi.com'
 */
export function registrableDomain(name: string): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 253 + 1) return null;
  const trimmed = name.trim().replace(/\.$/, '').toLowerCase();
  if (!trimmed.includes('.')) return null;
  const last = trimmed.slice(trimmed.lastIndexOf('.') + 1);
  if (LOCAL_SUFFIXES.includes(last)) return null;
  const info = parse(trimmed, { allowPrivateDomains: false, extractHostname: false });
  if (info.isIp || !info.isIcann || !info.domain) return null;
  // DNS names on the wire are already A-labels; an admin may type a U-label (bücher.de).
  const ascii = /^[\x21-\x7e]+$/.test(info.domain) ? info.domain : domainToASCII(info.domain);
  if (!ascii || !/^[a-z0-9.-]+$/.test(ascii)) return null;
  return ascii;
}

/** The top-level label of a registrable domain ("com" for "mi.com"). */
export function tldOf(domain: string): string {
  return domain.slice(domain.lastIndexOf('.') + 1);
}
