/** Checkpoints wait for a quiet till, and closing leaves no WAL behind. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { openShopDatabase } from '../../main/db/open';
import { WalCheckpoints } from '../../main/services/app/wal-checkpoints';
import { migrations, tempDir } from './fixtures';

const scratch = tempDir('kasuwa-wal-');
afterEach(() => {
  scratch.remove();
});

it('checkpoints only after a tick with no writes, and truncates the WAL when stopped', () => {
  const file = path.join(scratch.dir, 'kasuwa.db');
  const db = openShopDatabase(file, { key: randomBytes(32), create: true, migrations });
  const checkpoints = new WalCheckpoints(db.sqlite);
  const pragma = vi.spyOn(db.sqlite, 'pragma');
  const write = () =>
    db.sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, '1', 1)")
      .run(randomBytes(8).toString('hex'));

  write();
  checkpoints.tick();
  expect(pragma).not.toHaveBeenCalledWith('wal_checkpoint(PASSIVE)');
  checkpoints.tick();
  expect(pragma).toHaveBeenCalledWith('wal_checkpoint(PASSIVE)');

  write();
  expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
  checkpoints.stop();
  expect(pragma).toHaveBeenCalledWith('wal_checkpoint(TRUNCATE)');
  expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
  db.close();
});
