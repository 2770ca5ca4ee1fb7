/**
 * The per-query context: everything the stages learn about one query, computed once and shared
 * (CoreDNS's request.Request, blocky's Request). Stages read and fill fields; only the runner
 * sends. Field order is fixed by `newQuery` so V8 keeps one hidden class on the hot path.
 */
import type { CachedAnswer } from '../cache/entry.js';
import type { UpstreamSet } from '../upstream/upstream-set.js';

export type Transport = 'udp' | 'tcp';

/** Why a query got the reply it got: the log and the statistics count these. */
export type Reason =
  /** Not decided yet (internal). */
  | 'pending'
  /** Answered from the cache. */
  | 'cached'
  /** Answered by an upstream. */
  | 'resolved'
  /** Expired cache entry served because no upstream answered in time (RFC 8767). */
  | 'stale'
  /** Blocked by policy (blocklist, catalog, rule). */
  | 'blocked'
  /** Answered locally: localhost, a configured record, a locally served zone (RFC 6303). */
  | 'local'
  /** The client is not allowed to use this resolver. */
  | 'refused'
  /** The query was malformed or unsupported: FORMERR, NOTIMP, BADVERS. */
  | 'malformed'
  /** No upstream gave a usable answer within the deadline. */
  | 'servfail'
  /** Not answered at all (a response packet, an unreadable header). */
  | 'dropped';

/** What a stage tells the runner. Outcomes are data, not exceptions. */
export type Verdict =
  /** Go on to the next stage. */
  | { readonly kind: 'next' }
  /** `q.answer` now holds an answer (cache or upstream): skip the remaining question stages. */
  | { readonly kind: 'answer' }
  /** Final reply bytes, ready except for truncation: skip to respond. */
  | { readonly kind: 'reply'; readonly reply: Buffer; readonly reason: Reason }
  /** Send nothing. */
  | { readonly kind: 'drop'; readonly reason: Reason };

export const NEXT: Verdict = Object.freeze({ kind: 'next' });
export const ANSWERED: Verdict = Object.freeze({ kind: 'answer' });

/** Builds a reply verdict. */
export const reply = (bytes: Buffer, reason: Reason): Verdict => ({ kind: 'reply', reply: bytes, reason });

/** Builds a drop verdict. */
export const drop = (reason: Reason): Verdict => ({ kind: 'drop', reason });

export interface Client {
  address: string;
  port: number;
}

export interface Query {
  /** The query as received. Never modified. */
  raw: Buffer;
  client: Client;
  transport: Transport;
  /** Milliseconds since the epoch when the packet arrived. */
  receivedAt: number;

  // Filled by decode.
  id: number;
  /** Header byte 2 and 3 of the query (RD, CD, AD). */
  flags2: number;
  flags3: number;
  /** Offset just past the question (QTYPE, QCLASS included). */
  questionEnd: number;
  qtype: number;
  qclass: number;
  /** Lowercased wire-format name (latin1 string, root label included): the key of every name lookup. */
  nameWire: string;
  /** Cache key: nameWire + QTYPE + QCLASS + DO/CD flags. */
  key: string;
  hasOpt: boolean;
  /** Largest reply the client accepts over this transport. */
  maxSize: number;
  dnssecOk: boolean;
  /** Offset and length of the client's EDNS options (for identify: dnsmasq's MAC option). */
  optionsOffset: number;
  optionsLength: number;

  // Filled by later stages.
  /** The device that asked (identify stage); null when unknown. */
  device: unknown;
  /** Upstreams chosen for this name (per-domain forward, local server), null for the default set. */
  upstreams: UpstreamSet | null;
  /** Answer from the cache or an upstream. */
  answer: CachedAnswer | null;
  /** An expired entry that may be served if upstreams fail (RFC 8767). */
  stale: CachedAnswer | null;
  /** Final reply bytes (set by respond). */
  reply: Buffer | null;
  reason: Reason;
  /** Which rule or list decided (policy), or what failed. */
  detail: string;
  /** Why the answer is flagged (observe mode, a sensitive catalog entry, geography); '' when not. */
  flag: string;
  /** The owner allowed this name for this device (rule, temporary allow, pause): answers are not inspected. */
  allowed: boolean;
  /** Upstream that answered, when one did. */
  upstream: string;
}

/** A fresh context for one received packet. */
export function newQuery(raw: Buffer, client: Client, transport: Transport, now: number): Query {
  return {
    raw,
    client,
    transport,
    receivedAt: now,
    id: 0,
    flags2: 0,
    flags3: 0,
    questionEnd: 0,
    qtype: 0,
    qclass: 0,
    nameWire: '',
    key: '',
    hasOpt: false,
    maxSize: 512,
    dnssecOk: false,
    optionsOffset: 0,
    optionsLength: 0,
    device: null,
    upstreams: null,
    answer: null,
    stale: null,
    reply: null,
    reason: 'pending',
    detail: '',
    flag: '',
    allowed: false,
    upstream: '',
  };
}
