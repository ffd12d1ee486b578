/**
 * The composition root of the desktop app: app lifecycle, the window, and the wiring of
 * services to their dependencies. Nothing else constructs services.
 */
import path from 'node:path';
import { app, type BrowserWindow } from 'electron';
import { loadMigrations } from './db/migrate';
import { createDispatch } from './ipc/handler';
import { createHandlerTable } from './ipc/index';
import { forwardEvents, registerIpcHandlers } from './platform/ipc';
import { printReceipt } from './platform/printing';
import { loadKeychain } from './platform/keychain';
import { ElectronNetwork, ElectronPower } from './platform/power-electron';
import { ElectronUpdates } from './platform/updater';
import { createMainWindow, hardenWebContents, registerAppScheme, serveRenderer } from './platform/window';
import { EventBus } from './services/app/event-bus';
import { createLog } from './services/app/log';
import { ShopRuntime } from './services/app/runtime';

registerAppScheme();

if (process.env.KASUWA_DATA_DIR !== undefined && process.env.KASUWA_DATA_DIR.trim() !== '') {
  app.setPath('userData', path.resolve(process.env.KASUWA_DATA_DIR));
}

let mainWindow: BrowserWindow | null = null;

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  const appRoot = app.getAppPath();
  const log = createLog({ dir: path.join(dataDir, 'logs') });
  const events = new EventBus();
  const migrationsDir = app.isPackaged
    ? path.join(process.resourcesPath, 'migrations')
    : path.join(appRoot, 'migrations');
  const runtime = new ShopRuntime({
    dataDir,
    keychain: process.env.KASUWA_KEYCHAIN === 'off' ? null : await loadKeychain(),
    migrations: loadMigrations(migrationsDir),
    version: app.getVersion(),
    events,
    log,
    power: new ElectronPower(),
    network: new ElectronNetwork(),
  });
  const updates = new ElectronUpdates({
    isPackaged: app.isPackaged,
    events,
    log,
    feedUrl: () =>
      runtime.status().state === 'ready' ? runtime.require().settings.get().updateFeedUrl : null,
  });
  registerIpcHandlers(
    createDispatch(
      createHandlerTable({
        runtime,
        updates,
        events,
        print: (paper) => printReceipt(() => mainWindow, paper),
      }),
      log,
    ),
    log,
  );
  forwardEvents(events, () => mainWindow);
  hardenWebContents();
  serveRenderer(path.join(appRoot, 'out', 'renderer'));

  await runtime.start();
  mainWindow = createMainWindow(path.join(appRoot, 'out', 'preload', 'index.js'));
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  updates.start();

  app.on('before-quit', () => {
    updates.stop();
    runtime.close();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, (error: unknown) => {
    process.stderr.write(`Kasuwa could not start: ${String(error)}\n`);
    app.exit(1);
  });
}
