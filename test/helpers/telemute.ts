/**
 * Runs the built telemute bundle (dist/telemute.mjs) as a real process for the e2e tests.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildQuery } from './kdig.js';
import { spawnFixture } from './knot.js';
import { freePort } from './ports.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DIST = path.join(REPO, 'dist');
/** TELEMUTE_BUNDLE runs another build (an installed package, a stand-in) as is: no build, no copy. */
const OVERRIDE = process.env.TELEMUTE_BUNDLE;
export const BUNDLE = OVERRIDE ?? path.join(DIST, 'telemute.mjs');
const LOCK = path.join(os.tmpdir(), 'telemute-e2e-build.lock');

export interface Telemute {
  port: number;
  proc: ChildProcess;
  /** The telemute.mjs actually run (a private copy unless outsideRepo is false). */
  bundle: string;
  /** Everything the process wrote to stdout and stderr so far. */
  log(): string;
  /** SIGTERM, SIGKILL after 3 s, then removes its state and volatile dirs. */
  stop(): Promise<void>;
}

export interface TelemuteOptions {
  env?: Record<string, string>;
  /** Run a copy of dist/ from a temp dir, so the repo's node_modules cannot be found. Default true. */
  outsideRepo?: boolean;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  return !existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestMtime(path.join(REPO, 'src'));
}

/**
 * Runs `fn` holding a lock dir shared by all test processes: vitest runs test files in parallel
 * processes, and a copy of dist/ taken while another process rebuilds it would be half empty.
 */
async function withDistLock<T>(fn: () => T): Promise<T> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const held = statSync(LOCK, { throwIfNoEntry: false });
      // A lock older than any build could take was left behind by a killed run.
      if (held && Date.now() - held.mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`telemute e2e: ${LOCK} held for 3 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds the bundle (`node build.mjs`) when dist/telemute.mjs is missing or older than any file in
 * src/. Usable as a vitest globalSetup; the e2e files also call it in beforeAll.
 */
export async function ensureBuilt(): Promise<void> {
  if (OVERRIDE) return;
  await withDistLock(() => {
    try {
      if (isStale()) execFileSync(process.execPath, ['build.mjs'], { cwd: REPO, stdio: 'pipe', timeout: 170_000 });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer; message: string };
      throw new Error(`ensureBuilt: node build.mjs failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  });
}

/** vitest globalSetup entry point. */
export const setup = ensureBuilt;

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
}

/**
 * Sends "probe.example.net A" every 100 ms from one socket until any reply comes back (one socket,
 * so a slow upstream's late SERVFAIL still counts); false if the process exits or 15 s pass.
 */
function waitUntilAnswering(proc: ChildProcess, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    let finished = false;
    const done = (ok: boolean) => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      socket.close();
      resolve(ok);
    };
    const deadline = Date.now() + 15_000;
    const tick = () => {
      if (Date.now() > deadline || proc.exitCode !== null || proc.signalCode !== null) return done(false);
      socket.send(buildQuery('probe.example.net', 'A'), port, '127.0.0.1');
    };
    socket.on('message', () => done(true));
    socket.on('error', () => {}); // port unreachable until telemute binds
    const timer = setInterval(tick, 100);
    tick();
  });
}

async function startOnce(args: string[], opts: TelemuteOptions): Promise<Telemute | { failed: string; retry: boolean }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'telemute-run-'));
  let bundle = BUNDLE;
  if (opts.outsideRepo !== false && !OVERRIDE) {
    // A private copy (about 7 MB, some ms) that stop() removes with the rest of the instance.
    await withDistLock(() => cpSync(DIST, path.join(tmp, 'dist'), { recursive: true }));
    bundle = path.join(tmp, 'dist', 'telemute.mjs');
  }
  const port = await freePort();
  const argv = [bundle, '--dns', `127.0.0.1:${port}`, '--state', path.join(tmp, 'state'), '--volatile', path.join(tmp, 'run'), ...args];
  let output = '';
  const proc = spawnFixture(process.execPath, argv, {
    cwd: path.dirname(bundle),
    // No NODE_PATH or NODE_OPTIONS from the test runner: the bundle must stand on its own.
    env: { ...process.env, NODE_PATH: '', NODE_OPTIONS: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  proc.on('error', (err) => (output += `spawn error: ${err.message}\n`));
  const signal = (sig: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
  };
  const stop = async () => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 3000);
    await exited(proc);
    clearTimeout(timer);
    rmSync(tmp, { recursive: true, force: true });
  };
  if (!(await waitUntilAnswering(proc, port))) {
    const how = proc.exitCode !== null ? `exited with ${proc.exitCode}` : 'did not answer within 15 s';
    await stop();
    const failed = `telemute ${how} (node ${argv.join(' ')}):\n${output}`;
    // A lost port race, or a dist/ rebuilt by hand (npm run build) while we copied it.
    return { failed, retry: /EADDRINUSE|ERR_MODULE_NOT_FOUND|Cannot find module/.test(output) };
  }
  return { port, proc, bundle, log: () => output, stop };
}

/**
 * Starts `node dist/telemute.mjs --dns 127.0.0.1:PORT --state T/state --volatile T/run ...args`
 * on a free port and resolves once it answers a UDP query. Rejects with the process log otherwise.
 */
export async function startTelemute(args: string[], opts: TelemuteOptions = {}): Promise<Telemute> {
  let failed = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await startOnce(args, opts);
    if (!('failed' in result)) return result;
    failed = result.failed;
    if (!result.retry) break;
  }
  throw new Error(failed);
}


/**
 * Resolves once the process log matches `pattern` (a list compiled, a file saved...); rejects
 * with the log after `timeoutMs`. Lists compile after DNS is up, so a test of blocking waits here.
 */
export async function waitForLog(tm: Telemute, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(tm.log())) {
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} within ${timeoutMs} ms:\n${tm.log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
