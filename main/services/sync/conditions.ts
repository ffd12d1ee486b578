/**
 * The power and network inputs of the sync schedule, behind interfaces: Electron's powerMonitor
 * and net feed them in the desktop app (main/platform/power.ts), the machine's own readings in
 * browser mode, and tests drive them by hand.
 */
export interface PowerReading {
  onBattery: boolean;
  /** 0–100, null where unknown (a desktop with no battery). */
  batteryPercent: number | null;
}

export interface PowerSource {
  read(): PowerReading;
  /** Mains plugged or pulled, or the battery level moved. */
  onChange(listener: () => void): () => void;
  /** The computer woke from sleep. */
  onResume(listener: () => void): () => void;
}

export interface NetworkSource {
  online(): boolean;
  onChange(listener: (online: boolean) => void): () => void;
}

/** Power a caller sets by hand: mains by default (tests, and machines that cannot tell). */
export class ManualPower implements PowerSource {
  private reading: PowerReading = { onBattery: false, batteryPercent: null };
  private readonly changeListeners = new Set<() => void>();
  private readonly resumeListeners = new Set<() => void>();

  read(): PowerReading {
    return this.reading;
  }

  set(reading: PowerReading): void {
    this.reading = reading;
    for (const listener of this.changeListeners) listener();
  }

  resume(): void {
    for (const listener of this.resumeListeners) listener();
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

/** A link a caller sets by hand: up by default. */
export class ManualNetwork implements NetworkSource {
  private up = true;
  private readonly listeners = new Set<(online: boolean) => void>();

  online(): boolean {
    return this.up;
  }

  set(online: boolean): void {
    if (online === this.up) return;
    this.up = online;
    for (const listener of this.listeners) listener(online);
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
