/** `npm run bench`: every figure of every area, printed as one JSON object on stdout. */
import { foundationFigures } from './foundation';
import type { Figures } from './figures';

async function main(): Promise<void> {
  const figures: Figures = { ...(await foundationFigures()) };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
