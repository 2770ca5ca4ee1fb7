/**
 * Device names from DHCP leases: dnsmasq's /tmp/dhcp.leases (OpenWrt's default DHCPv4 server,
 * DHCPv6 too on some builds) and odhcpd's state file (DHCPv6, and DHCPv4 on newer builds). Line
 * formats follow dnsmasq `src/lease.c` and odhcpd `statefiles.c`, as parsed by LuCI's luci.c.
 */
import { readFileSync, statSync } from 'node:fs';
import { log as writeLog } from '../log.js';
import { canonicalIp, normaliseMac } from './neighbours.js';

/** One lease, from either server. */
export interface Lease {
  /** Lowercase `aa:bb:cc:dd:ee:ff`; null for DHCPv6 leases (they carry a DUID, RFC 8415 §11). */
  mac: string | null;
  ips: string[];
  /** As the client sent it (may hold any text: whoever shows it escapes it); null if none. */
  hostname: string | null;
  /** DHCPv4 client identifier (option 61) as written by dnsmasq, or null. */
  clientId: string | null;
  duid: string | null;
  /** Epoch seconds; 0 = infinite. */
  expires: number;
  source: 'dnsmasq' | 'odhcpd';
}

/** A parsed lease file: the good leases and how many lines were unreadable. */
export interface LeaseParse {
  leases: Lease[];
  bad: number;
}

const MAX_HOSTNAME = 253; // RFC 1035 §2.3.4: a longer name is not a name, and must not bloat the UI

function hostnameOf(field: string): string | null {
  if (field === '*' || field === '-' || field === '') return null; // the servers' "none" placeholders
  return field.slice(0, MAX_HOSTNAME);
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '').trim());
}

/** Parses dnsmasq's lease file: `<expiry> <mac> <ip> <hostname|*> <client-id|*>` per line. */
export function parseDnsmasqLeases(text: string): LeaseParse {
  const leases: Lease[] = [];
  let bad = 0;
  for (const line of lines(text)) {
    if (line === '') continue;
    const f = line.split(/\s+/);
    if (f[0] === 'duid' && f.length === 2) continue; // dnsmasq's own DHCPv6 server DUID, first line
    const ip = f.length === 5 && /^\d+$/.test(f[0]) ? canonicalIp(f[2]) : null;
    const id = f[4] === '*' ? null : f[4];
    if (ip !== null && ip.includes(':') && /^T?\d+$/.test(f[1])) {
      // DHCPv6 line: the IAID (T prefix = temporary address) instead of a MAC, a DUID as client id.
      const hostname = hostnameOf(f[3]);
      leases.push({ mac: null, ips: [ip], hostname, clientId: null, duid: id, expires: Number(f[0]), source: 'dnsmasq' });
      continue;
    }
    // A non-Ethernet hardware type is written `<hwtype>-<addr>`: a valid line, but no MAC to match.
    if (ip !== null && /^\d+-[0-9a-f:]+$/i.test(f[1])) continue;
    const mac = ip !== null && !ip.includes(':') ? normaliseMac(f[1]) : null;
    if (mac === null) {
      bad++;
      continue;
    }
    const hostname = hostnameOf(f[3]);
    leases.push({ mac, ips: [ip as string], hostname, clientId: id, duid: null, expires: Number(f[0]), source: 'dnsmasq' });
  }
  return { leases, bad };
}

/** A MAC from odhcpd's DHCPv4 hardware-address field: 12 hex digits or ether_ntoa's `a:b:…`. */
function odhcpdMac(field: string): string | null {
  return normaliseMac(field);
}

/**
 * Parses odhcpd's state file. Lease lines:
 * `# <iface> <duid|hwaddr> <iaid|ipv4> <hostname|-> <valid-until> <id> <prefixlen> <addr/len …>`;
 * other lines are hosts entries for dnsmasq and are ignored. valid-until -1 is infinite, 0 expired.
 */
