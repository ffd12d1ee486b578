/**
 * Publishing a 500-product store, end to end on loopback: a counter on a real encrypted file
 * with 500 products, each with its own photo, paired with the real sync server process on a
 * real PostgreSQL cluster. `store_publish_500_s` is the first publish (every picture resized to
 * WebP at each width, every file uploaded); `store_republish_500_s` is the next one after the
 * opening hours change (pictures from the cache, only the changed pages uploaded).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { productInputSchema } from '../../shared/contract';
import { fileCounter, PIN, type FileCounter } from '../support/file-counter';
import { createDatabase, startPostgres } from '../support/postgres';
import { saveReadyDraft } from '../support/ready-store';
import { startSyncServer } from '../support/sync-server-process';
import { progress, round, type Figures } from './figures';
import { fixturePhoto } from './storefront';

const PRODUCTS = 500;
/** The catalogue's own pictures are small already (the till shrinks them before saving). */
const CATALOGUE_PHOTO_PX = 480;

async function catalogue(counter: FileCounter): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < PRODUCTS; n += 1) {
    const photo = await fixturePhoto(n, CATALOGUE_PHOTO_PX);
    const product = counter.shop.products.create(
      productInputSchema.parse({
        name: `Product ${String(n + 1).padStart(3, '0')}`,
        priceKobo: 50_000 + n * 1_000,
        category: ['Rice', 'Beans', 'Oil', 'Drinks', 'Toiletries'][n % 5],
        openingStock: 20 + (n % 7),
        image: `data:image/jpeg;base64,${photo.toString('base64')}`,
      }),
      null,
    );
    ids.push(product.id);
  }
  return ids;
}

export async function storePublishFigures(): Promise<Figures> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'kasuwa-bench-store-'));
  progress('store: starting PostgreSQL and the sync server');
  const cluster = await startPostgres({
    settings: { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' },
  });
  const server = await startSyncServer(await createDatabase(cluster.url, 'bench_store'));
  const counter = fileCounter(scratch, 'bench-store');
  try {
    await counter.shop.sync.createBusiness({
      serverUrl: server.url,
      deviceName: 'Store',
      branchName: 'Main',
      ownerPin: PIN,
    });
    progress(`store: ${PRODUCTS} products with photos`);
    const productIds = await catalogue(counter);
    await saveReadyDraft(counter.shop.store, { slug: 'bench-store', productIds });
    await counter.shop.store.testOrder();

    progress('store: first publish');
    let started = performance.now();
    const first = await counter.shop.store.publish(null);
    const firstSeconds = (performance.now() - started) / 1_000;
    const home = await fetch(`${server.url}/s/bench-store/`);
    if (home.status !== 200) throw new Error(`the published store answers ${home.status}`);

    const { draft } = await counter.shop.store.state();
    await counter.shop.store.saveDraft(
      { section: 'business', value: { ...draft.business, hours: 'Mon–Sun 7am–9pm' } },
      null,
    );
    progress('store: republish after a change');
    started = performance.now();
    const second = await counter.shop.store.publish(null);
    const secondSeconds = (performance.now() - started) / 1_000;
    return {
      store_publish_500_s: { value: round(firstSeconds, 2), unit: 's', better: 'lower' },
      store_publish_500_files: { value: first.published?.files ?? 0, unit: 'files', better: 'lower' },
      store_publish_500_mb: {
        value: round((first.published?.bytes ?? 0) / 1_048_576, 1),
        unit: 'MB',
        better: 'lower',
      },
      store_republish_500_s: { value: round(secondSeconds, 2), unit: 's', better: 'lower' },
      store_republish_500_uploaded: {
        value: second.published?.uploaded ?? 0,
        unit: 'files',
        better: 'lower',
      },
    };
  } finally {
    counter.close();
    try {
      await server.stop();
    } finally {
      await cluster.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}
