/**
 * The upstream fixture: a real knotd (Debian 12: Knot 3.2) serving test/fixtures/zones on
 * 127.0.0.1, one instance per caller, each in its own temp dir.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildQuery, udpExchange } from './kdig.js';
import { freePort } from './ports.js';

const ZONES_DIR = fileURLToPath(new URL('../fixtures/zones/', import.meta.url));

/** Zones served by default; names starting with "signed." get knotd's automatic DNSSEC signing. */
export const DEFAULT_ZONES = ['example.org', 'signed.example.net'];

/** Fixture processes still running, killed when this test process exits. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));
const SETPRIV = '/usr/bin/setpriv';

/**
 * Spawns a fixture process (knotd here, telemute in telemute.ts) that cannot outlive the test
 * process: setpriv's parent-death signal covers a crashed or killed vitest worker, where no
 * afterAll and no 'exit' handler runs.
 */
export function spawnFixture(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', command, ...args], options)
    : spawn(command, args, options);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface Knot {
  port: number;
  pid: number;
  dir: string;
  /** knotd's stderr and stdout so far. */
  log(): string;
  /** SIGSTOP: the port stays bound but nothing answers, like a hung upstream. Resolves once stopped. */
  pause(): Promise<void>;
  /** SIGCONT after pause(). */
  resume(): void;
  /** SIGTERM, SIGKILL after 3 s, then removes the temp dir. */
  stop(): Promise<void>;
  /** SIGKILL now: the port is closed, so queries get ICMP port unreachable. */
  kill(): void;
}

/** knot.conf after Knot 3.2's documented syntax; one worker each keeps startup under 100 ms. */
function config(dir: string, port: number, zones: string[]): string {
  const zoneLines = zones.map((z) => `  - domain: ${z}\n${z.startsWith('signed.') ? '    dnssec-signing: on\n' : ''}`);
  return `server:
    rundir: "${dir}"
    listen: 127.0.0.1@${port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "${dir}/db"
log:
  - target: stderr
    any: warning
template:
  - id: default
    storage: "${dir}"
    file: "%s.zone"
    # never rewrite the copied zone files; signatures and keys live in ${dir}/db and ${dir}/keys
    zonefile-sync: -1
    journal-content: none
zone:
${zoneLines.join('')}`;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Polls with a UDP query for the SOA of the first zone until any reply, the process dies, or 30 s. */
async function waitUntilAnswering(child: ChildProcess, port: number, zone: string): Promise<boolean> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await udpExchange(port, buildQuery(zone, 'SOA'), 200)) return true;
  }
  return false;
}

/**
 * Waits until every thread of `pid` is in state T. kill() returns once SIGSTOP is queued, and a
 * worker thread still running can answer one more query before the group stop reaches it.
 */
async function stoppedAll(pid: number): Promise<void> {
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline) {
    const tasks = readdirSync(`/proc/${pid}/task`);
    const states = tasks.map((t) => readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8').replace(/^.*\) /s, '')[0]);
    if (states.every((state) => state === 'T')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`knotd ${pid} did not stop within 2 s of SIGSTOP`);
}

async function startOnce(zones: string[]): Promise<Knot | { failed: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-knot-'));
  mkdirSync(path.join(dir, 'db'));
  for (const zone of zones) copyFileSync(path.join(ZONES_DIR, `${zone}.zone`), path.join(dir, `${zone}.zone`));
  const port = await freePort();
  writeFileSync(path.join(dir, 'knot.conf'), config(dir, port, zones));
  let output = '';
  const child = spawnFixture('knotd', ['-c', path.join(dir, 'knot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('error', (err) => (output += `spawn error: ${err.message}\n`));
  if (!(await waitUntilAnswering(child, port, zones[0]))) {
    child.kill('SIGKILL');
    await exited(child);
    rmSync(dir, { recursive: true, force: true });
    return { failed: `knotd did not answer on 127.0.0.1:${port}:\n${output}` };
  }
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  return {
    port,
    pid: child.pid!,
    dir,
    log: () => output,
    async pause() {
      signal('SIGSTOP');
      await stoppedAll(child.pid!);
    },
    resume: () => signal('SIGCONT'),
    kill: () => signal('SIGKILL'),
    async stop() {
      signal('SIGCONT'); // a stopped process would not act on SIGTERM until continued
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 3000);
      await exited(child);
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts knotd with the given zones (files test/fixtures/zones/<zone>.zone) and resolves once it
 * answers. Retries on a fresh port if the first start fails (another test file may have taken it).
 */
export async function startKnot(options: { zones?: string[] } = {}): Promise<Knot> {
  const zones = options.zones ?? DEFAULT_ZONES;
  let last = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await startOnce(zones);
    if (!('failed' in result)) return result;
    last = result.failed;
  }
  throw new Error(last);
}

