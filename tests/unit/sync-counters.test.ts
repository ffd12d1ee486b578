/**
 * Counters of one business syncing through the real sync server (its own process, on a real
 * PostgreSQL started for this file): concurrent edits converge by the rules, sales made offline
 * on every counter all arrive once, a counter that joins late gets the whole shop, and a
 * counter whose clock is a day off does not win by it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids';
import type { Customer } from '../../shared/contract';
import { openBusiness, openCounter, syncUntilQuiet, type Counter } from '../support/counters';
import { editCustomer } from '../support/edit-customer';
import { createDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { startSyncServer, type SyncServerProcess } from '../support/sync-server-process';
import { createProvider } from '../../main/services/campaigns/providers';
import { startFakeTermii } from '../support/fake-providers';
import { MemoryKeychain } from './fixtures';
import { newCustomer, newProduct, OWNER_PIN } from './shop';

const DAY = 86_400_000;

let cluster: PostgresCluster;
let server: SyncServerProcess;
const counters: Counter[] = [];

beforeAll(async () => {
  cluster = await startPostgres();
  server = await startSyncServer(await createDatabase(cluster.url, 'sync_counters'));
}, 120_000);

afterAll(async () => {
  for (const counter of counters.splice(0)) counter.close();
  // The cluster stops even when the server never started (or fails to stop).
  try {
    await server.stop();
  } finally {
    await cluster.stop();
  }
});

async function business(
  count: number,
  campaigns: Parameters<typeof openBusiness>[2] = {},
): Promise<Counter[]> {
  const opened = await openBusiness(server.url, count, campaigns);
  counters.push(...opened);
  return opened;
}

function edit(counter: Counter, customer: Customer, patch: Record<string, unknown>): void {
  editCustomer(counter, customer.id, patch);
}

function sell(counter: Counter, productId: string, quantity: number, customerId: string | null) {
  const price = counter.products.get(productId).priceKobo;
  return counter.sales.record(
    {
      saleId: uuidv7(),
      lines: [{ productId, quantity, discountKobo: 0 }],
      customerId,
      payments: [
        { method: 'cash', amountKobo: price * quantity - 100, reference: '' },
        { method: 'transfer', amountKobo: 100, reference: 'TRF' },
      ],
    },
    counter.cashier,
  );
}

describe('counters syncing through the server', () => {
  it('two counters: concurrent edits of one customer converge field by field, notes from both kept', async () => {
    const [a, b] = await business(2);
    if (a === undefined || b === undefined) throw new Error('no counters');
    const ngozi = newCustomer(a, '0803 555 1234', 'Ngozi', {
      notes: 'Regular since 2020',
      preferences: { brand: 'Peak' },
    });
    await syncUntilQuiet([a, b]);
    expect(b.customers.get(ngozi.id).displayName).toBe('Ngozi Eze');
    // The first counter's business name is the one every counter shows.
    expect(b.business.get()?.name).toBe(a.business.get()?.name);

    edit(a, ngozi, { email: 'ngozi@example.ng', notes: 'Regular since 2020\n\nLikes Peak milk' });
    edit(b, ngozi, {
      state: 'Oyo',
      notes: 'Regular since 2020\n\nPays by transfer',
      preferences: { brand: 'Peak', size: 'Large' },
    });
    edit(a, ngozi, { firstName: 'Ngozika' });
    edit(b, ngozi, { firstName: 'Ngozi A.' });
    await syncUntilQuiet([a, b]);

    const merged = a.customers.get(ngozi.id);
    expect(merged).toMatchObject({ email: 'ngozi@example.ng', state: 'Oyo', firstName: 'Ngozi A.' });
    expect(merged.preferences).toEqual({ brand: 'Peak', size: 'Large' });
    expect(merged.notes.split('\n\n').sort()).toEqual([
      'Likes Peak milk',
      'Pays by transfer',
      'Regular since 2020',
    ]);
    expect(a.state()).toEqual(b.state());
    expect(a.outbox.pending()).toBe(0);
    expect(b.outbox.pending()).toBe(0);
  });

  it('two counters: sales made offline on both all arrive, once, with stock and points right', async () => {
    const [a, b] = await business(2);
    if (a === undefined || b === undefined) throw new Error('no counters');
    const rice = newProduct(a, 'Rice 5kg', 9_000, 500);
    const ngozi = newCustomer(a, '0803 555 1234');
    await syncUntilQuiet([a, b]);
    // The link is down: both counters keep selling.
    for (let n = 0; n < 15; n += 1) sell(a, rice.id, 1 + (n % 3), n % 2 === 0 ? ngozi.id : null);
    for (let n = 0; n < 12; n += 1) sell(b, rice.id, 2, n % 3 === 0 ? ngozi.id : null);
    await syncUntilQuiet([a, b]);
    await syncUntilQuiet([a, b]);

    const sold = 5 * (1 + 2 + 3) + 12 * 2;
    for (const counter of [a, b]) {
      expect(counter.sales.list({ offset: 0, limit: 100 }).total).toBe(27);
      expect(counter.products.get(rice.id).stock).toBe(500 - sold);
    }
    const book = b.customers.get(ngozi.id);
    expect(book.purchaseCount).toBe(8 + 4);
    expect(book.pointsBalance).toBe(a.customers.get(ngozi.id).pointsBalance);
    expect(a.state()).toEqual(b.state());
  });

  it('three counters converge, and a counter that joins later is given the whole shop', async () => {
    const [a, b, c] = await business(3);
    if (a === undefined || b === undefined || c === undefined) throw new Error('no counters');
    const beans = newProduct(b, 'Beans 1kg', 2_500, 100);
    const chidi = newCustomer(c, '0805 111 2222', 'Chidi');
    await syncUntilQuiet([a, b, c]);
    edit(a, chidi, { email: 'chidi@example.ng' });
    edit(b, chidi, { tags: ['wholesale'] });
    edit(c, chidi, { address: '4 Ojuelegba Road' });
    sell(a, beans.id, 3, chidi.id);
    sell(b, beans.id, 1, null);
    sell(c, beans.id, 2, chidi.id);
    await syncUntilQuiet([a, b, c]);
    expect(a.state()).toEqual(b.state());
    expect(b.state()).toEqual(c.state());
    expect(c.customers.get(chidi.id)).toMatchObject({
      email: 'chidi@example.ng',
      tags: ['wholesale'],
      address: '4 Ojuelegba Road',
      purchaseCount: 2,
    });

    const { code } = await a.sync.pairingCode({ ownerPin: OWNER_PIN });
    const late = openCounter('late');
    counters.push(late);
    await late.sync.pair({ serverUrl: server.url, code, deviceName: 'Late counter', ownerPin: OWNER_PIN });
    await syncUntilQuiet([late, a, b, c]);
    // Everything, the late counter's own staff included, is on every counter.
    expect(late.state()).toEqual(a.state());
    expect(late.sales.list({ offset: 0, limit: 10 }).total).toBe(3);
  });

  it('a counter whose clock is a day fast does not win by it, nor one a day slow lose by it', async () => {
    const [a, b] = await business(2);
    if (a === undefined || b === undefined) throw new Error('no counters');
    const ada = newCustomer(a, '0802 333 4444', 'Ada');
    await syncUntilQuiet([a, b]);
    // b's date is set a day ahead while it is offline; it edits first, a edits after it.
    b.clock.now += DAY;
    edit(b, ada, { email: 'from-the-fast-counter@example.ng' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    edit(a, ada, { email: 'later-and-right@example.ng' });
    await syncUntilQuiet([a, b]);
    expect(a.customers.get(ada.id).email).toBe('later-and-right@example.ng');
    expect(b.customers.get(ada.id).email).toBe('later-and-right@example.ng');

    // Now a day behind: its edit comes last, and it wins.
    b.clock.now -= 2 * DAY;
    edit(a, ada, { state: 'Kano' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    edit(b, ada, { state: 'Kaduna' });
    await syncUntilQuiet([a, b]);
    expect(a.customers.get(ada.id).state).toBe('Kaduna');
    expect(a.state()).toEqual(b.state());
  });

  it('campaigns: delivery reports and a STOP reply posted to the server reach every counter once', async () => {
    const termii = await startFakeTermii({ apiKey: 'TL-sync-key' });
    try {
      // Counter 1 sends; its adapters read its campaign settings as they stand.
      const holder: { first?: Counter } = {};
      const [a, b] = await business(2, {
        keychain: new MemoryKeychain(),
        createProvider: (name, secret) => {
          if (holder.first === undefined) throw new Error('no counter yet');
          return createProvider(name, holder.first.campaigns.settings.get(), secret);
        },
      });
      if (a === undefined || b === undefined) throw new Error('no counters');
      holder.first = a;
      a.clock.now = Date.parse('2026-12-02T10:00:00Z'); // 11:00 Lagos
      const hooks = await a.sync.webhooks();
      expect(hooks.termii).toMatch(new RegExp(`^${server.url}/hooks/termii/[\\w-]+$`));
      expect(await b.sync.webhooks()).toEqual(hooks);

      await a.campaigns.setCredentials({ provider: 'termii', apiKey: 'TL-sync-key' }, null);
      a.campaigns.updateSettings(
        { termii: { baseUrl: termii.url, senderId: 'SyncTest', channel: 'generic' } },
        null,
      );
      const ada = newCustomer(a, '0803 444 1000', 'Ada', { consent: { sms: true } });
      newCustomer(a, '0802 444 2000', 'Bayo', { consent: { sms: true } });
      await syncUntilQuiet([a, b]);
      const template = a.campaigns.templates.save(
        {
          name: 'Promo',
          channel: 'sms',
          kind: 'promotional',
          body: 'Hi {{first_name}}',
          subject: '',
          whatsappTemplate: null,
        },
        null,
      );
      const campaign = a.campaigns.campaigns.create(
        {
          name: 'Promo',
          segment: { definition: { match: 'all', rules: [] } },
          templateId: template.id,
          templateBId: null,
          splitPercent: 50,
          scheduledAt: null,
        },
        null,
      );
      await a.campaigns.sender.pass();
      expect(termii.accepted).toHaveLength(2);

      // Termii posts the reports and Ada's STOP to the business's hook, twice (providers retry).
      const post = (body: unknown) =>
        fetch(hooks.termii, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      for (let repeat = 0; repeat < 2; repeat += 1) {
        for (const [index, message] of termii.accepted.entries()) {
          const answer = await post({
            type: 'outbound',
            id: `dlr-${index}`,
            message_id: message.providerMessageId,
            receiver: message.to.slice(1),
            sender: 'SyncTest',
            message: message.text,
            sent_at: '2026-12-02 10:00:01',
            cost: '3.9',
            status: message.to === ada.phone ? 'DELIVERED' : 'DND Active on Phone Number',
            channel: 'generic',
          });
          expect(answer.status).toBe(200);
        }
      }
      const stop = await fetch(hooks.africastalking, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          from: ada.phone,
          to: '32811',
          text: 'STOP',
          id: 'at-stop-1',
          date: '',
          linkId: '',
        }).toString(),
      });
      expect(stop.status).toBe(200);
      await syncUntilQuiet([a, b]);

      expect(a.campaigns.campaigns.results(campaign.id).tally).toMatchObject({
        recipients: 2,
        delivered: 1,
        undeliverable: 1,
        deliveryRate: 0.5,
      });
      for (const counter of [a, b]) {
        const sms = counter.customers.get(ada.id).consents.find((entry) => entry.channel === 'sms');
        expect(sms).toMatchObject({ granted: false, wording: 'STOP' });
        expect(counter.customers.consentHistory(ada.id).filter((entry) => !entry.granted)).toHaveLength(1);
      }
    } finally {
      await termii.close();
    }
  });
});
