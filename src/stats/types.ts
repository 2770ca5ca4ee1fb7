/**
 * Shapes shared by the query log, the statistics and their readers (admin routes, metrics).
 * A log entry is built once per query at drain time (never on the query path) and stored as bytes.
 */

/** What happened to a query, as the log and the admin show it. */
export type Action =
  /** Answered by an upstream (reason 'resolved'). */
  | 'answered'
  | 'cached'
  | 'blocked'
  | 'local'
  | 'refused'
  /** Expired entry served because no upstream answered (RFC 8767). */
  | 'stale'
  | 'servfail'
  | 'malformed'
  /** Not answered at all. */
  | 'dropped';

/** Actions in code order: the code is what the log stores (one byte). */
export const ACTIONS: readonly Action[] = ['answered', 'cached', 'blocked', 'local', 'refused', 'stale', 'servfail', 'malformed', 'dropped'];

/** How much the log keeps for one device: chosen by the owner, per device. */
export type LogMode = 'full' | 'anonymous' | 'off';

/** Geography of one answer address. */
export interface Geo {
  /** ISO 3166 alpha-2, '' when unknown. */
  country: string;
  /** Autonomous system number, 0 when unknown. */
  asn: number;
  /** The AS's organisation, '' when unknown. */
  org: string;
}

/** One answer address with its geography (looked up at drain time). */
export interface AnswerAddress extends Geo {
  ip: string;
}

/** One query as the log keeps it. Anonymous entries have '' for deviceId, mac, deviceName, client. */
export interface LogEntry {
  /** Position in the log ("time-seq"): the cursor for the next page. */
  id: string;
  /** Milliseconds since the epoch when the query arrived. */
  time: number;
  deviceId: string;
  mac: string;
  /** The device's display name when the query was logged (the admin may resolve it anew by id). */
  deviceName: string;
  client: string;
  /** Presentation form of the queried name, exactly as asked (hostile text included). */
  name: string;
  qtype: number;
  /** RCODE of the reply, -1 when nothing was sent. */
  rcode: number;
  action: Action;
  /** Why the query was flagged (inspection), '' when it was not. */
  flag: string;
  /** The deciding rule, list or catalog (`catalog:xiaomi:<pattern>`), or what failed. */
  detail: string;
  upstream: string;
  latencyMs: number;
  cnames: string[];
  answers: AnswerAddress[];
  /** Registrant summary of the registrable domain, '' when unknown. */
  registration: string;
}

/** What the admin asks of the log. Every field narrows; results are newest first. */
export interface LogFilter {
  deviceId?: string;
  /** Case-insensitive substring of the name. */
  name?: string;
  /** An action, or 'flagged' for entries with a flag. */
  action?: Action | 'flagged';
  /** Country of any answer address. */
  country?: string;
  /** Milliseconds since the epoch, inclusive. */
  from?: number;
  /** Milliseconds since the epoch, exclusive. */
  to?: number;
  /** Entries per page: default 100, at most 1000. */
  limit?: number;
  /** `next` of the previous page. */
  cursor?: string;
}

/** One page of the log. */
export interface LogPage {
  entries: LogEntry[];
  /** Cursor for the next (older) page, null at the end. */
  next: string | null;
}

/** A period of time, milliseconds since the epoch: [from, to). */
export interface Period {
  from: number;
  to: number;
}

/** One counted key (a domain, device, country, ASN or list source). */
export interface Counted {
  key: string;
  queries: number;
  blocked: number;
  flagged: number;
}

/** One hour of a series. */
export interface HourPoint {
  /** Start of the hour, ms since the epoch. */
  hour: number;
  queries: number;
  blocked: number;
  flagged: number;
}

/** Whether a log entry matches a filter (time and cursor are handled by the range scan). */
export function matches(e: LogEntry, f: LogFilter): boolean {
  if (f.deviceId !== undefined && e.deviceId !== f.deviceId) return false;
  if (f.action !== undefined && (f.action === 'flagged' ? e.flag === '' : e.action !== f.action)) return false;
  if (f.name !== undefined && !e.name.toLowerCase().includes(f.name.toLowerCase())) return false;
  if (f.country !== undefined && !e.answers.some((a) => a.country === f.country)) return false;
  return true;
}
