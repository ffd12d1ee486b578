/** Exposes `window.kasuwa`, built from the contract: one method per channel, nothing else. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  buildKasuwaApi,
  EVENT_CHANNEL,
  type ChannelName,
  type EventName,
  type KasuwaApi,
} from '../shared/contract';
import type { Envelope } from '../shared/errors';

const api = buildKasuwaApi(
  (channel: ChannelName, input: unknown) => ipcRenderer.invoke(channel, input) as Promise<Envelope<unknown>>,
  (event: EventName, listener: (payload: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, message: { name: string; payload: unknown }) => {
      if (message.name === event) listener(message.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
);

contextBridge.exposeInMainWorld('kasuwa', api satisfies KasuwaApi);
