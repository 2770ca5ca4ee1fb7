/**
 * What a registration lookup yields, as data: a lookup never throws, every failure is a
 * Registration with a status and a reason (house style: outcomes are data).
 */

/** found: an organisation is published; withheld: the registry or registrar redacted it
 * (RFC 9537, GDPR placeholders); unavailable: no service, not found, or a bad answer;
 * error: the network failed (timeout, reset, rate limit). */
export type RegistrationStatus = 'found' | 'withheld' | 'unavailable' | 'error';

/** Who holds the domain, as published. Any field may be null (not published or redacted). */
export interface Registrant {
  org: string | null;
  /** ISO 3166 alpha-2 when the source gives one (jCard `cc`), else the country name as sent. */
  country: string | null;
  /** Region, state or province (jCard adr field 5, WHOIS "State/Province"). */
  region: string | null;
}

/** One registrable domain's registration, cached and shown in the query log and admin. */
export interface Registration {
  /** The registrable domain (eTLD+1, A-labels, lower case). */
  domain: string;
  status: RegistrationStatus;
  registrant: Registrant | null;
  /** The sponsoring registrar's name. */
  registrar: string | null;
  /** Creation date as the source wrote it (RDAP: RFC 3339). */
  created: string | null;
  source: 'rdap' | 'whois';
  /** When it was fetched, ms since the epoch. */
  fetchedAt: number;
  /** Why it is withheld, unavailable or an error (short, for the log and the admin). */
  reason?: string;
}

/** Builds a Registration with no data: the shape of every failure. */
export function emptyRegistration(
  domain: string,
  status: RegistrationStatus,
  source: 'rdap' | 'whois',
  fetchedAt: number,
  reason?: string,
): Registration {
  return { domain, status, registrant: null, registrar: null, created: null, source, fetchedAt, reason };
}

/** One line for the query log: "Beijing Xiaomi Mobile Software Co., Ltd., CN, Beijing",
 * "withheld (privacy)", "registration unavailable". Values are returned as sent (the web
 * layer escapes on output; keeping data intact is this module's job). */
export function summary(reg: Registration | null): string {
  if (!reg) return 'registration unknown';
  const where = [reg.registrant?.country, reg.registrant?.region].filter((s): s is string => !!s);
  if (reg.status === 'found' && reg.registrant?.org) return [reg.registrant.org, ...where].join(', ');
  if (reg.status === 'withheld') return ['withheld (privacy)', ...where].join(', ');
  if (reg.status === 'error') return 'registration lookup failed';
  return 'registration unavailable';
}

/** Placeholders registries and registrars put where a registrant was redacted (ICANN
 * Temporary Specification 2018, RFC 9537 §3 "replacement" method) or a privacy/proxy service
 * stands in for the holder. Shown as withheld, never as an organisation. */
const PLACEHOLDERS: RegExp[] = [
  /\bredacted\b/i,
  /data protected/i,
  /withheld for privacy/i,
  /not disclosed/i,
  /non-public data/i,
  /statutory masking/i,
  /^(gdpr )?masked$/i,
  /privacy (protect|service|guard)/i,
  /privacyguardian/i,
  /whoisguard/i,
  /domains by proxy/i,
  /contact privacy/i,
  /identity protection service/i,
  /^private person$/i, // .ru (TCI) writes this for natural persons
  /^(n\/a|none|-)$/i,
];

/** Whether a registrant value is a redaction placeholder rather than real data. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.some((re) => re.test(value.trim()));
}
