/**
 * Migrations are history: applied to a fresh file they build exactly the drizzle schema, they
 * run in one transaction, and a database touched by a newer Kasuwa (or by an edited migration)
 * is refused and left as it was.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { getTableName, is, SQL } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations, type Migration } from '../../main/db/migrate';
import * as schema from '../../main/db/schema';
import { KasuwaError } from '../../shared/errors';
import { migrations, sha256, tempDir } from './fixtures';

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable =>
  is(value, SQLiteTable),
);

/** Hand-written in a migration, not expressible in drizzle: the FTS5 customer search index. */
const VIRTUAL_TABLES = ['customers_fts'];

let scratch: ReturnType<typeof tempDir>;
let fileCount = 0;
const open: Database.Database[] = [];

beforeAll(() => {
  scratch = tempDir('kasuwa-migrations-');
});
afterAll(() => {
  for (const db of open) db.close();
  scratch.remove();
});

function freshFile(): { file: string; db: Database.Database } {
  fileCount += 1;
  const file = path.join(scratch.dir, `shop-${fileCount}.db`);
  const db = new Database(file);
  open.push(db);
  return { file, db };
}

function migratedFile(list: Migration[] = migrations): { file: string; db: Database.Database } {
  const fresh = freshFile();
  applyMigrations(fresh.db, list);
  return fresh;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function expectKasuwaError(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(KasuwaError);
  expect(error instanceof KasuwaError && error.code).toBe(code);
}

/** SQLite's type affinity rules (https://sqlite.org/datatype3.html §3.1). */
function affinity(declared: string): string {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(type)) return 'TEXT';
  if (type.includes('BLOB') || type === '') return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(type)) return 'REAL';
  return 'NUMERIC';
}

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

interface IndexListRow {
  name: string;
  unique: number;
  origin: string;
  partial: number;
}

interface ForeignKeyRow {
  table: string;
  from: string;
  to: string;
  on_delete: string;
  on_update: string;
}

function schemaDump(db: Database.Database): unknown[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
}

