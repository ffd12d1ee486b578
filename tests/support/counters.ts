/**
 * Counters of one business for the sync tests: each a set-up shop on its own encrypted file,
 * with the real HTTP transport, paired with a real sync server (the first creates the
 * business, the others join with a pairing code), and helpers to sync them in rounds.
 */
import type { CampaignEnvironment } from '../../main/services/campaigns/campaign-services';
import { openTestShop, OWNER_PIN, type TestShop } from '../unit/shop';
import { shopState, type ShopState } from './shop-state';

export interface Counter extends TestShop {
  name: string;
  state(): ShopState;
  /** One sync pass: push everything queued, then pull everything new. */
  sync1(): Promise<void>;
}

export function openCounter(name: string, campaigns: Partial<CampaignEnvironment> = {}): Counter {
  const shop = openTestShop(campaigns);
  return Object.assign(shop, {
    name,
    state: () => shopState(shop.db.sqlite),
    sync1: async () => {
      await shop.sync.engine.run();
    },
  });
}

/** A business of `count` counters on the server at `serverUrl`. */
export async function openBusiness(
  serverUrl: string,
  count: number,
  campaigns: Partial<CampaignEnvironment> = {},
): Promise<Counter[]> {
  const first = openCounter('counter-1', campaigns);
  await first.sync.createBusiness({
    serverUrl,
    deviceName: 'Counter 1',
    branchName: 'Yaba',
    ownerPin: OWNER_PIN,
  });
  const counters = [first];
  for (let n = 2; n <= count; n += 1) {
    const { code } = await first.sync.pairingCode({ ownerPin: OWNER_PIN });
    const counter = openCounter(`counter-${n}`, campaigns);
    await counter.sync.pair({ serverUrl, code, deviceName: `Counter ${n}`, ownerPin: OWNER_PIN });
    counters.push(counter);
  }
  return counters;
}

/**
 * Syncs every counter until a whole round moves nothing: each pass pushes its writes and pulls
 * the others', so two rounds after the last write everyone holds everything.
 */
export async function syncUntilQuiet(counters: Counter[], maxRounds = 6): Promise<void> {
  for (let round = 0; round < maxRounds; round += 1) {
    let moved = 0;
    for (const counter of counters) {
      const report = await counter.sync.engine.run();
      moved += report.pushed + report.pulled;
    }
    if (moved === 0) return;
  }
  throw new Error(`still moving changes after ${maxRounds} rounds`);
}
