/**
 * A customer edited at the counter as the customer form does it: the whole record sent back
 * with some fields changed.
 */
import type { ShopServices } from '../../main/services/app/runtime';
import { customerInputSchema } from '../../shared/contract';

export function editCustomer(
  shop: Pick<ShopServices, 'customers'>,
  id: string,
  patch: Record<string, unknown>,
): void {
  const current = shop.customers.get(id);
  shop.customers.update(
    {
      ...customerInputSchema.parse({
        firstName: current.firstName,
        lastName: current.lastName,
        phone: current.phone,
        email: current.email,
        state: current.state,
        address: current.address,
        notes: current.notes,
        tags: current.tags,
        preferences: current.preferences,
        ...patch,
      }),
      id,
    },
    null,
  );
}
