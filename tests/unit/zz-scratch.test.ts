import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { openShopDatabase } from '../../main/db/open';
import { createShopServices } from '../../main/services/app/runtime';
import { migrations } from './fixtures';

function csvOf(n: number): string {
  const rows = ['First Name,Last Name,Phone,State,Email,Tags'];
  for (let i = 0; i < n; i += 1)
    rows.push(
      `Import${i},Customer,0803${String(1000000 + i * 7).padStart(7, '0')},Lagos,import${i}@example.com,imported`,
    );
  return `${rows.join('\r\n')}\r\n`;
}

for (const variant of ['no-outbox']) {
  it(`import ${variant}`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scr-'));
    const db = openShopDatabase(path.join(dir, 'k.db'), {
      key: Buffer.alloc(32, 9),
      create: true,
      migrations,
    });
    const shop = createShopServices(db, Date.now);
    const outbox = shop.outbox as unknown as { record: (m: { payload: unknown }) => string };
    const orig = outbox.record.bind(outbox);
    if (variant === 'tiny-payload') outbox.record = (m) => orig({ ...m, payload: { x: 1 } });
    if (variant === 'no-outbox') outbox.record = () => 'x';
    const csv = csvOf(50_000);
    const t = performance.now();
    await shop.customerCsv.import(
      {
        csv,
        hasHeader: true,
        taskId: 'b',
        mapping: { firstName: 0, lastName: 1, phone: 2, state: 3, email: 4, tags: 5 },
      },
      null,
      () => undefined,
    );
    console.log(variant, Math.round(performance.now() - t), 'ms for 50k');
    db.close();
  }, 300000);
}
