// Imports a TypeScript module of this repo from a plain .mjs script: bundles it with esbuild into
// a temp file (lmdb stays external, loaded from node_modules) and imports that.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Inside the repo, so the external lmdb resolves from its node_modules.
const CACHE = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));

/** The module's exports; the temp bundle is removed once it is loaded. */
export async function importTs(url) {
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, 'telemute-bench-'));
  const out = join(dir, 'module.mjs');
  try {
    await build({
      entryPoints: [new URL(url).pathname],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node18.20',
      external: ['msgpackr-extract', 'lmdb'],
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
      logLevel: 'warning',
    });
    return await import(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
