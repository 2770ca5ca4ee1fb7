import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomains } from '../../src/stats/domains.js';
import { createHourly } from '../../src/stats/hourly.js';
import { decodeSnapshot } from '../../src/stats/snapshot.js';

const T0 = Date.UTC(2025, 5, 30, 12);

/** Runs the writer from generation `start` and SIGKILLs it `delayMs` after its first write. */
function runAndKill(script: string, dir: string, start: number, delayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, String(start), '1000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

/** The generation of the snapshot on disk, checking it is whole and self-consistent. */
function loadGeneration(dir: string): number {
  const hourly = createHourly();
  const extras = decodeSnapshot(readFileSync(join(dir, 'stats.json.gz')), hourly, createDomains());
  expect(extras).not.toBeNull();
  const gen = Number(extras!.registrations['generation.example.org']);
  const house = hourly.series('house', '', { from: T0 - 1, to: T0 + 3_600_000 });
  expect(house[0].queries).toBe(gen + 1); // the counts belong to the same write as the marker
  return gen;
}

describe('statistics snapshot under kill -9', () => {
  let work: string;
  let script: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'telemute-kill-'));
    script = join(work, 'writer.mjs');
    await build({ entryPoints: [new URL('./fixtures/snapshot-writer.ts', import.meta.url).pathname], outfile: script, bundle: true, platform: 'node', format: 'esm', target: 'node18.20', logLevel: 'warning' });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('always leaves a whole old or new snapshot that loads', async () => {
    const dir = join(work, 'state');
    mkdirSync(dir);
    let last = -1;
    let killed = 0;
    for (let round = 0; round < 6; round++) {
      const signal = await runAndKill(script, dir, round * 1000, 5 + Math.floor(Math.random() * 150));
      if (signal === 'SIGKILL') killed++;
      const gen = loadGeneration(dir);
      expect(gen).toBeGreaterThanOrEqual(Math.max(last, round * 1000)); // never older than before
      expect(gen).toBeLessThan(round * 1000 + 1000);
      last = gen;
    }
    expect(killed).toBeGreaterThanOrEqual(4);
    // A kill between open and rename leaves a temp file beside the target, never in its place.
    const others = readdirSync(dir).filter((f) => f !== 'stats.json.gz');
    console.log(`kill -9: ${killed} kills, last generation ${last}, ${others.length} temp files left`);
    for (const f of others) expect(f).toMatch(/^\.stats\.json\.gz\.\d+\.[0-9a-f]{12}\.tmp$/);
  }, 60_000);
});
