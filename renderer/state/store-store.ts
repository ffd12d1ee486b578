/**
 * The Store screen's state: the wizard's draft as the owner edits it, autosaved one section at a
 * time about 600 ms after the last change and at once on a step change; the last `StoreState` the
 * main process answered (checklist, saved keys, test order, publishing); the save status the
 * wizard shows; the catalogue products the products step has read; the published store's payment
 * webhook URLs (read once per publish for the payments step); and the count of pending online
 * orders that `store:orders` events keep current.
 *
 * The draft on screen is the owner's: an answer from the main process never overwrites what they
 * typed (it would trim a trailing space while they type the next word). A section that does not
 * pass its schema is still saved, with each wrong field kept at its last saved value, so a
 * half-typed account number never holds back the account name typed beside it.
 */
import { useEffect } from 'react';
import type { z } from 'zod';
import { create } from 'zustand';
import type {
  DraftSectionInput,
  Product,
  StoreOrdersEvent,
  StorePaymentHooks,
  StoreState,
} from '../../shared/contract';
import type { KasuwaErrorShape } from '../../shared/errors';
import { storeChecklist, type ChecklistItem, type ChecklistItemId } from '../../shared/store/checklist';
import {
  businessInfoSchema,
  launchSchema,
  legalSchema,
  paymentsSchema,
  shippingSchema,
  storeProductsSchema,
  type DraftSection,
  type StoreDraft,
  type WizardStep,
} from '../../shared/store/draft';
import { kasuwa } from '../bridge';

/** How long after the last change a section is saved. */
export const AUTOSAVE_DELAY_MS = 600;

type SaveKey = DraftSection | 'step';

const SECTION_SCHEMAS: Record<DraftSection, z.ZodType> = {
  business: businessInfoSchema,
  products: storeProductsSchema,
  payments: paymentsSchema,
  shipping: shippingSchema,
  legal: legalSchema,
  launch: launchSchema,
};

export type SaveStatus =
  | { state: 'idle' }
  | { state: 'saving' }
  /** `kept`: fields left at their saved value because what is on screen is not right yet. */
  | { state: 'saved'; at: number; kept: number }
  | { state: 'error'; message: string };

/** The payment webhook URLs as last asked of the sync server, for the publish they were asked after. */
export type PaymentHooksStatus =
  | { state: 'idle' }
  | { state: 'loading'; publishedAt: number }
  /** `hooks` null: the server has no store online for this business, or the counter is not paired. */
  | { state: 'ready'; publishedAt: number; hooks: StorePaymentHooks | null }
  | { state: 'error'; publishedAt: number; message: string };

/** Field errors of a section, keyed by the dotted path inside it ("accountNumber", "zones.2.name"). */
export type SectionErrors = Record<string, string>;

interface StoreScreen {
  remote: StoreState | null;
  /** The draft on screen; null until the first `store:state` answer. */
  draft: StoreDraft | null;
  loadError: string | null;
  loading: boolean;
  save: SaveStatus;
  /** Sections changed on screen since they were last saved (including one being saved). */
  dirty: Partial<Record<SaveKey, true>>;
  errors: Partial<Record<DraftSection, SectionErrors>>;
  pendingOrders: number;
  /** Grows with every `store:orders` event, so an open orders list knows to read again. */
  ordersVersion: number;
  newestOrder: StoreOrdersEvent['newest'];
  /** Catalogue products read so far, by id; null: the product is no longer in the catalogue. */
  products: Record<string, Product | null>;
  paymentHooks: PaymentHooksStatus;
  load: () => Promise<void>;
  /** Asks for the payment webhook URLs of the publish at `publishedAt`, unless already asked (or `again`). */
  loadPaymentHooks: (publishedAt: number, again?: boolean) => Promise<void>;
  /** Changes one section on screen and saves it a moment later. */
  edit: <S extends DraftSection>(section: S, change: (current: StoreDraft[S]) => StoreDraft[S]) => void;
  /** Moves the wizard to a step: saves every changed section now, and the step. */
  goTo: (step: WizardStep) => void;
  /** Saves every changed section now; true when all of them saved. */
  flush: () => Promise<boolean>;
  /** Takes in a `StoreState` answered by another channel (keys, test order, publishing). */
  applyRemote: (state: StoreState) => void;
  rememberProducts: (products: readonly Product[]) => void;
  fetchProducts: (ids: readonly string[]) => Promise<void>;
}

