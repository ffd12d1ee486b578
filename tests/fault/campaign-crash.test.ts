/**
 * Crash mid-campaign: the sender is SIGKILLed at random moments, again and again, while it sends
 * a campaign to a fake Termii on loopback; each restart settles what was in flight from Termii's
 * message history. At the end every recipient got the message exactly once.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../main/db/migrate';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { customerInputSchema } from '../../shared/contract';
import { startFakeTermii, type FakeTermii } from '../support/fake-providers';
import { bundleChild } from './child-bundle';

const RECIPIENTS = 300;
const MAX_LIVES = 80;
const API_KEY = 'TL-crash-test-key';

let scratch = '';
let sender = '';
let termii: FakeTermii;
const key = randomBytes(32);
const migrations = loadMigrations(path.resolve('migrations'));
const phones: string[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-campaign-crash-'));
  sender = path.join(scratch, 'campaign-sender.js');
  await bundleChild('tests/fault/campaign-sender.ts', sender);
  termii = await startFakeTermii({ apiKey: API_KEY });
  const db = openShopDatabase(path.join(scratch, 'kasuwa.db'), { key, create: true, migrations });
  // 11:00 Lagos on a weekday, whatever the real clock says: no quiet hours in the way.
  const shop = createShopServices(db, () => Date.parse('2026-12-02T10:00:00Z'));
  shop.business.setup({
    business: { name: 'Crash Test Stores', state: 'Lagos', phone: '08031234567', address: '', email: '' },
    ownerName: 'Ada Owner',
    pin: '2580',
  });
  shop.campaigns.settings.update(
    {
      termii: { baseUrl: termii.url, senderId: 'CrashTest', channel: 'generic' },
      throttlePerSecond: { termii: 400, africastalking: 20, 'whatsapp-cloud': 20, smtp: 5 },
      // The real clock drives the child: quiet hours must not hold the test at night.
      quietHours: { start: '00:00', end: '00:00' },
    },
    null,
  );
  for (let index = 0; index < RECIPIENTS; index += 1) {
    const national = `0803${String(4_000_000 + index).padStart(7, '0')}`;
    phones.push(`+234${national.slice(1)}`);
    shop.customers.create(
      customerInputSchema.parse({ firstName: `Customer${index}`, phone: national, consent: { sms: true } }),
      null,
    );
  }
  const template = shop.campaigns.templates.save(
    {
      name: 'Promo',
      channel: 'sms',
      kind: 'promotional',
      body: 'Hello {{first_name}}, 10% off everything this week.',
      subject: '',
      whatsappTemplate: null,
    },
    null,
  );
  shop.campaigns.campaigns.create(
    {
      name: 'Crash test',
      segment: { definition: { match: 'all', rules: [] } },
      templateId: template.id,
      templateBId: null,
      splitPercent: 50,
      scheduledAt: null,
    },
    null,
  );
  db.close();
}, 120_000);

afterAll(async () => {
  await termii.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** One life of the sender: killed after a random moment, or left to finish. */
function life(kill: boolean): Promise<'killed' | 'idle'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sender], {
      env: {
        ...process.env,
        KASUWA_FAULT_DB: path.join(scratch, 'kasuwa.db'),
        KASUWA_FAULT_KEY: key.toString('hex'),
        KASUWA_FAULT_API_KEY: API_KEY,
        KASUWA_FAULT_MIGRATIONS: path.resolve('migrations'),
        NODE_PATH: path.resolve('node_modules'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let idle = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('READY') && kill) timer = setTimeout(() => child.kill('SIGKILL'), randomInt(5, 120));
      if (text.includes('IDLE')) idle = true;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(idle ? 'idle' : 'killed');
      else if (code === 0 && idle) resolve('idle');
      else reject(new Error(`sender stopped by itself (${String(code)}): ${stderr}`));
    });
  });
}

describe('crash mid-campaign', () => {
  it('gets the message to every recipient exactly once across random SIGKILLs', async () => {
    let kills = 0;
    let outcome: 'killed' | 'idle' = 'killed';
    for (let round = 0; round < MAX_LIVES && outcome !== 'idle'; round += 1) {
      // Kill most lives; every eighth runs to the end so the test always finishes.
      outcome = await life(round % 8 !== 7);
      if (outcome === 'killed') kills += 1;
    }
    expect(outcome).toBe('idle');
    expect(kills).toBeGreaterThan(3);

    const counts = phones.map((phone) => termii.countTo(phone));
    expect(counts.filter((count) => count === 0)).toHaveLength(0);
    expect(counts.filter((count) => count > 1)).toHaveLength(0);
    expect(termii.accepted).toHaveLength(RECIPIENTS);

    const db = openShopDatabase(path.join(scratch, 'kasuwa.db'), { key, create: false, migrations });
    try {
      const rows = db.sqlite
        .prepare(
          `SELECT status, count(*) AS n, count(provider_message_id) AS ids FROM messages GROUP BY status`,
        )
        .all() as { status: string; n: number; ids: number }[];
      expect(rows).toEqual([{ status: 'sent', n: RECIPIENTS, ids: RECIPIENTS }]);
      const settled = db.sqlite
        .prepare(`SELECT count(*) AS n FROM message_events WHERE source = 'restart'`)
        .get() as { n: number };
      // The kills landed while messages were out: restarts settled them from Termii's history.
      expect(settled.n).toBeGreaterThan(0);
      process.stderr.write(
        `campaign crash: ${kills} kills, ${settled.n} in-flight messages settled on restart\n`,
      );
    } finally {
      db.close();
    }
  }, 300_000);
});
