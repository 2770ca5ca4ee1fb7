/**
 * LAN devices for e2e tests: a network namespace joined to this host by a veth pair with a chosen
 * MAC, addressed from 198.18.0.0/15 (the benchmarking range: our own namespaces only).
 */
import { execFileSync } from 'node:child_process';

export const sh = (cmd: string, args: string[], timeout = 10_000) => execFileSync(cmd, args, { timeout, stdio: 'pipe' }).toString();

/** Why namespaces cannot be used here, or null when they can. */
export function netnsProblem(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `tmprobe${process.pid}`;
  try {
    sh('ip', ['netns', 'add', probe]);
    sh('ip', ['netns', 'del', probe]);
    return null;
  } catch (err) {
    return `ip netns does not work here: ${(err as Error).message.split('\n')[0]}`;
  }
}

export interface LanDevice {
  ns: string;
  hostIf: string;
  /** Runs a command inside the device's namespace. */
  run(cmd: string, args: string[], timeout?: number): string;
  /** Gives the device another address (and drops the old one). */
  readdress(from: string, to: string): void;
  remove(): void;
}

/** A device with `mac` at `deviceCidr`, the host side at `hostCidr` (same /24), and optionally IPv6 (ULA, no DAD). */
export function addLanDevice(tag: string, mac: string, hostCidr: string, deviceCidr: string, v6?: { host: string; device: string }): LanDevice {
  const ns = `tm${tag}${process.pid}`;
  const hostIf = `th${tag}${process.pid}`.slice(0, 15);
  const peer = `tp${tag}${process.pid}`.slice(0, 15);
  sh('ip', ['netns', 'add', ns]);
  sh('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peer]);
  sh('ip', ['link', 'set', peer, 'address', mac, 'netns', ns]);
  sh('ip', ['addr', 'add', hostCidr, 'dev', hostIf]);
  sh('ip', ['link', 'set', hostIf, 'up']);
  const run = (cmd: string, args: string[], timeout?: number) => sh('ip', ['netns', 'exec', ns, cmd, ...args], timeout);
  run('ip', ['addr', 'add', deviceCidr, 'dev', peer]);
  run('ip', ['link', 'set', peer, 'up']);
  run('ip', ['link', 'set', 'lo', 'up']);
  if (v6) {
    sh('ip', ['-6', 'addr', 'add', v6.host, 'dev', hostIf, 'nodad']);
    run('ip', ['-6', 'addr', 'add', v6.device, 'dev', peer, 'nodad']);
  }
  return {
    ns,
    hostIf,
    run,
    readdress(from, to) {
      // Delete first: deleting a primary address also deletes the secondaries of its subnet.
      run('ip', ['addr', 'del', from, 'dev', peer]);
      run('ip', ['addr', 'add', to, 'dev', peer]);
    },
    remove() {
      for (const args of [['link', 'del', hostIf], ['netns', 'del', ns]]) {
        try {
          sh('ip', args);
        } catch {
          // already gone
        }
      }
    },
  };
}
