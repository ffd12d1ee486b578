/** Chooses the screen from the lock status: error, passphrase, first-run setup, or the shell. */
import { useEffect } from 'react';
import { kasuwa } from './bridge';
import { Toasts } from './components/Toasts';
import { ErrorScreen, PassphraseScreen } from './screens/LockScreens';
import { SetupScreen } from './screens/SetupScreen';
import { Shell } from './screens/Shell';
import { call, useAppStore } from './state/app-store';

export function App() {
  const status = useAppStore((state) => state.status);
  const setStatus = useAppStore((state) => state.setStatus);
  const setBusiness = useAppStore((state) => state.setBusiness);

  useEffect(() => {
    void call(kasuwa.app.status()).then((result) => result.ok && setStatus(result.value));
    return kasuwa.on('app:status', setStatus);
  }, [setStatus]);

  const ready = status?.state === 'ready' && status.setupDone;
  useEffect(() => {
    if (!ready) return;
    const refresh = () =>
      void call(kasuwa.business.get()).then((result) => result.ok && setBusiness(result.value));
    refresh();
    // Another counter may rename the shop (or a joining counter take the business's name): read
    // the profile again whenever sync brings changes in, so the header and receipts follow.
    let cursor: number | null = null;
    return kasuwa.on('sync:status', (sync) => {
      if (cursor !== null && sync.cursor !== cursor) refresh();
      cursor = sync.cursor;
    });
  }, [ready, setBusiness]);

  let screen;
  if (status === null) screen = <main className="centered-screen" aria-busy="true" />;
  else if (status.state === 'error') screen = <ErrorScreen status={status} />;
  else if (status.state === 'needs-passphrase') screen = <PassphraseScreen status={status} />;
  else if (!status.setupDone) screen = <SetupScreen />;
  else screen = <Shell />;

  return (
    <>
      {screen}
      <Toasts />
    </>
  );
}
