/**
 * A group of upstreams that answer the same names (the default set, a per-domain forward, the
 * local server). It picks the healthiest upstream, fails over on timeouts and bad answers, retries
 * truncated UDP answers over TCP, and gives up at the caller's deadline so a dead upstream never
 * keeps a client waiting (the client gets SERVFAIL or a stale answer instead).
 */
import { FLAG2, RCODE } from '../dns/constants.js';
import { scanMessage, type MessageScan } from '../dns/message.js';
import type { TcpTransport } from './tcp-transport.js';
import type { UdpTransport } from './udp-transport.js';
import type { Upstream } from './server.js';

export interface Resolved {
  response: Buffer;
  scan: MessageScan;
  upstream: Upstream;
}

export interface UpstreamSet {
  name: string;
  upstreams: Upstream[];
  /** Sends `query` until an upstream answers or `deadline` (ms since epoch) passes; null if none answered. */
  resolve(query: Buffer, deadline: number): Promise<Resolved | null>;
}

export interface Transports {
  udp: UdpTransport;
  tcp: TcpTransport;
  now: () => number;
}

/** Per-try timeout bounds, ms: a lost UDP packet is retried quickly, a slow upstream gets time. */
const MIN_TRY_MS = 250;
const MAX_TRY_MS = 1500;

/** Creates a set over `upstreams` (which it tracks the health of). */
export function createUpstreamSet(name: string, upstreams: Upstream[], t: Transports): UpstreamSet {
  function pick(tried: Set<Upstream>, now: number): Upstream | undefined {
    let best: Upstream | undefined;
    for (const u of upstreams) {
      if (tried.has(u)) continue;
      if (best === undefined || better(u, best, now)) best = u;
    }
    return best;
  }

  function failed(u: Upstream, now: number) {
    u.errors++;
    u.failures++;
    u.srtt = Math.min(u.srtt * 2 + 50, MAX_TRY_MS);
    // After 3 failures in a row, try others first for 1 s, doubling up to 30 s.
    if (u.failures >= 3) u.downUntil = now + Math.min(30_000, 1000 * 2 ** (u.failures - 3));
  }

  function answered(u: Upstream, rtt: number) {
    u.failures = 0;
    u.downUntil = 0;
    u.srtt = u.srtt * 0.8 + rtt * 0.2;
  }

  async function exchangeOnce(u: Upstream, query: Buffer, timeout: number): Promise<Buffer | null> {
    u.sent++;
    return u.protocol === 'tcp' ? t.tcp.exchange(u, query, timeout) : t.udp.exchange(u, query, timeout);
  }

  async function resolve(query: Buffer, deadline: number): Promise<Resolved | null> {
    if (upstreams.length === 0) return null;
    const tried = new Set<Upstream>();
    let fallback: Resolved | null = null;
    for (let now = t.now(); now < deadline; now = t.now()) {
      let u = pick(tried, now);
      if (u === undefined) {
        tried.clear(); // every upstream had its turn: start another round
        u = pick(tried, now)!;
      }
      tried.add(u);
      const timeout = Math.min(Math.max(MIN_TRY_MS, u.srtt * 4 + 50), MAX_TRY_MS, deadline - now);
      let response = await exchangeOnce(u, query, timeout);
      if (response !== null && response[2] & FLAG2.TC && u.protocol === 'udp') {
        // RFC 7766 §5: a truncated answer is retried over TCP to the same server.
        response = await t.tcp.exchange(u, query, Math.max(1, deadline - t.now()));
      }
      const scan = response === null ? null : scanMessage(response);
      if (response === null || scan === null) {
        failed(u, t.now());
        continue;
      }
      answered(u, t.now() - now);
      const result = { response, scan, upstream: u };
      // dnsmasq's rule: SERVFAIL/REFUSED/NOTIMP from one server means ask the next one, if any.
      if ((scan.rcode === RCODE.SERVFAIL || scan.rcode === RCODE.REFUSED || scan.rcode === RCODE.NOTIMP) && tried.size < upstreams.length) {
        fallback = result;
        continue;
      }
      return result;
    }
    return fallback;
  }

  return { name, upstreams, resolve };
}

/** Whether `a` should be tried before `b`: an upstream that is up beats one that is down, then the faster. */
function better(a: Upstream, b: Upstream, now: number): boolean {
  const aDown = a.downUntil > now;
  const bDown = b.downUntil > now;
  if (aDown !== bDown) return bDown;
  if (aDown) return a.downUntil < b.downUntil;
  return a.srtt < b.srtt;
}