export function parseOdhcpdLeases(text: string): LeaseParse {
  const leases: Lease[] = [];
  let bad = 0;
  for (const line of lines(text)) {
    if (!line.startsWith('#')) continue;
    const f = line.slice(1).trim().split(/\s+/);
    const valid = /^-?\d+$/.test(f[4] ?? '') ? Number(f[4]) : NaN;
    const ips = f.slice(7).map((a) => canonicalIp(a.split('/')[0]));
    const isV4 = f[2] === 'ipv4';
    const mac = isV4 ? odhcpdMac(f[1] ?? '') : null;
    const ids = isV4 ? mac !== null : /^[0-9a-f]+$/i.test(f[1]) && /^[0-9a-f]+$/i.test(f[2]); // DUID, IAID
    if (f.length < 7 || !(valid >= -1) || ips.includes(null) || !ids) {
      bad++;
      continue;
    }
    if (valid === 0) continue; // expired: odhcpd keeps the binding but it holds no address any more
    const duid = isV4 ? null : f[1].toLowerCase();
    const expires = valid === -1 ? 0 : valid;
    leases.push({ mac, ips: ips as string[], hostname: hostnameOf(f[3]), clientId: null, duid, expires, source: 'odhcpd' });
  }
  return { leases, bad };
}

export interface LeaseFile {
  path: string;
  format: 'dnsmasq' | 'odhcpd';
}

export interface LeaseWatcherOptions {
  files: LeaseFile[];
  /** Poll interval, ms; default 5000. */
  intervalMs?: number;
  /** Clock in ms (expired leases are dropped); default Date.now. */
  now?: () => number;
  log?: (msg: string) => void;
  /** Reads a file; default fs.readFileSync (a lease file is a few KB on tmpfs). */
  readFile?: (path: string) => string;
  /** Called with every lease of every file after any file changed. */
  onChange: (leases: Lease[]) => void;
}

export interface LeaseWatcher {
  start(): void;
  stop(): void;
  /** Re-reads every file now, changed or not, and calls onChange. */
  reload(): void;
  /** The merged leases from the last read. */
  current(): Lease[];
}

interface FileState {
  stamp: string | null; // `ino:size:mtime`; null while missing
  leases: Lease[];
  missingLogged: boolean;
}

/**
 * Polls the lease files with stat rather than fs.watch: inotify misses dnsmasq's and odhcpd's
 * atomic rename (the watched inode is replaced) and is unreliable on overlayfs.
 */
export function createLeaseWatcher(options: LeaseWatcherOptions): LeaseWatcher {
  const intervalMs = options.intervalMs ?? 5000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((m: string) => writeLog('info', m));
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const states: FileState[] = options.files.map(() => ({ stamp: null, leases: [], missingLogged: false }));
  let merged: Lease[] = [];
  let timer: NodeJS.Timeout | null = null;

  /** Re-reads one file if its stamp moved (or always, when forced); true if its leases changed. */
  function check(file: LeaseFile, st: FileState, force: boolean): boolean {
    let stamp: string;
    try {
      const s = statSync(file.path, { bigint: true }); // ns mtime: two writes in one ms still differ
      stamp = `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (!st.missingLogged) log(`leases: ${file.path}: ${why}; waiting for it to appear`);
      st.missingLogged = true;
      const had = st.stamp !== null;
      st.stamp = null;
      st.leases = [];
      return had;
    }
    if (!force && stamp === st.stamp) return false;
    try {
      const text = readFile(file.path);
      const parsed = file.format === 'dnsmasq' ? parseDnsmasqLeases(text) : parseOdhcpdLeases(text);
      if (parsed.bad > 0) log(`leases: ${file.path}: skipped ${parsed.bad} unreadable line(s)`);
      st.leases = parsed.leases;
      st.stamp = stamp;
      st.missingLogged = false;
      return true;
    } catch (err) {
      log(`leases: cannot read ${file.path}, keeping ${st.leases.length} leases: ${(err as Error).message}`);
      return false;
    }
  }

  function poll(force: boolean) {
    let changed = force;
    options.files.forEach((f, i) => (changed = check(f, states[i], force) || changed));
    if (!changed) return;
    const nowS = now() / 1000;
    merged = states.flatMap((s) => s.leases).filter((l) => l.expires === 0 || l.expires > nowS);
    try {
      options.onChange(merged);
    } catch (err) {
      log(`leases: onChange failed: ${(err as Error).message}`);
    }
  }

  return {
    start() {
      if (timer) return;
      poll(false);
      timer = setInterval(() => poll(false), intervalMs);
      timer.unref(); // a poll timer alone must not keep the process alive at shutdown
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    reload: () => poll(true),
    current: () => merged,
  };
}
