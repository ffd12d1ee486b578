/** The data folder when KASUWA_DATA_DIR is not set: the same folder Electron's userData uses. */
import os from 'node:os';
import path from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Kasuwa');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Kasuwa');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Kasuwa');
}

export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.KASUWA_DATA_DIR?.trim();
  return configured !== undefined && configured !== '' ? path.resolve(configured) : defaultDataDir(env);
}
