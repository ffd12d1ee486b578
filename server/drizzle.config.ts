// drizzle-kit for the sync server: `npm run db:generate:server` writes a new migration into
// server/migrations/ from server/db/schema.ts. Shipped migrations are never edited.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './server/migrations',
  breakpoints: true,
});
