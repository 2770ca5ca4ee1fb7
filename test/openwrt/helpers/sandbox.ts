/**
 * A throwaway OpenWrt-like root for the shell scripts in openwrt/files: a stub `uci` (see
 * uci-stub.mjs for why a stub), a `logger` that writes to a file, and a stand-in for
 * /etc/init.d/dnsmasq. Scripts run under busybox sh, the shell OpenWrt has.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const filesDir = path.join(repoRoot, 'openwrt/files');
export const helperScript = path.join(filesDir, 'telemute-dnsmasq.sh');

/** busybox sh when installed (scripts/setup.sh installs it), else the system sh. */
export const shell: string[] = fs.existsSync('/usr/bin/busybox') || fs.existsSync('/bin/busybox')
  ? ['busybox', 'sh']
  : ['sh'];

/** One uci section as the stub stores it. */
export interface UciSection {
  name: string;
  type: string;
  options: Record<string, string | string[]>;
}
export type UciState = Record<string, UciSection[]>;

/** A stock OpenWrt dhcp + network config, as far as the scripts read it. */
export function stockUci(dnsmasq: Record<string, string | string[]> = {}): UciState {
  return {
    dhcp: [
      {
        name: 'cfg01411c',
        type: 'dnsmasq',
        options: {
          domainneeded: '1',
          localise_queries: '1',
          local: '/lan/',
          domain: 'lan',
          expandhosts: '1',
          authoritative: '1',
          readethers: '1',
          leasefile: '/tmp/dhcp.leases',
          resolvfile: '/tmp/resolv.conf.d/resolv.conf.auto',
          localservice: '1',
          ednspacket_max: '1232',
          ...dnsmasq,
        },
      },
      { name: 'lan', type: 'dhcp', options: { interface: 'lan', start: '100', limit: '150' } },
    ],
    network: [{ name: 'lan', type: 'interface', options: { proto: 'static', ipaddr: '192.168.1.1', netmask: '255.255.255.0' } }],
    telemute: [],
  };
}

const STOCK_INIT = `#!/bin/sh
# Stand-in for /etc/init.d/dnsmasq: counts restarts.
echo "$1" >> "$SANDBOX/dnsmasq-restarts"
`;

/** A sandbox directory with everything the scripts expect; `dispose()` removes it. */
export class Sandbox {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;

  constructor(state: UciState, options: { dnsmasqInit?: string; procNet?: string } = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'telemute-owrt-'));
    const bin = path.join(this.dir, 'bin');
    fs.mkdirSync(bin);
    for (const d of ['var/etc', 'run', 'etc/telemute', 'proc']) fs.mkdirSync(path.join(this.dir, d), { recursive: true });
    fs.writeFileSync(path.join(bin, 'uci'), `#!/bin/sh\nexec node ${JSON.stringify(path.join(here, 'uci-stub.mjs'))} "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'logger'), '#!/bin/sh\nshift 2\necho "$*" >> "$SANDBOX/log"\n', { mode: 0o755 });
    fs.writeFileSync(path.join(this.dir, 'dnsmasq.init'), options.dnsmasqInit ?? STOCK_INIT, { mode: 0o755 });
    fs.writeFileSync(path.join(this.dir, 'proc/udp'), '  sl  local_address rem_address   st\n');
    fs.writeFileSync(path.join(this.dir, 'proc/udp6'), '  sl  local_address rem_address   st\n');
    // What dnsmasq.init generates on 24.10: a conf-dir per instance.
    fs.mkdirSync(this.confDir, { recursive: true });
    fs.writeFileSync(this.path('var/etc/dnsmasq.conf.cfg01411c'), `# auto-generated\nconf-dir=${this.confDir}\n`);
    this.setUci(state);
    this.env = {
      PATH: `${bin}:${process.env.PATH}`,
      SANDBOX: this.dir,
      UCI_STUB_STATE: path.join(this.dir, 'uci.json'),
      UCI_STUB_LOG: path.join(this.dir, 'commits'),
      TELEMUTE_DNSMASQ_INIT: path.join(this.dir, 'dnsmasq.init'),
      TELEMUTE_STATE_DIR: path.join(this.dir, 'etc/telemute'),
      TELEMUTE_RUN_DIR: path.join(this.dir, 'run'),
      TELEMUTE_VAR_ETC: path.join(this.dir, 'var/etc'),
      TELEMUTE_PROC_NET: options.procNet ?? path.join(this.dir, 'proc'),
    };
  }

  /** The conf-dir the generated dnsmasq config names. */
  get confDir(): string {
    return path.join(this.dir, 'tmp/dnsmasq.cfg01411c.d');
  }

  path(rel: string): string {
    return path.join(this.dir, rel);
  }

  uci(): UciState {
    return JSON.parse(fs.readFileSync(this.path('uci.json'), 'utf8')) as UciState;
  }

  setUci(state: UciState): void {
    fs.writeFileSync(this.path('uci.json'), JSON.stringify(state, null, 2) + '\n');
  }

  /** Lines of a sandbox file, [] when it does not exist. */
  lines(rel: string): string[] {
    const p = this.path(rel);
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').filter(Boolean) : [];
  }

  /** Runs telemute-dnsmasq.sh with the given arguments. */
  helper(...args: string[]): Promise<string> {
    return this.run([helperScript, ...args]);
  }

  /** Runs a shell script (path plus arguments) under the OpenWrt-like shell. */
  run(argv: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
    const [cmd, ...rest] = shell;
    return new Promise((resolve, reject) => {
      execFile(cmd, [...rest, ...argv], { env: { ...this.env, ...extraEnv }, timeout: 20_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${argv.join(' ')}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
  }

  /** Pretends something listens on UDP 127.0.0.1:port (the kernel's /proc/net/udp format). */
  fakeListen(port: number): void {
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    fs.appendFileSync(this.path('proc/udp'), `  42: 0100007F:${hex} 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12345 2 0000000000000000 0\n`);
  }

  fakeStopListening(): void {
    fs.writeFileSync(this.path('proc/udp'), '  sl  local_address rem_address   st\n');
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
