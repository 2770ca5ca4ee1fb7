/**
 * IP → MAC from the kernel's neighbour tables, so each LAN device is known by its MAC (stable
 * across DHCP renumbering and IPv6 privacy addresses, RFC 8981). IPv4 comes from /proc/net/arp;
 * IPv6 has no /proc file (only netlink RTM_GETNEIGH, which Node cannot speak), so `ip -6 neigh`
 * is spawned, as Pi-hole FTL did until 2025. The query path only ever reads an in-memory Map.
 */
import { normalizeMac } from './oui.js';
import { canonicalIp } from '../net/cidr.js';

export { canonicalIp };
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { log as writeLog } from '../log.js';

/** A MAC as the rest of telemute spells it: lowercase `aa:bb:cc:dd:ee:ff`. */
export function normaliseMac(text: string): string | null {
  const mac = normalizeMac(text); // every spelling, one-digit octets (ether_ntoa) included
  return mac === '00:00:00:00:00:00' ? null : mac; // an incomplete neighbour entry
}


/** Parses /proc/net/arp (`IP HWtype Flags HWaddress Mask Device`): complete entries only. */
export function parseProcNetArp(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || isIP(f[0]) !== 4) continue; // the header, blank and garbage lines
    const flags = Number.parseInt(f[2], 16);
    if (!(flags & 0x2)) continue; // ATF_COM (kernel net/ipv4/arp.c): 0x0 means still resolving
    const mac = normaliseMac(f[3]);
    if (mac) out.set(f[0], mac);
  }
  return out;
}

// NUD states with a usable link-layer address; FAILED/INCOMPLETE/NONE have none (or a stale one).
const USABLE = new Set(['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP']);

/**
 * Parses `ip neigh` / `ip -6 neigh` (iproute2 or busybox, which adds `ref N used a/b/c probes N`):
 * `ADDR dev IF lladdr MAC [router] [proxy] STATE`.
 */
export function parseIpNeigh(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const at = f.indexOf('lladdr');
    if (at < 1 || at + 1 >= f.length) continue;
    if (!f.slice(at + 2).some((t) => USABLE.has(t))) continue;
    const ip = canonicalIp(f[0]);
    const mac = normaliseMac(f[at + 1]);
    if (ip && mac) out.set(ip, mac);
  }
  return out;
}

export interface NeighbourTableOptions {
  /** Contents of /proc/net/arp; default reads it. */
  readArp?: () => string;
  /** Output of `ip -6 neigh show`; default spawns it (2 s timeout). */
  runIpNeigh?: () => Promise<string>;
  /** Clock in ms; default Date.now. */
  now?: () => number;
  /** Age after which the table is re-read on the next lookup, ms; default 30 000. */
  ttlMs?: number;
  /** Least time between two background refreshes, ms; default 1000. */
  minRefreshMs?: number;
  /** Log sink; default telemute's log at warn. */
  log?: (msg: string) => void;
}

export interface NeighbourTable {
  /** The MAC of a directly attached client, or null; synchronous, never touches the kernel. */
  lookup(ip: string): string | null;
  /** Re-reads both tables; never rejects; joins a refresh already running. */
  refresh(): Promise<void>;
  /** Entries held (IPv4 + IPv6). */
  size(): number;
}

const MAPPED = '::ffff:';
const ERROR_LOG_MS = 60_000; // one line a minute: a missing /proc must not flood logd (flash)

