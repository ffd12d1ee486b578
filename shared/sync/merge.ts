/**
 * How copies of the same record from two counters (or a counter and the server) become one,
 * the same everywhere whatever order the copies arrive in: fields last-writer-wins per field by
 * hybrid logical clock, preferences per key, notes kept from both sides. Ledgers (sales,
 * payments, points, stock) never conflict because rows are only ever added, except a sale whose
 * two copies disagree on amounts, which waits for the owner. Shared by the counters and the
 * sync server, so both judge a merge by the very same code.
 */
export interface Stamped<T> {
  value: T;
  /** `formatHlc` text: compares as text in clock order. */
  hlc: string;
}

export interface NoteEntry {
  id: string;
  /** '' is a removed note: the removal is kept so it wins over older copies of the note. */
  text: string;
  hlc: string;
}

/** A mergeable record: customers, products, staff, the business profile, settings. */
export interface Replica {
  fields: Record<string, Stamped<string | null>>;
  /** A removed preference is kept as a null value so the removal wins over older edits. */
  preferences: Record<string, Stamped<string | null>>;
  notes: NoteEntry[];
}

/** Kept for the customer book, where the three parts of a replica were first named. */
export type CustomerReplica = Replica;

export const EMPTY_REPLICA: Replica = { fields: {}, preferences: {}, notes: [] };

function newer<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined): Stamped<T> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  // Equal clocks come from the same edit; the tie-break on value only keeps merge symmetric.
  if (a.hlc === b.hlc) return JSON.stringify(a.value) >= JSON.stringify(b.value) ? a : b;
  return a.hlc > b.hlc ? a : b;
}

function mergeStamped(a: Record<string, Stamped<string | null>>, b: Record<string, Stamped<string | null>>) {
  const merged: Record<string, Stamped<string | null>> = {};
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const winner = newer(a[key], b[key]);
    // Rebuilt with its keys in one order: copies read back from jsonb or SQLite compare equal.
    if (winner !== undefined) merged[key] = { value: winner.value, hlc: winner.hlc };
  }
  return merged;
}

function compareNotes(a: NoteEntry, b: NoteEntry): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function mergeReplica(mine: Replica, theirs: Replica): Replica {
  const notes = new Map<string, NoteEntry>();
  for (const note of [...mine.notes, ...theirs.notes]) {
    // A note is written once; two copies of one id keep the later edit, whichever side it came from.
    const seen = notes.get(note.id);
    const keep =
      seen === undefined || note.hlc > seen.hlc || (note.hlc === seen.hlc && note.text > seen.text);
    if (keep) notes.set(note.id, { id: note.id, text: note.text, hlc: note.hlc });
  }
  return {
    fields: mergeStamped(mine.fields, theirs.fields),
    preferences: mergeStamped(mine.preferences, theirs.preferences),
    notes: [...notes.values()].sort(compareNotes),
  };
}

export const mergeCustomer = mergeReplica;

/**
 * Takes in the server's answer to a push. Where this counter has not edited a field since it
 * sent `pushed`, the server's copy is taken as it is, even when its clock is lower: the server
 * clamps a clock that ran ahead, and every counter must judge the edit by the clamped value.
 * Where this counter edited again since, the usual merge decides.
 */
export function adoptServerCopy(local: Replica, pushed: Replica, server: Replica): Replica {
  const part = (
    mine: Record<string, Stamped<string | null>>,
    sent: Record<string, Stamped<string | null>>,
    theirs: Record<string, Stamped<string | null>>,
  ) => {
    const result: Record<string, Stamped<string | null>> = {};
    for (const key of [...new Set([...Object.keys(mine), ...Object.keys(theirs)])].sort()) {
      const own = mine[key];
      const sentCopy = sent[key];
      const unchanged = own !== undefined && sentCopy !== undefined && own.hlc === sentCopy.hlc;
      const winner = unchanged ? (theirs[key] ?? own) : newer(own, theirs[key]);
      if (winner !== undefined) result[key] = winner;
    }
    return result;
  };
  const sentNotes = new Map(pushed.notes.map((note) => [note.id, note]));
  const serverNotes = new Map(server.notes.map((note) => [note.id, note]));
  const notes = mergeReplica(
    { ...EMPTY_REPLICA, notes: local.notes },
    { ...EMPTY_REPLICA, notes: server.notes },
  )
    .notes.map((note) => {
      const own = local.notes.find((n) => n.id === note.id);
      const sent = sentNotes.get(note.id);
      return own !== undefined && sent !== undefined && own.hlc === sent.hlc
        ? (serverNotes.get(note.id) ?? own)
        : note;
    })
    .sort(compareNotes);
  return {
    fields: part(local.fields, pushed.fields, server.fields),
    preferences: part(local.preferences, pushed.preferences, server.preferences),
    notes,
  };
}

/** The same record, written the same way: what "the server's row equals mine" means. */
export function sameReplica(a: Replica, b: Replica): boolean {
  const canonical = (r: Replica) => JSON.stringify(mergeReplica(r, EMPTY_REPLICA));
  return canonical(a) === canonical(b);
}

/** The newest clock anywhere in a replica ('' for an empty one). */
export function latestStamp(replica: Replica): string {
  let latest = '';
  for (const stamp of [
    ...Object.values(replica.fields),
    ...Object.values(replica.preferences),
    ...replica.notes,
  ]) {
    if (stamp.hlc > latest) latest = stamp.hlc;
  }
  return latest;
}

/** What decides whether two copies of a sale are the same sale: its money and its goods. */
export interface SaleCopy {
  id: string;
  totalKobo: number;
  lines: { productId: string | null; quantity: number; totalKobo: number }[];
  payments: { method: string; amountKobo: number }[];
}

export type SaleMerge =
  { outcome: 'same' } | { outcome: 'new' } | { outcome: 'conflict'; mine: SaleCopy; theirs: SaleCopy };

export function saleAmounts(sale: SaleCopy): string {
  const lines = sale.lines.map((l) => `${l.productId ?? ''}:${l.quantity}:${l.totalKobo}`).sort();
  const payments = sale.payments.map((p) => `${p.method}:${p.amountKobo}`).sort();
  return JSON.stringify([sale.totalKobo, lines, payments]);
}

/** A sale is a ledger entry: another copy is either the same sale or a disagreement for the owner. */
export function mergeSale(mine: SaleCopy | null, theirs: SaleCopy): SaleMerge {
  if (mine === null) return { outcome: 'new' };
  return saleAmounts(mine) === saleAmounts(theirs)
    ? { outcome: 'same' }
    : { outcome: 'conflict', mine, theirs };
}
