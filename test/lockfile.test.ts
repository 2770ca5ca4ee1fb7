/**
 * `npm ci` (the README's install command, and CI's) refuses a lock file that names an optional
 * dependency without an entry for it. The registry this project is installed from lacks some
 * platform builds of rollup and msgpackr-extract at their newest versions, so package.json pins
 * versions whose builds all exist (`overrides`); this test keeps the lock file installable.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { optionalDependencies?: Record<string, string> }>;
};

describe('package-lock.json', () => {
  it('has an entry for every optional dependency it names (or npm ci fails)', () => {
    const paths = Object.keys(lock.packages);
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
        if (dep === 'fsevents') continue; // macOS only; npm records it under its own rules
        const here = `${path ? `${path}/` : ''}node_modules/${dep}`;
        if (!paths.includes(here) && !paths.includes(`node_modules/${dep}`)) missing.push(`${dep} (wanted by ${path || 'the project'})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
