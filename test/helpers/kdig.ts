/**
 * DNS clients for the e2e tests: the real kdig, read through its +json output (RFC 8427; present
 * in Debian 12's kdig 3.2.6, and unlike the text form it carries every RDATA as hex), and raw
 * UDP/TCP exchanges for packets kdig cannot send (other opcodes, QR set, garbage, mixed case:
 * kdig lowercases the query name).
 */
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';

/** One resource record; `hex` is the uncompressed RDATA, the exact thing to compare. */
export interface Rr {
  name: string;
  ttl: number;
  class: string;
  type: string;
  data: string;
  hex: string;
}

export interface Opt {
  udpSize: number;
  version: number;
  do: boolean;
  /** Extended DNS Error (RFC 8914 option 15), if present. */
  ede?: { code: number; text: string };
}

export interface KdigResult {
  /** Full RCODE name including the OPT extension, e.g. NOERROR, NXDOMAIN, BADVERS. */
  rcode: string;
  /** Header flags set, lowercase as kdig prints them: qr aa tc rd ra ad cd. */
  flags: string[];
  answer: Rr[];
  authority: Rr[];
  additional: Rr[];
  opt?: Opt;
  raw: string;
  elapsedMs: number;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];
const EXT_RCODES: Record<number, string> = { 16: 'BADVERS', 23: 'BADCOOKIE' };
const FLAGS = ['QR', 'AA', 'TC', 'RD', 'RA', 'AD', 'CD'] as const;

type JsonRr = Record<string, string | number>;

function toRr(r: JsonRr): Rr {
  const type = String(r.TYPEname);
  const hex = String(r.RDATAHEX ?? '');
  // kdig names the presentation field after the type (rdataA, rdataTXT); unknown types get RFC 3597 form.
  const data = r[`rdata${type}`] ?? `\\# ${r.RDLENGTH} ${hex}`;
  return { name: String(r.NAME), ttl: Number(r.TTL), class: String(r.CLASSname ?? r.CLASS), type, data: String(data), hex };
}

/** Reads the OPT pseudo-RR (RFC 6891 §6.1.3): CLASS = UDP size, TTL = ext-rcode | version | DO. */
function toOpt(r: JsonRr): { opt: Opt; extRcode: number } {
  const ttl = Number(r.TTL) >>> 0;
  const opt: Opt = { udpSize: Number(r.CLASS), version: (ttl >>> 16) & 0xff, do: (ttl & 0x8000) !== 0 };
  const rdata = Buffer.from(String(r.RDATAHEX ?? ''), 'hex');
  for (let off = 0; off + 4 <= rdata.length; ) {
    const code = rdata.readUInt16BE(off);
    const len = rdata.readUInt16BE(off + 2);
    const value = rdata.subarray(off + 4, off + 4 + len);
    if (code === 15 && value.length >= 2) opt.ede = { code: value.readUInt16BE(0), text: value.subarray(2).toString('utf8') };
    off += 4 + len;
  }
  return { opt, extRcode: ttl >>> 24 };
}

/** Parses one kdig +json document. */
export function parseKdigJson(raw: string, elapsedMs = 0): KdigResult {
  const msg = JSON.parse(raw) as Record<string, unknown>;
  if (msg.RCODE === undefined) throw new Error(`kdig: no reply in output:\n${raw}`);
  const section = (key: string) => ((msg[key] as JsonRr[] | undefined) ?? []);
  const optRr = section('additionalRRs').find((r) => r.TYPE === 41);
  const { opt, extRcode } = optRr ? toOpt(optRr) : { opt: undefined, extRcode: 0 };
  const code = (extRcode << 4) | Number(msg.RCODE);
  return {
    rcode: EXT_RCODES[code] ?? RCODES[code] ?? `RCODE${code}`,
    flags: FLAGS.filter((f) => msg[f] === 1).map((f) => f.toLowerCase()),
    answer: section('answerRRs').map(toRr),
    authority: section('authorityRRs').map(toRr),
    additional: section('additionalRRs').filter((r) => r.TYPE !== 41).map(toRr),
    opt,
    raw,
    elapsedMs,
  };
}

/**
 * Runs `kdig @127.0.0.1 -p PORT NAME TYPE +json [options]`. Defaults to +timeout=2 +retry=0 so
 * a silent server fails fast (kdig's own default is 2 s x 3 tries); pass your own to override.
 * Rejects when kdig gets no reply, with the command line and kdig's stderr in the message.
 */
