/**
 * Rows and mutations as counters push them, for the sync server's tests and benchmark:
 * customers (replicas with a clock on every field), sales, message-log rows, and mutation
 * envelopes with fresh ids.
 */
import { randomUUID } from 'node:crypto';
import { formatHlc } from '../../shared/hlc';
import { uuidv7 } from '../../shared/ids';
import type { MessageRow, Mutation, MutationOp, ReplicaData, SaleRow } from '../../shared/sync/protocol';

export function stampAt(wall: number, node = 'counter-a', counter = 0): string {
  return formatHlc({ wall, counter, node });
}

/** A customer replica whose fields all carry the same clock. */
export function customerData(
  fields: Record<string, string | null>,
  hlc: string,
  extra: Partial<Pick<ReplicaData, 'preferences' | 'notes'>> = {},
): ReplicaData {
  return {
    fields: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, { value, hlc }])),
    preferences: extra.preferences ?? {},
    notes: extra.notes ?? [],
  };
}

export function mutation(entity: string, entityId: string, op: MutationOp, data: unknown): Mutation {
  return { id: randomUUID(), entity, entityId, op, data };
}

export function saleRow(
  options: { id?: string; totalKobo?: number; createdAt?: number; deviceId?: string } = {},
) {
  const id = options.id ?? uuidv7();
  const total = options.totalKobo ?? 250_000;
  const createdAt = options.createdAt ?? Date.now();
  const row: SaleRow = {
    id,
    receiptNumber: `R-${id.slice(-6)}`,
    deviceId: options.deviceId ?? 'till-1',
    customerId: null,
    staffId: 'staff-1',
    subtotalKobo: total,
    discountKobo: 0,
    totalKobo: total,
    pointsEarned: 0,
    riskScore: 0,
    riskReasons: [],
    createdAt,
    lines: [
      {
        id: `${id}-l1`,
        lineNo: 1,
        productId: 'product-rice-5kg',
        name: 'Rice 5 kg',
        unitPriceKobo: total,
        quantity: 1,
        discountKobo: 0,
        totalKobo: total,
      },
    ],
    payments: [
      {
        id: `${id}-p1`,
        method: 'cash',
        amountKobo: total,
        tenderedKobo: total,
        changeKobo: 0,
        reference: '',
        pointsUsed: 0,
        createdAt,
      },
    ],
    stockMoves: [],
    points: [],
  };
  return row;
}

export function messageRow(options: { id?: string; status?: MessageRow['status'] } = {}): MessageRow {
  return {
    id: options.id ?? uuidv7(),
    campaignId: 'campaign-sallah',
    customerId: null,
    channel: 'sms',
    recipient: '+2348031234567',
    carrier: 'MTN',
    status: options.status ?? 'sent',
    costKobo: 400,
    createdAt: Date.now(),
  };
}
