/**
 * How copies of the same record from two counters become one, the same on every counter
 * whatever order the copies arrive in: contact fields last-writer-wins per field by hybrid
 * logical clock, preferences per key, notes kept from both sides; ledgers (sales, payments,
 * points, stock) never conflict because rows are only ever added, except a sale whose two
 * copies disagree on amounts, which waits for the owner.
 */
export interface Stamped<T> {
  value: T;
  /** `formatHlc` text: compares as text in clock order. */
  hlc: string;
}

export interface CustomerReplica {
  fields: Record<string, Stamped<string | null>>;
  /** A removed preference is kept as a null value so the removal wins over older edits. */
  preferences: Record<string, Stamped<string | null>>;
  notes: { id: string; text: string; hlc: string }[];
}

function newer<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined): Stamped<T> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  // Equal clocks come from the same edit; the tie-break on value only keeps merge symmetric.
  if (a.hlc === b.hlc) return JSON.stringify(a.value) >= JSON.stringify(b.value) ? a : b;
  return a.hlc > b.hlc ? a : b;
}

function mergeStamped(a: Record<string, Stamped<string | null>>, b: Record<string, Stamped<string | null>>) {
  const merged: Record<string, Stamped<string | null>> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const winner = newer(a[key], b[key]);
    if (winner !== undefined) merged[key] = winner;
  }
  return merged;
}

export function mergeCustomer(mine: CustomerReplica, theirs: CustomerReplica): CustomerReplica {
  const notes = new Map<string, CustomerReplica['notes'][number]>();
  for (const note of [...mine.notes, ...theirs.notes]) {
    // A note is written once; two copies of one id keep the later edit, whichever side it came from.
    const seen = notes.get(note.id);
    const keep =
      seen === undefined || note.hlc > seen.hlc || (note.hlc === seen.hlc && note.text > seen.text);
    if (keep) notes.set(note.id, note);
  }
  return {
    fields: mergeStamped(mine.fields, theirs.fields),
    preferences: mergeStamped(mine.preferences, theirs.preferences),
    notes: [...notes.values()].sort((a, b) =>
      a.hlc === b.hlc ? (a.id < b.id ? -1 : 1) : a.hlc < b.hlc ? -1 : 1,
    ),
  };
}

export interface SaleCopy {
  id: string;
  totalKobo: number;
  lines: { productId: string | null; quantity: number; totalKobo: number }[];
  payments: { method: string; amountKobo: number }[];
}

export type SaleMerge =
  { outcome: 'same' } | { outcome: 'new' } | { outcome: 'conflict'; mine: SaleCopy; theirs: SaleCopy };

function amountsOf(sale: SaleCopy): string {
  const lines = sale.lines.map((l) => `${l.productId ?? ''}:${l.quantity}:${l.totalKobo}`).sort();
  const payments = sale.payments.map((p) => `${p.method}:${p.amountKobo}`).sort();
  return JSON.stringify([sale.totalKobo, lines, payments]);
}

/** A sale is a ledger entry: another copy is either the same sale or a disagreement for the owner. */
export function mergeSale(mine: SaleCopy | null, theirs: SaleCopy): SaleMerge {
  if (mine === null) return { outcome: 'new' };
  return amountsOf(mine) === amountsOf(theirs) ? { outcome: 'same' } : { outcome: 'conflict', mine, theirs };
}