// Edit counters per section: a save answers for the version it sent, not for newer typing.
const versions: Partial<Record<SaveKey, number>> = {};
const savedVersions: Partial<Record<SaveKey, number>> = {};
const timers = new Map<SaveKey, number>();
// Saves go one after another, so an older value never lands after a newer one.
let saveChain: Promise<unknown> = Promise.resolve();
let inFlight = 0;
const asking = new Set<string>();

function dirtyMap(): Partial<Record<SaveKey, true>> {
  const dirty: Partial<Record<SaveKey, true>> = {};
  for (const key of Object.keys(versions) as SaveKey[]) {
    if (versions[key] !== savedVersions[key]) dirty[key] = true;
  }
  return dirty;
}

function issueErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): SectionErrors {
  const errors: SectionErrors = {};
  for (const issue of issues) errors[issue.path.map(String).join('.')] ??= issue.message;
  return errors;
}

/** Field errors from an envelope's details; the channel's input is `{ section, value }`. */
function envelopeErrors(error: KasuwaErrorShape): SectionErrors {
  if (!Array.isArray(error.details)) return {};
  const errors: SectionErrors = {};
  for (const issue of error.details as { path?: unknown; message?: unknown }[]) {
    if (!Array.isArray(issue.path) || typeof issue.message !== 'string') continue;
    const path = (issue.path as unknown[]).map(String);
    errors[(path[0] === 'value' ? path.slice(1) : path).join('.')] ??= issue.message;
  }
  return errors;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let here: unknown = root;
  for (const key of path) {
    if (typeof here !== 'object' || here === null || !(String(key) in here)) {
      return { found: false, value: undefined };
    }
    here = (here as Record<string, unknown>)[String(key)];
  }
  return { found: true, value: here };
}

function withValueAt(root: unknown, path: readonly PropertyKey[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(root)) {
    const copy: unknown[] = [...(root as unknown[])];
    copy[Number(head)] = withValueAt(copy[Number(head)], rest, value);
    return copy;
  }
  const object = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
  return { ...object, [String(head)]: withValueAt(object[String(head)], rest, value) };
}

/**
 * The section as it can be saved: each wrong field put back to its last saved value. Null when a
 * wrong field has no saved value to fall back on (a zone added since the last save, say).
 */
function saveableValue(
  section: DraftSection,
  value: unknown,
  saved: unknown,
): { value: unknown; errors: SectionErrors; kept: number } | null {
  const schema = SECTION_SCHEMAS[section];
  const first = schema.safeParse(value);
  if (first.success) return { value, errors: {}, kept: 0 };
  let repaired = value;
  for (const issue of first.error.issues) {
    const before = valueAt(saved, issue.path);
    if (issue.path.length === 0 || !before.found) return null;
    repaired = withValueAt(repaired, issue.path, before.value);
  }
  if (!schema.safeParse(repaired).success) return null;
  return { value: repaired, errors: issueErrors(first.error.issues), kept: first.error.issues.length };
}

function clearTimer(key: SaveKey): void {
  const timer = timers.get(key);
  if (timer !== undefined) window.clearTimeout(timer);
  timers.delete(key);
}

