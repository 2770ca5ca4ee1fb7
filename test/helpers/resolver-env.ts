/** Shared setup of the e2e files (kept apart from telemute.ts, which globalSetup imports without vitest). */
import { afterAll, beforeAll } from 'vitest';
import { startKnot, type Knot } from './knot.js';
import { ensureBuilt, startTelemute, type Telemute } from './telemute.js';

/**
 * For an e2e file: a knotd fixture and a telemute forwarding to it, started before the file's
 * tests and stopped after them. Read `env.knot` and `env.tm` inside tests (they are set by then).
 */
export function useResolver(extraArgs: string[] = []): { knot: Knot; tm: Telemute } {
  const env = {} as { knot: Knot; tm: Telemute };
  beforeAll(async () => {
    await ensureBuilt();
    env.knot = await startKnot();
    env.tm = await startTelemute(['--upstream', `127.0.0.1:${env.knot.port}`, '--admin', 'off', ...extraArgs]);
  }, 200_000);
  afterAll(async () => {
    await env.tm?.stop();
    await env.knot?.stop();
  });
  return env;
}
