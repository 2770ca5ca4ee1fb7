// Builds dist/telemute.mjs: one ESM file for Node 18.20+ (OpenWrt 23.05's Node), plus lmdb's
// N-API binaries beside it in dist/prebuilds/<platform>-<arch>/ (glibc for development, musl for
// OpenWrt). Usage: node build.mjs [--arch x64|arm64]... (default: this machine's arch).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'dist');
const archs = process.argv.flatMap((a, i, all) => (a === '--arch' ? [all[i + 1]] : [])).filter(Boolean);

// lmdb finds its binary relative to its own file and strips a trailing "dist" from that path
// (native.js: dirname(...).replace(/dist$/, '')): bundled into dist/, it would look in the parent
// directory, and inside the repo silently load node_modules instead. Make it look beside the bundle.
const lmdbBesideBundle = {
  name: 'lmdb-beside-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]lmdb[\\/]native\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const patched = src.replace(".replace(/dist$/, '')", '');
      if (patched === src) throw new Error('lmdb native.js changed: review the dist-path patch in build.mjs');
      return { contents: patched, loader: 'js' };
    });
  },
};

// `import css from './admin.css?raw'`: the file as a string, as Vite (the tests) does natively. The
// admin pages' stylesheet and script ride inside the bundle this way (src/web/pages/assets.ts).
const rawText = {
  name: 'raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: join(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text', watchFiles: [args.path] }));
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(root, 'src/cli.ts')],
  outfile: join(out, 'telemute.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18.20',
  minifySyntax: true,
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
  define: { __TELEMUTE_VERSION__: JSON.stringify(pkg.version) },
  // msgpackr-extract is an optional native speed-up of msgpackr; its pure-JS path is used instead.
  external: ['msgpackr-extract'],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __telemuteRequire } from 'node:module'; const require = __telemuteRequire(import.meta.url);",
  },
  plugins: [lmdbBesideBundle, rawText],
});

for (const arch of archs.length ? archs : [process.arch]) {
  const pkgDir = join(root, 'node_modules', '@lmdb', `lmdb-linux-${arch}`);
  if (!existsSync(pkgDir)) {
    console.warn(`build: @lmdb/lmdb-linux-${arch} is not installed: no lmdb binary for ${arch} (npm pack it, see openwrt/)`);
    continue;
  }
  const dest = join(out, 'prebuilds', `linux-${arch}`);
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(pkgDir)) if (/^node\.napi\.(glibc|musl)\.node$/.test(f)) copyFileSync(join(pkgDir, f), join(dest, f));
}

const size = statSync(join(out, 'telemute.mjs')).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`build: dist/telemute.mjs ${(size / 1024).toFixed(0)} KiB from ${inputs} files, version ${pkg.version}`);