function tableNames(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('migrations on disk', () => {
  it('are the journal entries in order, each file listed once, split at statement breakpoints', () => {
    expect(migrations.map((m) => m.tag)).toEqual([...migrations.map((m) => m.tag)].sort());
    expect(migrations[0]?.tag).toBe('0000_foundation');
    const onDisk = readdirSync(path.resolve('migrations'))
      .filter((name) => name.endsWith('.sql'))
      .map((name) => name.replace(/\.sql$/, ''))
      .sort();
    expect(onDisk).toEqual(migrations.map((m) => m.tag));
    for (const migration of migrations) {
      expect(migration.hash).toBe(sha256(path.resolve('migrations', `${migration.tag}.sql`)));
      expect(migration.statements.length).toBeGreaterThan(0);
      for (const statement of migration.statements) {
        expect(statement).not.toContain('statement-breakpoint');
        expect(statement.trim()).toBe(statement);
      }
    }
    expect(loadMigrations(path.resolve('migrations'))).toEqual(migrations);
  });
});

describe('migrations applied to a fresh file', () => {
  let db: Database.Database;
  beforeAll(() => {
    db = migratedFile().db;
  });

  it('cover every drizzle table', () => {
    expect(tables.length).toBeGreaterThanOrEqual(20);
    const present = new Set(tableNames(db));
    for (const table of tables) expect(present.has(getTableName(table)), getTableName(table)).toBe(true);
    // The per-table comparisons below are only as good as what drizzle reports: make sure it reports.
    const configs = tables.map((table) => getTableConfig(table));
    expect(configs.reduce((n, c) => n + c.foreignKeys.length, 0)).toBeGreaterThanOrEqual(20);
    expect(configs.reduce((n, c) => n + c.indexes.length, 0)).toBeGreaterThanOrEqual(30);
    expect(configs.reduce((n, c) => n + c.checks.length, 0)).toBeGreaterThanOrEqual(3);
  });

  it.each(tables.map((table) => [getTableName(table), table] as const))(
    '%s: columns (name, not null, primary key, type affinity, default) match the schema',
    (name, table) => {
      const config = getTableConfig(table);
      const actual = db.prepare(`PRAGMA table_info(${name})`).all() as ColumnInfo[];
      expect(actual.map((c) => c.name).sort()).toEqual(config.columns.map((c) => c.name).sort());

      const compositeKey = config.primaryKeys.flatMap((key) => key.columns.map((c) => c.name));
      const expectedKey = [...config.columns.filter((c) => c.primary).map((c) => c.name), ...compositeKey];
      const actualKey = actual
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      expect(actualKey, 'primary key').toEqual(expectedKey);

      for (const column of config.columns) {
        const found = actual.find((c) => c.name === column.name);
        if (found === undefined) throw new Error(`${name}.${column.name} missing`);
        const where = `${name}.${column.name}`;
        // SQLite lets a non-INTEGER primary key hold NULL unless it is declared NOT NULL.
        expect(found.notnull === 1, `${where} not null`).toBe(column.notNull);
        expect(affinity(found.type), `${where} affinity`).toBe(affinity(column.getSQLType()));
        expect(found.dflt_value !== null, `${where} has a default`).toBe(column.default !== undefined);
      }
    },
  );

  it.each(tables.map((table) => [getTableName(table), table] as const))(
    '%s: indexes (names, uniqueness, columns, partial) match the schema, none extra',
    (name, table) => {
      const config = getTableConfig(table);
      const expected = [
        ...config.indexes.map((index) => ({
          name: index.config.name,
          unique: index.config.unique,
          partial: index.config.where !== undefined,
          columns: index.config.columns.map((c) => (is(c, SQL) ? '<expression>' : c.name)),
        })),
        ...config.columns
          .filter((column) => column.isUnique)
          .map((column) => ({
            name: column.uniqueName ?? '',
            unique: true,
            partial: false,
            columns: [column.name],
          })),
        ...config.uniqueConstraints.map((constraint) => ({
          name: constraint.getName() ?? '',
          unique: true,
          partial: false,
          columns: constraint.columns.map((c) => c.name),
        })),
      ].sort((a, b) => a.name.localeCompare(b.name));

      // Indexes SQLite makes for a PRIMARY KEY are not declared as indexes in drizzle.
      const list = (db.prepare(`PRAGMA index_list(${name})`).all() as IndexListRow[]).filter(
        (index) => index.origin !== 'pk',
      );
      const actual = list
        .map((index) => ({
          name: index.name,
          unique: index.unique === 1,
          partial: index.partial === 1,
          columns: (
            db.prepare(`PRAGMA index_info(${index.name})`).all() as { seqno: number; name: string | null }[]
          )
            .sort((a, b) => a.seqno - b.seqno)
            .map((c) => c.name ?? '<expression>'),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(actual).toEqual(expected);
    },
  );

  it.each(tables.map((table) => [getTableName(table), table] as const))(
    '%s: foreign keys match the schema',
    (name, table) => {
      const config = getTableConfig(table);
      const expected = config.foreignKeys
        .flatMap((fk) => {
          const reference = fk.reference();
          return reference.columns.map((column, i) => ({
            table: getTableName(reference.foreignTable),
            from: column.name,
            to: reference.foreignColumns[i]?.name,
            onDelete: (fk.onDelete ?? 'no action').toUpperCase(),
            onUpdate: (fk.onUpdate ?? 'no action').toUpperCase(),
          }));
        })
        .sort((a, b) => a.from.localeCompare(b.from));
      const actual = (db.prepare(`PRAGMA foreign_key_list(${name})`).all() as ForeignKeyRow[])
        .map((row) => ({
          table: row.table,
          from: row.from,
          to: row.to,
          onDelete: row.on_delete,
          onUpdate: row.on_update,
        }))
        .sort((a, b) => a.from.localeCompare(b.from));
      expect(actual).toEqual(expected);
    },
  );

  it('declare every CHECK constraint of the schema', () => {
    for (const table of tables) {
      const config = getTableConfig(table);
      const row = db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
        .get(config.name) as { sql: string };
      for (const check of config.checks) expect(row.sql, config.name).toContain(`"${check.name}" CHECK`);
    }
  });

  it('make no tables beyond the schema, kasuwa_migrations, the FTS index and SQLite internals', () => {
    const known = new Set([...tables.map((t) => getTableName(t)), 'kasuwa_migrations']);
    const listed = db.prepare('PRAGMA table_list').all() as { name: string; type: string; schema: string }[];
    const main = listed.filter((row) => row.schema === 'main');
    const extra = main
      .filter((row) => row.type === 'table' && !known.has(row.name) && !row.name.startsWith('sqlite_'))
      .map((row) => row.name);
    expect(extra).toEqual([]);
    expect(main.filter((row) => row.type === 'virtual').map((row) => row.name)).toEqual(VIRTUAL_TABLES);
    expect(main.filter((row) => row.type === 'view')).toEqual([]);
    // FTS5 keeps its data in shadow tables named after the virtual table, nothing else.
    for (const shadow of main.filter((row) => row.type === 'shadow')) {
      expect(
        VIRTUAL_TABLES.some((v) => shadow.name.startsWith(`${v}_`)),
        shadow.name,
      ).toBe(true);
    }
  });

  it('record every migration once, with its hash', () => {
    expect(db.prepare('SELECT tag, hash FROM kasuwa_migrations ORDER BY tag').all()).toEqual(
      migrations.map((m) => ({ tag: m.tag, hash: m.hash })),
    );
  });

  it('make the audit log append-only in the database itself', () => {
    db.prepare(
      "INSERT INTO audit_log (seq, id, at, action, entity, details, prev_hash, hash) VALUES (1, 'a', 1, 'x', 'y', '{}', 'p', 'h')",
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET action = 'z'").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE audit_log SET details = \'{"x":1}\' WHERE seq = 1').run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT action, details FROM audit_log').all()).toEqual([
      { action: 'x', details: '{}' },
    ]);
  });
});

describe('applyMigrations', () => {
  it('is a no-op the second time', () => {
    const { file, db } = freshFile();
    const first = applyMigrations(db, migrations, () => 1000);
    expect(first).toEqual({ applied: migrations.map((m) => m.tag), alreadyApplied: 0 });
    const dump = schemaDump(db);
    const recorded = db.prepare('SELECT * FROM kasuwa_migrations ORDER BY tag').all();
    const hash = sha256(file);
    expect(applyMigrations(db, migrations, () => 2000)).toEqual({
      applied: [],
      alreadyApplied: migrations.length,
    });
    expect(schemaDump(db)).toEqual(dump);
    expect(db.prepare('SELECT * FROM kasuwa_migrations ORDER BY tag').all()).toEqual(recorded);
    expect(sha256(file)).toBe(hash);
  });

  it('applies only the new migrations to an older database', () => {
    const { db } = migratedFile(migrations.slice(0, 2));
    expect(tableNames(db)).not.toContain('customers');
    expect(applyMigrations(db, migrations)).toEqual({
      applied: migrations.slice(2).map((m) => m.tag),
      alreadyApplied: 2,
    });
    expect(tableNames(db)).toContain('customers');
  });

  it('refuses a database with an applied migration this code does not know, changing nothing', () => {
    const { file, db } = migratedFile();
    db.prepare(
      "INSERT INTO kasuwa_migrations (tag, hash, applied_at) VALUES ('9999_from_the_future', 'x', 1)",
    ).run();
    const dump = schemaDump(db);
    const hash = sha256(file);
    const next: Migration = {
      tag: '9998_new_table',
      hash: 'h',
      statements: ['CREATE TABLE not_yet (id TEXT)'],
    };
    const error = thrown(() => applyMigrations(db, [...migrations, next]));
    expectKasuwaError(error, 'database_newer');
    expect(error instanceof KasuwaError && error.details).toEqual({
      unknownMigrations: ['9999_from_the_future'],
    });
    expect(tableNames(db)).not.toContain('not_yet');
    expect(schemaDump(db)).toEqual(dump);
    expect(db.prepare("SELECT count(*) AS n FROM kasuwa_migrations WHERE tag LIKE '999%'").get()).toEqual({
      n: 1,
    });
    expect(sha256(file)).toBe(hash);
  });

  it('refuses a shipped migration that was edited after it was applied, changing nothing', () => {
    const { file, db } = migratedFile();
    const hash = sha256(file);
    const edited = migrations.map((m, i) =>
      i === 1 ? { ...m, hash: 'edited', statements: [...m.statements, 'CREATE TABLE sneaky (id TEXT)'] } : m,
    );
    const error = thrown(() => applyMigrations(db, edited));
    expectKasuwaError(error, 'migration_changed');
    expect(error instanceof KasuwaError && error.details).toEqual({
      changedMigrations: [migrations[1]?.tag],
    });
    expect(tableNames(db)).not.toContain('sneaky');
    expect(sha256(file)).toBe(hash);
  });

  it('leaves no partial tables when a migration fails midway (one transaction)', () => {
    const { db } = freshFile();
    const broken: Migration[] = [
      { tag: '0000_a', hash: 'a', statements: ['CREATE TABLE whole_first (id TEXT)'] },
      {
        tag: '0001_b',
        hash: 'b',
        statements: [
          'CREATE TABLE first_half (id TEXT)',
          'CREATE TABLE oops (',
          'CREATE TABLE never (id TEXT)',
        ],
      },
    ];
    expect(() => applyMigrations(db, broken)).toThrow(/syntax error|incomplete input/);
    expect(tableNames(db)).toEqual([]);
  });

  it('leaves an existing database as it was when a new migration fails midway', () => {
    const { file, db } = migratedFile();
    const dump = schemaDump(db);
    const hash = sha256(file);
    const broken: Migration = {
      tag: '9000_broken',
      hash: 'z',
      statements: ['ALTER TABLE settings ADD COLUMN extra TEXT', 'INSERT INTO no_such_table VALUES (1)'],
    };
    expect(() => applyMigrations(db, [...migrations, broken])).toThrow(/no such table/);
    expect(schemaDump(db)).toEqual(dump);
    expect(db.prepare("SELECT count(*) AS n FROM kasuwa_migrations WHERE tag = '9000_broken'").get()).toEqual(
      { n: 0 },
    );
    expect(sha256(file)).toBe(hash);
  });
});
