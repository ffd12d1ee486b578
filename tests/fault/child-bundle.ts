/**
 * Bundles a script of the fault tests into one CommonJS file that a child process runs (and
 * the test SIGKILLs): app code is bundled in as the app bundles it, the native addons (the
 * SQLCipher driver, sharp with its libvips) are loaded from node_modules.
 */
import path from 'node:path';
import { build } from 'esbuild';

export async function bundleChild(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [path.resolve(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'error',
    alias: { 'better-sqlite3': 'better-sqlite3-multiple-ciphers' },
    external: ['better-sqlite3-multiple-ciphers', 'sharp'],
    nodePaths: [path.resolve('node_modules')],
  });
}
