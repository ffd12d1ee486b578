/**
 * The send loop's figures: 10,000 SMS of one campaign sent through the real Termii adapter to a
 * fake Termii on loopback, from a shop database on disk (encrypted, synchronous=FULL):
 *  - send_10k_msg_per_s: messages the fake took per second, from the first send to the last
 *    answer recorded (the throttle is set to its highest, 1,000 a second);
 *  - send_10k_lost / send_10k_doubled: recipients the fake never got, or got more than once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { createProvider } from '../../main/services/campaigns/providers';
import { ManualNetwork } from '../../main/services/sync/conditions';
import type { CampaignSettings } from '../../shared/contract';
import { uuidv7 } from '../../shared/ids';
import { startFakeTermii } from '../support/fake-providers';
import { progress, round, type Figures } from './figures';

const MESSAGES = 10_000;
const API_KEY = 'TL-bench-key';

export async function sendingFigures(): Promise<Figures> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-bench-send-'));
  const termii = await startFakeTermii({ apiKey: API_KEY, maxMessages: MESSAGES * 2 });
  const db = openShopDatabase(path.join(scratch, 'kasuwa.db'), {
    key: randomBytes(32),
    create: true,
    migrations: loadMigrations(path.resolve('migrations')),
  });
  try {
    // 11:00 Lagos: outside quiet hours whatever time the bench runs.
    let clock = Date.parse('2026-12-02T10:00:00Z');
    const now = () => (clock += 0);
    const keychain = { getSecret: () => Promise.resolve(API_KEY), setSecret: () => Promise.resolve() };
    // The adapters read the shop's campaign settings as they stand when one is made.
    let settingsOf = (): CampaignSettings => {
      throw new Error('no shop yet');
    };
    const shop = createShopServices(db, now, undefined, {
      keychain,
      network: new ManualNetwork(),
      createProvider: (name, secret) => createProvider(name, settingsOf(), secret),
    });
    settingsOf = () => shop.campaigns.settings.get();
    shop.business.setup({
      business: { name: 'Bench Stores', state: 'Lagos', phone: '08031234567', address: '', email: '' },
      ownerName: 'Ada Owner',
      pin: '2580',
    });
    shop.campaigns.settings.update(
      {
        termii: { baseUrl: termii.url, senderId: 'Bench', channel: 'generic' },
        throttlePerSecond: { termii: 1000, africastalking: 20, 'whatsapp-cloud': 20, smtp: 5 },
      },
      null,
    );
    progress(`sending: ${MESSAGES} customers with SMS consent`);
    const phones: string[] = [];
    const insertCustomer = db.sqlite.prepare(
      `INSERT INTO customers (id, first_name, display_name, search_name, phone, phone_national, carrier, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertStats = db.sqlite.prepare(
      'INSERT INTO customer_stats (customer_id, consent_sms) VALUES (?, 1)',
    );
    const carriers = ['MTN', 'Airtel', 'Glo', '9mobile'];
    const prefixes = ['0803', '0802', '0805', '0809'];
    db.sqlite.transaction(() => {
      for (let index = 0; index < MESSAGES; index += 1) {
        const national = `${prefixes[index % 4]}${String(1_000_000 + index).padStart(7, '0')}`;
        const phone = `+234${national.slice(1)}`;
        phones.push(phone);
        const id = uuidv7(clock);
        insertCustomer.run(
          id,
          `C${index}`,
          `C${index}`,
          `c${index}`,
          phone,
          national,
          carriers[index % 4],
          clock,
          clock,
        );
        insertStats.run(id);
      }
    })();
    const template = shop.campaigns.templates.save(
      {
        name: 'Bench',
        channel: 'sms',
        kind: 'promotional',
        body: 'Hi {{first_name}}, 10% off at {{shop_name}} this week.',
        subject: '',
        whatsappTemplate: null,
      },
      null,
    );
    shop.campaigns.campaigns.create(
      {
        name: 'Bench',
        segment: { definition: { match: 'all', rules: [] } },
        templateId: template.id,
        templateBId: null,
        splitPercent: 50,
        scheduledAt: null,
      },
      null,
    );
    progress(`sending: ${MESSAGES} messages to a fake Termii on loopback`);
    const started = performance.now();
    for (let pass = 0; pass < MESSAGES; pass += 1) {
      const left = db.sqlite
        .prepare(`SELECT count(*) AS n FROM messages WHERE status IN ('queued', 'waiting', 'sending')`)
        .get() as { n: number };
      if (left.n === 0) break;
      await shop.campaigns.sender.pass();
    }
    const seconds = (performance.now() - started) / 1000;
    const counts = phones.map((phone) => termii.countTo(phone));
    return {
      send_10k_msg_per_s: { value: round(MESSAGES / seconds, 0), unit: 'messages/s', better: 'higher' },
      send_10k_lost: {
        value: counts.filter((count) => count === 0).length,
        unit: 'messages',
        better: 'lower',
        target: 0,
      },
      send_10k_doubled: {
        value: counts.filter((count) => count > 1).length,
        unit: 'messages',
        better: 'lower',
        target: 0,
      },
    };
  } finally {
    db.close();
    await termii.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
