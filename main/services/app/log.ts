/**
 * One JSON line per event, to a rolling file in the data folder and to stderr. Secrets (keys,
 * passphrases, PINs) are never passed here; payloads of failed calls are not logged either.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Log {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const MAX_FILE_BYTES = 5 * 1024 * 1024;

function describe(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

export function createLog(options: { dir: string | null; level?: LogLevel; stderr?: boolean }): Log {
  const threshold = ORDER[options.level ?? 'info'];
  const file = options.dir === null ? null : path.join(options.dir, 'kasuwa.log');
  if (options.dir !== null) mkdirSync(options.dir, { recursive: true });

  const write = (level: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[level] < threshold) return;
    const record = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, describe(value)]));
    const line = `${JSON.stringify({ at: new Date().toISOString(), level, message, ...record })}\n`;
    if (options.stderr !== false) process.stderr.write(line);
    if (file === null) return;
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_FILE_BYTES) {
        renameSync(file, `${file}.1`);
      }
      appendFileSync(file, line);
    } catch {
      // A full disk must not take the till down with it; stderr still has the line.
    }
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
