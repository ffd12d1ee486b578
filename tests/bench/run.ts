/**
 * `npm run bench`: every figure of every area, printed as one JSON object on stdout.
 * `KASUWA_BENCH_ONLY=sync,server` runs only those groups (while working on one area).
 */
import { segmentFigures } from './campaigns';
import { counterFigures } from './counter';
import { foundationFigures } from './foundation';
import type { Figures } from './figures';
import { sendingFigures } from './sending';
import { serverFigures } from './server';
import { storePublishFigures } from './store-publish';
import { storefrontFigures } from './storefront';
import { syncFigures } from './sync';

const GROUPS: [string, () => Promise<Figures>][] = [
  ['foundation', foundationFigures],
  ['counter', counterFigures],
  ['sync', syncFigures],
  ['server', serverFigures],
  ['segments', segmentFigures],
  ['sending', sendingFigures],
  ['storefront', storefrontFigures],
  ['store', storePublishFigures],
];

async function main(): Promise<void> {
  const only = (process.env.KASUWA_BENCH_ONLY ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = only.filter((name) => !GROUPS.some(([group]) => group === name));
  if (unknown.length > 0) throw new Error(`KASUWA_BENCH_ONLY names unknown groups: ${unknown.join(', ')}`);
  const figures: Figures = {};
  for (const [group, run] of GROUPS) {
    if (only.length === 0 || only.includes(group)) Object.assign(figures, await run());
  }
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
