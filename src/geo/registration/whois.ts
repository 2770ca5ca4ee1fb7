/**
 * WHOIS (RFC 3912, TCP port 43) for TLDs whose registry publishes no RDAP service in IANA's
 * bootstrap: .cn and .ru are the common ones in a house with Chinese and Russian devices.
 * Only used when `whois` is enabled, only for the TLDs in WHOIS_SERVERS.
 */
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { emptyRegistration, isPlaceholder, type Registration } from './types.js';

/** Port-43 servers, from the IANA root zone database pages (https://www.iana.org/domains/root/db/<tld>.html,
 * "WHOIS Server"): .cn/.中国 CNNIC, .ru/.рф/.su Coordination Center / TCI. */
export const WHOIS_SERVERS: Readonly<Record<string, string>> = {
  cn: 'whois.cnnic.cn',
  'xn--fiqs8s': 'whois.cnnic.cn',
  ru: 'whois.tcinet.ru',
  'xn--p1ai': 'whois.tcinet.ru',
  su: 'whois.tcinet.ru',
};

/** Opens a TCP connection (injectable: tests point it at a local server). */
export type Connect = (host: string, port: number) => Duplex;

/** Options for one WHOIS query. */
export interface WhoisOptions {
  connect?: Connect;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** The raw answer, or why there is none (`network`: worth retrying later). */
export type WhoisResult = { ok: true; text: string } | { ok: false; reason: string; network: boolean };

const defaultConnect: Connect = (host, port) => netConnect({ host, port });

/** Sends `domain` to `server`:43 and reads the answer until the server closes (RFC 3912 §2). */
export function whoisQuery(domain: string, server: string, options: WhoisOptions): Promise<WhoisResult> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve({ ok: false, reason: 'stopped', network: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let socket: Duplex | undefined;
    const finish = (r: WhoisResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ ok: false, reason: 'stopped', network: true });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', network: true }), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort);
    let s: Duplex;
    try {
      s = (options.connect ?? defaultConnect)(server, 43);
    } catch (err) {
      return finish({ ok: false, reason: (err as Error).message, network: true });
    }
    socket = s;
    s.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, reason: err.code ?? err.message, network: true }));
    s.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) return finish({ ok: false, reason: 'answer too large', network: false });
      chunks.push(chunk);
    });
    // Both registries answer in UTF-8 (CNNIC's Chinese names, TCI's Cyrillic ones); a bad byte
    // becomes U+FFFD rather than an exception.
    s.on('end', () => finish({ ok: true, text: new TextDecoder('utf-8').decode(Buffer.concat(chunks)) }));
    s.on('close', () => finish({ ok: true, text: new TextDecoder('utf-8').decode(Buffer.concat(chunks)) }));
    s.write(`${domain}\r\n`);
  });
}

/** Keys (lower case, before the first colon) per field, most specific first. CNNIC writes
 * "Registrant:", "Sponsoring Registrar:", "Registration Time:"; TCI writes "org:", "person:",
 * "registrar:", "created:"; ICANN-format servers "Registrant Organization:" and friends. */
const KEYS = {
  org: ['registrant organization', 'registrant organisation', 'registrant', 'org'],
  person: ['registrant name', 'person'],
  country: ['registrant country', 'registrant country/economy', 'country'],
  region: ['registrant state/province', 'registrant province', 'state/province'],
  registrar: ['sponsoring registrar', 'registrar'],
  created: ['registration time', 'creation date', 'created'],
} as const;

/** Reads a WHOIS answer into a Registration. Unknown lines are ignored. */
export function parseWhois(domain: string, text: string, fetchedAt: number): Registration {
  const fields = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('%') || line.startsWith('#') || line.startsWith('>>>')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim().slice(0, 300);
    if (value && !fields.has(key)) fields.set(key, value);
  }
  const pick = (keys: readonly string[]) => keys.map((k) => fields.get(k)).find((v) => v !== undefined) ?? null;
  if (fields.size === 0 || /^(no match|not found|no entries found|no data found|no object found)/im.test(text)) {
    if (/too short|exceeded|too many|limit/i.test(text) && fields.size === 0) {
      return emptyRegistration(domain, 'error', 'whois', fetchedAt, 'rate limited');
    }
    return emptyRegistration(domain, 'unavailable', 'whois', fetchedAt, 'not found');
  }
  let placeholder = false;
  const clean = (v: string | null) => {
    if (v && isPlaceholder(v)) placeholder = true;
    return v && !isPlaceholder(v) ? v : null;
  };
  const org = clean(pick(KEYS.org));
  const person = pick(KEYS.person);
  if (person && isPlaceholder(person)) placeholder = true;
  const country = clean(pick(KEYS.country));
  const region = clean(pick(KEYS.region));
  const reg: Registration = {
    domain,
    status: 'found',
    registrant: org || country || region ? { org, country, region } : null,
    registrar: pick(KEYS.registrar),
    created: pick(KEYS.created),
    source: 'whois',
    fetchedAt,
  };
  if (org) return reg;
  if (placeholder || person) return { ...reg, status: 'withheld', reason: 'privacy' };
  return { ...reg, status: 'unavailable', reason: 'no registrant published' };
}
