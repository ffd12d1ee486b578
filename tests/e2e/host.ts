/**
 * Starts `out/host/serve.js` (the browser host) on a free port with a fresh data folder,
 * and reads the one line with its URL and token from stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningApp {
  url: string;
  dataDir: string;
  /** Stops the host; the data folder is removed unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startApp(
  options: { env?: Record<string, string>; dataDir?: string } = {},
): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'kasuwa-e2e-'));
  const env = options.env ?? {};
  const child: ChildProcess = spawn(process.execPath, [path.resolve('out/host/serve.js')], {
    env: { ...process.env, KASUWA_DATA_DIR: dataDir, KASUWA_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`browser host did not start:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Kasuwa is running at (\S+)/.exec(stdout);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser host exited with ${String(code)}:\n${stderr}`));
    });
  });
  return {
    url,
    dataDir,
    stop: async ({ keepData = false } = {}) => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const OWNER_PIN = '4321';

/** First-run setup as a shop owner does it. */
export async function completeSetup(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Set up your shop' })).toBeVisible();
  await page.getByLabel('Business name').fill('Mama Nkechi Provisions');
  await page.getByLabel('State').selectOption('Lagos');
  await page.getByLabel('Business phone').fill('0803 123 4567');
  await page.getByLabel('Address').fill('12 Balogun Street, Lagos Island');
  await page.getByLabel("Owner's name").fill('Nkechi Okafor');
  await page.getByLabel('Owner PIN (4 to 6 digits)').fill(OWNER_PIN);
  await page.getByLabel('Type the PIN again').fill(OWNER_PIN);
  await page.getByRole('button', { name: 'Finish setup' }).click();
}
