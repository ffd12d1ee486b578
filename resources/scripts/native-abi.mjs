// Native modules (the SQLCipher build of better-sqlite3, keytar) are compiled for one runtime
// at a time: Node for tests, the browser host and benchmarks; Electron for the desktop app.
// `native-abi.mjs node|electron` makes the installed binaries fit the runtime about to start,
// keeping each runtime's build in node_modules/.kasuwa-native so switching back is a copy.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const MODULES = [
  { name: 'better-sqlite3-multiple-ciphers', binary: 'build/Release/better_sqlite3.node' },
  { name: 'keytar', binary: 'build/Release/keytar.node' },
];
const PROBE = MODULES.map((m) => `require(${JSON.stringify(m.name)})`).join(';');
const ABI_MISMATCH =
  /NODE_MODULE_VERSION|compiled against a different Node\.js version|invalid ELF header|not a valid Win32/;

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  process.stderr.write('usage: native-abi.mjs node|electron\n');
  process.exit(2);
}

function installed(module) {
  return path.join(path.dirname(require.resolve(`${module.name}/package.json`)), module.binary);
}

function cacheDir(runtime, abi) {
  return path.join(root, 'node_modules', '.kasuwa-native', `${runtime}-${abi}`);
}

function electronBinary() {
  try {
    // Resolving the path makes the electron package download its binary if it has not yet.
    return require('electron');
  } catch (error) {
    process.stderr.write(
      `Electron's binary is not installed and could not be downloaded (${error.message}).\n` +
        'Kasuwa runs without Electron in browser mode: npm run serve\n',
    );
    process.exit(1);
  }
}

function runtime(kind) {
  if (kind === 'node') return { abi: process.versions.modules, command: process.execPath, env: process.env };
  const abi = readFileSync(
    path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'),
    'utf8',
  ).trim();
  return { abi, command: electronBinary(), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}

function probe({ command, env }) {
  const result = spawnSync(command, ['-e', PROBE], { cwd: root, env, encoding: 'utf8' });
  return { ok: result.status === 0, stderr: result.stderr ?? '' };
}

function save(dir) {
  mkdirSync(dir, { recursive: true });
  for (const module of MODULES) copyFileSync(installed(module), path.join(dir, path.basename(module.binary)));
}

function restore(dir) {
  if (!MODULES.every((m) => existsSync(path.join(dir, path.basename(m.binary))))) return false;
  for (const module of MODULES) copyFileSync(path.join(dir, path.basename(module.binary)), installed(module));
  return true;
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const want = runtime(target);
const first = probe(want);
if (first.ok) {
  save(cacheDir(target, want.abi));
  process.exit(0);
}
if (!ABI_MISMATCH.test(first.stderr)) {
  process.stderr.write(`A native module does not load under ${target}:\n${first.stderr}\n`);
  process.exit(1);
}

// Keep the Node build that is there now before replacing it with Electron's.
if (target === 'electron' && probe(runtime('node')).ok) save(cacheDir('node', process.versions.modules));

if (!restore(cacheDir(target, want.abi))) {
  process.stdout.write(
    `Rebuilding native modules for ${target} (ABI ${want.abi}); this takes a few minutes once.\n`,
  );
  if (target === 'node') run('npm', ['rebuild', ...MODULES.map((m) => m.name)]);
  else run('npx', ['electron-builder', 'install-app-deps']);
}

const last = probe(want);
if (!last.ok) {
  process.stderr.write(`Native modules still do not load under ${target}:\n${last.stderr}\n`);
  process.exit(1);
}
save(cacheDir(target, want.abi));
