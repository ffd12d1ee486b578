/**
 * Power and network for the sync schedule from Electron: powerMonitor says mains or battery and
 * when the computer wakes, net.isOnline() says whether there is a link. Electron does not report
 * the battery level, so that comes from the OS reading (./power-os.ts) while on battery.
 */
import { net, powerMonitor } from 'electron';
import type { PowerReading, PowerSource } from '../services/sync/conditions';
import { OsNetwork, readOsPower } from './power-os';

const LEVEL_POLL_MS = 60_000;

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

/** net.isOnline(), looked at every few seconds (Electron has no event for it in the main process). */
export class ElectronNetwork extends OsNetwork {
  constructor() {
    super(() => net.isOnline());
  }
}
