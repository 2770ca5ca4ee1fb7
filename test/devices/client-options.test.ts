import { spawn, execFile, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRUSTED_FORWARDERS, readClientOptions } from '../../src/devices/client-options.js';
import { freePort } from '../helpers/ports.js';

/** One EDNS option TLV (RFC 6891 §6.1.2). */
function opt(code: number, value: number[] | Buffer | string): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(code, 0);
  head.writeUInt16BE(v.length, 2);
  return Buffer.concat([head, v]);
}

/** The options region inside a larger buffer, as the decode stage hands it over. */
function read(region: Buffer, before = 7, after = 5) {
  const raw = Buffer.concat([Buffer.alloc(before, 0xaa), region, Buffer.alloc(after, 0xbb)]);
  return readClientOptions(raw, before, region.length);
}

/** Where the OPT RDATA sits in a query with one question and OPT as the only other record. */
function optionsOf(packet: Buffer): { offset: number; length: number } {
  let p = 12;
  while (packet[p] !== 0) p += packet[p] + 1;
  p += 1 + 4; // root label, QTYPE, QCLASS
  expect(packet.readUInt16BE(p + 1)).toBe(41); // OPT owned by the root
  return { offset: p + 11, length: packet.readUInt16BE(p + 9) };
}

const MAC = [0x64, 0x09, 0x80, 0x3a, 0x4b, 0x5c];
const ECS4 = opt(8, [0, 1, 32, 0, 192, 0, 2, 7]);

