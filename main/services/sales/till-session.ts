/** Who is at the till: a staff member signs in with their PIN, and every sale records them. */
import type { StaffMember } from '../../../shared/contract';
import { KasuwaError } from '../../../shared/errors';
import type { StaffService } from '../staff/staff-service';

export class TillSession {
  private staffMember: StaffMember | null = null;

  constructor(private readonly staff: StaffService) {}

  signIn(pin: string): StaffMember {
    this.staffMember = this.staff.verifyPin(pin);
    return this.staffMember;
  }

  signOut(): void {
    this.staffMember = null;
  }

  current(): StaffMember | null {
    return this.staffMember;
  }

  require(): StaffMember {
    if (this.staffMember === null) {
      throw new KasuwaError('unauthorized', 'Sign in at the till with your PIN first.');
    }
    return this.staffMember;
  }
}
