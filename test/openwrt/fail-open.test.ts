/**
 * Fail-open, proven against the real dnsmasq (Debian's 2.90, the version OpenWrt 23.05 and
 * 24.10 ship). A Node UDP server stands in for telemute and another for the real upstream;
 * everything is on 127.0.0.1.
 *
 * The first block pins the dnsmasq behaviour the design rests on (docs/openwrt.md):
 * a second server= line neither fails over (with --add-subnet) nor keeps blocking
 * effective (without --strict-order). The second block runs telemute-dnsmasq.sh's
 * watchdog with the stub uci and a stand-in dnsmasq init script that restarts the
 * real dnsmasq.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { fakeServer, lookup, type FakeServer } from './helpers/dns.js';
import { Sandbox, helperScript, shell, stockUci } from './helpers/sandbox.js';

const DNSMASQ = '/usr/sbin/dnsmasq';
const here = path.dirname(fileURLToPath(import.meta.url));
const TELEMUTE_IP = '192.0.2.99';
const UPSTREAM_IP = '192.0.2.1';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function server(port: number, address: string, delayMs = 0): Promise<FakeServer> {
  const s = await fakeServer(port, address, delayMs);
  cleanups.push(() => s.close().catch(() => undefined));
  return s;
}

async function waitFor(port: number, want: string | null, name: string, limitMs: number): Promise<number> {
  const start = Date.now();
  for (let i = 0; Date.now() - start < limitMs; i++) {
    const r = await lookup(port, `${name}-${i}.example.org`, 500, 2);
    if (r.address === want) return Date.now() - start;
  }
  throw new Error(`no ${want} answer for ${name} within ${limitMs} ms`);
}

/** A foreground dnsmasq with the given extra options. */
async function dnsmasq(port: number, options: string[]): Promise<void> {
  const child: ChildProcess = spawn(
    DNSMASQ,
    ['-k', '-C', '/dev/null', `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--no-resolv',
      '--no-hosts', '--pid-file=', '--user=root', '--cache-size=0', '--address=/ready.example.org/192.0.2.250', ...options],
    { stdio: 'ignore' },
  );
  cleanups.push(() => child.kill());
  for (let i = 0; i < 50; i++) {
    if ((await lookup(port, 'ready.example.org', 100, 1)).address === '192.0.2.250') return;
  }
  throw new Error('dnsmasq did not start');
}

describe.skipIf(!fs.existsSync(DNSMASQ))('fail-open with a real dnsmasq', () => {
  describe('dnsmasq 2.90 on its own (why the integration needs a watchdog)', () => {
    it('never moves past a dead first server once --add-subnet is on, even with --strict-order', async () => {
      const [port, dead, up] = [await freePort(), await freePort(), await freePort()];
      const upstream = await server(up, UPSTREAM_IP);
      await dnsmasq(port, ['--strict-order', '--add-mac', '--add-subnet=32,128', `--server=127.0.0.1#${dead}`, `--server=127.0.0.1#${up}`]);
      const r = await lookup(port, 'a.example.org', 500, 4);
      expect(r.address).toBeNull();
      expect(upstream.count).toBe(0);
    });

    it('does move on at the client retry without --add-subnet (the flag is the cause)', async () => {
      const [port, dead, up] = [await freePort(), await freePort(), await freePort()];
      await server(up, UPSTREAM_IP);
      await dnsmasq(port, ['--strict-order', `--server=127.0.0.1#${dead}`, `--server=127.0.0.1#${up}`]);
      const r = await lookup(port, 'a.example.org', 500, 4);
      expect(r.address).toBe(UPSTREAM_IP);
    });

    it('sends queries past a slower telemute to a listed real upstream without --strict-order', async () => {
      const [port, tm, up] = [await freePort(), await freePort(), await freePort()];
      await server(tm, TELEMUTE_IP, 30);
      await server(up, UPSTREAM_IP);
      await dnsmasq(port, ['--add-subnet=32,128', `--server=127.0.0.1#${tm}`, `--server=127.0.0.1#${up}`]);
      const answers: (string | null)[] = [];
      for (let i = 0; i < 20; i++) answers.push((await lookup(port, `n${i}.example.org`)).address);
      expect(answers.filter((a) => a === UPSTREAM_IP).length).toBeGreaterThanOrEqual(15);
    });
  });

  describe('telemute-dnsmasq.sh watch', () => {
    it('routes every query through telemute, fails open within seconds when it dies, and takes over again', async () => {
      const [port, tm, up] = [await freePort(), await freePort(), await freePort()];
      const upstream = await server(up, UPSTREAM_IP);
      // The LuCI "DNS forwardings" case: noresolv plus a plain server, which the helper must park.
      const box = new Sandbox(stockUci({ noresolv: '1', server: [`127.0.0.1#${up}`] }), {
        dnsmasqInit: fs.readFileSync(path.join(here, 'helpers/dnsmasq-init.sh'), 'utf8'),
        procNet: '/proc/net',
      });
      Object.assign(box.env, { DNSMASQ_PORT: String(port), CONFDIR: box.confDir, TELEMUTE_WATCH_INTERVAL: '1' });
      cleanups.push(() => box.dispose());
      cleanups.push(() => box.run([box.env.TELEMUTE_DNSMASQ_INIT as string, 'stop']).catch(() => undefined));
      const before = box.uci();

      await box.run([box.env.TELEMUTE_DNSMASQ_INIT as string, 'restart']);
      expect((await lookup(port, 'before.example.org')).address).toBe(UPSTREAM_IP);

      let telemute = await server(tm, TELEMUTE_IP, 30);
      await box.helper('start');
      const [sh, ...shArgs] = shell;
      const watch = spawn(sh, [...shArgs, helperScript, 'watch', `127.0.0.1#${tm}`], { env: box.env, stdio: 'ignore' });
      cleanups.push(() => watch.kill());

      await waitFor(port, TELEMUTE_IP, 'takeover', 8000);
      const seen = upstream.count;
      const answers: (string | null)[] = [];
      for (let i = 0; i < 20; i++) answers.push((await lookup(port, `blocked${i}.example.org`)).address);
      expect(answers).toEqual(Array(20).fill(TELEMUTE_IP));
      expect(upstream.count).toBe(seen); // no query went around telemute

      await telemute.close();
      const failOpenMs = await waitFor(port, UPSTREAM_IP, 'failopen', 10_000);
      expect(failOpenMs).toBeLessThan(10_000);
      if (process.env.TELEMUTE_REPORT) console.info(`fail-open after ${failOpenMs} ms`);

      telemute = await server(tm, TELEMUTE_IP);
      await waitFor(port, TELEMUTE_IP, 'back', 8000);

      watch.kill();
      await box.helper('stop');
      expect(box.uci()).toEqual(before);
      expect((await lookup(port, 'after.example.org')).address).toBe(UPSTREAM_IP);
    }, 45_000);
  });
});
