// Builds everything `npm start`, `npm run serve`, `npm run server` and electron-builder need
// into out/: the renderer with Vite, and the main process, preload, browser host and sync server
// with esbuild. `build.mjs server` builds only the sync server (its Docker image does that).
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

const serverOnly = process.argv.includes('server');
await rm(serverOnly ? path.join(out, 'server') : out, { recursive: true, force: true });

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
    // sharp loads libvips from its @img/* packages next to it.
    'sharp',
    'bufferutil',
    'utf-8-validate',
  ],
};

// The sync server loads its packages from node_modules, as `npm ci --omit=dev` installs them.
const serverBuild = esbuild({
  ...nodeTarget,
  packages: 'external',
  entryPoints: [path.join(root, 'server/main.ts')],
  outfile: path.join(out, 'server/main.js'),
});

await Promise.all([serverBuild, ...(serverOnly ? [] : appBuilds())]);
// On stderr: `npm run server` prints exactly one line on stdout, the server's own.
process.stderr.write(`built Kasuwa ${version}${serverOnly ? ' (sync server)' : ''} into out/\n`);

function appBuilds() {
  return [
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
  ];
}
