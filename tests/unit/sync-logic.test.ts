/** The pure parts of sync: clocks, merge rules, backoff and the schedule. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from '../../main/services/sync/backoff';
import {
  adoptServerCopy,
  mergeCustomer,
  mergeSale,
  type CustomerReplica,
  type SaleCopy,
} from '../../shared/sync/merge';
import {
  batchForLink,
  decideSync,
  LOW_BATTERY_INTERVAL_MS,
  MAINS_INTERVAL_MS,
  type SyncConditions,
} from '../../main/services/sync/schedule';
import { clampHlcText, compareHlc, formatHlc, HybridClock, MAX_DRIFT_MS, parseHlc } from '../../shared/hlc';

const DAY = 86_400_000;

describe('hybrid logical clock', () => {
  it('never goes backwards, even when the wall clock does', () => {
    let wall = 1_000_000;
    const clock = new HybridClock('a', () => wall);
    const first = clock.now();
    wall -= 60_000;
    const second = clock.now();
    expect(compareHlc(second, first)).toBe(1);
    expect(formatHlc(second) > formatHlc(first)).toBe(true);
  });

  it('orders an edit after one it has seen', () => {
    const a = new HybridClock('a', () => 5_000);
    const b = new HybridClock('b', () => 4_000);
    const seen = a.now();
    b.receive(seen);
    expect(compareHlc(b.now(), seen)).toBe(1);
  });

  it('does not let a counter a day fast win by it', () => {
    const honest = new HybridClock('honest', () => 10 * DAY);
    const fast = new HybridClock('fast', () => 11 * DAY);
    const fromFast = fast.now();
    const judged = honest.receive(fromFast);
    expect(judged.wall).toBe(10 * DAY + MAX_DRIFT_MS);
    // An edit made on the honest counter a little later wins over the fast one.
    const later = new HybridClock('honest', () => 10 * DAY + MAX_DRIFT_MS + 1).now();
    expect(compareHlc(later, judged)).toBe(1);
  });

  it('corrects a skewed counter once the server tells it the offset', () => {
    const skewed = new HybridClock('slow', () => 9 * DAY);
    skewed.setOffset(DAY);
    expect(skewed.now().wall).toBe(10 * DAY);
  });

  it('formats and parses in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 45 }),
        fc.integer({ min: 0, max: 65_535 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        (wall, counter, node) => {
          const hlc = { wall, counter, node };
          expect(parseHlc(formatHlc(hlc))).toEqual(hlc);
        },
      ),
    );
  });
});

const stamped = fc.record({
  value: fc.option(fc.string({ maxLength: 4 }), { nil: null }),
  hlc: fc.string({ minLength: 1, maxLength: 3 }),
});
const replica: fc.Arbitrary<CustomerReplica> = fc.record({
  fields: fc.dictionary(fc.constantFrom('displayName', 'phone', 'email', 'state'), stamped),
  preferences: fc.dictionary(fc.constantFrom('brand', 'size', 'delivery'), stamped),
  notes: fc.uniqueArray(
    fc.record({
      id: fc.constantFrom('n1', 'n2', 'n3', 'n4'),
      text: fc.string({ maxLength: 3 }),
      hlc: fc.string({ minLength: 1, maxLength: 2 }),
    }),
    {
      selector: (note) => note.id,
    },
  ),
});

describe('merging customer copies', () => {
  it('keeps the later edit of each field, each preference key, and every note', () => {
    const mine: CustomerReplica = {
      fields: { phone: { value: '+2348030000001', hlc: 'b' }, email: { value: 'old@x.ng', hlc: 'a' } },
      preferences: { brand: { value: 'Peak', hlc: 'a' } },
      notes: [{ id: 'n1', text: 'Likes Peak', hlc: 'a' }],
    };
    const theirs: CustomerReplica = {
      fields: { phone: { value: '+2348030000002', hlc: 'a' }, email: { value: 'new@x.ng', hlc: 'c' } },
      preferences: { brand: { value: null, hlc: 'b' }, size: { value: 'Large', hlc: 'a' } },
      notes: [{ id: 'n2', text: 'Pays by transfer', hlc: 'b' }],
    };
    const merged = mergeCustomer(mine, theirs);
    expect(merged.fields.phone?.value).toBe('+2348030000001');
    expect(merged.fields.email?.value).toBe('new@x.ng');
    expect(merged.preferences).toEqual({
      brand: { value: null, hlc: 'b' },
      size: { value: 'Large', hlc: 'a' },
    });
    expect(merged.notes.map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('gives every counter the same result whatever order copies arrive in', () => {
    fc.assert(
      fc.property(replica, replica, replica, (a, b, c) => {
        expect(mergeCustomer(a, b)).toEqual(mergeCustomer(b, a));
        expect(mergeCustomer(mergeCustomer(a, b), c)).toEqual(mergeCustomer(a, mergeCustomer(b, c)));
        expect(mergeCustomer(a, a)).toEqual(mergeCustomer(a, { fields: {}, preferences: {}, notes: [] }));
      }),
      { numRuns: 500 },
    );
  });
});

describe('taking in the server’s answer to a push', () => {
  const at = (wall: number, node = 'a') => formatHlc({ wall, counter: 0, node });
  it('takes the server’s clamped clock for a field not edited since the push, and merges later edits', () => {
    const pushed: CustomerReplica = {
      fields: { email: { value: 'fast@x.ng', hlc: at(10 * DAY) }, state: { value: 'Oyo', hlc: at(1_000) } },
      preferences: {},
      notes: [],
    };
    const server: CustomerReplica = {
      fields: {
        email: { value: 'fast@x.ng', hlc: clampHlcText(at(10 * DAY), DAY) },
        state: { value: 'Kano', hlc: at(2_000, 'b') },
      },
      preferences: {},
      notes: [],
    };
    // Edited again here after the push: the phone stays this counter's, by the usual merge.
    const local: CustomerReplica = {
      ...pushed,
      fields: { ...pushed.fields, phone: { value: '+2348030000001', hlc: at(10 * DAY + 1) } },
    };
    const adopted = adoptServerCopy(local, pushed, server);
    expect(adopted.fields.email).toEqual({ value: 'fast@x.ng', hlc: at(DAY) });
    expect(adopted.fields.state?.value).toBe('Kano');
    expect(adopted.fields.phone?.value).toBe('+2348030000001');
  });

  it('lets a clock forget a stamp that ran ahead once it knows the server’s time', () => {
    let wall = 10 * DAY;
    const clock = new HybridClock('a', () => wall);
    clock.now();
    wall = DAY;
    clock.rewindBeyond(DAY + MAX_DRIFT_MS);
    expect(clock.now().wall).toBe(DAY + MAX_DRIFT_MS);
  });
});

describe('merging sale copies', () => {
  const sale: SaleCopy = {
    id: 's1',
    totalKobo: 90_000,
    lines: [{ productId: 'p1', quantity: 1, totalKobo: 90_000 }],
    payments: [
      { method: 'cash', amountKobo: 40_000 },
      { method: 'transfer', amountKobo: 50_000 },
    ],
  };
  it('accepts a new sale, ignores the same one twice, and queues a disagreement', () => {
    expect(mergeSale(null, sale)).toEqual({ outcome: 'new' });
    expect(mergeSale(sale, { ...sale, payments: [...sale.payments].reverse() })).toEqual({ outcome: 'same' });
    const other = { ...sale, totalKobo: 80_000 };
    expect(mergeSale(sale, other)).toEqual({ outcome: 'conflict', mine: sale, theirs: other });
  });
});

describe('backoff', () => {
  it('grows exponentially, stays under the cap, and is jittered from zero', () => {
    expect(backoffDelay(0, () => 0.999)).toBe(999);
    expect(backoffDelay(3, () => 0.5)).toBe(4_000);
    expect(backoffDelay(40, () => 0.999)).toBeLessThan(DEFAULT_BACKOFF.maxMs);
    expect(backoffDelay(5, () => 0)).toBe(0);
  });
});

describe('sync schedule', () => {
  const mains: SyncConditions = { online: true, onBattery: false, batteryPercent: null, ownerForced: false };
  it.each<[string, SyncConditions, Parameters<typeof decideSync>[0], ReturnType<typeof decideSync>]>([
    ['every 30 s on mains', mains, 'timer', { action: 'wait', delayMs: MAINS_INTERVAL_MS }],
    [
      'every 30 s on a healthy battery',
      { ...mains, onBattery: true, batteryPercent: 60 },
      'timer',
      { action: 'wait', delayMs: MAINS_INTERVAL_MS },
    ],
    [
      'every 5 min below 20 %',
      { ...mains, onBattery: true, batteryPercent: 19 },
      'timer',
      { action: 'wait', delayMs: LOW_BATTERY_INTERVAL_MS },
    ],
    ['soon after a local write', mains, 'local-write', { action: 'wait', delayMs: 2_000 }],
    ['at once on waking', mains, 'resume', { action: 'sync-now' }],
    ['at once when the link is back', mains, 'reconnect', { action: 'sync-now' }],
    ['at once on a server notice', mains, 'server-notice', { action: 'sync-now' }],
    [
      'when the owner forces it below 5 %',
      { ...mains, onBattery: true, batteryPercent: 3 },
      'owner',
      { action: 'sync-now' },
    ],
  ])('syncs %s', (_label, conditions, trigger, decision) => {
    expect(decideSync(trigger, conditions)).toEqual(decision);
  });

  it('pauses below 5 % battery and without internet', () => {
    expect(decideSync('timer', { ...mains, onBattery: true, batteryPercent: 4 })).toMatchObject({
      action: 'paused',
    });
    expect(decideSync('local-write', { ...mains, online: false })).toMatchObject({ action: 'paused' });
    expect(decideSync('timer', { ...mains, onBattery: true, batteryPercent: 4, ownerForced: true })).toEqual({
      action: 'wait',
      delayMs: LOW_BATTERY_INTERVAL_MS,
    });
  });

  it('sends small compressed batches on a 2G-grade link and big ones on a fast link', () => {
    const slow = batchForLink(6_000, 600);
    expect(slow.gzip).toBe(true);
    expect(slow.size).toBeLessThanOrEqual(200);
    expect(slow.size).toBeGreaterThanOrEqual(5);
    expect(batchForLink(50_000_000, 600)).toEqual({ size: 1_000, gzip: false });
  });
});
