// Builds real Query contexts and Devices for the statistics tests (example.org / example.net only).
import type { Device } from '../../src/devices/registry.js';
import { nameToWire } from '../../src/dns/name.js';
import { newQuery, type Query, type Reason } from '../../src/resolver/query.js';

/** A device as the registry makes it. */
export function device(id: string, name: string | null = null): Device {
  return { id, mac: id.startsWith('ip:') ? null : id, name, dhcpName: null, vendor: 'Acme', isPrivate: false, ips: ['192.0.2.10'], firstSeen: 0, lastSeen: 0, policy: null, mergedInto: null, suggested: [] };
}

export interface QueryParts {
  name?: string;
  time?: number;
  reason?: Reason;
  device?: Device | null;
  client?: string;
  detail?: string;
  flag?: string;
  upstream?: string;
  addresses?: string[];
  cnames?: string[];
  rcode?: number;
  qtype?: number;
}

/** A query as the record stage sees it: decoded, decided, replied. */
export function query(p: QueryParts = {}): Query {
  const q = newQuery(Buffer.alloc(12), { address: p.client ?? '192.0.2.10', port: 5353 }, 'udp', p.time ?? Date.UTC(2025, 5, 30, 12));
  q.nameWire = nameToWire(p.name ?? 'www.example.org') ?? '\0';
  q.qtype = p.qtype ?? 1;
  q.reason = p.reason ?? 'resolved';
  q.device = p.device === undefined ? device('aa:bb:cc:00:00:01') : p.device;
  q.detail = p.detail ?? '';
  q.upstream = p.upstream ?? '';
  q.flag = p.flag ?? '';
  const reply = Buffer.alloc(12);
  reply[3] = 0x80 | (p.rcode ?? 0);
  q.reply = reply;
  if (p.addresses || p.cnames) {
    q.answer = { key: '', wire: Buffer.alloc(12), ttlOffsets: [], rcode: 0, storedAt: 0, expiresAt: 0, staleUntil: 0, cacheable: true, touched: 0, facts: { cnames: p.cnames ?? [], cnameWires: (p.cnames ?? []).map((n) => nameToWire(n) ?? ''), addresses: p.addresses ?? [] , geo: null } };
  }
  return q;
}
