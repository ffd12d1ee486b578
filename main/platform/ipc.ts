/** Binds every contract channel to ipcMain through the one wrapper, and forwards events. */
import { ipcMain, type BrowserWindow } from 'electron';
import { channelNames, EVENT_CHANNEL } from '../../shared/contract';
import { handleInvoke, type Dispatch } from '../ipc/handler';
import type { EventBus } from '../services/app/event-bus';
import type { Log } from '../services/app/log';

export function registerIpcHandlers(dispatch: Dispatch, log: Log): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, input: unknown) => handleInvoke(dispatch, log, event, channel, input));
  }
}

export function forwardEvents(events: EventBus, window: () => BrowserWindow | null): () => void {
  return events.subscribe((name, payload) => {
    const target = window();
    if (target !== null && !target.isDestroyed()) target.webContents.send(EVENT_CHANNEL, { name, payload });
  });
}
