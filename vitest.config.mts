import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // drizzle's driver imports 'better-sqlite3'; Kasuwa uses the SQLCipher-capable build of it.
    alias: { 'better-sqlite3': 'better-sqlite3-multiple-ciphers' },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/fault/**/*.test.ts'],
    environment: 'node',
    server: { deps: { inline: ['drizzle-orm'] } },
    // Real SQLite files and scrypt: give slow CI machines room, but no test is a timing test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
