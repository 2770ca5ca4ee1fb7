import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { netnsProblem, sh } from '../helpers/netns.js';
import { createLeaseWatcher, parseDnsmasqLeases, parseOdhcpdLeases, type Lease } from '../../src/devices/leases.js';
import { spawnFixture } from '../helpers/knot.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/leases/${name}`, import.meta.url), 'utf8');
const SCRIPT = '<script>alert(1)</script>';
const lease = (l: Partial<Lease>, source: Lease['source']): Lease => ({
  mac: null, ips: [], hostname: null, clientId: null, duid: null, expires: 1_900_000_000, source, ...l,
});

describe('leases', () => {
  describe('parseDnsmasqLeases', () => {
    it('reads IPv4 and DHCPv6 lines, keeps hostile hostnames verbatim, counts garbage', () => {
      const d = (l: Partial<Lease>) => lease(l, 'dnsmasq');
      expect(parseDnsmasqLeases(fixture('dnsmasq.leases'))).toEqual({
        leases: [
          d({ mac: 'aa:bb:cc:00:11:22', ips: ['192.168.1.20'], hostname: 'kitchen-tv', clientId: '01:aa:bb:cc:00:11:22' }),
          d({ mac: '02:00:5e:00:00:23', ips: ['192.168.1.23'] }),
          d({ mac: '02:00:5e:00:00:24', ips: ['192.168.1.24'], hostname: 'nas', expires: 0 }),
          d({ mac: '02:00:5e:00:00:25', ips: ['192.168.1.25'], hostname: SCRIPT }),
          d({ ips: ['2001:db8::25'], hostname: 'phone', duid: '00:01:00:01:2c:3d:4e:5f:02:00:5e:00:00:25' }),
          d({ ips: ['2001:db8::26'], duid: '00:03:00:01:02:00:5e:00:00:26' }),
        ],
        bad: 4,
      });
    });
    it.each([
      ['empty file', fixture('empty.leases'), 0, 0],
      ['CRLF line ends', fixture('dnsmasq-crlf.leases'), 2, 0],
      ['only garbage', 'hello\nworld 1 2 3 4\n', 0, 2],
    ])('%s: %i leases, %i bad', (_, text, count, bad) => {
      const r = parseDnsmasqLeases(text);
      expect([r.leases.length, r.bad]).toEqual([count, bad]);
      for (const l of r.leases) expect(l.hostname).toMatch(/^[a-z]+$/); // no \r left behind
    });
    it('caps a hostname at 253 characters', () => {
      const r = parseDnsmasqLeases(`0 02:00:5e:00:00:01 192.0.2.1 ${'a'.repeat(300)} *`);
      expect(r.leases[0].hostname).toHaveLength(253);
    });
  });

  describe('parseOdhcpdLeases', () => {
    it('reads DHCPv6 and DHCPv4 lease lines, ignores hosts lines and expired leases', () => {
      const o = (l: Partial<Lease>) => lease(l, 'odhcpd');
      expect(parseOdhcpdLeases(fixture('odhcpd.leases'))).toEqual({
        leases: [
          o({ ips: ['2001:db8::40', 'fd00::40'], hostname: 'kitchen-tv', duid: '000100012c3d4e5f02005e000040' }),
          o({ ips: ['2001:db8::41'], duid: '0003000102005e000041', expires: 0 }),
          o({ ips: ['2001:db8::42'], hostname: SCRIPT, duid: '0003000102005e000042' }),
          o({ mac: '02:00:5e:00:00:44', ips: ['192.168.1.68'], hostname: 'printer' }),
          o({ mac: '02:00:5e:00:00:45', ips: ['192.168.1.69'], hostname: 'broken\\x20name' }),
        ],
        bad: 3,
      });
    });
    it.each([
      ['empty file', '', 0, 0],
      ['hosts lines only', '2001:db8::1\tphone.lan\tphone\n', 0, 0],
      ['CRLF line ends', '# br-lan 0003000102005e000041 1 tv -1 41 128 2001:db8::41/128\r\n', 1, 0],
    ])('%s: %i leases, %i bad', (_, text, count, bad) => {
      const r = parseOdhcpdLeases(text);
      expect([r.leases.length, r.bad]).toEqual([count, bad]);
    });
  });

  describe('createLeaseWatcher', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-leases-'));
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    });
    afterEach(() => {
      vi.useRealTimers();
      rmSync(dir, { recursive: true, force: true });
    });

    function setup() {
      const files = [
        { path: path.join(dir, 'dhcp.leases'), format: 'dnsmasq' as const },
        { path: path.join(dir, 'odhcpd'), format: 'odhcpd' as const },
      ];
      const reads: string[] = [];
      const changes: Lease[][] = [];
      const logs: string[] = [];
      const watcher = createLeaseWatcher({
        files,
        intervalMs: 5000,
        now: () => 1_800_000_000_000,
        log: (m) => logs.push(m),
        readFile: (p) => (reads.push(path.basename(p)), readFileSync(p, 'utf8')),
        onChange: (l) => changes.push(l),
      });
      const write = (i: number, text: string) => {
        writeFileSync(files[i].path + '.tmp', text); // as dnsmasq and odhcpd do: write, then rename
        renameSync(files[i].path + '.tmp', files[i].path);
      };
      const tick = () => vi.advanceTimersByTime(5000);
      return { watcher, files, reads, changes, logs, write, tick };
    }

    it('merges both files and re-reads only the one that changed', () => {
      const { watcher, reads, changes, write, tick } = setup();
      write(0, fixture('dnsmasq-crlf.leases'));
      write(1, fixture('odhcpd.leases'));
      watcher.start();
      expect(changes).toHaveLength(1);
      expect(watcher.current()).toHaveLength(7);
      tick();
      tick();
      expect(reads).toEqual(['dhcp.leases', 'odhcpd']); // unchanged files are not re-read
      write(0, fixture('dnsmasq-crlf.leases').replace('laptop', 'tablet')); // same size, new inode
      tick();
      expect(reads).toEqual(['dhcp.leases', 'odhcpd', 'dhcp.leases']);
      expect(changes).toHaveLength(2);
      expect(watcher.current()[0].hostname).toBe('tablet');
      watcher.stop();
    });

    it('logs a missing file once and picks it up when it appears', () => {
      const { watcher, changes, logs, write, tick } = setup();
      watcher.start();
      tick();
      tick();
      expect(logs.filter((m) => m.includes('dhcp.leases'))).toHaveLength(1);
      expect(changes).toHaveLength(0);
      write(0, fixture('dnsmasq.leases'));
      tick();
      expect(changes).toHaveLength(1);
      expect(changes[0].map((l) => l.hostname)).toContain(SCRIPT);
      watcher.stop();
    });

    it('drops the leases of a file that disappears, and expired leases', () => {
      const { watcher, files, changes, write, tick } = setup();
      write(0, '1700000000 02:00:5e:00:00:01 192.0.2.1 old *\n0 02:00:5e:00:00:02 192.0.2.2 forever *\n');
      watcher.start();
      expect(watcher.current().map((l) => l.hostname)).toEqual(['forever']);
      unlinkSync(files[0].path);
      tick();
      expect(changes.at(-1)).toEqual([]);
      watcher.stop();
    });

    it('reload() re-reads unchanged files; a throwing onChange does not escape', () => {
      const logs: string[] = [];
      const file = path.join(dir, 'dhcp.leases');
      writeFileSync(file, fixture('dnsmasq-crlf.leases'));
      const watcher = createLeaseWatcher({
        files: [{ path: file, format: 'dnsmasq' }],
        log: (m) => logs.push(m),
        onChange: () => {
          throw new Error('boom');
        },
      });
      expect(() => watcher.reload()).not.toThrow();
      expect(watcher.current()).toHaveLength(2);
      expect(logs).toEqual(['leases: onChange failed: boom']);
    });
  });
});