describe('readClientOptions', () => {
  describe('when dnsmasq added the MAC', () => {
    it.each([
      ['--add-mac (65001, raw bytes)', opt(65001, MAC)],
      ['--add-mac=base64 (65073, 8 chars)', opt(65073, 'ZAmAOktc')],
      ['--add-mac=text (65073, 17 chars)', opt(65073, '64:09:80:3a:4b:5c')],
      ['--add-mac=text in capitals', opt(65073, '64:09:80:3A:4B:5C')],
    ])('reads %s', (_, region) => {
      expect(read(region)).toEqual({ mac: '64:09:80:3a:4b:5c', subnet: null });
    });

    it.each([
      ['a 65001 that is not 6 bytes (InfiniBand)', opt(65001, Buffer.alloc(20, 1))],
      ['a 65073 of another length', opt(65073, 'device-1234')],
      ['a 65073 of 8 chars that are not base64', opt(65073, 'ZAmA-ktc')],
      ['a 65073 of 17 chars that are not a MAC', opt(65073, '64-09-80-3a-4b-5c')],
    ])('ignores %s', (_, region) => {
      expect(read(region)).toEqual({ mac: null, subnet: null });
    });
  });

  describe('when dnsmasq added the client subnet (ECS, RFC 7871)', () => {
    it('reports a full IPv4 address', () => {
      expect(read(ECS4)).toEqual({ mac: null, subnet: { family: 4, address: '192.0.2.7', prefix: 32 } });
    });

    it('reports a full IPv6 address in RFC 5952 form', () => {
      const v6 = opt(8, [0, 2, 128, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]);
      expect(read(v6).subnet).toEqual({ family: 6, address: '2001:db8::1', prefix: 128 });
    });

    it('keeps the dotted tail of an IPv4-mapped address', () => {
      const mapped = opt(8, [0, 2, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]);
      expect(read(mapped).subnet?.address).toBe('::ffff:127.0.0.1');
    });

    it.each([
      ['a /24 (names a network, not a device)', opt(8, [0, 1, 24, 0, 192, 0, 2])],
      ['a /56 IPv6 prefix', opt(8, [0, 2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0])],
      ['a /0 with no address', opt(8, [0, 1, 0, 0])],
      ['an address longer than the prefix says (RFC 7871 §6)', opt(8, [0, 1, 24, 0, 192, 0, 2, 7])],
      ['a /32 with a short address', opt(8, [0, 1, 32, 0, 192, 0, 2])],
      ['a prefix beyond the family', opt(8, [0, 1, 33, 0, 192, 0, 2, 7, 0])],
      ['an unknown family', opt(8, [0, 3, 32, 0, 192, 0, 2, 7])],
      ['an option shorter than its fixed part', opt(8, [0, 1, 32])],
    ])('reports no address for %s', (_, region) => {
      expect(read(region)).toEqual({ mac: null, subnet: null });
    });
  });

  describe('when the region holds several options', () => {
    it('reads the MAC and the subnet among others (cookie, padding)', () => {
      const region = Buffer.concat([opt(10, Buffer.alloc(8, 7)), opt(65001, MAC), opt(12, []), ECS4]);
      expect(read(region)).toEqual({ mac: '64:09:80:3a:4b:5c', subnet: { family: 4, address: '192.0.2.7', prefix: 32 } });
    });

    it('takes the first MAC option, as dnsmasq add_pseudoheader() does', () => {
      const region = Buffer.concat([opt(65001, MAC), opt(65001, [0, 0x11, 0x22, 0x33, 0x44, 0x55]), opt(65073, '00:11:22:33:44:66')]);
      expect(read(region).mac).toBe('64:09:80:3a:4b:5c');
    });

    it('takes the first MAC option across both codes', () => {
      const region = Buffer.concat([opt(65073, 'ZAmAOktc'), opt(65001, [0, 0x11, 0x22, 0x33, 0x44, 0x55])]);
      expect(read(region).mac).toBe('64:09:80:3a:4b:5c');
    });

    it('takes the first subnet option', () => {
      const region = Buffer.concat([ECS4, opt(8, [0, 1, 32, 0, 198, 51, 100, 1])]);
      expect(read(region).subnet?.address).toBe('192.0.2.7');
    });

    it('ignores options it does not know', () => {
      expect(read(Buffer.concat([opt(10, Buffer.alloc(8)), opt(15, [0, 15])]))).toEqual({ mac: null, subnet: null });
    });
  });

  describe('when the region is garbage', () => {
    const macThenEcs = Buffer.concat([opt(65001, MAC), ECS4]);

    it.each([
      ['an empty region', Buffer.alloc(0)],
      ['a lone byte', Buffer.from([0xfd])],
      ['an option header cut short', Buffer.from([0xfd, 0xe9, 0x00])],
      ['an option whose length runs past the region', Buffer.concat([Buffer.from([0xfd, 0xe9, 0x00, 0x07]), Buffer.from(MAC)])],
      ['a length of 0xffff', Buffer.from([0xfd, 0xe9, 0xff, 0xff, 1, 2, 3, 4, 5, 6])],
      ['random bytes', Buffer.from('0f3c9a00ff01fde9', 'hex')],
    ])('returns nulls for %s', (_, region) => {
      expect(read(region)).toEqual({ mac: null, subnet: null });
    });

    it('keeps what it read before an option that runs past the region', () => {
      const region = Buffer.concat([opt(65001, MAC), Buffer.from([0, 8, 0, 8, 0, 1])]);
      expect(read(region).mac).toBe('64:09:80:3a:4b:5c');
    });

    it('never reads past the region even when the buffer goes on', () => {
      // The region ends inside the ECS option; the bytes after it would complete it.
      const raw = Buffer.concat([Buffer.from([1, 2, 3]), macThenEcs]);
      expect(readClientOptions(raw, 3, macThenEcs.length - 1)).toEqual({ mac: '64:09:80:3a:4b:5c', subnet: null });
    });

    it('never reads past the buffer when the length says more', () => {
      expect(readClientOptions(macThenEcs, 0, 1000)).toEqual({ mac: '64:09:80:3a:4b:5c', subnet: { family: 4, address: '192.0.2.7', prefix: 32 } });
    });

    it.each([
      [-1, 10],
      [0, 0],
      [0, -5],
      [Number.NaN, 10],
      [1.5, 10],
      [100, 10],
    ])('returns nulls for offset %d and length %d', (offset, length) => {
      expect(readClientOptions(macThenEcs, offset, length)).toEqual({ mac: null, subnet: null });
    });

    it('survives every truncation and a sweep of random regions', () => {
      for (let n = 0; n <= macThenEcs.length; n++) expect(() => readClientOptions(macThenEcs, 0, n)).not.toThrow();
      let seed = 7;
      const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
      for (let i = 0; i < 2000; i++) {
        const region = Buffer.from(Array.from({ length: random() % 40 }, random));
        if (i % 3 === 0 && region.length > 4) region.writeUInt16BE([8, 65001, 65073][i % 9 === 0 ? 0 : 1], 0);
        expect(() => readClientOptions(region, 0, region.length)).not.toThrow();
      }
    });
  });

  // Captured from Debian's dnsmasq 2.90 forwarding kdig's queries from a veth peer with MAC
  // 64:09:80:3a:4b:5c (10.231.0.2 / fd00:231::2) in a network namespace, with
  // --add-mac[=base64|=text] --add-subnet=32,128 --server=127.0.0.1#<node listener>.
  describe('with what dnsmasq 2.90 really sent', () => {
    it.each([
      ['--add-mac, IPv4', 'e91301200001000000000001076578616d706c65036f726700000100010000290200000000000016fde900066409803a4b5c00080008000120000ae70002', '10.231.0.2'],
      ['--add-mac, IPv6', '9f9401200001000000000001076578616d706c65036e657400001c00010000290200000000000022fde900066409803a4b5c0008001400028000fd000231000000000000000000000002', 'fd00:231::2'],
      ['--add-mac=base64, IPv4', '80ff01200001000000000001076578616d706c65036f726700000100010000290200000000000018fe3100085a416d414f6b746300080008000120000ae70002', '10.231.0.2'],
      ['--add-mac=base64, IPv6', '9f0101200001000000000001076578616d706c65036e657400001c00010000290200000000000024fe3100085a416d414f6b74630008001400028000fd000231000000000000000000000002', 'fd00:231::2'],
      ['--add-mac=text, IPv4', '89ac01200001000000000001076578616d706c65036f726700000100010000290200000000000021fe31001136343a30393a38303a33613a34623a356300080008000120000ae70002', '10.231.0.2'],
      ['--add-mac=text, IPv6', '58f901200001000000000001076578616d706c65036e657400001c0001000029020000000000002dfe31001136343a30393a38303a33613a34623a35630008001400028000fd000231000000000000000000000002', 'fd00:231::2'],
    ])('reads %s', (_, hex, address) => {
      const packet = Buffer.from(hex, 'hex');
      const { offset, length } = optionsOf(packet);
      const got = readClientOptions(packet, offset, length);
      expect(got.mac).toBe('64:09:80:3a:4b:5c');
      expect(got.subnet).toEqual({ family: address.includes(':') ? 6 : 4, address, prefix: address.includes(':') ? 128 : 32 });
    });
  });
});

