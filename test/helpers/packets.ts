/**
 * Hand-built DNS packets for unit tests, independent of src/: a query builder (name, type, flags,
 * EDNS with options), a response builder (records by section), record data helpers and a small
 * reader that decodes a reply into plain objects for assertions.
 */

export const T = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, OPT: 41, ANY: 255 } as const;

/** Wire form of a presentation name, case kept. Labels split on '.', no escapes; '.' or '' is the root. */
export function wireName(name: string): Buffer {
  if (name === '.' || name === '') return Buffer.from([0]);
  const labels = name.replace(/\.$/, '').split('.');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])), Buffer.from([0])]);
}

/** Wire form from raw label byte arrays (for binary labels). */
export function wireLabels(labels: (string | Uint8Array)[]): Buffer {
  const parts = labels.map((l) => (typeof l === 'string' ? Buffer.from(l, 'latin1') : Buffer.from(l)));
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), p])), Buffer.from([0])]);
}

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

export interface EdnsSpec {
  udpSize?: number;
  do?: boolean;
  version?: number;
  extendedRcode?: number;
  options?: EdnsOption[];
  /** Owner name bytes (default root). */
  owner?: Buffer;
}

/** An OPT pseudo-RR. */
export function optRecord(e: EdnsSpec = {}): Buffer {
  const opts = Buffer.concat(
    (e.options ?? []).map((o) => {
      const b = Buffer.alloc(4 + o.data.length);
      b.writeUInt16BE(o.code, 0);
      b.writeUInt16BE(o.data.length, 2);
      b.set(o.data, 4);
      return b;
    }),
  );
  const owner = e.owner ?? Buffer.from([0]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(T.OPT, 0);
  fixed.writeUInt16BE(e.udpSize ?? 1232, 2);
  fixed[4] = e.extendedRcode ?? 0;
  fixed[5] = e.version ?? 0;
  fixed[6] = e.do ? 0x80 : 0;
  fixed.writeUInt16BE(opts.length, 8);
  return Buffer.concat([owner, fixed, opts]);
}

export interface QuerySpec {
  id?: number;
  name?: string;
  /** Name bytes as they go on the wire (overrides `name`). */
  nameBytes?: Buffer;
  type?: number;
  klass?: number;
  rd?: boolean;
  cd?: boolean;
  ad?: boolean;
  qr?: boolean;
  opcode?: number;
  /** EDNS: an OPT record in the additional section. */
  edns?: EdnsSpec;
  /** Override header counts (after building). */
  qdcount?: number;
  /** Extra records appended after the question (and before OPT), with their section counts. */
  answers?: Buffer[];
  authority?: Buffer[];
  additional?: Buffer[];
}

/** A query message. Defaults: ID 0x1234, example.org A IN, RD set, no EDNS. */
export function buildQuery(spec: QuerySpec = {}): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(spec.id ?? 0x1234, 0);
  h[2] = (spec.qr ? 0x80 : 0) | ((spec.opcode ?? 0) << 3) | (spec.rd === false ? 0 : 0x01);
  h[3] = (spec.ad ? 0x20 : 0) | (spec.cd ? 0x10 : 0);
  h.writeUInt16BE(spec.qdcount ?? 1, 4);
  const an = spec.answers ?? [];
  const ns = spec.authority ?? [];
  const ar = [...(spec.additional ?? []), ...(spec.edns ? [optRecord(spec.edns)] : [])];
  h.writeUInt16BE(an.length, 6);
  h.writeUInt16BE(ns.length, 8);
  h.writeUInt16BE(ar.length, 10);
  const q = Buffer.alloc(4);
  q.writeUInt16BE(spec.type ?? T.A, 0);
  q.writeUInt16BE(spec.klass ?? 1, 2);
  const name = spec.nameBytes ?? wireName(spec.name ?? 'example.org');
  return Buffer.concat([h, name, q, ...an, ...ns, ...ar]);
}

export interface RecordSpec {
  /** Presentation name, or owner bytes (e.g. a pointer). Default: pointer to the question (0xc00c). */
  name?: string | Buffer;
  type: number;
  klass?: number;
  ttl?: number;
  rdata: Uint8Array;
}