// Real DHCP: dnsmasq and busybox udhcpc in two network namespaces joined by a veth pair.
function dhcpProblem(): string | null {
  if (!existsSync('/usr/sbin/dnsmasq')) return 'no /usr/sbin/dnsmasq';
  try {
    if (!sh('busybox', ['--list']).split('\n').includes('udhcpc')) return 'busybox has no udhcpc';
  } catch (err) {
    return `no busybox: ${(err as Error).message.split('\n')[0]}`;
  }
  return netnsProblem();
}
const problem = dhcpProblem();
const MAC = '02:00:5e:10:00:02';

describe.skipIf(problem !== null)(`leases from a real dnsmasq${problem ? ` (skipped: ${problem})` : ''}`, () => {
  // The server gets its own namespace too, so its port 67 cannot clash with the host's.
  const [srv, cli, srvIf, cliIf] = ['tmds', 'tmdc', 'tmdh', 'tmdp'].map((p) => `${p}${process.pid}`);
  let dir = '';
  let dnsmasq: ReturnType<typeof spawnFixture> | undefined;
  let output = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-dhcp-'));
    for (const ns of [srv, cli]) sh('ip', ['netns', 'add', ns]);
    sh('ip', ['link', 'add', srvIf, 'netns', srv, 'type', 'veth', 'peer', 'name', cliIf, 'netns', cli, 'address', MAC]);
    sh('ip', ['-n', srv, 'addr', 'add', '198.18.9.1/24', 'dev', srvIf]);
    sh('ip', ['-n', srv, 'link', 'set', srvIf, 'up']);
    sh('ip', ['-n', cli, 'link', 'set', cliIf, 'up']);
    // --user=root: dropping privileges would clear setpriv's parent-death signal.
    const args = ['--port=0', '--no-daemon', '--dhcp-range=198.18.9.10,198.18.9.50,12h', `--interface=${srvIf}`,
      `--dhcp-leasefile=${dir}/leases`, '--bind-interfaces', '--conf-file=/dev/null', `--pid-file=${dir}/pid`,
      '--user=root', '--log-facility=-', '--no-ping']; // no-ping: skips the 3 s ICMP check of each offer
    dnsmasq = spawnFixture('ip', ['netns', 'exec', srv, '/usr/sbin/dnsmasq', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    dnsmasq.stdout?.on('data', (b) => (output += b));
    dnsmasq.stderr?.on('data', (b) => (output += b));
    for (let i = 0; i < 50 && !/DHCP, IP range/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toMatch(/DHCP, IP range/);
  });

  afterAll(async () => {
    if (dnsmasq && dnsmasq.exitCode === null) {
      const gone = new Promise((r) => dnsmasq!.once('exit', r));
      dnsmasq.kill('SIGKILL');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 3000))]);
    }
    for (const ns of [srv, cli]) {
      try {
        sh('ip', ['netns', 'del', ns]); // deleting a namespace deletes its end of the veth pair
      } catch {
        // never created
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('parses the lease dnsmasq wrote for a busybox udhcpc client', async () => {
    const udhcpc = ['netns', 'exec', cli, 'busybox', 'udhcpc', '-i', cliIf, '-n', '-q', '-t', '5', '-T', '1',
      '-x', 'hostname:kitchen-tv', '-s', '/bin/true'];
    await new Promise<void>((resolve, reject) =>
      execFile('ip', udhcpc, { timeout: 10_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${out}${errOut}\n${output}`)) : resolve(),
      ),
    );
    let leases: Lease[] = [];
    for (let i = 0; i < 30 && !leases.some((l) => l.mac === MAC); i++) {
      if (existsSync(`${dir}/leases`)) leases = parseDnsmasqLeases(readFileSync(`${dir}/leases`, 'utf8')).leases;
      if (!leases.length) await new Promise((r) => setTimeout(r, 100));
    }
    const got = leases.find((l) => l.mac === MAC);
    expect(got, output).toMatchObject({ hostname: 'kitchen-tv', source: 'dnsmasq' });
    expect(got!.ips[0]).toMatch(/^198\.18\.9\.(\d+)$/);
    expect(got!.expires).toBeGreaterThan(Date.now() / 1000);
  });
});
