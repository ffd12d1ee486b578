/**
 * Printing a receipt from the desktop app: the window prints what its print stylesheet shows
 * (the receipt only), on 80 mm thermal paper or A4, through the system print dialog.
 */
import type { BrowserWindow } from 'electron';
import { KasuwaError } from '../../shared/errors';

const PAGE_SIZES = {
  // Width × a long roll, in microns; thermal drivers cut at the end of the content.
  '80mm': { width: 80_000, height: 297_000 },
  a4: 'A4',
} as const;

export function printReceipt(window: () => BrowserWindow | null, paper: '80mm' | 'a4'): Promise<void> {
  const target = window();
  if (target === null || target.isDestroyed()) {
    return Promise.reject(new KasuwaError('unavailable', 'There is no Kasuwa window to print from.'));
  }
  return new Promise((resolve, reject) => {
    target.webContents.print(
      { silent: false, printBackground: false, pageSize: PAGE_SIZES[paper], margins: { marginType: 'none' } },
      (success, reason) => {
        if (success || reason === 'cancelled') resolve();
        else
          reject(new KasuwaError('unavailable', `The receipt did not print: ${reason}. Check the printer.`));
      },
    );
  });
}
