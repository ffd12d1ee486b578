/**
 * Power and network for the sync schedule from Electron: powerMonitor says mains or battery and
 * when the computer wakes, net.isOnline() says whether there is a link. Electron does not report
 * the battery level, so that comes from the OS reading (./power-os.ts) while on battery.
 */
import { net, powerMonitor } from 'electron';
import type { NetworkSource, PowerReading, PowerSource } from '../services/sync/conditions';
import { readOsPower } from './power-os';

const LEVEL_POLL_MS = 60_000;
const NETWORK_POLL_MS = 5_000;

export class ElectronPower implements PowerSource {
  private reading: PowerReading = { onBattery: false, batteryPercent: null };
  private readonly changeListeners = new Set<() => void>();
  private readonly resumeListeners = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.reading = { onBattery: powerMonitor.isOnBatteryPower(), batteryPercent: null };
    const refresh = () => void this.refresh();
    powerMonitor.on('on-ac', refresh);
    powerMonitor.on('on-battery', refresh);
    powerMonitor.on('resume', () => {
      refresh();
      for (const listener of this.resumeListeners) listener();
    });
    this.timer = setInterval(refresh, LEVEL_POLL_MS);
    this.timer.unref();
    refresh();
  }

  private async refresh(): Promise<void> {
    const onBattery = powerMonitor.isOnBatteryPower();
    const level = await readOsPower();
    const next = { onBattery, batteryPercent: level.batteryPercent };
    const changed =
      next.onBattery !== this.reading.onBattery || next.batteryPercent !== this.reading.batteryPercent;
    this.reading = next;
    if (changed) for (const listener of this.changeListeners) listener();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  read(): PowerReading {
    return this.reading;
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onResume(listener: () => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }
}

export class ElectronNetwork implements NetworkSource {
  private up = net.isOnline();
  private readonly listeners = new Set<(online: boolean) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => {
      const now = net.isOnline();
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
