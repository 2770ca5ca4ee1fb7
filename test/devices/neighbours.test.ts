import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsProblem, sh } from '../helpers/netns.js';
import {
  canonicalIp,
  createNeighbourTable,
  normaliseMac,
  parseIpNeigh,
  parseProcNetArp,
} from '../../src/devices/neighbours.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/neigh/${name}`, import.meta.url), 'utf8');
const tick = () => new Promise((r) => setImmediate(r));
const settle = async () => {
  for (let i = 0; i < 5; i++) await tick();
};

describe('neighbours', () => {
  describe('parseProcNetArp', () => {
    it.each([
      ['empty text', '', {}],
      ['header only', fixture('proc-net-arp-header-only.txt'), {}],
      [
        'complete entries only, lowercased, zero MACs and garbage skipped',
        fixture('proc-net-arp.txt'),
        { '192.168.1.20': 'aa:bb:cc:00:11:22', '192.168.1.22': '02:00:5e:00:00:22', '10.0.0.9': '02:00:5e:0a:0b:0c' },
      ],
    ])('%s', (_, text, expected) => {
      expect(Object.fromEntries(parseProcNetArp(text))).toEqual(expected);
    });
  });

  describe('parseIpNeigh', () => {
    it('keeps usable states, canonicalises IPv6, skips FAILED/INCOMPLETE and lines without lladdr', () => {
      expect(Object.fromEntries(parseIpNeigh(fixture('ip-neigh-iproute2.txt')))).toEqual({
        '192.168.1.20': 'aa:bb:cc:00:11:22',
        '192.168.1.22': '02:00:5e:00:00:22',
        'fe80::1c2d:3eff:fe4f:5a6b': '1e:2d:3e:4f:5a:6b',
        '2001:db8::1': '02:00:5e:00:00:01',
        '2001:db8::2': '02:00:5e:00:00:02',
        '2001:db8::3': '02:00:5e:00:00:03',
        '2001:db8::4': '02:00:5e:00:00:04',
        '2001:db8::7': '02:00:5e:00:00:07',
        'fd00::1': '02:00:5e:00:00:09',
      });
    });
    it('reads busybox output (ref/used/probes tokens)', () => {
      expect(Object.fromEntries(parseIpNeigh(fixture('ip-neigh-busybox.txt')))).toEqual({
        '192.168.1.20': 'aa:bb:cc:00:11:22',
        '2001:db8::2': '02:00:5e:00:00:02',
      });
    });
    it.each(['', '\n\n', 'lladdr', 'Error: no such device'])('returns an empty map for %j', (text) => {
      expect(parseIpNeigh(text).size).toBe(0);
    });
  });

  describe('normaliseMac and canonicalIp', () => {
    it.each([
      ['AA-BB-CC-DD-EE-FF', 'aa:bb:cc:dd:ee:ff'],
      ['0:1:2:3:4:5', '00:01:02:03:04:05'],
      ['00:00:00:00:00:00', null],
      ['aa:bb:cc:dd:ee', null],
      ['aabbccddeeff', 'aa:bb:cc:dd:ee:ff'],
    ])('MAC %s → %s', (text, mac) => expect(normaliseMac(text)).toBe(mac));
    it.each([
      ['192.0.2.1', '192.0.2.1'],
      ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
      ['fe80::1%br-lan', 'fe80::1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['nonsense', null],
    ])('IP %s → %s', (text, ip) => expect(canonicalIp(text)).toBe(ip));
  });

  describe('createNeighbourTable', () => {
    function setup(arp = fixture('proc-net-arp.txt'), neigh = fixture('ip-neigh-iproute2.txt')) {
      let clock = 1_000_000;
      const calls = { arp: 0, neigh: 0 };
      const logs: string[] = [];
      const io = { arp, neigh: neigh as string | Error };
      const table = createNeighbourTable({
        now: () => clock,
        log: (m) => logs.push(m),
        readArp: () => {
          calls.arp++;
          if (io.arp === 'THROW') throw new Error('EACCES: /proc/net/arp');
          return io.arp;
        },
        runIpNeigh: async () => {
          calls.neigh++;
          if (io.neigh instanceof Error) throw io.neigh;
          return io.neigh;
        },
      });
      return { table, calls, logs, io, advance: (ms: number) => (clock += ms) };
    }

    describe('when the table is empty', () => {
      it('answers null at once, refreshes in the background, then knows the MAC', async () => {
        const { table, calls } = setup();
        expect(table.lookup('192.168.1.20')).toBeNull();
        expect(calls.arp).toBe(0); // lookup itself never reads
        await settle();
        expect(calls).toEqual({ arp: 1, neigh: 1 });
        expect(table.lookup('192.168.1.20')).toBe('aa:bb:cc:00:11:22');
        expect(table.lookup('2001:db8::1')).toBe('02:00:5e:00:00:01');
        expect(table.size()).toBe(12);
      });
    });

    describe('when many misses arrive together', () => {
      it('refreshes once for 100 misses in a row', async () => {
        const { table, calls, advance } = setup();
        for (let i = 0; i < 100; i++) expect(table.lookup(`192.168.7.${i}`)).toBeNull();
        await settle();
        for (let i = 0; i < 100; i++) table.lookup(`192.168.8.${i}`);
        await settle();
        expect(calls.arp).toBe(1);
        advance(1000);
        table.lookup('192.168.9.1');
        await settle();
        expect(calls.arp).toBe(2);
      });
      it('does not re-read for an address that was missing after a refresh, until the TTL', async () => {
        const { table, calls, advance } = setup();
        table.lookup('127.0.0.1');
        await settle();
        advance(5000);
        table.lookup('127.0.0.1');
        await settle();
        expect(calls.arp).toBe(1);
        advance(26_000);
        table.lookup('127.0.0.1');
        await settle();
        expect(calls.arp).toBe(2);
      });
      it('joins a refresh already running', async () => {
        const { table, calls } = setup();
        await Promise.all([table.refresh(), table.refresh()]);
        expect(calls.neigh).toBe(1);
      });
    });

    describe('when the table is older than the TTL', () => {
      it('still answers from it and refreshes in the background', async () => {
        const { table, calls, advance, io } = setup();
        await table.refresh();
        io.arp = '192.168.1.20 0x1 0x2 02:00:5e:00:00:99 * br-lan\n';
        advance(29_000);
        expect(table.lookup('192.168.1.20')).toBe('aa:bb:cc:00:11:22');
        await settle();
        expect(calls.arp).toBe(1);
        advance(2000);
        expect(table.lookup('192.168.1.20')).toBe('aa:bb:cc:00:11:22');
        await settle();
        expect(calls.arp).toBe(2);
        expect(table.lookup('192.168.1.20')).toBe('02:00:5e:00:00:99');
      });
    });

    describe('when a client address is spelt differently', () => {
      it('finds IPv4-mapped IPv6 and zoned addresses', async () => {
        const { table } = setup();
        await table.refresh();
        expect(table.lookup('::ffff:192.168.1.20')).toBe('aa:bb:cc:00:11:22');
        expect(table.lookup('::ffff:c0a8:114')).toBe('aa:bb:cc:00:11:22');
        expect(table.lookup('fe80::1c2d:3eff:fe4f:5a6b%br-lan')).toBe('1e:2d:3e:4f:5a:6b');
        expect(table.lookup('2001:DB8::2')).toBe('02:00:5e:00:00:02');
      });
    });

    describe('when a reader fails', () => {
      it('keeps the previous table and logs one line', async () => {
        const { table, io, logs, advance } = setup();
        await table.refresh();
        io.arp = 'THROW';
        io.neigh = new Error('ip: timed out');
        await table.refresh();
        advance(1000);
        await table.refresh();
        expect(table.lookup('192.168.1.20')).toBe('aa:bb:cc:00:11:22');
        expect(table.lookup('2001:db8::1')).toBe('02:00:5e:00:00:01');
        expect(logs).toHaveLength(1);
        expect(logs[0]).toMatch(/cannot read \/proc\/net\/arp/);
      });
      it('stops running `ip` after ENOENT, with one log line', async () => {
        const { table, io, logs, calls, advance } = setup();
        io.neigh = Object.assign(new Error('spawn ip ENOENT'), { code: 'ENOENT' });
        await table.refresh();
        advance(60_000);
        await table.refresh();
        expect(calls).toEqual({ arp: 2, neigh: 1 });
        expect(logs).toEqual(['neighbours: `ip` not found; IPv6 clients will not be identified by MAC']);
        expect(table.lookup('192.168.1.20')).toBe('aa:bb:cc:00:11:22');
      });
    });
  });
});

// Real kernel tables: a network namespace joined to this one by a veth pair.
const problem = netnsProblem();
const MAC = '02:00:5e:10:00:01';

describe.skipIf(problem !== null)(`neighbours against the kernel${problem ? ` (skipped: ${problem})` : ''}`, () => {
  const ns = `tmn${process.pid}`;
  const host = `tmh${process.pid}`;
  const peer = `tmp${process.pid}`;
  const inNs = (args: string[]) => sh('ip', ['netns', 'exec', ns, ...args]);

  beforeAll(() => {
    sh('ip', ['netns', 'add', ns]);
    sh('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', peer]);
    sh('ip', ['link', 'set', peer, 'address', MAC, 'netns', ns]);
    sh('ip', ['addr', 'add', '198.18.7.1/24', 'dev', host]);
    sh('ip', ['-6', 'addr', 'add', 'fd00:7::1/64', 'dev', host, 'nodad']);
    sh('ip', ['link', 'set', host, 'up']);
    inNs(['ip', 'addr', 'add', '198.18.7.2/24', 'dev', peer]);
    inNs(['ip', '-6', 'addr', 'add', 'fd00:7::2/64', 'dev', peer, 'nodad']);
    inNs(['ip', 'link', 'set', peer, 'up']);
    // One datagram each way out of the namespace: the ARP request / neighbour solicitation that
    // precedes it makes the host kernel create the entry (net/ipv4/arp.c arp_process).
    const send =
      "const d = require('dgram');" +
      "for (const [f, a] of [['udp4', '198.18.7.1'], ['udp6', 'fd00:7::1']]) {" +
      "  const s = d.createSocket(f); s.send('x', 9, a, () => setTimeout(() => s.close(), 200)); }";
    inNs([process.execPath, '-e', send]);
  });

  afterAll(() => {
    for (const args of [['link', 'del', host], ['netns', 'del', ns]]) {
      try {
        sh('ip', args);
      } catch {
        // already gone (setup failed half-way)
      }
    }
  });

  it('maps the namespace address to the veth MAC with the real readers', async () => {
    const table = createNeighbourTable({ minRefreshMs: 0 });
    for (let i = 0; i < 40 && table.lookup('198.18.7.2') === null; i++) {
      await table.refresh();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(table.lookup('198.18.7.2')).toBe(MAC);
    expect(table.lookup('::ffff:198.18.7.2')).toBe(MAC);
    const v6 = sh('ip', ['-6', 'neigh', 'show', 'dev', host]);
    if (/fd00:7::2 .*lladdr/.test(v6)) expect(table.lookup('fd00:7::2')).toBe(MAC);
  });
});
