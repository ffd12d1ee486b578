// Runs a command (the tests, the benchmarks) with a private, unlocked Secret Service on Linux:
// a D-Bus session of its own and a gnome-keyring whose files live in a temporary folder, so
// tests use a real keychain without touching the user's own. On Windows and macOS the OS
// keychain is always there, and the command runs as it is.
import { spawn, spawnSync } from 'node:child_process';

const command = process.argv.slice(2);
if (command.length === 0) {
  process.stderr.write('usage: with-keyring.mjs <command> [args...]\n');
  process.exit(2);
}

const has = (program) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;

let program = command[0];
let args = command.slice(1);
if (process.platform === 'linux' && process.env.KASUWA_KEYRING_READY !== '1') {
  if (has('dbus-run-session') && has('gnome-keyring-daemon')) {
    const script = [
      'dir=$(mktemp -d)',
      'trap \'rm -rf "$dir"\' EXIT',
      'printf kasuwa | XDG_DATA_HOME="$dir" gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      '"$@"',
    ].join('; ');
    program = 'dbus-run-session';
    args = ['--', 'sh', '-c', script, 'sh', ...command];
  } else {
    process.stderr.write(
      'with-keyring: gnome-keyring and dbus are not installed, so the keychain tests cannot run.\n' +
        '  Install them with: sudo apt-get install -y gnome-keyring dbus\n',
    );
  }
}

const child = spawn(program, args, {
  stdio: 'inherit',
  env: { ...process.env, KASUWA_KEYRING_READY: '1' },
  shell: process.platform === 'win32',
});
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