// dnsmasq only adds a MAC it finds in the neighbour table, and loopback has none: from 127.0.0.1
// the live capture carries ECS 127.0.0.1/32 only (the MAC forms are covered by the captures above).
const tools = existsSync('/usr/sbin/dnsmasq') && ['/usr/bin/kdig', '/usr/local/bin/kdig'].some(existsSync);
describe.skipIf(!tools)('readClientOptions on a live dnsmasq over loopback', () => {
  let dir: string;
  let dnsmasq: ChildProcess;
  let listener: dgram.Socket;
  let dnsmasqPort: number;
  const received: Buffer[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-client-options-'));
    listener = dgram.createSocket('udp4');
    listener.on('message', (m) => received.push(m));
    const upstreamPort = await freePort();
    await new Promise<void>((resolve) => listener.bind(upstreamPort, '127.0.0.1', resolve));
    dnsmasqPort = await freePort();
    dnsmasq = spawn('/usr/sbin/dnsmasq', [
      '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${dnsmasqPort}`, '--no-resolv', `--server=127.0.0.1#${upstreamPort}`,
      '--add-mac', '--add-subnet=32,128', '--no-daemon', '--conf-file=/dev/null', `--pid-file=${join(dir, 'pid')}`, '--cache-size=0',
    ], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(() => {
    dnsmasq?.kill();
    listener?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the client address 127.0.0.1/32 and no MAC', async () => {
    for (let i = 0; i < 20 && received.length === 0; i++) {
      await new Promise((resolve) => execFile('kdig', [`@127.0.0.1`, '-p', String(dnsmasqPort), 'example.org', 'A', '+retry=0', '+timeout=1'], resolve));
    }
    expect(received.length).toBeGreaterThan(0);
    const { offset, length } = optionsOf(received[0]);
    expect(readClientOptions(received[0], offset, length)).toEqual({ mac: null, subnet: { family: 4, address: '127.0.0.1', prefix: 32 } });
  });
});

describe('DEFAULT_TRUSTED_FORWARDERS', () => {
  it('is loopback only: dnsmasq on the router itself', () => {
    expect([...DEFAULT_TRUSTED_FORWARDERS]).toEqual(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
  });
});
