/**
 * Building blocks of the ASN compile (./asn-csv.ts), shaped by the router's memory: ranges are
 * turned into boundaries as they stream in, straight into typed arrays. Keeping the rows in JS
 * arrays first (8 bytes per number, BigInt objects for IPv6, a sort order) needed ~50 MB of live
 * heap for the 2026-06 files; this needs ~20 MB, most of it the org name map.
 */

/** A growable Uint32Array (doubling), trimmed to its length at the end. */
export class U32List {
  private a = new Uint32Array(4096);
  length = 0;

  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }

  set(i: number, v: number): void {
    this.a[i] = v;
  }

  /** An exact-length copy (the doubling slack is dropped). */
  done(): Uint32Array {
    return this.a.slice(0, this.length);
  }
}

/** How a RangeBuilder handles one address family. */
export interface Family<T extends number | bigint> {
  zero: T;
  max: T;
  inc(x: T): T;
  /** Appends an address as 32-bit words, most significant first. */
  write(list: U32List, v: T): void;
}

/** IPv4: plain numbers, one word. */
export const V4: Family<number> = { zero: 0, max: 0xffffffff, inc: (x) => x + 1, write: (l, v) => l.push(v) };

/** IPv6: bigint, four words. */
export const V6: Family<bigint> = {
  zero: 0n,
  max: (1n << 128n) - 1n,
  inc: (x) => x + 1n,
  write: (l, v) => {
    for (let k = 96; k >= 0; k -= 32) l.push(Number((v >> BigInt(k)) & 0xffffffffn));
  },
};

/**
 * Range starts with their record, plus a start with record 0 at every gap, from ranges added in
 * order of first address. Where ranges overlap (one line in the 2026-06 IPv4 file: DoD AS749
 * and AS721), the later start wins from there on and the earlier range resumes after it if it
 * reaches further.
 */
export class RangeBuilder<T extends number | bigint> {
  readonly starts = new U32List();
  readonly recs = new U32List();
  private lastStart: T | null = null;
  private lastRec = -1;
  private covered: T | null = null; // end of the furthest range so far
  private coveredRec = 0;
  private prevFirst: T | null = null;

  constructor(private readonly family: Family<T>) {}

  private push(s: T, r: number): void {
    if (this.lastStart === s) this.recs.set(this.recs.length - 1, r);
    else if (this.lastRec !== r) {
      this.family.write(this.starts, s);
      this.recs.push(r);
      this.lastStart = s;
    }
    this.lastRec = r;
  }

  /** Adds the range first..last with record `rec`; false (nothing added) if out of order. */
  add(first: T, last: T, rec: number): boolean {
    if (this.prevFirst !== null && first < this.prevFirst) return false;
    this.prevFirst = first;
    const { inc, zero } = this.family;
    const c = this.covered;
    if (c !== null && first <= c) {
      this.push(first, rec);
      if (last < c) this.push(inc(last), this.coveredRec);
      else [this.covered, this.coveredRec] = [last, rec];
      return true;
    }
    if (c === null ? first > zero : first > inc(c)) this.push(c === null ? zero : inc(c), 0);
    this.push(first, rec);
    [this.covered, this.coveredRec] = [last, rec];
    return true;
  }

  /** The boundaries: starts (1 or 4 words each) and their records. */
  done(): { starts: Uint32Array; recs: Uint32Array } {
    if (this.covered !== null && this.covered < this.family.max) this.push(this.family.inc(this.covered), 0);
    return { starts: this.starts.done(), recs: this.recs.done() };
  }
}

/** Distinct org names as one UTF-8 blob with offsets; index 0 is the empty name. */
export class OrgNames {
  private readonly byName = new Map<string, number>([['', 0]]);
  private blob = Buffer.alloc(1 << 20);
  private length = 0;
  readonly offsets = new U32List();

  constructor() {
    this.offsets.push(0);
    this.offsets.push(0);
  }

  /** The index of a name, added if new. Throws past 2^21 names (the room in asn-csv's record key). */
  index(name: string): number {
    const known = this.byName.get(name);
    if (known !== undefined) return known;
    const need = Buffer.byteLength(name);
    if (this.length + need > this.blob.length) this.blob = Buffer.concat([this.blob.subarray(0, this.length), Buffer.alloc(Math.max(need, this.blob.length))]);
    this.blob.write(name, this.length, 'utf8');
    // A fresh flat string as the key: `name` is a slice of a CSV line, and a V8 SlicedString pins
    // readline's whole 64 KB chunk (this kept the whole CSV alive: RSS +190 MB before).
    const flat = this.blob.toString('utf8', this.length, this.length + need);
    this.length += need;
    const i = this.offsets.length - 1;
    if (i >= 0x200000) throw new Error('more than 2^21 distinct org names');
    this.offsets.push(this.length);
    this.byName.set(flat, i);
    return i;
  }

  /** The blob, trimmed. */
  bytes(): Buffer {
    return Buffer.from(this.blob.subarray(0, this.length));
  }
}
