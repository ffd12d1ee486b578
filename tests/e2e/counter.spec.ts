/**
 * A day at the counter in Chromium: add a manager and products, create a customer and find
 * them by a fragment of their number, ring up a sale with a split payment, see the receipt,
 * refund it with the manager's PIN, and watch points and the Z-report follow. axe-core finds
 * no serious accessibility problem on the till or the customer book.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { completeSetup, OWNER_PIN, startApp, type RunningApp } from './host';

const MANAGER_PIN = '5555';

test.describe.configure({ mode: 'serial' });

let app: RunningApp;
let page: Page;

test.beforeAll(async ({ browser }) => {
  app = await startApp();
  // axe-core needs a page made through a context of our own.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await page.goto(app.url);
  await completeSetup(page);
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
});

test.afterAll(async () => {
  await page.context().close();
  await app.stop();
});

async function seriousViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`);
}

test('the owner adds a manager and two products', async () => {
  await page.keyboard.press('Alt+6');
  await page.getByLabel('Staff name').fill('Musa Bello');
  await page.getByLabel('Role').selectOption('manager');
  await page.getByLabel('Their PIN (4 to 6 digits)').fill(MANAGER_PIN);
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByLabel('Owner PIN').fill(OWNER_PIN);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('cell', { name: 'Musa Bello', exact: true })).toBeVisible();

  await page.keyboard.press('Alt+1');
  await page.getByRole('link', { name: 'Products' }).click();
  for (const [name, price, barcode] of [
    ['Indomie Chicken 70g', '150', '6001234567890'],
    ['Peak Milk Tin 160g', '450', '6009876543210'],
  ] as const) {
    await page.getByRole('button', { name: 'New product' }).click();
    await page.getByLabel('Product name').fill(name);
    await page.getByLabel('Price (₦)').fill(price);
    await page.getByLabel('Barcode').fill(barcode);
    await page.getByLabel('Stock on hand now').fill('100');
    await page.getByRole('button', { name: 'Save product' }).click();
    await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  }
});

test('a customer is created and found by a fragment of their number', async ({
  browserName: _browser,
}, testInfo) => {
  await page.keyboard.press('Alt+2');
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('First name').fill('Ngozi');
  await page.getByLabel('Last name').fill('Eze');
  await page.getByLabel('Phone').fill('+234 (803) 555-1234');
  await expect(page.getByText('MTN number (numbers can be ported between networks)')).toBeVisible();
  await page.getByLabel('SMS').check();
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ngozi Eze' })).toBeVisible();

  // The same number again is refused, with a way to the customer who has it.
  await page.getByRole('link', { name: 'Back to the book' }).click();
  await page.getByRole('link', { name: 'New customer' }).click();
  await page.getByLabel('First name').fill('Someone');
  await page.getByLabel('Phone').fill('08035551234');
  await page.getByRole('button', { name: 'Save customer' }).click();
  await expect(page.getByRole('link', { name: 'Open Ngozi Eze' })).toBeVisible();

  await page.keyboard.press('Alt+2');
  await page.getByLabel('Search customers').fill('555 12');
  await expect(page.getByRole('link', { name: /Ngozi Eze/ })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('customer-search.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);
});

test('a sale with a split payment prints a receipt and earns points', async ({
  browserName: _browser,
}, testInfo) => {
  await page.keyboard.press('Alt+1');
  await page.getByLabel('Your PIN').fill(OWNER_PIN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const search = page.getByLabel('Scan or search products (F2)');
  await search.fill('6001234567890');
  await expect(page.getByRole('list', { name: 'Products found' })).toContainText('Indomie');
  await search.press('Enter');
  await search.fill('peak');
  await expect(page.getByRole('list', { name: 'Products found' })).toContainText('Peak Milk');
  await search.press('Enter');
  await expect(page.locator('.till-total')).toContainText('₦600');

  await page.keyboard.press('F4');
  await page.getByLabel("Customer's phone or name").fill('0803 555');
  await expect(page.getByRole('button', { name: /Ngozi Eze/ })).toBeVisible();
  await page.getByLabel("Customer's phone or name").press('Enter');
  await expect(page.locator('.till-customer')).toContainText('Ngozi Eze');

  await page.keyboard.press('F8');
  await page.getByLabel('Amount (₦) 1').fill('300');
  await page.getByLabel('Cash given (₦) 1').fill('500');
  await page.getByRole('button', { name: 'Add payment' }).click();
  await expect(page.getByLabel('Amount (₦) 2')).toHaveValue('300.00');
  await page.getByLabel('Reference 2').fill('TRF-0042');
  await expect(page.locator('.pay-summary')).toContainText('₦200');
  expect(await seriousViolations()).toEqual([]);
  await page.getByRole('button', { name: 'Record sale' }).click();

  const receipt = page.getByTestId('receipt');
  await expect(receipt).toContainText('Ngozi Eze');
  await expect(receipt).toContainText('Bank transfer');
  await expect(receipt).toContainText('Change');
  await expect(receipt).toContainText('Points earned: 6');
  await page.screenshot({ path: testInfo.outputPath('receipt.png'), fullPage: true });
  await page.getByRole('button', { name: 'Share on WhatsApp' }).click();
  await expect(page.getByLabel('Receipt as text')).toContainText('TOTAL');
});

test('the Z-report shows the sale, and a refund needs the manager PIN', async ({
  browserName: _browser,
}, testInfo) => {
  await page.getByRole('link', { name: 'End of day' }).click();
  await expect(page.getByTestId('expected-cash')).toHaveText('₦300');

  await page.getByRole('link', { name: 'Sales', exact: true }).click();
  await page.locator('tbody a').first().click();
  await page.getByRole('button', { name: 'Refund', exact: true }).click();
  await page.getByLabel('Money goes back by').selectOption('cash');
  await page.getByLabel('Reason').fill('Customer changed her mind');
  await page.getByRole('button', { name: 'Refund these items' }).click();
  await page.getByLabel('Manager or owner PIN').fill('0000');
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'PIN is not right' }).first()).toBeVisible();
  await page.getByLabel('Manager or owner PIN').fill(MANAGER_PIN);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByTestId('receipt')).toContainText('approved by Musa Bello');
  await page.screenshot({ path: testInfo.outputPath('refunded.png'), fullPage: true });

  await page.getByRole('link', { name: 'End of day' }).click();
  await expect(page.getByTestId('expected-cash')).toHaveText('-₦300');
  await expect(page.getByRole('table', { name: 'Refunds by method' })).toContainText('₦600');
  await page.screenshot({ path: testInfo.outputPath('z-report.png'), fullPage: true });

  await page.keyboard.press('Alt+2');
  await page.getByLabel('Search customers').fill('Ngozi');
  await page.getByRole('link', { name: /Ngozi Eze/ }).click();
  await expect(page.getByText('-6 refund')).toBeVisible();
  await expect(page.getByText('+6 earn')).toBeVisible();
});
