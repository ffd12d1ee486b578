/**
 * How the renderer reaches the main process: `window.kasuwa` from the preload in the desktop
 * app, else the browser host's WebSocket (token from the URL). Both give the same typed API,
 * built from the contract, with the same envelopes.
 */
import { buildKasuwaApi, type ChannelName, type EventName, type KasuwaApi } from '../shared/contract';
import type { Envelope } from '../shared/errors';

declare global {
  interface Window {
    kasuwa?: KasuwaApi;
  }
}

const TOKEN_KEY = 'kasuwa.hostToken';

interface PendingCall {
  resolve: (envelope: Envelope<unknown>) => void;
}

type HostFrame =
  | { type: 'result'; id: number | null; envelope: Envelope<unknown> }
  | { type: 'event'; name: EventName; payload: unknown };

const lostConnection: Envelope<unknown> = {
  ok: false,
  error: {
    code: 'unavailable',
    message: 'Lost the connection to Kasuwa. Check that it is still running, then try again.',
  },
};

/** Takes the token off the address bar (so it is not bookmarked or shared) and keeps it for reloads. */
function hostToken(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${rest === '' ? '' : `?${rest}`}${window.location.hash}`,
    );
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function browserHostApi(): KasuwaApi {
  const token = hostToken();
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const address = `${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, PendingCall>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let retryDelay = 250;

  const connect = (): Promise<WebSocket> => {
    if (socket !== null && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(address);
      ws.addEventListener('open', () => {
        socket = ws;
        opening = null;
        retryDelay = 250;
        resolve(ws);
      });
      ws.addEventListener('message', (message: MessageEvent<string>) => {
        const frame = JSON.parse(message.data) as HostFrame;
        if (frame.type === 'event') {
          for (const listener of listeners.get(frame.name) ?? []) listener(frame.payload);
        } else if (frame.id !== null) {
          pending.get(frame.id)?.resolve(frame.envelope);
          pending.delete(frame.id);
        }
      });
      ws.addEventListener('close', () => {
        socket = null;
        opening = null;
        for (const call of pending.values()) call.resolve(lostConnection);
        pending.clear();
        reject(new Error('closed'));
        // Keep event subscriptions alive across a restart of the host.
        if (listeners.size > 0) {
          retryDelay = Math.min(retryDelay * 2, 10_000);
          window.setTimeout(() => void connect().catch(() => undefined), retryDelay);
        }
      });
    });
    return opening;
  };

  return buildKasuwaApi(
    async (channel: ChannelName, input: unknown) => {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch {
        return lostConnection;
      }
      const id = nextId++;
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, { resolve });
        ws.send(JSON.stringify({ id, channel, input }));
      });
    },
    (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      void connect().catch(() => undefined);
      return () => set.delete(listener);
    },
  );
}

export const kasuwa: KasuwaApi = window.kasuwa ?? browserHostApi();
export const isBrowserHost = window.kasuwa === undefined;
