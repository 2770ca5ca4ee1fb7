import { describe, expect, it } from 'vitest';
import { readAddress, readName, readTtl, scanMessage, skipName, writeTtl, type RecordRef } from '../../src/dns/message.js';
import { T, aRdata, aaaaRdata, buildQuery, buildResponse, optRecord, rr, soaRdata, wireLabels, wireName } from '../helpers/packets.js';

/** 12 bytes of header padding followed by `body`, so offsets in tests start at 12. */
const msg = (...parts: (number[] | Buffer)[]) => Buffer.concat([Buffer.alloc(12), ...parts.map((p) => Buffer.from(p))]);

describe('skipName', () => {
  describe('when the name is uncompressed', () => {
    it('returns the offset just past the root label', () => {
      const m = msg(wireName('www.example.org'), [0xaa]);
      expect(skipName(m, 12)).toBe(12 + 17);
    });

    it('returns offset + 1 for the root name', () => {
      expect(skipName(msg([0]), 12)).toBe(13);
    });
  });

  describe('when the name ends in a pointer', () => {
    it('returns the offset just past the two pointer bytes', () => {
      const m = msg([3, 0x77, 0x77, 0x77, 0xc0, 0x0c, 0xff]);
      expect(skipName(m, 12)).toBe(18);
    });

    it('returns -1 for a pointer cut after its first byte', () => {
      expect(skipName(msg([3, 0x77, 0x77, 0x77, 0xc0]), 12)).toBe(-1);
    });
  });

  describe('when the name is malformed', () => {
    it('returns -1 for a name that runs off the buffer', () => {
      expect(skipName(msg([7, 0x65, 0x78]), 12)).toBe(-1);
    });

    it('returns -1 for the obsolete 0x40 and 0x80 label types', () => {
      expect(skipName(msg([0x41, 0]), 12)).toBe(-1);
      expect(skipName(msg([0x81, 0]), 12)).toBe(-1);
    });

    it('returns -1 for a name longer than 255 octets', () => {
      const long = wireLabels(['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(63)]); // 257 octets
      expect(skipName(msg(long), 12)).toBe(-1);
    });

    it('accepts a name of exactly 255 octets', () => {
      const max = wireLabels(['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)]); // 64*3 + 62 + 1 = 255
      expect(max.length).toBe(255);
      expect(skipName(msg(max), 12)).toBe(12 + 255);
    });

    // BUG: the root octet is not counted, so a 256-octet name passes (RFC 1035 §3.1: 255 octets or less).
    it('returns -1 for a name of 256 octets', () => {
      const over = wireLabels(['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)]); // 256 octets
      expect(over.length).toBe(256);
      expect(skipName(msg(over), 12)).toBe(-1);
    });
  });
});

describe('readName', () => {
  describe('when the name is uncompressed', () => {
    it('reads it with the case as on the wire', () => {
      expect(readName(msg(wireName('WWW.Example.org')), 12)).toBe('WWW.Example.org');
    });

    it("reads the root as '.'", () => {
      expect(readName(msg([0]), 12)).toBe('.');
    });
  });

  describe('when the name has compression pointers', () => {
    it('follows a pointer backwards', () => {
      // "example.org" at 12, then "www" + pointer to 12 at 25
      const m = msg(wireName('example.org'), [3, 0x77, 0x77, 0x77, 0xc0, 0x0c]);
      expect(readName(m, 25)).toBe('www.example.org');
    });

    it('follows a chain of pointers', () => {
      // 12: org, 17: example + ptr 12, 27: www + ptr 17
      const m = msg([3, ...Buffer.from('org'), 0], [7, ...Buffer.from('example'), 0xc0, 12], [3, ...Buffer.from('www'), 0xc0, 17]);
      expect(readName(m, 27)).toBe('www.example.org');
    });

    it('returns null for a pointer to itself (a loop)', () => {
      expect(readName(msg([0xc0, 12]), 12)).toBeNull();
    });

    it('returns null for a pointer loop between two names', () => {
      // 12: a + ptr 16; 16: b + ptr 12 — the second pointer points back, the first forward
      const m = msg([1, 0x61, 0xc0, 16], [1, 0x62, 0xc0, 12]);
      expect(readName(m, 16)).toBeNull();
      expect(readName(m, 12)).toBeNull();
    });

    it('returns null for a forward pointer', () => {
      const m = msg([0xc0, 14], wireName('example.org'));
      expect(readName(m, 12)).toBeNull();
    });

    it('returns null for a pointer past the end', () => {
      expect(readName(msg([0xc0, 0xff]), 12)).toBeNull();
    });

    it('returns null for a pointer cut after its first byte', () => {
      expect(readName(msg([1, 0x61, 0xc0]), 12)).toBeNull();
    });

    it('returns null when pointers assemble a name longer than 255 octets', () => {
      // 12: 63 x 'a' + root; then three more 63-octet labels each pointing at the previous name
      const l = (c: string) => [63, ...Buffer.from(c.repeat(63))];
      const m = msg([...l('a'), 0], [...l('b'), 0xc0, 12], [...l('c'), 0xc0, 12 + 65], [...l('d'), 0xc0, 12 + 65 + 66]);
      expect(readName(m, 12 + 65 + 66)).toBe(`${'c'.repeat(63)}.${'b'.repeat(63)}.${'a'.repeat(63)}`);
      expect(readName(m, 12 + 65 + 66 + 66)).toBeNull();
    });

    // BUG: the root octet is not counted, so a 256-octet name is read (RFC 1035 §3.1: 255 octets or less).
    it('returns null for a name of 256 octets', () => {
      const over = wireLabels(['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)]);
      expect(readName(msg(over), 12)).toBeNull();
    });
  });

  describe('when labels hold special bytes', () => {
    it('escapes a dot inside a label as \\.', () => {
      expect(readName(msg(wireLabels(['a.b', 'example', 'org'])), 12)).toBe('a\\.b.example.org');
    });

    it('escapes a backslash as \\\\', () => {
      expect(readName(msg(wireLabels(['a\\b', 'org'])), 12)).toBe('a\\\\b.org');
    });

    it('escapes non-printable bytes and space as \\DDD', () => {
      expect(readName(msg(wireLabels([Uint8Array.of(0x00, 0x20, 0x7f, 0xff, 0x41), 'org'])), 12)).toBe('\\000\\032\\127\\255A.org');
    });
  });

  describe('when the name is malformed', () => {
    it('returns null for a label running off the buffer', () => {
      expect(readName(msg([5, 0x61, 0x62]), 12)).toBeNull();
    });

    it('returns null for a name without a root label', () => {
      expect(readName(msg([1, 0x61]), 12)).toBeNull();
    });

    it('returns null for the 0x40 label type', () => {
      expect(readName(msg([0x40, 0]), 12)).toBeNull();
    });
  });
});

describe('scanMessage', () => {
  const query = buildQuery({ name: 'www.example.org', type: T.A });
  const response = buildResponse(query, {
    answers: [
      { type: T.CNAME, ttl: 100, rdata: wireName('host.example.net') },
      { name: 'host.example.net', type: T.A, ttl: 200, rdata: aRdata('192.0.2.1') },
    ],
    authority: [{ name: 'example.net', type: T.NS, ttl: 300, rdata: wireName('ns.example.net') }],
    additional: [{ name: 'ns.example.net', type: T.A, ttl: 400, rdata: aRdata('192.0.2.53') }],
    edns: { udpSize: 1232 },
  });

  describe('when the message is well formed', () => {
    it('indexes every record with its section, type and offsets', () => {
      const s = scanMessage(response)!;
      expect(s).not.toBeNull();
      expect(s.id).toBe(0x1234);
      expect(s.questionEnd).toBe(12 + 17 + 4);
      expect(s.qtype).toBe(T.A);
      expect(s.qclass).toBe(1);
      expect(s.records.map((r) => [r.type, r.section])).toEqual([
        [T.CNAME, 0],
        [T.A, 0],
        [T.NS, 1],
        [T.A, 2],
        [T.OPT, 2],
      ]);
      expect(s.optIndex).toBe(4);
      const a = s.records[1];
      expect(readTtl(response, a.ttlOffset)).toBe(200);
      expect(Array.from(response.subarray(a.rdataOffset, a.rdataOffset + a.rdataLength))).toEqual([192, 0, 2, 1]);
      expect(readName(response, a.offset)).toBe('host.example.net');
      expect(s.records[0].offset).toBe(s.questionEnd);
    });

    it('reads the rcode', () => {
      expect(scanMessage(buildResponse(query, { rcode: 3 }))!.rcode).toBe(3);
    });

    it('gives optIndex -1 without OPT', () => {
      const s = scanMessage(buildResponse(query, { answers: [{ type: T.A, rdata: aRdata('192.0.2.1') }] }))!;
      expect(s.optIndex).toBe(-1);
      expect(s.records).toHaveLength(1);
    });
  });

  describe('when the message breaks the rules', () => {
    it('returns null for two OPT records', () => {
      const two = buildResponse(query, { edns: {}, afterOpt: [] });
      const withTwo = Buffer.concat([two, optRecord()]);
      withTwo.writeUInt16BE(2, 10);
      expect(scanMessage(two)).not.toBeNull();
      expect(scanMessage(withTwo)).toBeNull();
    });

    it('returns null for an OPT record in the answer section', () => {
      const m = buildResponse(query);
      const bad = Buffer.concat([m, optRecord()]);
      bad.writeUInt16BE(1, 6);
      expect(scanMessage(bad)).toBeNull();
    });

    it('returns null for an OPT record in the authority section', () => {
      const bad = Buffer.concat([buildResponse(query), optRecord()]);
      bad.writeUInt16BE(1, 8);
      expect(scanMessage(bad)).toBeNull();
    });

    it('returns null for a record cut in its rdata', () => {
      const m = buildResponse(query, { answers: [{ type: T.A, rdata: aRdata('192.0.2.1') }] });
      expect(scanMessage(m)).not.toBeNull();
      expect(scanMessage(m.subarray(0, m.length - 1))).toBeNull();
    });

    it('returns null for a record cut in its fixed fields', () => {
      const m = buildResponse(query, { answers: [{ type: T.A, rdata: aRdata('192.0.2.1') }] });
      expect(scanMessage(m.subarray(0, m.length - 8))).toBeNull();
    });

    it('returns null when a count promises more records than there are', () => {
      const m = Buffer.from(buildResponse(query, { answers: [{ type: T.A, rdata: aRdata('192.0.2.1') }] }));
      m.writeUInt16BE(2, 6);
      expect(scanMessage(m)).toBeNull();
    });

    it.each([0, 2])('returns null for qdcount %i', (qd) => {
      const m = Buffer.from(query);
      m.writeUInt16BE(qd, 4);
      expect(scanMessage(m)).toBeNull();
    });

    it('returns null for fewer than 12 bytes', () => {
      expect(scanMessage(query.subarray(0, 11))).toBeNull();
    });

    it('returns null for a question cut before its class', () => {
      expect(scanMessage(query.subarray(0, query.length - 1))).toBeNull();
    });
  });
});

describe('readTtl', () => {
  it('reads a 32-bit TTL', () => {
    expect(readTtl(Buffer.from([0x00, 0x01, 0x51, 0x80]), 0)).toBe(86400);
    expect(readTtl(Buffer.from([0x7f, 0xff, 0xff, 0xff]), 0)).toBe(0x7fffffff);
  });

  it('treats a TTL with the top bit set as 0 (RFC 2181 §8)', () => {
    expect(readTtl(Buffer.from([0x80, 0x00, 0x00, 0x00]), 0)).toBe(0);
    expect(readTtl(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0)).toBe(0);
  });

  it('round-trips with writeTtl', () => {
    const b = Buffer.alloc(6);
    writeTtl(b, 1, 3_600_123);
    expect(b.readUInt32BE(1)).toBe(3_600_123);
    expect(readTtl(b, 1)).toBe(3_600_123);
  });
});

describe('readAddress', () => {
  const ref = (type: number, rdata: Buffer): [Buffer, RecordRef] => {
    const m = Buffer.concat([Buffer.alloc(12), rr({ name: '.', type, rdata })]);
    return [m, { offset: 12, type, klass: 1, ttlOffset: 17, rdataOffset: 23, rdataLength: rdata.length, section: 0 }];
  };

  it('reads an A record as dotted quad', () => {
    expect(readAddress(...ref(T.A, aRdata('192.0.2.33')))).toBe('192.0.2.33');
  });

  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'], // longest run, a lone 0 stays
    ['2001:0db8:0001:0000:0000:0000:0000:0000', '2001:db8:1::'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:DB8:AAAA:1:1:1:1:1', '2001:db8:aaaa:1:1:1:1:1'],
  ])('reads AAAA %s as %s (RFC 5952)', (input, text) => {
    expect(readAddress(...ref(T.AAAA, aaaaRdata(input)))).toBe(text);
  });

  it('returns null for an A record of the wrong length', () => {
    expect(readAddress(...ref(T.A, Buffer.from([1, 2, 3])))).toBeNull();
  });

  it('returns null for other types', () => {
    expect(readAddress(...ref(T.TXT, Buffer.from([1, 2, 3, 4])))).toBeNull();
  });

  it('returns null for a SOA even of 16 bytes', () => {
    expect(readAddress(...ref(T.SOA, soaRdata({ minimum: 1 }).subarray(0, 16)))).toBeNull();
  });
});
