/**
 * The machine's own power and network readings, for browser mode (plain Node) and for the
 * battery level Electron does not report: Linux's /sys/class/power_supply, Windows' Win32_Battery
 * through PowerShell. The network counts as up while some non-loopback interface has an address;
 * a link that is up but reaches nothing shows up as failed syncs, which back off on their own.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NetworkSource, PowerReading, PowerSource } from '../services/sync/conditions';

const POWER_POLL_MS = 60_000;
const NETWORK_POLL_MS = 5_000;
const SUPPLY_DIR = '/sys/class/power_supply';

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Linux: a battery's capacity and status, and whether any mains supply is online. */
export function linuxPower(dir = SUPPLY_DIR): PowerReading {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { onBattery: false, batteryPercent: null };
  }
  let mainsOnline = false;
  let sawMains = false;
  let percent: number | null = null;
  let discharging = false;
  for (const name of names) {
    const type = readText(path.join(dir, name, 'type'));
    if (type === 'Mains' || type === 'USB') {
      sawMains = true;
      if (readText(path.join(dir, name, 'online')) === '1') mainsOnline = true;
    } else if (type === 'Battery') {
      const capacity = Number(readText(path.join(dir, name, 'capacity')));
      if (Number.isFinite(capacity)) percent = percent === null ? capacity : Math.min(percent, capacity);
      if (readText(path.join(dir, name, 'status')) === 'Discharging') discharging = true;
    }
  }
  const onBattery = percent !== null && (sawMains ? !mainsOnline : discharging);
  return { onBattery, batteryPercent: percent };
}

/** Windows: EstimatedChargeRemaining and BatteryStatus (2 = on AC) of the first battery. */
function windowsPower(): Promise<PowerReading> {
  return new Promise((resolve) => {
    execFile(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '$b = Get-CimInstance Win32_Battery | Select-Object -First 1; if ($b) { "$($b.EstimatedChargeRemaining) $($b.BatteryStatus)" }',
      ],
      { timeout: 10_000, windowsHide: true },
      (error, stdout) => {
        const [percentText, statusText] = stdout.trim().split(/\s+/);
        if (error !== null || percentText === undefined || percentText === '') {
          resolve({ onBattery: false, batteryPercent: null });
          return;
        }
        const percent = Number(percentText);
        resolve({
          onBattery: statusText !== '2',
          batteryPercent: Number.isFinite(percent) ? percent : null,
        });
      },
    );
  });
}

export async function readOsPower(): Promise<PowerReading> {
  if (process.platform === 'linux') return linuxPower();
  if (process.platform === 'win32') return windowsPower();
  return { onBattery: false, batteryPercent: null };
}

export class OsPower implements PowerSource {
  private reading: PowerReading = { onBattery: false, batteryPercent: null };
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;

  /** Reads once, then every minute; resumes are not visible without Electron. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), POWER_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    const next = await readOsPower();
    const changed =
      next.onBattery !== this.reading.onBattery || next.batteryPercent !== this.reading.batteryPercent;
    this.reading = next;
    if (changed) for (const listener of this.listeners) listener();
  }

  read(): PowerReading {
    return this.reading;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onResume(): () => void {
    return () => undefined;
  }
}

export function hasNetworkAddress(): boolean {
  return Object.values(os.networkInterfaces()).some((addresses) =>
    (addresses ?? []).some((address) => !address.internal),
  );
}

export class OsNetwork implements NetworkSource {
  private up: boolean;
  private readonly listeners = new Set<(online: boolean) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly probe: () => boolean = hasNetworkAddress) {
    this.up = probe();
    this.timer = setInterval(() => {
      const now = this.probe();
      if (now === this.up) return;
      this.up = now;
      for (const listener of this.listeners) listener(now);
    }, NETWORK_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  online(): boolean {
    return this.up;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
