/**
 * The OS keychain through keytar: Windows Credential Manager, macOS Keychain, the Secret
 * Service (GNOME Keyring, KWallet) on Linux. Plain Node, so the browser host uses it too.
 * A keytar that cannot load (no libsecret) means no keychain, not a crash.
 */
import type { Keychain } from '../db/database-key';
import { KeychainUnavailableError } from '../db/database-key';

type Keytar = typeof import('keytar');

export async function loadKeychain(): Promise<Keychain | null> {
  let keytar: Keytar;
  try {
    const loaded = (await import('keytar')) as Keytar & { default?: Keytar };
    keytar = loaded.default ?? loaded;
  } catch {
    return null;
  }
  return {
    async getSecret(service, account) {
      try {
        return await keytar.getPassword(service, account);
      } catch (error) {
        throw new KeychainUnavailableError(error);
      }
    },
    async setSecret(service, account, secret) {
      try {
        await keytar.setPassword(service, account, secret);
      } catch (error) {
        throw new KeychainUnavailableError(error);
      }
    },
  };
}