export const useStoreScreen = create<StoreScreen>((set, get) => {
  const send = async (key: SaveKey): Promise<boolean> => {
    const { draft, remote } = get();
    if (draft === null) return false;
    const version = versions[key] ?? 0;
    if (savedVersions[key] === version) return true;
    let input: DraftSectionInput;
    let localErrors: SectionErrors = {};
    let kept = 0;
    if (key === 'step') {
      input = { section: 'step', value: draft.step };
    } else {
      const saveable = saveableValue(key, draft[key], remote?.draft[key]);
      if (saveable === null) {
        const parsed = SECTION_SCHEMAS[key].safeParse(draft[key]);
        const errors = parsed.success ? {} : issueErrors(parsed.error.issues);
        set({
          errors: { ...get().errors, [key]: errors },
          save: {
            state: 'error',
            message: `${Object.values(errors)[0] ?? 'Some fields are not right'}. Fix the marked field to save.`,
          },
        });
        return false;
      }
      input = { section: key, value: saveable.value } as DraftSectionInput;
      localErrors = saveable.errors;
      kept = saveable.kept;
    }
    inFlight += 1;
    set({ save: { state: 'saving' } });
    const answer = await kasuwa.store.saveDraft(input);
    inFlight -= 1;
    if (answer.ok) {
      savedVersions[key] = version;
      const state = answer.value;
      const keyErrors = key === 'step' ? {} : { [key]: localErrors };
      set({
        remote: state,
        pendingOrders: state.pendingOrders,
        dirty: dirtyMap(),
        errors: { ...get().errors, ...keyErrors },
        save: inFlight > 0 ? { state: 'saving' } : { state: 'saved', at: state.savedAt ?? Date.now(), kept },
      });
      return true;
    }
    const keyErrors = key === 'step' ? {} : { [key]: { ...localErrors, ...envelopeErrors(answer.error) } };
    set({
      errors: { ...get().errors, ...keyErrors },
      save: { state: 'error', message: answer.error.message },
    });
    return false;
  };

  const enqueue = (key: SaveKey): Promise<boolean> => {
    clearTimer(key);
    const run = saveChain.then(() => send(key));
    saveChain = run.catch(() => undefined);
    return run;
  };

  const schedule = (key: SaveKey): void => {
    versions[key] = (versions[key] ?? 0) + 1;
    clearTimer(key);
    timers.set(
      key,
      window.setTimeout(() => void enqueue(key), AUTOSAVE_DELAY_MS),
    );
  };

  return {
    remote: null,
    draft: null,
    loadError: null,
    loading: false,
    save: { state: 'idle' },
    dirty: {},
    errors: {},
    pendingOrders: 0,
    ordersVersion: 0,
    newestOrder: null,
    products: {},
    paymentHooks: { state: 'idle' },
    loadPaymentHooks: async (publishedAt, again = false) => {
      const current = get().paymentHooks;
      if (!again && current.state !== 'idle' && current.publishedAt === publishedAt) return;
      set({ paymentHooks: { state: 'loading', publishedAt } });
      const answer = await kasuwa.store.paymentHooks();
      // A newer publish asked meanwhile: its answer is the one to keep.
      const asked = get().paymentHooks;
      if (asked.state !== 'loading' || asked.publishedAt !== publishedAt) return;
      set({
        paymentHooks: answer.ok
          ? { state: 'ready', publishedAt, hooks: answer.value }
          : { state: 'error', publishedAt, message: answer.error.message },
      });
    },
    load: async () => {
      set({ loading: true });
      const answer = await kasuwa.store.state();
      if (!answer.ok) {
        set({ loading: false, loadError: answer.error.message });
        return;
      }
      const state = answer.value;
      // What the owner changed on screen since stays; the rest is read afresh.
      const current = get().draft;
      const dirty = dirtyMap();
      const draft =
        current === null
          ? state.draft
          : (Object.fromEntries(
              (Object.keys(state.draft) as (keyof StoreDraft)[]).map((key) => [
                key,
                dirty[key] === true ? current[key] : state.draft[key],
              ]),
            ) as StoreDraft);
      set({ remote: state, draft, loading: false, loadError: null, pendingOrders: state.pendingOrders });
    },
    edit: (section, change) => {
      const draft = get().draft;
      if (draft === null) return;
      schedule(section);
      set({ draft: { ...draft, [section]: change(draft[section]) }, dirty: dirtyMap() });
    },
    goTo: (step) => {
      const draft = get().draft;
      if (draft === null || draft.step === step) return;
      versions.step = (versions.step ?? 0) + 1;
      set({ draft: { ...draft, step }, dirty: dirtyMap() });
      void get().flush();
    },
    flush: async () => {
      const keys = Object.keys(dirtyMap()) as SaveKey[];
      const results = await Promise.all(keys.map(enqueue));
      return results.every(Boolean);
    },
    applyRemote: (state) => set({ remote: state, pendingOrders: state.pendingOrders }),
    rememberProducts: (list) => {
      if (list.length === 0) return;
      set({ products: { ...get().products, ...Object.fromEntries(list.map((each) => [each.id, each])) } });
    },
    fetchProducts: async (ids) => {
      const wanted = ids.filter((id) => !(id in get().products) && !asking.has(id));
      if (wanted.length === 0) return;
      for (const id of wanted) asking.add(id);
      const answers = await Promise.all(wanted.map((id) => kasuwa.products.get({ id })));
      const found: Record<string, Product | null> = {};
      answers.forEach((answer, index) => {
        const id = wanted[index] ?? '';
        asking.delete(id);
        if (answer.ok) found[id] = answer.value;
        else if (answer.error.code === 'not_found') found[id] = null;
      });
      set({ products: { ...get().products, ...found } });
    },
  };
});

