/**
 * The phone-home report: for one device or the whole house, every registrable domain contacted,
 * when, how often, how much was blocked and by what, where the answers pointed (countries and
 * networks) and who registered the domain. JSON for the admin, CSV for a spreadsheet — where a
 * cell a device chose (a domain is attacker-controlled text) must never run as a formula.
 */
import type { Domains, Pair } from './domains.js';

/** One domain of a report. */
export interface ReportRow {
  domain: string;
  /** Devices that contacted it (the house report); the device itself otherwise. */
  devices: string[];
  firstSeen: number;
  lastSeen: number;
  queries: number;
  blocked: number;
  /** Blocking source → queries blocked. */
  blockedBy: Record<string, number>;
  flagged: number;
  countries: string[];
  networks: { asn: number; org: string }[];
  /** Registrant summary, '' when not known (yet). */
  registrant: string;
}

/** A report: rows by queries, most first. */
export interface Report {
  /** The device, or null for the house. */
  device: string | null;
  generatedAt: number;
  domains: ReportRow[];
}

/** Names learnt at drain time that the report shows. */
export interface ReportNames {
  registrations: Record<string, string>;
  orgs: Record<string, string>;
}

/** The report for `device` (null: the house, all devices merged). */
export function buildReport(domains: Domains, device: string | null, names: ReportNames, now: number): Report {
  const rows = new Map<string, ReportRow>();
  for (const [dev, domain, p] of domains.pairs(device)) {
    let r = rows.get(domain);
    if (r === undefined) {
      r = { domain, devices: [], firstSeen: p.first, lastSeen: p.last, queries: 0, blocked: 0, blockedBy: {}, flagged: 0, countries: [], networks: [], registrant: names.registrations[domain] ?? '' };
      rows.set(domain, r);
    }
    merge(r, dev, p, names);
  }
  const list = [...rows.values()].sort((a, b) => b.queries - a.queries || (a.domain < b.domain ? -1 : 1));
  return { device, generatedAt: now, domains: list };
}

function merge(r: ReportRow, device: string, p: Pair, names: ReportNames): void {
  if (device !== '' && !r.devices.includes(device)) r.devices.push(device);
  r.firstSeen = Math.min(r.firstSeen, p.first);
  r.lastSeen = Math.max(r.lastSeen, p.last);
  r.queries += p.count;
  r.blocked += p.blocked;
  r.flagged += p.flagged;
  for (const [src, n] of Object.entries(p.by)) r.blockedBy[src] = (r.blockedBy[src] ?? 0) + n;
  for (const c of p.countries) if (!r.countries.includes(c)) r.countries.push(c);
  for (const asn of p.asns) if (!r.networks.some((x) => x.asn === asn)) r.networks.push({ asn, org: names.orgs[asn] ?? '' });
}

const COLUMNS = ['domain', 'devices', 'first_seen', 'last_seen', 'queries', 'blocked', 'blocked_by', 'flagged', 'countries', 'networks', 'registrant'];

/** The report as CSV (RFC 4180: CRLF, quoted fields), every text cell formula-guarded. */
export function reportCsv(report: Report): string {
  const lines = [COLUMNS.join(',')];
  for (const r of report.domains) {
    const cells = [
      r.domain,
      r.devices.join(' '),
      new Date(r.firstSeen).toISOString(),
      new Date(r.lastSeen).toISOString(),
      r.queries,
      r.blocked,
      Object.entries(r.blockedBy).map(([k, v]) => `${k}=${v}`).join('; '),
      r.flagged,
      r.countries.join(' '),
      r.networks.map((n) => `AS${n.asn}${n.org ? ' ' + n.org : ''}`).join('; '),
      r.registrant,
    ];
    lines.push(cells.map((c) => (typeof c === 'number' ? String(c) : csvCell(c))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * One CSV text cell. A leading = + - @ tab or CR makes spreadsheets evaluate the cell (OWASP "CSV
 * injection"): such a cell gets a leading apostrophe. Then RFC 4180 §2: a cell with a comma,
 * quote, CR or LF is quoted, its quotes doubled.
 */
export function csvCell(text: string): string {
  const guarded = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
