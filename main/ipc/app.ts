/** app:* — the lock state of the shop database: status, first passphrase, unlock. */
import type { ShopRuntime } from '../services/app/runtime';
import type { HandlerTable } from './handler';

export function appHandlers(
  runtime: ShopRuntime,
): Pick<HandlerTable, 'app:status' | 'app:createPassphrase' | 'app:unlock'> {
  return {
    'app:status': () => runtime.status(),
    'app:createPassphrase': ({ passphrase }) => runtime.createPassphrase(passphrase),
    'app:unlock': ({ passphrase }) => runtime.unlock(passphrase),
  };
}
