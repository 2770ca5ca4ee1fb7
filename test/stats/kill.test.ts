import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomains } from '../../src/stats/domains.js';
import { createHourly } from '../../src/stats/hourly.js';
import { createStatsFiles } from '../../src/stats/persist.js';
import { createFlashWriter } from '../../src/store/flash.js';

/** Runs the writer (it resumes from what is on disk) and SIGKILLs it `delayMs` after its `saves`-th save. */
function runAndKill(script: string, dir: string, saves: number, delayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    // 10 runs × at most 15 saves 3 h apart stay inside the 30 days of hours: nothing is pruned.
    const child = spawn(process.execPath, [script, dir, '15'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      const before = seen;
      seen += chunk.toString().split('saved').length - 1;
      if (before < saves && seen >= saves) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

/** The generation the files on disk hold, checking the counts belong to the same save as the marker. */
function loadGeneration(dir: string): number {
  const hourly = createHourly();
  const registrations = new Map<string, string>();
  const warnings: string[] = [];
  createStatsFiles({ flash: { dir } as never, hourly, domains: createDomains(), registrations, orgs: new Map(), log: (_l, m) => warnings.push(m) }).load();
  expect(warnings).toEqual([]);
  const gen = Number(registrations.get('generation.example.org'));
  const house = hourly.series('house', '', { from: 0, to: Infinity }).reduce((n, p) => n + p.queries, 0);
  expect(house).toBe(gen + 1); // nothing lost beyond the last save, nothing counted twice
  return gen;
}

describe('statistics files under kill -9', () => {
  let work: string;
  let script: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'telemute-kill-'));
    script = join(work, 'writer.mjs');
    await build({ entryPoints: [new URL('./fixtures/snapshot-writer.ts', import.meta.url).pathname], outfile: script, bundle: true, platform: 'node', format: 'esm', target: 'node18.20', logLevel: 'warning' });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('always leaves archives, summary and open day that load to one save', async () => {
    const dir = join(work, 'state');
    mkdirSync(dir);
    let last = -1;
    let killed = 0;
    for (let round = 0; round < 10; round++) {
      const signal = await runAndKill(script, dir, 3 + Math.floor(Math.random() * 10), Math.random() * 20);
      if (signal === 'SIGKILL') killed++;
      const gen = loadGeneration(dir);
      expect(gen).toBeGreaterThan(last); // each run saved at least its first generation
      last = gen;
    }
    expect(killed).toBeGreaterThanOrEqual(7);
    const archives = readdirSync(join(dir, 'stats')).filter((f) => f.startsWith('day-'));
    expect(archives.length).toBeGreaterThanOrEqual(2); // days closed while being killed
    // A kill between open and rename leaves a temp file beside the target, never in its place;
    // the next FlashWriter deletes it.
    const temps = [...readdirSync(dir), ...readdirSync(join(dir, 'stats'))].filter((f) => f.endsWith('.tmp'));
    console.log(`kill -9: ${killed} kills, last generation ${last}, ${archives.length} archives, ${temps.length} temp files left`);
    for (const f of temps) expect(f).toMatch(/^\.(stats\.json|today\.json|day-[\d-]+\.json)\.gz\.\d+\.[0-9a-f]{12}\.tmp$/);
    createFlashWriter(dir);
    expect([...readdirSync(dir), ...readdirSync(join(dir, 'stats'))].filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
