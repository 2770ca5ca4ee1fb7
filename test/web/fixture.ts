/**
 * Shared set-up for the admin web tests: a temporary state dir, a stepped clock, an app, and
 * helpers that log in and send requests the way a browser or a script would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminApp, type AdminDeps } from '../../src/web/app.js';
import { setPassword } from '../../src/web/passwd.js';

export const PASSWORD = 'correct horse battery';

/** A test world: call `cleanup` in afterEach. */
export interface World {
  stateDir: string;
  app: ReturnType<typeof createAdminApp>;
  clock: { t: number };
  logs: string[];
  cleanup(): Promise<void>;
}

/** Builds an app over a fresh state dir; with a password unless `hasPassword` is false. */
export async function makeWorld(options: { hasPassword?: boolean; deps?: Partial<AdminDeps> } = {}): Promise<World> {
  const stateDir = await mkdtemp(join(tmpdir(), 'telemute-web-'));
  if (options.hasPassword !== false) await setPassword(stateDir, PASSWORD);
  const clock = { t: Date.UTC(2025, 0, 1) };
  const logs: string[] = [];
  const app = createAdminApp({
    stateDir,
    health: () => ({ devices: 3 }),
    now: () => clock.t,
    log: (level, msg) => logs.push(`${level}: ${msg}`),
    version: '0.1.0',
    ...options.deps,
  });
  return { stateDir, app, clock, logs, cleanup: () => rm(stateDir, { recursive: true, force: true }) };
}

/** Connection info as @hono/node-server passes it, so the login limiter sees an address. */
export function fromAddress(address: string) {
  return { incoming: { socket: { remoteAddress: address } } };
}

/** POSTs JSON. */
export function postJson(world: World, path: string, body: unknown, headers: Record<string, string> = {}, env?: object) {
  return world.app.request(
    path,
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    env,
  );
}

/** Logs in and returns the `name=value` cookie pair for later requests. */
export async function login(world: World, password = PASSWORD): Promise<string> {
  const res = await postJson(world, '/api/login', { password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

/** Headers of a browser session making a state change. */
export function browser(cookie: string): Record<string, string> {
  return { cookie, 'x-requested-with': 'telemute' };
}