function defaultRunIpNeigh(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['-6', 'neigh', 'show'], { timeout: 2000, maxBuffer: 4 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}

/** Builds the neighbour table; nothing is read until the first lookup or refresh(). */
export function createNeighbourTable(options: NeighbourTableOptions = {}): NeighbourTable {
  const readArp = options.readArp ?? (() => readFileSync('/proc/net/arp', 'utf8'));
  const runIpNeigh = options.runIpNeigh ?? defaultRunIpNeigh;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 30_000;
  const minRefreshMs = options.minRefreshMs ?? 1000;
  const log = options.log ?? ((m: string) => writeLog('warn', m));

  let v4 = new Map<string, string>(); // also keyed `::ffff:a.b.c.d`: dual-stack sockets report those
  let v6 = new Map<string, string>();
  let v4Count = 0;
  // Addresses still missing after a refresh (loopback, a WireGuard peer, a routed subnet) are not
  // asked for again until ttlMs: each refresh spawns `ip`, ~15 ms of CPU on a MIPS router.
  const unknown = new Map<string, number>();
  const asked = new Set<string>();
  let loadedAt = -Infinity;
  let startedAt = -Infinity;
  let running: Promise<void> | null = null;
  let hasIp = true;
  let lastErrorLog = -Infinity;

  function logError(msg: string) {
    if (now() - lastErrorLog < ERROR_LOG_MS) return;
    lastErrorLog = now();
    log(msg);
  }

  async function readBoth(): Promise<void> {
    try {
      const next = parseProcNetArp(readArp());
      for (const [ip, mac] of [...next]) next.set(MAPPED + ip, mac);
      v4Count = next.size / 2;
      v4 = next; // swapped whole: a lookup never sees a half-built table
    } catch (err) {
      logError(`neighbours: cannot read /proc/net/arp, keeping ${v4.size} entries: ${(err as Error).message}`);
    }
    if (!hasIp) return;
    try {
      v6 = parseIpNeigh(await runIpNeigh());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        hasIp = false; // no `ip` applet on this image: IPv6 clients stay anonymous, say so once
        log('neighbours: `ip` not found; IPv6 clients will not be identified by MAC');
      } else logError(`neighbours: \`ip -6 neigh\` failed, keeping ${v6.size} entries: ${(err as Error).message}`);
    }
  }

  function refresh(): Promise<void> {
    if (running) return running;
    startedAt = now();
    const waiting = [...asked];
    asked.clear();
    running = readBoth().finally(() => {
      loadedAt = now();
      running = null;
      if (unknown.size > 4096) unknown.clear(); // a scan from many addresses must not grow memory
      for (const ip of waiting) if (find(ip) === null) unknown.set(ip, loadedAt);
    });
    return running;
  }

  function schedule(ip: string | null) {
    if (ip !== null && asked.size < 1024) asked.add(ip);
    if (running || now() - startedAt < minRefreshMs) return;
    startedAt = now(); // claims the slot now, so a burst of misses in this tick spawns once
    setImmediate(() => void refresh());
  }

  function find(ip: string): string | null {
    return v4.get(ip) ?? v6.get(ip) ?? slowLookup(ip);
  }

  function slowLookup(ip: string): string | null {
    const canon = canonicalIp(ip); // zone ids and uncommon spellings: off the common path
    if (canon === null) return null;
    if (canon.startsWith(MAPPED)) {
      const tail = canon.slice(MAPPED.length).split(':'); // URL writes ::ffff:c000:201
      const n = tail.length === 2 ? (parseInt(tail[0], 16) << 16) | parseInt(tail[1], 16) : NaN;
      if (!Number.isNaN(n)) return v4.get([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')) ?? null;
    }
    return v4.get(canon) ?? v6.get(canon) ?? null;
  }

  return {
    lookup(ip) {
      let mac = v4.get(ip) ?? v6.get(ip) ?? null; // the hit path: two Map reads, no allocation
      if (mac !== null) {
        if (now() - loadedAt > ttlMs) schedule(null);
        return mac;
      }
      const missedAt = unknown.get(ip);
      if (missedAt !== undefined && now() - missedAt <= ttlMs) return null;
      mac = slowLookup(ip);
      if (mac === null || now() - loadedAt > ttlMs) schedule(mac === null ? ip : null);
      return mac;
    },
    refresh,
    size: () => v4Count + v6.size,
  };
}
