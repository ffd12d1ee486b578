/**
 * Migrations are history: applied in one transaction, matching the drizzle schema, and a
 * database touched by a newer Kasuwa (or an edited migration) is refused and left as it was.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { applyMigrations, type Migration } from '../../main/db/migrate';
import * as schema from '../../main/db/schema';
import { migrations } from './fixtures';

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable =>
  is(value, SQLiteTable),
);

function migrated(): Database.Database {
  const db = new Database(':memory:');
  applyMigrations(db, migrations);
  return db;
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

describe('migrations', () => {
  it('build exactly the tables, columns and indexes of the drizzle schema', () => {
    const db = migrated();
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const table of tables) {
      const config = getTableConfig(table);
      const columns = db.prepare(`PRAGMA table_info(${config.name})`).all() as ColumnInfo[];
      expect(columns.map((c) => c.name).sort(), config.name).toEqual(
        config.columns.map((c) => c.name).sort(),
      );
      const compositeKey = new Set(config.primaryKeys.flatMap((key) => key.columns.map((c) => c.name)));
      for (const column of config.columns) {
        const actual = columns.find((c) => c.name === column.name);
        const primary = column.primary || compositeKey.has(column.name);
        expect(actual?.notnull === 1 || actual?.pk !== 0, `${config.name}.${column.name} not null`).toBe(
          column.notNull || primary,
        );
        expect(actual?.pk !== 0, `${config.name}.${column.name} primary key`).toBe(primary);
        expect(actual?.type.toLowerCase(), `${config.name}.${column.name} type`).toBe(
          column.getSQLType().toLowerCase(),
        );
      }
      const indexes = db.prepare(`PRAGMA index_list(${config.name})`).all() as {
        name: string;
        unique: number;
      }[];
      for (const index of config.indexes) {
        const found = indexes.find((i) => i.name === index.config.name);
        expect(found, `${config.name} index ${index.config.name}`).toBeDefined();
        expect(found?.unique === 1).toBe(index.config.unique);
        const indexed = (
          db.prepare(`PRAGMA index_info(${index.config.name})`).all() as { name: string }[]
        ).map((c) => c.name);
        expect(indexed).toEqual(index.config.columns.map((c) => ('name' in c ? c.name : '')));
      }
    }
    const known = new Set([
      ...tables.map((t) => getTableConfig(t).name),
      'kasuwa_migrations',
      'sqlite_sequence',
    ]);
    const actual = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    expect(actual.filter((name) => !known.has(name))).toEqual([]);
  });

  it('apply once: a second run changes nothing', () => {
    const db = migrated();
    expect(applyMigrations(db, migrations)).toEqual({ applied: [], alreadyApplied: migrations.length });
  });

  it('refuse a database with a migration this code does not know, changing nothing', () => {
    const db = migrated();
    db.prepare(
      "INSERT INTO kasuwa_migrations (tag, hash, applied_at) VALUES ('9999_from_the_future', 'x', 1)",
    ).run();
    const future: Migration = {
      tag: '9998_new_table',
      hash: 'h',
      statements: ['CREATE TABLE not_yet (id TEXT)'],
    };
    expect(() => applyMigrations(db, [...migrations, future])).toThrow(
      expect.objectContaining({ code: 'database_newer' }) as Error,
    );
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'not_yet'").get()).toEqual({
      n: 0,
    });
    expect(
      db.prepare("SELECT count(*) AS n FROM kasuwa_migrations WHERE tag = '9999_from_the_future'").get(),
    ).toEqual({
      n: 1,
    });
  });

  it('refuse a shipped migration that was edited after it was applied', () => {
    const db = migrated();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, hash: 'edited' } : m));
    expect(() => applyMigrations(db, edited)).toThrow(
      expect.objectContaining({ code: 'migration_changed' }) as Error,
    );
  });

  it('leave nothing behind when a migration fails half way', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      { tag: '0000_a', hash: 'a', statements: ['CREATE TABLE first_half (id TEXT)', 'CREATE TABLE oops ('] },
    ];
    expect(() => applyMigrations(db, broken)).toThrow();
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'first_half'").get()).toEqual({
      n: 0,
    });
  });

  it('make the audit log append-only in the database itself', () => {
    const db = migrated();
    db.prepare(
      "INSERT INTO audit_log (seq, id, at, action, entity, details, prev_hash, hash) VALUES (1, 'a', 1, 'x', 'y', '{}', 'p', 'h')",
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'z'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});
