/**
 * Updates through electron-updater: checked at start and every 6 hours, downloaded in the
 * background, installed when the owner quits Kasuwa (never by force, so never mid-sale).
 * The feed comes from electron-builder's publish config, or the owner's setting when given.
 */
import electronUpdater from 'electron-updater';
import type { UpdateStatus } from '../../shared/contract';
import type { EventBus } from '../services/app/event-bus';
import type { Log } from '../services/app/log';
import { UPDATE_CHECK_INTERVAL_MS, type UpdateService } from '../services/updates/update-service';

export class ElectronUpdates implements UpdateService {
  private current: UpdateStatus = { state: 'idle', lastCheckedAt: null };
  private lastCheckedAt: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: {
      isPackaged: boolean;
      events: EventBus;
      log: Log;
      feedUrl: () => string | null;
    },
  ) {}

  start(): void {
    if (!this.options.isPackaged) {
      this.set({
        state: 'disabled',
        reason: 'Updates are checked by the installed app, not in development.',
      });
      return;
    }
    const { autoUpdater } = electronUpdater;
    autoUpdater.autoDownload = true;
    autoUpdater.autoInstallOnAppQuit = true;
    autoUpdater.on('checking-for-update', () => this.set({ state: 'checking' }));
    autoUpdater.on('update-available', (info) => this.set({ state: 'available', version: info.version }));
    autoUpdater.on('update-not-available', () => {
      this.lastCheckedAt = Date.now();
      this.set({ state: 'up-to-date', lastCheckedAt: this.lastCheckedAt });
    });
    autoUpdater.on('download-progress', (progress) => {
      const version = 'version' in this.current ? this.current.version : '';
      this.set({ state: 'downloading', version, percent: Math.round(progress.percent) });
    });
    autoUpdater.on('update-downloaded', (info) =>
      this.set({ state: 'downloaded', version: info.version, installsOnQuit: true }),
    );
    autoUpdater.on('error', (error) => {
      this.options.log.warn('update check failed', { error });
      this.set({
        state: 'error',
        message: 'Could not reach the update server. Kasuwa will try again later.',
        lastCheckedAt: this.lastCheckedAt,
      });
    });
    void this.check();
    this.timer = setInterval(() => void this.check(), UPDATE_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  status(): UpdateStatus {
    return this.current;
  }

  async check(): Promise<UpdateStatus> {
    if (
      this.current.state === 'disabled' ||
      this.current.state === 'downloading' ||
      this.current.state === 'downloaded'
    ) {
      return this.current;
    }
    const feedUrl = this.options.feedUrl();
    if (feedUrl !== null) electronUpdater.autoUpdater.setFeedURL({ provider: 'generic', url: feedUrl });
    try {
      await electronUpdater.autoUpdater.checkForUpdates();
    } catch {
      // The 'error' event has already turned this into a status the owner can read.
    }
    return this.current;
  }

  private set(status: UpdateStatus): void {
    this.current = status;
    this.options.events.emit('update:status', status);
  }
}
