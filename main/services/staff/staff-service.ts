/** Staff of the shop (owner, managers, cashiers) and their PIN checks. */
import { eq } from 'drizzle-orm';
import type { StaffMember, StaffRole } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { ShopDatabase } from '../../db/open';
import { staff } from '../../db/schema';
import type { AuditLog } from '../audit/audit-log';
import type { SyncRecorder } from '../sync/sync-recorder';
import { hashPin, verifyPin } from './pin';

export class StaffService {
  constructor(
    private readonly db: ShopDatabase,
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
    /** Queues staff for the shop's other counters; absent in tests of this service alone. */
    private readonly sync: SyncRecorder | null = null,
  ) {}

  get(id: string): StaffMember {
    const member = this.db.orm
      .select({ id: staff.id, name: staff.name, role: staff.role, active: staff.active })
      .from(staff)
      .where(eq(staff.id, id))
      .get();
    if (member === undefined) throw new KasuwaError('not_found', 'That staff member is not on the list.');
    return member;
  }

  /** Adds a manager or cashier; the owner's PIN authorises it. A PIN must be unique among active staff. */
  create(input: { name: string; role: 'manager' | 'cashier'; pin: string; ownerPin: string }): StaffMember {
    const owner = this.verifyPin(input.ownerPin, ['owner']);
    if (this.findByPin(input.pin) !== null) {
      throw new KasuwaError('conflict', 'Someone already uses that PIN. Choose another one.', [
        { path: ['pin'], message: 'Choose another PIN' },
      ]);
    }
    const pinHash = hashPin(input.pin);
    const at = this.now();
    const id = uuidv7(at);
    this.db.sqlite
      .transaction(() => {
        this.db.orm
          .insert(staff)
          .values({ id, name: input.name, role: input.role, pinHash, createdAt: at, updatedAt: at })
          .run();
        this.sync?.replicaChanged('staff', id, null);
        this.audit.append({
          actorStaffId: owner.id,
          action: 'staff.create',
          entity: 'staff',
          entityId: id,
          details: { role: input.role, name: input.name },
        });
      })
      .immediate();
    return this.get(id);
  }

  setActive(id: string, active: boolean, ownerPin: string): StaffMember {
    const owner = this.verifyPin(ownerPin, ['owner']);
    const member = this.get(id);
    if (member.role === 'owner' && !active) {
      throw new KasuwaError('conflict', 'The owner cannot be switched off.');
    }
    this.db.sqlite
      .transaction(() => {
        const before = this.sync?.before('staff', id) ?? null;
        this.db.orm.update(staff).set({ active, updatedAt: this.now() }).where(eq(staff.id, id)).run();
        this.sync?.replicaChanged('staff', id, before);
        this.audit.append({
          actorStaffId: owner.id,
          action: active ? 'staff.activate' : 'staff.deactivate',
          entity: 'staff',
          entityId: id,
        });
      })
      .immediate();
    return this.get(id);
  }

  list(): StaffMember[] {
    return this.db.orm
      .select({ id: staff.id, name: staff.name, role: staff.role, active: staff.active })
      .from(staff)
      .orderBy(staff.createdAt)
      .all();
  }

  /** The active staff member whose PIN this is, limited to `roles` when given. */
  verifyPin(pin: string, roles?: readonly StaffRole[]): StaffMember {
    const member = this.findByPin(pin, roles);
    if (member !== null) return member;
    throw new KasuwaError(
      'unauthorized',
      roles === undefined
        ? 'That PIN is not right.'
        : `That PIN is not right, or it is not a ${roles.join(' or ')} PIN.`,
    );
  }

  private findByPin(pin: string, roles?: readonly StaffRole[]): StaffMember | null {
    const candidates = this.db.orm.select().from(staff).where(eq(staff.active, true)).all();
    for (const member of candidates) {
      if (roles !== undefined && !roles.includes(member.role)) continue;
      if (verifyPin(pin, member.pinHash)) {
        return { id: member.id, name: member.name, role: member.role, active: member.active };
      }
    }
    return null;
  }
}