/** One resource record. */
export function rr(r: RecordSpec): Buffer {
  const owner = r.name === undefined ? Buffer.from([0xc0, 0x0c]) : typeof r.name === 'string' ? wireName(r.name) : r.name;
  const f = Buffer.alloc(10);
  f.writeUInt16BE(r.type, 0);
  f.writeUInt16BE(r.klass ?? 1, 2);
  f.writeUInt32BE((r.ttl ?? 300) >>> 0, 4);
  f.writeUInt16BE(r.rdata.length, 8);
  return Buffer.concat([owner, f, Buffer.from(r.rdata)]);
}

/** A record for an IPv4 address. */
export function aRdata(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

/** AAAA record data for an IPv6 address (full or '::' form, no embedded IPv4). */
export function aaaaRdata(address: string): Buffer {
  const [head, tail] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** SOA record data with uncompressed names. */
export function soaRdata(s: { mname?: string; rname?: string; serial?: number; refresh?: number; retry?: number; expire?: number; minimum: number }): Buffer {
  const nums = Buffer.alloc(20);
  [s.serial ?? 1, s.refresh ?? 3600, s.retry ?? 600, s.expire ?? 86400, s.minimum].forEach((n, i) => nums.writeUInt32BE(n, i * 4));
  return Buffer.concat([wireName(s.mname ?? 'ns.example.org'), wireName(s.rname ?? 'hostmaster.example.org'), nums]);
}

export interface ResponseSpec {
  rcode?: number;
  aa?: boolean;
  tc?: boolean;
  ra?: boolean;
  ad?: boolean;
  cd?: boolean;
  answers?: RecordSpec[];
  authority?: RecordSpec[];
  additional?: RecordSpec[];
  /** An OPT record at the end of the additional section. */
  edns?: EdnsSpec;
  /** Records after the OPT (also counted in ARCOUNT). */
  afterOpt?: RecordSpec[];
}

/** A response to `query` (its ID, RD, question bytes) with the given records. */
export function buildResponse(query: Buffer, spec: ResponseSpec = {}): Buffer {
  const qEnd = questionEnd(query);
  const h = Buffer.from(query.subarray(0, 12));
  h[2] = 0x80 | (query[2] & 0x79) | (spec.aa ? 0x04 : 0) | (spec.tc ? 0x02 : 0);
  h[3] = (spec.ra === false ? 0 : 0x80) | (spec.ad ? 0x20 : 0) | (spec.cd ? 0x10 : 0) | ((spec.rcode ?? 0) & 0x0f);
  const an = (spec.answers ?? []).map(rr);
  const ns = (spec.authority ?? []).map(rr);
  const ar = [...(spec.additional ?? []).map(rr), ...(spec.edns ? [optRecord(spec.edns)] : []), ...(spec.afterOpt ?? []).map(rr)];
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(an.length, 6);
  h.writeUInt16BE(ns.length, 8);
  h.writeUInt16BE(ar.length, 10);
  return Buffer.concat([h, query.subarray(12, qEnd), ...an, ...ns, ...ar]);
}

/** Offset just past the question of a message with an uncompressed question name. */
export function questionEnd(msg: Uint8Array): number {
  let off = 12;
  while (msg[off] !== 0) off += msg[off] + 1;
  return off + 5;
}

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

/** The header fields of a message. */
export function header(m: Uint8Array): Header {
  return {
    id: (m[0] << 8) | m[1],
    qr: (m[2] & 0x80) !== 0,
    opcode: (m[2] >> 3) & 0x0f,
    aa: (m[2] & 0x04) !== 0,
    tc: (m[2] & 0x02) !== 0,
    rd: (m[2] & 0x01) !== 0,
    ra: (m[3] & 0x80) !== 0,
    ad: (m[3] & 0x20) !== 0,
    cd: (m[3] & 0x10) !== 0,
    rcode: m[3] & 0x0f,
    qdcount: (m[4] << 8) | m[5],
    ancount: (m[6] << 8) | m[7],
    nscount: (m[8] << 8) | m[9],
    arcount: (m[10] << 8) | m[11],
  };
}

export interface ParsedRecord {
  name: string;
  type: number;
  klass: number;
  ttl: number;
  rdata: Buffer;
  /** Offset of the record's owner name in the message. */
  offset: number;
  section: 'answer' | 'authority' | 'additional';
}

export interface ParsedOpt {
  udpSize: number;
  extendedRcode: number;
  version: number;
  do: boolean;
  options: { code: number; data: Buffer }[];
}

export interface Parsed {
  header: Header;
  question: { name: string; type: number; klass: number } | null;
  answers: ParsedRecord[];
  authority: ParsedRecord[];
  additional: ParsedRecord[];
  opt: ParsedOpt | null;
}

/** Reads a (possibly compressed) name; throws on anything odd. Labels joined with '.', case kept. */
export function readNameAt(m: Uint8Array, off: number): { name: string; end: number } {
  const labels: string[] = [];
  let end = -1;
  let jumps = 0;
  for (;;) {
    const b = m[off];
    if (b === undefined) throw new Error('name runs off the message');
    if (b === 0) {
      if (end < 0) end = off + 1;
      break;
    }
    if ((b & 0xc0) === 0xc0) {
      if (end < 0) end = off + 2;
      if (++jumps > 20) throw new Error('pointer loop');
      off = ((b & 0x3f) << 8) | m[off + 1];
      continue;
    }
    labels.push(Buffer.from(m.subarray(off + 1, off + 1 + b)).toString('latin1'));
    off += b + 1;
  }
  return { name: labels.length ? labels.join('.') : '.', end };
}

/** Decodes a message for assertions; throws when it is malformed. */
export function parse(m: Uint8Array): Parsed {
  const h = header(m);
  let off = 12;
  let question: Parsed['question'] = null;
  if (h.qdcount > 0) {
    const n = readNameAt(m, off);
    off = n.end;
    question = { name: n.name, type: (m[off] << 8) | m[off + 1], klass: (m[off + 2] << 8) | m[off + 3] };
    off += 4;
  }
  const out: Parsed = { header: h, question, answers: [], authority: [], additional: [], opt: null };
  const sections = [
    ['answer', h.ancount, out.answers],
    ['authority', h.nscount, out.authority],
    ['additional', h.arcount, out.additional],
  ] as const;
  for (const [section, count, list] of sections) {
    for (let i = 0; i < count; i++) {
      const start = off;
      const n = readNameAt(m, off);
      off = n.end;
      if (off + 10 > m.length) throw new Error('record runs off the message');
      const type = (m[off] << 8) | m[off + 1];
      const klass = (m[off + 2] << 8) | m[off + 3];
      const ttl = ((m[off + 4] << 24) | (m[off + 5] << 16) | (m[off + 6] << 8) | m[off + 7]) >>> 0;
      const len = (m[off + 8] << 8) | m[off + 9];
      off += 10;
      if (off + len > m.length) throw new Error('rdata runs off the message');
      const rdata = Buffer.from(m.subarray(off, off + len));
      off += len;
      if (type === T.OPT) {
        const options: { code: number; data: Buffer }[] = [];
        for (let o = 0; o + 4 <= rdata.length; ) {
          const code = rdata.readUInt16BE(o);
          const l = rdata.readUInt16BE(o + 2);
          options.push({ code, data: rdata.subarray(o + 4, o + 4 + l) });
          o += 4 + l;
        }
        out.opt = { udpSize: klass, extendedRcode: (ttl >>> 24) & 0xff, version: (ttl >>> 16) & 0xff, do: (ttl & 0x8000) !== 0, options };
        continue;
      }
      list.push({ name: n.name, type, klass, ttl, rdata, offset: start, section });
    }
  }
  if (off !== m.length) throw new Error(`${m.length - off} bytes after the last record`);
  return out;
}

/** The text form of A/AAAA record data (AAAA uncompressed, lowercase, no leading zeros). */
export function addressText(rdata: Uint8Array): string {
  if (rdata.length === 4) return Array.from(rdata).join('.');
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((rdata[i] << 8) | rdata[i + 1]).toString(16));
  return g.join(':');
}
