// Builds everything `npm start`, `npm run serve` and electron-builder need into out/:
// the renderer with Vite, and the main process, preload and browser host with esbuild.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// KASUWA_OUT_DIR lets two builds (say, two people's checks) live side by side.
const out = path.resolve(root, process.env.KASUWA_OUT_DIR ?? 'out');

await rm(out, { recursive: true, force: true });

const nodeTarget = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: { KASUWA_VERSION: JSON.stringify(version) },
  // drizzle's driver imports 'better-sqlite3'; Kasuwa ships the SQLCipher-capable build of it.
  alias: { 'better-sqlite3': 'better-sqlite3-multiple-ciphers' },
  // Native modules and Electron itself are loaded from node_modules at run time.
  external: [
    'electron',
    'electron-updater',
    'better-sqlite3-multiple-ciphers',
    'keytar',
    'bufferutil',
    'utf-8-validate',
  ],
};

await Promise.all([
  esbuild({
    ...nodeTarget,
    entryPoints: [path.join(root, 'main/index.ts')],
    outfile: path.join(out, 'main/index.js'),
  }),
  esbuild({
    ...nodeTarget,
    entryPoints: [path.join(root, 'main/host/serve.ts')],
    outfile: path.join(out, 'host/serve.js'),
  }),
  // A sandboxed preload may require only 'electron': everything else is bundled in.
  esbuild({
    ...nodeTarget,
    platform: 'browser',
    target: 'chrome130',
    minify: true,
    external: ['electron'],
    entryPoints: [path.join(root, 'preload/index.ts')],
    outfile: path.join(out, 'preload/index.js'),
  }),
  viteBuild({ configFile: path.join(root, 'vite.config.mts'), logLevel: 'warn' }),
  // `build.mjs bench` also bundles the benchmarks, which import main/ code like the app does.
  ...(process.argv.includes('bench')
    ? [
        esbuild({
          ...nodeTarget,
          entryPoints: [path.join(root, 'tests/bench/run.ts')],
          outfile: path.join(out, 'bench/run.js'),
        }),
      ]
    : []),
]);
process.stdout.write(`built Kasuwa ${version} into out/\n`);
