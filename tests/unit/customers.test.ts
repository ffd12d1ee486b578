/** The customer book: duplicates refused, search by any fragment, merge, consent, CSV. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customerChannels } from '../../shared/contract';
import { newCustomer, newProduct, openTestShop, type TestShop } from './shop';

let shop: TestShop;
beforeEach(() => {
  shop = openTestShop();
});
afterEach(() => {
  shop.close();
});

describe('customers', () => {
  it('stores the number in E.164 with its carrier, and audits and queues the write', () => {
    const before = shop.outbox.pending();
    const customer = newCustomer(shop, '+234 (803) 555-1234', 'Ngozi', { consent: { sms: true } });
    expect(customer).toMatchObject({
      phone: '+2348035551234',
      phoneNational: '08035551234',
      carrier: 'MTN',
      displayName: 'Ngozi Eze',
    });
    expect(customer.whatsapp).toBe('+2348035551234');
    expect(customer.consents).toEqual([
      expect.objectContaining({ channel: 'sms', granted: true, source: 'counter' }),
    ]);
    // The customer, then the consent that names it: the order other counters take them in.
    expect(shop.outbox.pending()).toBe(before + 2);
    expect(
      shop.outbox
        .nextBatch(100)
        .slice(-2)
        .map((m) => [m.entity, m.entityId]),
    ).toEqual([
      ['customer', customer.id],
      ['consent', expect.any(String)],
    ]);
    expect(shop.audit.list(1)[0]).toMatchObject({ action: 'customer.create', entityId: customer.id });
  });

  it('refuses a second customer with the same number, naming the first', () => {
    const first = newCustomer(shop, '0803 555 1234');
    expect(() => newCustomer(shop, '2348035551234', 'Other')).toThrow(
      expect.objectContaining({
        code: 'conflict',
        details: expect.objectContaining({ existingId: first.id }) as unknown,
      }) as Error,
    );
    shop.customers.archive(first.id, true, null);
    expect(() => newCustomer(shop, '08035551234', 'Other')).toThrow(/archived/);
  });

  it('refuses a bad number with the parser’s sentence on the phone field', () => {
    expect(() => newCustomer(shop, '01 234 5678')).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        details: [expect.objectContaining({ path: ['phone'] })],
      }) as Error,
    );
  });

  it('finds people by any fragment of their number in any form, by name prefix and by tag', () => {
    const ngozi = newCustomer(shop, '0803 555 1234', 'Ngozi', { tags: ['vip'] });
    const emeka = newCustomer(shop, '0705 222 9876', 'Emeka');
    const ids = (query: string) =>
      shop.customers.search({ query, limit: 50, includeArchived: false }).map((c) => c.id);
    expect(ids('0803 555')).toEqual([ngozi.id]);
    expect(ids('+234 803 55')).toEqual([ngozi.id]);
    expect(ids('5551')).toEqual([ngozi.id]);
    expect(ids('(0705) 222-98')).toEqual([emeka.id]);
    expect(ids('2229')).toEqual([emeka.id]);
    expect(ids('em')).toEqual([emeka.id]);
    expect(ids('ngo')).toEqual([ngozi.id]);
    expect(ids('eze').sort()).toEqual([ngozi.id, emeka.id].sort());
    expect(ids('vip')).toEqual([ngozi.id]);
    shop.customers.archive(emeka.id, true, null);
    expect(ids('emeka')).toEqual([]);
    expect(
      shop.customers.search({ query: 'emeka', limit: 50, includeArchived: true }).map((c) => c.id),
    ).toEqual([emeka.id]);
  });

  it('lists by spend, with the total, a page at a time', () => {
    const a = newCustomer(shop, '0803 000 0001', 'A');
    const b = newCustomer(shop, '0803 000 0002', 'B');
    const product = newProduct(shop, 'Rice 5kg', 9_000);
    shop.sales.record(
      {
        saleId: crypto.randomUUID(),
        lines: [{ productId: product.id, quantity: 1, discountKobo: 0 }],
        customerId: b.id,
        payments: [{ method: 'cash', amountKobo: 900_000, reference: '' }],
      },
      shop.cashier,
    );
    const page = shop.customers.list({
      sort: 'spend',
      direction: 'desc',
      includeArchived: false,
      offset: 0,
      limit: 1,
    });
    expect(page.total).toBe(2);
    expect(page.rows.map((c) => c.id)).toEqual([b.id]);
    expect(
      shop.customers.list({ sort: 'spend', direction: 'desc', includeArchived: false, offset: 1, limit: 1 })
        .rows[0]?.id,
    ).toBe(a.id);
  });

  it('leaves archived and merged customers out of the book, in every order and in the count', () => {
    const kept = newCustomer(shop, '0803 000 0001', 'Kept');
    const archived = newCustomer(shop, '0803 000 0002', 'Archived');
    const merged = newCustomer(shop, '0803 000 0003', 'Merged');
    shop.customers.archive(archived.id, true, null);
    shop.customers.merge(kept.id, merged.id, null);
    for (const sort of ['name', 'spend', 'lastPurchase', 'points'] as const) {
      const page = shop.customers.list({
        sort,
        direction: 'desc',
        includeArchived: false,
        offset: 0,
        limit: 10,
      });
      expect(page).toMatchObject({ total: 1, rows: [expect.objectContaining({ id: kept.id })] });
    }
    const all = shop.customers.list({
      sort: 'name',
      direction: 'asc',
      includeArchived: true,
      offset: 0,
      limit: 10,
    });
    expect(all.rows.map((c) => c.id).sort()).toEqual([kept.id, archived.id].sort());
    shop.customers.archive(archived.id, false, null);
    expect(
      shop.customers.list({ sort: 'spend', direction: 'desc', includeArchived: false, offset: 0, limit: 10 })
        .total,
    ).toBe(2);
  });

  it('merges history, points, consent, tags and notes into the kept customer', () => {
    const keep = newCustomer(shop, '0803 000 0001', 'Keep', { tags: ['vip'], notes: 'Prefers Peak' });
    const gone = newCustomer(shop, '0803 000 0002', 'Gone', {
      tags: ['market'],
      notes: 'Pays by transfer',
      consent: { whatsapp: true },
      email: 'gone@example.com',
    });
    const product = newProduct(shop, 'Rice 5kg', 9_000);
    const sale = shop.sales.record(
      {
        saleId: crypto.randomUUID(),
        lines: [{ productId: product.id, quantity: 1, discountKobo: 0 }],
        customerId: gone.id,
        payments: [{ method: 'cash', amountKobo: 900_000, reference: '' }],
      },
      shop.cashier,
    );
    const merged = shop.customers.merge(keep.id, gone.id, null);
    expect(merged.pointsBalance).toBe(90);
    expect(merged.totalSpentKobo).toBe(900_000);
    expect(merged.purchaseCount).toBe(1);
    expect(merged.tags.sort()).toEqual(['market', 'vip']);
    expect(merged.notes).toContain('Prefers Peak');
    expect(merged.notes).toContain('Pays by transfer');
    expect(merged.email).toBe('gone@example.com');
    expect(merged.consents).toEqual([expect.objectContaining({ channel: 'whatsapp', granted: true })]);
    expect(shop.sales.get(sale.id).customer?.id).toBe(keep.id);
    const after = shop.customers.get(gone.id);
    expect(after.mergedIntoId).toBe(keep.id);
    expect(after.pointsBalance).toBe(0);
    // The merged customer's number is free again for a new customer.
    expect(newCustomer(shop, '0803 000 0002', 'New').phone).toBe('+2348030000002');
  });

  it('keeps every consent change as a ledger row, the latest one counting', () => {
    const customer = newCustomer(shop, '0803 555 1234', 'Ngozi', { consent: { sms: true } });
    shop.customers.setConsent(
      { customerId: customer.id, channel: 'sms', granted: false, source: 'STOP reply', wording: 'STOP' },
      null,
    );
    expect(shop.customers.get(customer.id).consents).toEqual([
      expect.objectContaining({ channel: 'sms', granted: false, source: 'STOP reply' }),
    ]);
    expect(shop.customers.consentHistory(customer.id).map((c) => c.granted)).toEqual([false, true]);
    expect(() => shop.db.sqlite.prepare('DELETE FROM customer_consents').run()).toThrow(/append-only/);
  });

  it('records phone changes, which the risk rules read', () => {
    const customer = newCustomer(shop, '0803 555 1234');
    for (const phone of ['0803 555 1235', '0803 555 1236', '0803 555 1237']) {
      const current = shop.customers.get(customer.id);
      shop.customers.update(
        customerChannels['customers:update'].input.parse({
          id: customer.id,
          firstName: current.firstName,
          lastName: current.lastName,
          phone,
        }),
        null,
      );
    }
    const count = shop.db.sqlite
      .prepare('SELECT count(*) AS n FROM customer_phone_changes WHERE customer_id = ?')
      .get(customer.id) as { n: number };
    expect(count.n).toBe(3);
  });
});

describe('customer CSV', () => {
  it('keeps every good row and reports every bad one with its line and reason', async () => {
    newCustomer(shop, '0803 999 0000', 'Already');
    const csv = [
      'First Name,Last Name,Phone,State,Email,Birthday,SMS',
      'Ada,Obi,0803 111 0001,Lagos,ada@example.com,21/03/1990,yes',
      'Bola,Ade,01 234 5678,Oyo,,,',
      'Chi,Eze,0803 999 0000,Enugu,,,',
      'Dayo,Ola,+234 805 111 0002,Atlantis,,,',
      'Efe,Oke,0805 111 0003,Delta,not-an-email,,',
      'Femi,Bello,0805 111 0004,abuja,,31/13/1990,',
      'Gbenga,Ojo,0703 111 0005,Akwa-Ibom,,03-21,no',
      'Hauwa,Musa,0703 111 0005,Kano,,,',
      'Ify,Nnamdi,,Imo,,,',
      'Jide,Ade,0909 111 0006,Ogun,,,maybe',
    ].join('\r\n');
    const progress: number[] = [];
    const report = await shop.customerCsv.import(
      {
        csv,
        hasHeader: true,
        taskId: 't',
        mapping: { firstName: 0, lastName: 1, phone: 2, state: 3, email: 4, birthday: 5, smsConsent: 6 },
      },
      null,
      (done) => progress.push(done),
    );
    expect(report.imported).toBe(2);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 9, 10, 11]);
    const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
    expect(reasons[3]).toMatch(/landline/);
    expect(reasons[4]).toMatch(/Already Eze already has this number/);
    expect(reasons[5]).toMatch(/"Atlantis" is not a Nigerian state/);
    expect(reasons[6]).toMatch(/not an email/);
    expect(reasons[7]).toMatch(/Birthday/);
    expect(reasons[9]).toMatch(/line 8/);
    expect(reasons[10]).toMatch(/Enter a phone number/);
    expect(reasons[11]).toMatch(/not yes or no/);
    expect(report.rejected[0]?.raw).toEqual(['Bola', 'Ade', '01 234 5678', 'Oyo', '', '', '']);
    expect(progress.at(-1)).toBe(10);
    const ada = shop.customers.search({ query: 'ada', limit: 5, includeArchived: false })[0];
    expect(ada).toMatchObject({ phone: '+2348031110001', state: 'Lagos' });
    expect(shop.customers.get(ada?.id ?? '')).toMatchObject({
      birthday: '1990-03-21',
      consents: [expect.objectContaining({ channel: 'sms', source: 'import' })],
    });
    expect(shop.customers.search({ query: 'gbenga', limit: 5, includeArchived: false })[0]?.state).toBe(
      'Akwa Ibom',
    );
  });

  it('guesses the mapping from the headers', () => {
    const preview = shop.customerCsv.preview(
      '\ufeffCustomer,Mobile,E-mail,State,DOB\r\nAda Obi,08031110001,a@b.ng,Lagos,03-21\r\n',
    );
    expect(preview.suggestedMapping).toMatchObject({
      displayName: 0,
      phone: 1,
      email: 2,
      state: 3,
      birthday: 4,
    });
    expect(preview.rowCount).toBe(1);
  });

  it('exports pages with one header, quoting, and no formulas', () => {
    newCustomer(shop, '0803 111 0001', '=HYPERLINK("x")', { notes: 'x' });
    newCustomer(shop, '0803 111 0002', 'Okafor, Jr');
    const first = shop.customerCsv.exportPage(0, 1);
    const second = shop.customerCsv.exportPage(1, 1);
    expect(first.csv.split('\r\n')[0]).toContain('Phone');
    expect(first.csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(second.csv).not.toContain('Phone,WhatsApp');
    expect(second.csv).toContain('"Okafor, Jr"');
    expect(shop.customerCsv.exportPage(2, 1)).toEqual({ csv: '', rows: 0, done: true });
  });
});
