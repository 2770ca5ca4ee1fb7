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

  /** One try: an exchange that stays open until the deadline, with a TC retry over TCP (RFC 7766 §5). */
  async function attempt(u: Upstream, query: Buffer, deadline: number): Promise<Resolved | null> {
    u.sent++;
    const wait = Math.max(1, deadline - t.now());
    let response = u.protocol === 'tcp' ? await t.tcp.exchange(u, query, wait) : await t.udp.exchange(u, query, wait);
    if (response !== null && response[2] & FLAG2.TC && u.protocol === 'udp') {
      response = await t.tcp.exchange(u, query, Math.max(1, deadline - t.now()));
    }
    const scan = response === null ? null : scanMessage(response);
    return response === null || scan === null ? null : { response, scan, upstream: u };
  }

  /**
   * Sends to the best upstream; if it has not answered within its per-try timeout, sends to the
   * next (or again, with a new ID and port), keeping every earlier try open until the deadline:
   * a slow answer to the first try is still taken (as dnsmasq and unbound do), and the slow
   * server's RTT estimate grows so it gets more time next time.
   */
  function resolve(query: Buffer, deadline: number): Promise<Resolved | null> {
    if (upstreams.length === 0) return Promise.resolve(null);
    return new Promise((settle) => {
      const tried = new Set<Upstream>();
      let open = 0;
      let done = false;
      let fallback: Resolved | null = null;
      let timer: NodeJS.Timeout | undefined;
      let backstop: NodeJS.Timeout | undefined;
      const finish = (result: Resolved | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(backstop);
        settle(result);
      };
      const launch = () => {
        const now = t.now();
        if (done) return;
        if (now >= deadline) return open === 0 ? finish(fallback) : undefined;
        let u = pick(tried, now);
        if (u === undefined) {
          tried.clear(); // every upstream had its turn: another round
          u = pick(tried, now)!;
        }
        tried.add(u);
        const started = now;
        const server = u;
        let overdue = false;
        open++;
        timer = setTimeout(() => {
          overdue = true;
          failed(server, t.now());
          launch();
        }, Math.min(Math.max(MIN_TRY_MS, u.srtt * 4 + 50), MAX_TRY_MS, deadline - now));
        const settled = (result: Resolved | null) => {
          open--;
          if (done) return;
          if (result === null) {
            if (!overdue) failed(server, t.now());
            if (open === 0 && t.now() >= deadline) finish(fallback);
            else if (!overdue && tried.size < upstreams.length) {
              // Failed at once (refused, garbage): go on to a server not yet tried. The same
              // server is only asked again when the per-try timer fires: no hot loop.
              clearTimeout(timer);
              launch();
            }
            return;
          }
          answered(server, t.now() - started);
          // dnsmasq's rule: SERVFAIL/REFUSED/NOTIMP from one server means ask the next one, if any.
          const rcode = result.scan.rcode;
          if ((rcode === RCODE.SERVFAIL || rcode === RCODE.REFUSED || rcode === RCODE.NOTIMP) && tried.size < upstreams.length) {
            fallback = result;
            clearTimeout(timer);
            launch();
            return;
          }
          finish(result);
        };
        attempt(server, query, deadline).then(settled, () => settled(null));
      };
      // Whatever happens below, the caller hears back by the deadline.
      backstop = setTimeout(() => finish(fallback), Math.max(0, deadline - t.now()) + 5);
      launch();
    });
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
