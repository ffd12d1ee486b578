/**
 * The business profile and first-run setup: the shop's name, state and phone, and its owner.
 * Setup creates the profile, the owner with a hashed PIN and the first audit rows in one
 * transaction, so a power cut leaves either a finished setup or none.
 */
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { BusinessProfile, businessInputSchema, setupInputSchema } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import { parseNigerianPhone } from '../../../shared/phone';
import type { ShopDatabase } from '../../db/open';
import { businessProfile, staff } from '../../db/schema';
import type { AuditLog } from '../audit/audit-log';
import { hashPin } from '../staff/pin';
import type { SyncRecorder } from '../sync/sync-recorder';

type BusinessInput = z.output<typeof businessInputSchema>;
type SetupInput = z.output<typeof setupInputSchema>;

function normalisedPhone(phone: string, path: string[]): string {
  const parsed = parseNigerianPhone(phone);
  if (!parsed.ok) throw new KasuwaError('invalid_input', parsed.error, [{ path, message: parsed.error }]);
  return parsed.e164;
}

export class BusinessService {
  constructor(
    private readonly db: ShopDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
    /** Queues the profile and the owner for the shop's other counters; absent in tests of this service alone. */
    private readonly sync: SyncRecorder | null = null,
  ) {}

  get(): BusinessProfile | null {
    const row = this.db.orm.select().from(businessProfile).get();
    if (row === undefined) return null;
    const { singleton: _singleton, syncClock: _syncClock, ...profile } = row;
    return { ...profile, state: profile.state as BusinessProfile['state'] };
  }

  isSetUp(): boolean {
    return this.get() !== null;
  }

  setup(input: SetupInput): BusinessProfile {
    const phone = normalisedPhone(input.business.phone, ['business', 'phone']);
    const pinHash = hashPin(input.pin);
    this.db.sqlite
      .transaction(() => {
        if (this.get() !== null) {
          throw new KasuwaError(
            'already_done',
            'This shop is already set up. Change its details in Settings.',
          );
        }
        const at = this.now();
        const businessId = uuidv7(at);
        const ownerId = uuidv7(at);
        this.db.orm
          .insert(businessProfile)
          .values({ id: businessId, ...input.business, phone, createdAt: at, updatedAt: at })
          .run();
        this.db.orm
          .insert(staff)
          .values({
            id: ownerId,
            name: input.ownerName,
            role: 'owner',
            pinHash,
            createdAt: at,
            updatedAt: at,
          })
          .run();
        this.sync?.replicaChanged('business', businessId, null);
        this.sync?.replicaChanged('staff', ownerId, null);
        this.audit.append({
          actorStaffId: ownerId,
          action: 'business.setup',
          entity: 'business',
          entityId: businessId,
          details: { name: input.business.name, state: input.business.state },
        });
        this.audit.append({
          actorStaffId: ownerId,
          action: 'staff.create',
          entity: 'staff',
          entityId: ownerId,
          details: { role: 'owner', name: input.ownerName },
        });
      })
      .immediate();
    return this.require();
  }

  update(input: BusinessInput, actorStaffId: string | null): BusinessProfile {
    const phone = normalisedPhone(input.phone, ['phone']);
    this.db.sqlite
      .transaction(() => {
        const current = this.require();
        const next = { ...input, phone };
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
          (key) => current[key] !== next[key],
        );
        if (changed.length === 0) return;
        const before = this.sync?.before('business', current.id) ?? null;
        this.db.orm
          .update(businessProfile)
          .set({ ...next, updatedAt: this.now() })
          .where(eq(businessProfile.id, current.id))
          .run();
        this.sync?.replicaChanged('business', current.id, before);
        this.audit.append({
          actorStaffId,
          action: 'business.update',
          entity: 'business',
          entityId: current.id,
          details: { changed },
        });
      })
      .immediate();
    return this.require();
  }

  private require(): BusinessProfile {
    const profile = this.get();
    if (profile === null) {
      throw new KasuwaError('not_found', 'The shop is not set up yet. Finish the first-run setup.');
    }
    return profile;
  }
}
