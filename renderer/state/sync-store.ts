/**
 * The sync status that the Sync screen and the navigation both show: one `sync.status()` read
 * when the first of them appears, then every `sync:status` event from the main process.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { SyncStatus } from '../../shared/contract';
import { kasuwa } from '../bridge';

interface SyncStore {
  status: SyncStatus | null;
  /** Why the status could not be read, until a status arrives. */
  loadError: string | null;
  setStatus: (status: SyncStatus) => void;
  refresh: () => Promise<void>;
}

// Counts statuses taken in, so a slow `sync.status()` answer never overwrites a newer event.
let received = 0;
let watchers = 0;
let stopListening: (() => void) | null = null;

export const useSyncStore = create<SyncStore>((set) => ({
  status: null,
  loadError: null,
  setStatus: (status) => {
    received += 1;
    set({ status, loadError: null });
  },
  refresh: async () => {
    const asked = received;
    const answer = await kasuwa.sync.status();
    if (received !== asked) return;
    if (answer.ok) {
      received += 1;
      set({ status: answer.value, loadError: null });
    } else {
      set({ loadError: answer.error.message });
    }
  },
}));

/** Keeps the store fed while anything on screen shows the status; returns the way to stop. */
export function watchSyncStatus(): () => void {
  watchers += 1;
  if (watchers === 1) {
    stopListening = kasuwa.on('sync:status', (status) => useSyncStore.getState().setStatus(status));
    void useSyncStore.getState().refresh();
  }
  return () => {
    watchers -= 1;
    if (watchers === 0) {
      stopListening?.();
      stopListening = null;
    }
  };
}

/** The live sync status, or null until the first one arrives. */
export function useSyncStatus(): SyncStatus | null {
  useEffect(watchSyncStatus, []);
  return useSyncStore((state) => state.status);
}
