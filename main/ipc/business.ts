/** business:* and staff:* — the shop profile, first-run setup and staff PINs. */
import type { ShopRuntime } from '../services/app/runtime';
import type { HandlerTable } from './handler';

export function businessHandlers(
  runtime: ShopRuntime,
): Pick<
  HandlerTable,
  | 'business:get'
  | 'business:setup'
  | 'business:update'
  | 'staff:list'
  | 'staff:verifyPin'
  | 'staff:create'
  | 'staff:setActive'
> {
  return {
    'business:get': () => runtime.require().business.get(),
    'business:setup': (input) => runtime.require().business.setup(input),
    'business:update': (input) => runtime.require().business.update(input, null),
    'staff:list': () => runtime.require().staff.list(),
    'staff:verifyPin': ({ pin }) => runtime.require().staff.verifyPin(pin),
    'staff:create': (input) => runtime.require().staff.create(input),
    'staff:setActive': ({ id, active, ownerPin }) => runtime.require().staff.setActive(id, active, ownerPin),
  };
}
