/**
 * Devices, end to end: LAN devices in their own network namespaces (veth pairs with chosen MACs)
 * query the built bundle directly and through a real dnsmasq that adds their MAC (`--add-mac`, in
 * each encoding); the admin API shows which device asked. Skipped, with the reason, where network
 * namespaces cannot be made (not root).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKnot, spawnFixture, type Knot } from '../helpers/knot.js';
import { addLanDevice, netnsProblem, type LanDevice } from '../helpers/netns.js';
import { freePort } from '../helpers/ports.js';
import { ensureBuilt, startTelemute, type Telemute } from '../helpers/telemute.js';

const problem = netnsProblem() ?? (existsSync('/usr/sbin/dnsmasq') ? null : 'no /usr/sbin/dnsmasq');
const MAC = '02:00:5e:10:00:11';
const PASSWORD = 'correct horse battery';
const HOST = '198.18.11.1';

interface ApiDevice {
  id: string;
  ips: string[];
  displayName: string;
}

describe.skipIf(problem !== null)(`devices e2e${problem ? ` (skipped: ${problem})` : ''}`, () => {
  let knot: Knot;
  let tm: Telemute;
  let lan: LanDevice;
  let lanPort: number;
  let adminPort: number;
  let cookie: string;
  let dirs: string;

  beforeAll(async () => {
    await ensureBuilt();
    knot = await startKnot();
    lan = addLanDevice('dv', MAC, `${HOST}/24`, '198.18.11.2/24', { host: 'fd00:11::1/64', device: 'fd00:11::2/64' });
    lanPort = await freePort();
    adminPort = await freePort();
    dirs = mkdtempSync(path.join(os.tmpdir(), 'telemute-devices-e2e-'));
    await start();
  }, 200_000);

  /** Starts telemute with this file's state and volatile dirs (kept across restarts) and logs in. */
  async function start() {
    tm = await startTelemute(
      ['--upstream', `127.0.0.1:${knot.port}`, '--dns', `${HOST}:${lanPort}`, '--dns', `[fd00:11::1]:${lanPort}`, '--admin', `127.0.0.1:${adminPort}`,
        '--state', `${dirs}/state`, '--volatile', `${dirs}/run`],
      { env: { TELEMUTE_ADMIN_PASSWORD: PASSWORD } },
    );
    // The admin starts right after the DNS listeners: give it a moment.
    let res: Response | undefined;
    for (let i = 0; i < 50 && !res; i++) {
      res = await fetch(`http://127.0.0.1:${adminPort}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) }).catch(
        () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)),
      );
    }
    expect(res?.status, tm.log()).toBe(200);
    cookie = (res!.headers.get('set-cookie') ?? '').split(';')[0];
  }

  afterAll(async () => {
    await tm?.stop();
    await knot?.stop();
    lan?.remove();
    if (dirs) rmSync(dirs, { recursive: true, force: true });
  });

  const ask = (server: string, port: number, name: string, extra: string[] = []) =>
    lan.run('kdig', [`@${server}`, '-p', String(port), name, '+timeout=2', '+retry=0', ...extra]);
  const devices = async (): Promise<ApiDevice[]> =>
    ((await (await fetch(`http://127.0.0.1:${adminPort}/api/devices`, { headers: { cookie } })).json()) as { devices: ApiDevice[] }).devices;

  /** Asks until the registry shows `id` (the neighbour table learns the MAC in the background). */
  async function askUntilSeen(id: string, query: () => string): Promise<ApiDevice> {
    for (let i = 0; i < 30; i++) {
      expect(query()).toContain('NOERROR');
      const found = (await devices()).find((d) => d.id === id);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`device ${id} never appeared: ${JSON.stringify(await devices())}`);
  }

  describe('when a device asks telemute directly', () => {
    it('is known by its MAC, with its address and a name from its MAC', async () => {
      const d = await askUntilSeen(MAC, () => ask(HOST, lanPort, 'www.example.org'));
      expect(d.ips).toContain('198.18.11.2');
      expect(d.displayName).toBe('Private address 10:00:11'); // 02: is a locally administered MAC
    });

    it('is the same device over IPv6 (neighbour table from ip -6 neigh)', async () => {
      for (let i = 0; i < 30; i++) {
        expect(ask('fd00:11::1', lanPort, 'www.example.org', ['AAAA'])).toContain('NOERROR');
        const d = (await devices()).find((x) => x.id === MAC)!;
        if (d.ips.includes('fd00:11::2')) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the IPv6 address was never attributed to ${MAC}: ${JSON.stringify(await devices())}`);
    });

    it('stays the same device after it changes address', async () => {
      lan.readdress('198.18.11.2/24', '198.18.11.3/24');
      for (let i = 0; i < 30; i++) {
        ask(HOST, lanPort, 'mail.example.org');
        const d = (await devices()).find((x) => x.id === MAC)!;
        if (d.ips[0] === '198.18.11.3') {
          expect(d.ips).toContain('198.18.11.2');
          return;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error('the new address was never attributed to the device');
    });

    it('ignores a MAC option the device itself sends (only the local dnsmasq is trusted)', async () => {
      expect(ask(HOST, lanPort, 'example.org', ['+ednsopt=65001:020000000099'])).toContain('NOERROR');
      expect((await devices()).some((d) => d.id === '02:00:00:00:00:99')).toBe(false);
    });
  });

  describe('when the device asks through dnsmasq with add-mac', () => {
    for (const form of ['', '=base64', '=text']) {
      it(`is identified by the MAC dnsmasq adds (--add-mac${form})`, async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-dnsmasq-'));
        const port = await freePort();
        let dnsmasq: ChildProcess | undefined;
        try {
          // As the OpenWrt integration writes it: strip-* make dnsmasq replace a MAC/ECS option the
          // client sent itself (without them dnsmasq keeps the client's and adds none).
          dnsmasq = spawnFixture('/usr/sbin/dnsmasq', [
            '--keep-in-foreground', `--port=${port}`, `--listen-address=${HOST}`, '--bind-interfaces', '--no-resolv', '--no-hosts',
            `--server=127.0.0.1#${tm.port}`, `--add-mac${form}`, '--add-subnet=32,128', '--strip-mac', '--strip-subnet', '--cache-size=0',
            '--conf-file=/dev/null', `--pid-file=${dir}/pid`, '--user=root', '--log-facility=-',
          ], { stdio: 'ignore' });
          const before = (await devices()).find((d) => d.id === MAC)!;
          const name = `via-dnsmasq${form.replace('=', '-')}.example.org`;
          const forged = '02:00:00:00:00:98';
          // The registry's lastSeen moves only if telemute saw the MAC in dnsmasq's option: from
          // loopback without it, the query would be the router's.
          for (let i = 0; i < 30; i++) {
            try {
              if (ask(HOST, port, name).includes('NOERROR')) break;
            } catch {
              await new Promise((r) => setTimeout(r, 100)); // dnsmasq still starting
            }
          }
          const after = (await devices()).find((d) => d.id === MAC) as ApiDevice & { lastSeen: number };
          expect(after.lastSeen).toBeGreaterThan((before as ApiDevice & { lastSeen: number }).lastSeen);
          expect(after.ips[0]).toBe('198.18.11.3'); // from --add-subnet, not dnsmasq's 127.0.0.1
          // A device forging another's MAC through dnsmasq is still itself.
          expect(ask(HOST, port, `forged-${name}`, [`+ednsopt=65001:${forged.replaceAll(':', '')}`])).toContain('NOERROR');
          expect((await devices()).some((d) => d.id === forged)).toBe(false);
        } finally {
          dnsmasq?.kill('SIGKILL');
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });

  describe('when telemute restarts', () => {
    it('still knows the device, its name and where it was last seen', async () => {
      const r = await fetch(`http://127.0.0.1:${adminPort}/api/devices/${MAC}`, {
        method: 'PATCH', headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'telemute' }, body: JSON.stringify({ name: 'Kitchen TV' }),
      });
      expect(r.status).toBe(200);
      const before = (await devices()).find((d) => d.id === MAC) as ApiDevice & { lastSeen: number };
      await tm.stop();
      await start();
      const after = (await devices()).find((d) => d.id === MAC) as ApiDevice & { lastSeen: number };
      expect(after).toMatchObject({ displayName: 'Kitchen TV', lastSeen: before.lastSeen, ips: before.ips });
    });

    it('keeps the last-seen time through the volatile store, not flash, when nothing else changed', async () => {
      // The rename above was written to flash at the last stop; a query alone changes nothing
      // worth a flash write, so after this restart only the RAM copy can hold the new time.
      expect(ask(HOST, lanPort, 'www.example.org')).toContain('NOERROR');
      const before = (await devices()).find((d) => d.id === MAC) as ApiDevice & { lastSeen: number };
      const snapshot = JSON.parse(readFileSync(`${dirs}/state/devices.json`, 'utf8')) as { devices: { id: string; lastSeen: number }[] };
      expect(snapshot.devices.find((d) => d.id === MAC)!.lastSeen).toBeLessThan(before.lastSeen);
      await tm.stop();
      await start();
      const after = (await devices()).find((d) => d.id === MAC) as ApiDevice & { lastSeen: number };
      expect(after.lastSeen).toBe(before.lastSeen);
      const unchanged = JSON.parse(readFileSync(`${dirs}/state/devices.json`, 'utf8')) as { devices: { id: string; lastSeen: number }[] };
      expect(unchanged.devices.find((d) => d.id === MAC)!.lastSeen).toBeLessThan(before.lastSeen); // no flash write
    });
  });
});
