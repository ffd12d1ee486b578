/**
 * What the rest of the app knows of updates. The Electron implementation lives in
 * `main/platform/updater.ts`; the browser host has none (it runs from the installed copy).
 * The policy here is plain: check at start and every 6 hours, download in the background,
 * install on quit, never in the middle of a sale.
 */
import type { UpdateStatus } from '../../../shared/contract';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface UpdateService {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
}

export class NoUpdates implements UpdateService {
  constructor(private readonly reason: string) {}

  status(): UpdateStatus {
    return { state: 'disabled', reason: this.reason };
  }

  check(): Promise<UpdateStatus> {
    return Promise.resolve(this.status());
  }
}
