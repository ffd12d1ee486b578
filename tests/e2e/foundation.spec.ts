/**
 * The foundation, as a shop owner meets it in Chromium: first-run setup, every area reachable
 * (by click and by keyboard), the profile editable, and a screenshot of each area.
 */
import { expect, test } from '@playwright/test';
import { completeSetup, startApp, type RunningApp } from './host';

const AREAS = ['Sell', 'Customers', 'Campaigns', 'Store', 'Sync', 'Settings'] as const;

test.describe('with the keychain', () => {
  // One shop for the whole describe: setup happens once, later tests build on it.
  test.describe.configure({ mode: 'serial' });
  let app: RunningApp;
  test.beforeAll(async () => {
    app = await startApp();
  });
  test.afterAll(async () => {
    await app.stop();
  });

  test('first-run setup, then every area is reachable', async ({ page }, testInfo) => {
    await page.goto(app.url);
    await expect(page).not.toHaveURL(/token=/);

    // A bad phone number is refused with a sentence, and nothing is lost from the form.
    await page.getByLabel('Business name').fill('Mama Nkechi Provisions');
    await page.getByLabel('State').selectOption('Lagos');
    await page.getByLabel('Business phone').fill('01 234 5678');
    await page.getByLabel("Owner's name").fill('Nkechi Okafor');
    await page.getByLabel('Owner PIN (4 to 6 digits)').fill('4321');
    await page.getByLabel('Type the PIN again').fill('4321');
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'landline' }).first()).toBeVisible();
    await expect(page.getByLabel('Business name')).toHaveValue('Mama Nkechi Provisions');

    await completeSetup(page);
    await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
    await expect(page.getByText('Mama Nkechi Provisions').first()).toBeVisible();

    for (const area of AREAS) {
      await page.getByRole('link', { name: new RegExp(`^${area}`) }).click();
      await expect(page.getByRole('heading', { level: 1, name: area })).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`area-${area.toLowerCase()}.png`), fullPage: true });
    }

    // Keyboard-first: Alt+number reaches each area from anywhere.
    for (const [index, area] of AREAS.entries()) {
      await page.keyboard.press(`Alt+${index + 1}`);
      await expect(page.getByRole('heading', { level: 1, name: area })).toBeVisible();
    }
  });

  test('the business profile is edited in Settings and survives a reload', async ({ page }) => {
    await page.goto(app.url);
    await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
    await page.keyboard.press('Alt+6');
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(page.getByText("This computer's keychain")).toBeVisible();
    await page.getByLabel('Business name').fill('Mama Nkechi Superstore');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByText('Business profile saved.')).toBeVisible();
    await page.getByRole('button', { name: 'Check the audit log' }).click();
    await expect(page.getByText(/The audit log is intact: 3 entries checked/)).toBeVisible();

    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
    await page.keyboard.press('Alt+6');
    await expect(page.getByLabel('Business name')).toHaveValue('Mama Nkechi Superstore');
    await expect(page.getByText('Mama Nkechi Superstore').first()).toBeVisible();
  });

  test('a page without the token cannot reach the services', async ({ page }) => {
    await page.goto(app.url.replace(/\?token=.*/, ''));
    await expect(page.getByText(/Lost the connection to Kasuwa/)).toBeVisible();
  });
});

test.describe('without a keychain', () => {
  let app: RunningApp;
  test.beforeAll(async () => {
    app = await startApp({ env: { KASUWA_KEYCHAIN: 'off' } });
  });
  test.afterAll(async () => {
    await app.stop();
  });

  test('the owner chooses a passphrase, and a wrong one is refused after a restart', async ({
    page,
  }, testInfo) => {
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Choose a passphrase for this shop' })).toBeVisible();
    await page.getByLabel('Passphrase', { exact: true }).fill('kasuwa-counter-1');
    await page.getByLabel('Type it again').fill('kasuwa-counter-2');
    await page.getByRole('button', { name: /Lock the database/ }).click();
    await expect(page.getByText('The two passphrases are not the same').first()).toBeVisible();
    await page.getByLabel('Type it again').fill('kasuwa-counter-1');
    await page.getByRole('button', { name: /Lock the database/ }).click();
    await completeSetup(page);
    await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();

    await app.stop({ keepData: true });
    app = await startApp({ env: { KASUWA_KEYCHAIN: 'off' }, dataDir: app.dataDir });
    await page.goto(app.url);
    await expect(page.getByRole('heading', { name: 'Unlock Kasuwa' })).toBeVisible();
    await page.getByLabel('Passphrase', { exact: true }).fill('not-the-passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByText('That passphrase is not right. Try again.').first()).toBeVisible();
    await page.getByLabel('Passphrase', { exact: true }).fill('kasuwa-counter-1');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByText('Mama Nkechi Provisions').first()).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('unlocked-with-passphrase.png') });
  });
});