export function kdig(port: number, name: string, type = 'A', options: string[] = []): Promise<KdigResult> {
  const extra = [...options];
  if (!extra.some((o) => o.startsWith('+timeout'))) extra.push('+timeout=2');
  if (!extra.some((o) => o.startsWith('+retry'))) extra.push('+retry=0');
  const args = ['@127.0.0.1', '-p', String(port), name, type, '+json', ...extra];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile('kdig', args, { timeout: 20_000, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      const elapsedMs = performance.now() - started;
      const command = `kdig ${args.join(' ')}`;
      try {
        resolve(parseKdigJson(stdout, elapsedMs));
      } catch {
        reject(new Error(`${command} failed after ${Math.round(elapsedMs)} ms (${err?.message ?? 'no reply'}):\n${stderr}${stdout}`));
      }
    });
  });
}

/** Answer RRsets in a comparable form: sorted "name class type rdata-hex", TTLs left out. */
export function rrsetKey(rrs: Rr[]): string[] {
  return rrs.map((r) => `${r.name.toLowerCase()} ${r.class} ${r.type} ${r.hex}`).sort();
}

/** Options for {@link buildQuery}. */
export interface QueryOptions {
  id?: number;
  opcode?: number;
  /** Header flags byte 2 extras (e.g. 0x80 for QR); RD is always set. */
  flags2?: number;
  /** Adds an OPT RR with this UDP size (no options). */
  edns?: number;
}

const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };

/**
 * A DNS query in wire form, for the raw exchanges. Labels are sent exactly as given (case kept);
 * pass an array to put bytes such as '.' inside a label.
 */
export function buildQuery(name: string | string[], type: string | number = 'A', o: QueryOptions = {}): Buffer {
  const id = o.id ?? Math.floor(Math.random() * 65536);
  const qtype = typeof type === 'number' ? type : TYPE_CODES[type];
  const header = Buffer.from([id >> 8, id & 0xff, ((o.opcode ?? 0) << 3) | 0x01 | (o.flags2 ?? 0), 0, 0, 1, 0, 0, 0, 0, 0, o.edns ? 1 : 0]);
  const parts = Array.isArray(name) ? name : name.replace(/\.$/, '').split('.').filter(Boolean);
  const labels = parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')]));
  const question = Buffer.concat([...labels, Buffer.from([0, qtype >> 8, qtype & 0xff, 0, 1])]);
  const opt = o.edns ? Buffer.from([0, 0, 41, o.edns >> 8, o.edns & 0xff, 0, 0, 0, 0, 0, 0]) : Buffer.alloc(0);
  return Buffer.concat([header, question, opt]);
}

/** Sends `bytes` in one datagram; resolves with the first reply, or null after `timeoutMs`. */
export function udpExchange(port: number, bytes: Uint8Array, timeoutMs = 1500): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    let finished = false;
    const done = (reply: Buffer | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('message', (msg) => done(msg));
    socket.on('error', () => {}); // ICMP port unreachable: same as silence for our callers
    socket.send(bytes, port, '127.0.0.1');
  });
}

/**
 * Writes `bytes` as they are (the caller frames them: RFC 1035 §4.2.2 two-byte length prefix)
 * and collects up to `count` length-prefixed replies; returns what arrived before `timeoutMs`.
 */
export function tcpExchange(port: number, bytes: Uint8Array, count: number, timeoutMs = 3000): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const replies: Buffer[] = [];
    let pending = Buffer.alloc(0);
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(replies);
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        replies.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      if (replies.length >= count) done();
    });
    socket.on('error', done);
    socket.on('close', done);
  });
}

/** The header fields of a raw reply (RFC 1035 §4.1.1). */
export function readHeader(b: Buffer) {
  return {
    id: b.readUInt16BE(0),
    qr: (b[2] & 0x80) !== 0,
    opcode: (b[2] >> 3) & 0x0f,
    tc: (b[2] & 0x02) !== 0,
    rcode: b[3] & 0x0f,
    qdcount: b.readUInt16BE(4),
    ancount: b.readUInt16BE(6),
  };
}

/** Prefixes a message with its two-byte length for DNS over TCP. */
export function frame(msg: Uint8Array): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}
