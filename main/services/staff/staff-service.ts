/** Staff of the shop (owner, managers, cashiers) and their PIN checks. */
import { eq } from 'drizzle-orm';
import type { StaffMember, StaffRole } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import type { ShopDatabase } from '../../db/open';
import { staff } from '../../db/schema';
import { verifyPin } from './pin';

export class StaffService {
  constructor(private readonly db: ShopDatabase) {}

  list(): StaffMember[] {
    return this.db.orm
      .select({ id: staff.id, name: staff.name, role: staff.role, active: staff.active })
      .from(staff)
      .orderBy(staff.createdAt)
      .all();
  }

  /** The active staff member whose PIN this is, limited to `roles` when given. */
  verifyPin(pin: string, roles?: readonly StaffRole[]): StaffMember {
    const candidates = this.db.orm.select().from(staff).where(eq(staff.active, true)).all();
    for (const member of candidates) {
      if (roles !== undefined && !roles.includes(member.role)) continue;
      if (verifyPin(pin, member.pinHash)) {
        return { id: member.id, name: member.name, role: member.role, active: member.active };
      }
    }
    throw new KasuwaError(
      'unauthorized',
      roles === undefined
        ? 'That PIN is not right.'
        : `That PIN is not right, or it is not a ${roles.join(' or ')} PIN.`,
    );
  }
}
