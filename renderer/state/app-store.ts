/** App-wide state: lock status, the business profile, and the toasts that show errors. */
import { create } from 'zustand';
import type { AppStatus, BusinessProfile } from '../../shared/contract';
import type { Envelope, KasuwaErrorShape } from '../../shared/errors';

export interface Toast {
  id: number;
  tone: 'error' | 'success';
  message: string;
}

interface AppState {
  status: AppStatus | null;
  business: BusinessProfile | null;
  toasts: Toast[];
  setStatus: (status: AppStatus) => void;
  setBusiness: (business: BusinessProfile | null) => void;
  showToast: (tone: Toast['tone'], message: string) => void;
  dismissToast: (id: number) => void;
}

let nextToastId = 1;

export const useAppStore = create<AppState>((set) => ({
  status: null,
  business: null,
  toasts: [],
  setStatus: (status) => set({ status }),
  setBusiness: (business) => set({ business }),
  showToast: (tone, message) => {
    const id = nextToastId++;
    set((state) => ({ toasts: [...state.toasts.slice(-3), { id, tone, message }] }));
    window.setTimeout(() => useAppStore.getState().dismissToast(id), tone === 'error' ? 8000 : 4000);
  },
  dismissToast: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));

/** Awaits a call; an error envelope's sentence is shown in a toast (unless `quiet`). */
export async function call<T>(
  request: Promise<Envelope<T>>,
  options: { onError?: (error: KasuwaErrorShape) => void; quiet?: boolean } = {},
): Promise<Envelope<T>> {
  const envelope = await request;
  if (!envelope.ok) {
    options.onError?.(envelope.error);
    if (options.quiet !== true) useAppStore.getState().showToast('error', envelope.error.message);
  }
  return envelope;
}
