/**
 * What the Campaigns screen's tabs share: the segments and templates to pick from, the sender's
 * settings (rates for the cost, which provider carries SMS), the sender's status, and the latest
 * progress of each campaign as `campaigns:progress` events report it. Lists load once when a tab
 * first needs them and are kept current by the tabs that change them.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type {
  CampaignProgress,
  CampaignSettings,
  MessageTemplate,
  Segment,
  SenderStatus,
} from '../../shared/contract';
import { kasuwa } from '../bridge';

interface CampaignsStore {
  segments: Segment[] | null;
  templates: MessageTemplate[] | null;
  settings: CampaignSettings | null;
  sender: SenderStatus | null;
  /** The last progress event per campaign id, newer than any list the screen read before it. */
  progress: Record<string, CampaignProgress>;
  /** Why a list could not be read, by list, until it is read. */
  loadErrors: Partial<Record<'segments' | 'templates' | 'settings' | 'sender', string>>;
  loadSegments: () => Promise<void>;
  loadTemplates: () => Promise<void>;
  loadSettings: () => Promise<void>;
  loadSender: () => Promise<void>;
  putSegment: (segment: Segment) => void;
  dropSegment: (id: string) => void;
  putTemplate: (template: MessageTemplate) => void;
  dropTemplate: (id: string) => void;
  setSettings: (settings: CampaignSettings) => void;
  setSender: (sender: SenderStatus) => void;
}

// Counts sender statuses taken in, so a slow `senderStatus()` answer never overwrites a newer event.
let senderReceived = 0;
let watchers = 0;
let stopListening: (() => void) | null = null;

function withError(
  errors: CampaignsStore['loadErrors'],
  list: keyof CampaignsStore['loadErrors'],
  message: string | null,
): CampaignsStore['loadErrors'] {
  const others = Object.fromEntries(Object.entries(errors).filter(([key]) => key !== list));
  return message === null ? others : { ...others, [list]: message };
}

export const useCampaignsStore = create<CampaignsStore>((set, get) => ({
  segments: null,
  templates: null,
  settings: null,
  sender: null,
  progress: {},
  loadErrors: {},
  loadSegments: async () => {
    const answer = await kasuwa.campaigns.segments();
    if (answer.ok) set({ segments: answer.value, loadErrors: withError(get().loadErrors, 'segments', null) });
    else set({ loadErrors: withError(get().loadErrors, 'segments', answer.error.message) });
  },
  loadTemplates: async () => {
    const answer = await kasuwa.campaigns.templates();
    if (answer.ok)
      set({ templates: answer.value, loadErrors: withError(get().loadErrors, 'templates', null) });
    else set({ loadErrors: withError(get().loadErrors, 'templates', answer.error.message) });
  },
  loadSettings: async () => {
    const answer = await kasuwa.campaigns.settings();
    if (answer.ok) set({ settings: answer.value, loadErrors: withError(get().loadErrors, 'settings', null) });
    else set({ loadErrors: withError(get().loadErrors, 'settings', answer.error.message) });
  },
  loadSender: async () => {
    const asked = senderReceived;
    const answer = await kasuwa.campaigns.senderStatus();
    // An event that came in while this read was on its way is newer than its answer.
    if (senderReceived !== asked) return;
    if (answer.ok) {
      senderReceived += 1;
      set({ sender: answer.value, loadErrors: withError(get().loadErrors, 'sender', null) });
    } else {
      set({ loadErrors: withError(get().loadErrors, 'sender', answer.error.message) });
    }
  },
  putSegment: (segment) => {
    const segments = get().segments ?? [];
    const known = segments.some((each) => each.id === segment.id);
    set({
      segments: known
        ? segments.map((each) => (each.id === segment.id ? segment : each))
        : [...segments, segment],
    });
  },
  dropSegment: (id) => set({ segments: (get().segments ?? []).filter((each) => each.id !== id) }),
  putTemplate: (template) => {
    const templates = get().templates ?? [];
    const known = templates.some((each) => each.id === template.id);
    set({
      templates: known
        ? templates.map((each) => (each.id === template.id ? template : each))
        : [...templates, template],
    });
  },
  dropTemplate: (id) => set({ templates: (get().templates ?? []).filter((each) => each.id !== id) }),
  setSettings: (settings) => set({ settings, loadErrors: withError(get().loadErrors, 'settings', null) }),
  setSender: (sender) => {
    senderReceived += 1;
    set({ sender, loadErrors: withError(get().loadErrors, 'sender', null) });
  },
}));

/** Listens to the campaign events while anything on screen shows them; returns the way to stop. */
export function watchCampaignEvents(): () => void {
  watchers += 1;
  if (watchers === 1) {
    const stopProgress = kasuwa.on('campaigns:progress', (progress) =>
      useCampaignsStore.setState((state) => ({
        progress: { ...state.progress, [progress.campaignId]: progress },
      })),
    );
    const stopSender = kasuwa.on('campaigns:sender', (sender) =>
      useCampaignsStore.getState().setSender(sender),
    );
    stopListening = () => {
      stopProgress();
      stopSender();
    };
    void useCampaignsStore.getState().loadSender();
  }
  return () => {
    watchers -= 1;
    if (watchers === 0) {
      stopListening?.();
      stopListening = null;
    }
  };
}

export function useCampaignEvents(): void {
  useEffect(watchCampaignEvents, []);
}

/** The segments, loaded on first use. */
export function useSegments(): Segment[] | null {
  const segments = useCampaignsStore((state) => state.segments);
  useEffect(() => {
    if (useCampaignsStore.getState().segments === null) void useCampaignsStore.getState().loadSegments();
  }, []);
  return segments;
}

/** The templates, loaded on first use. */
export function useTemplates(): MessageTemplate[] | null {
  const templates = useCampaignsStore((state) => state.templates);
  useEffect(() => {
    if (useCampaignsStore.getState().templates === null) void useCampaignsStore.getState().loadTemplates();
  }, []);
  return templates;
}

/** The sender's settings, loaded on first use. */
export function useCampaignSettings(): CampaignSettings | null {
  const settings = useCampaignsStore((state) => state.settings);
  useEffect(() => {
    if (useCampaignsStore.getState().settings === null) void useCampaignsStore.getState().loadSettings();
  }, []);
  return settings;
}