const ITEM_SECTIONS: Record<ChecklistItemId, DraftSection | null> = {
  business: 'business',
  products: 'products',
  payment: 'payments',
  delivery: 'shipping',
  legal: 'legal',
  address: 'launch',
  'test-order': null,
};

/**
 * The checklist as the screen shows it: the main process's for sections saved as they are on
 * screen (it knows which products are still sold), worked out here for sections with changes on
 * their way, so a tick follows the typing at once.
 */
export function screenChecklist(
  remote: StoreState,
  draft: StoreDraft,
  dirty: Partial<Record<SaveKey, true>>,
): ChecklistItem[] {
  const local = storeChecklist(draft, {
    onlineProducts: draft.products.items.filter((item) => item.online).length,
    paymentKeys: remote.paymentKeys,
    testOrderAt: remote.testOrderAt,
  });
  return local.map((item) => {
    const section = ITEM_SECTIONS[item.id];
    const saved = remote.checklist.find((each) => each.id === item.id);
    if (saved === undefined || (section !== null && dirty[section] === true)) return item;
    return saved;
  });
}

/** The checklist as the screen shows it (see `screenChecklist`); null until the state is read. */
export function useStoreChecklist(): ChecklistItem[] | null {
  const remote = useStoreScreen((state) => state.remote);
  const draft = useStoreScreen((state) => state.draft);
  const dirty = useStoreScreen((state) => state.dirty);
  if (remote === null || draft === null) return null;
  return screenChecklist(remote, draft, dirty);
}

let watchers = 0;
let stopWatching: (() => void) | null = null;

/**
 * While the Store screen is open: reads the state once, follows `store:orders` events, and saves
 * what is waiting when the window goes away or the owner leaves the screen.
 */
export function watchStoreScreen(): () => void {
  watchers += 1;
  if (watchers === 1) {
    const stopOrders = kasuwa.on('store:orders', (event) =>
      useStoreScreen.setState((state) => ({
        pendingOrders: event.pending,
        newestOrder: event.newest,
        ordersVersion: state.ordersVersion + 1,
      })),
    );
    const saveNow = () => void useStoreScreen.getState().flush();
    window.addEventListener('pagehide', saveNow);
    window.addEventListener('beforeunload', saveNow);
    stopWatching = () => {
      stopOrders();
      window.removeEventListener('pagehide', saveNow);
      window.removeEventListener('beforeunload', saveNow);
      saveNow();
    };
    void useStoreScreen.getState().load();
  }
  return () => {
    watchers -= 1;
    if (watchers === 0) {
      stopWatching?.();
      stopWatching = null;
    }
  };
}

export function useStoreScreenWatch(): void {
  useEffect(watchStoreScreen, []);
}
