/**
 * The online store in Chromium, as a shop owner builds it in one sitting and a shopper uses it:
 * the counter is paired with the shop's sync server (embedded, as `npm run server` starts it),
 * three products go into the catalogue, the wizard is completed step by step (autosaved), the
 * preview is looked at in its phone, tablet and desktop frames, a test order goes through the
 * preview's checkout, the store is launched, and then a shopper opens it from the sync server,
 * orders with the plain HTML form (no JavaScript needed), and the order shows at the counter,
 * where it is fulfilled as a sale. axe-core finds no serious problem on the storefront's pages
 * nor on the builder.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { completeSetup, OWNER_PIN, startApp, type RunningApp } from './host';
import { startEmbeddedSyncServer, type EmbeddedSyncServer } from './sync-server';

const SLUG = 'mama-nkechi';
const PRODUCTS = [
  ['Mama Gold Rice 5kg', '9500'],
  ['Oloyin Beans 1kg', '2200'],
  ['Kings Oil 1L', '3100'],
] as const;
/** From the shopper's order on the server to the counter's pull (a realtime notice, then a pull). */
const ARRIVES_WITHIN_MS = 30_000;

test.describe.configure({ mode: 'serial' });

let server: EmbeddedSyncServer | undefined;
let app: RunningApp | undefined;
let page: Page;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  server = await startEmbeddedSyncServer();
  app = await startApp();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await page.goto(app.url);
  await completeSetup(page);
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
});

test.afterAll(async () => {
  await page.context().close();
  await app?.stop();
  await server?.dispose();
});

async function seriousViolations(on: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page: on }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`);
}

function step(title: string) {
  return page.getByRole('heading', { level: 2, name: title });
}

async function next(): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
}

async function saved(): Promise<void> {
  await expect(page.getByTestId('store-save-status')).toContainText('Saved at', { timeout: 10_000 });
}

test('the counter is paired with the sync server and has three products', async () => {
  if (server === undefined) throw new Error('no sync server');
  await page.keyboard.press('Alt+5');
  const first = page.getByRole('form', { name: "This is the shop's first counter" });
  await first.getByLabel('Sync server address').fill(server.url);
  await first.getByLabel('Name of this counter').fill('Front till');
  await first.getByLabel('Branch name').fill('Balogun');
  await first.getByRole('button', { name: 'Set up the business' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set up the business on the server' });
  await dialog.getByLabel('Owner PIN').fill(OWNER_PIN);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('Mama Nkechi Provisions is set up on the sync server.')).toBeVisible();

  await page.keyboard.press('Alt+1');
  await page.getByRole('link', { name: 'Products' }).click();
  for (const [name, price] of PRODUCTS) {
    await page.getByRole('button', { name: 'New product' }).click();
    await page.getByLabel('Product name').fill(name);
    await page.getByLabel('Price (₦)').fill(price);
    await page.getByLabel('Stock on hand now').fill('20');
    await page.getByRole('button', { name: 'Save product' }).click();
    await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();
  }
});

test('the owner completes the wizard, autosaved step by step', async ({
  browserName: _browser,
}, testInfo) => {
  await page.keyboard.press('Alt+4');
  await expect(step('Business info')).toBeVisible();
  // The business profile is already in: name, state, phone and address.
  await expect(page.getByLabel('Business name')).toHaveValue('Mama Nkechi Provisions');
  await page
    .getByLabel('Description')
    .fill('Rice, beans and oil from Balogun market, delivered across Nigeria.');
  await page.getByLabel('Opening hours').fill('Mon–Sat 8am–7pm');
  await saved();
  await page.screenshot({ path: testInfo.outputPath('wizard-business.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  // Leave and come back: the wizard reopens on its step with what was typed.
  await page.keyboard.press('Alt+1');
  await page.keyboard.press('Alt+4');
  await expect(page.getByLabel('Opening hours')).toHaveValue('Mon–Sat 8am–7pm');
  await next();

  await expect(step('Products')).toBeVisible();
  const catalogue = page.getByRole('list', { name: 'Products in your catalogue' });
  for (const [name] of PRODUCTS) await catalogue.getByText(name).click();
  await expect(page.getByRole('list', { name: 'Products in your store' }).getByRole('listitem')).toHaveCount(
    3,
  );
  await saved();
  await next();

  await expect(step('Payments')).toBeVisible();
  await page.getByLabel('Let shoppers pay when the order arrives').check();
  await page.getByLabel('Take bank transfers').check();
  await page.getByLabel('Bank', { exact: true }).fill('GTBank');
  await page.getByLabel('Account name').fill('Mama Nkechi Provisions');
  await page.getByLabel('Account number').fill('0123456789');
  await saved();
  await next();

  await expect(step('Shipping and delivery')).toBeVisible();
  await expect(page.getByLabel('Shoppers can pick up their order')).toBeChecked();
  await page.getByLabel('Offer delivery by GIG Logistics').check();
  // The seeded zones cover every state and the FCT exactly once.
  await expect(page.getByTestId('store-zone-coverage')).toContainText(
    'Every state and the FCT is in exactly one zone.',
  );
  await saved();
  await page.screenshot({ path: testInfo.outputPath('wizard-shipping.png'), fullPage: true });
  await next();

  await expect(step('Legal pages')).toBeVisible();
  // Started from the templates: the privacy notice speaks of the NDPA.
  await expect(page.getByRole('textbox', { name: 'Privacy notice' })).toHaveValue(
    /Nigeria Data Protection Act 2023/,
  );
  await next();
});

test('the preview shows the real storefront at 375, 768 and 1280 px', async ({
  browserName: _browser,
}, testInfo) => {
  await expect(step('Preview')).toBeVisible();
  for (const width of [375, 768, 1280]) {
    const frame = page.frameLocator(`iframe[title="Store preview at ${width} px"]`);
    await expect(frame.getByRole('heading', { level: 1 })).toContainText('Mama Nkechi Provisions', {
      timeout: 20_000,
    });
    await expect(frame.getByText('Mama Gold Rice 5kg').first()).toBeVisible();
    const element = page.locator(`iframe[title="Store preview at ${width} px"]`);
    await element.scrollIntoViewIfNeeded();
    await element.screenshot({ path: testInfo.outputPath(`preview-${width}.png`) });
  }
  // It is interactive: a product's own page opens inside the phone frame.
  const phone = page.frameLocator('iframe[title="Store preview at 375 px"]');
  await phone.getByRole('link', { name: 'Kings Oil 1L' }).first().click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Kings Oil 1L' })).toBeVisible();
  await next();
});

test('launch waits for the checklist; a test order ticks the last item; the store goes live', async ({
  browserName: _browser,
}, testInfo) => {
  await expect(step('Launch')).toBeVisible();
  await page.getByLabel('Store address').fill(SLUG);
  await saved();
  const launch = page.getByRole('button', { name: 'Launch', exact: true });
  await expect(launch).toBeDisabled();
  await expect(page.getByTestId('store-launch-reason')).toContainText(/test order/i);
  await page.screenshot({ path: testInfo.outputPath('launch-before.png'), fullPage: true });

  await page.getByRole('button', { name: 'Test store' }).click();
  await expect(page.getByTestId('store-test-order')).toContainText(/Test order 1/);
  await expect(launch).toBeEnabled();
  await launch.click();
  await expect(page.getByTestId('store-published-url')).toHaveText(`${server?.url ?? ''}/s/${SLUG}/`, {
    timeout: 30_000,
  });
  await page.screenshot({ path: testInfo.outputPath('launch-after.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

test('a shopper opens the store from the sync server; its pages have no serious accessibility problem', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  const shopper = await context.newPage();
  try {
    const response = await shopper.goto(`${server?.url ?? ''}/s/${SLUG}/`);
    expect(response?.status()).toBe(200);
    await expect(shopper.getByRole('heading', { level: 1 })).toContainText('Mama Nkechi Provisions');
    expect(await seriousViolations(shopper)).toEqual([]);
    await shopper.screenshot({ path: testInfo.outputPath('storefront-home.png'), fullPage: true });
    await shopper.getByRole('link', { name: 'Mama Gold Rice 5kg' }).first().click();
    await expect(shopper.getByRole('heading', { level: 1, name: 'Mama Gold Rice 5kg' })).toBeVisible();
    expect(await seriousViolations(shopper)).toEqual([]);
    await shopper.goto(`${server?.url ?? ''}/s/${SLUG}/delivery.html`);
    await expect(shopper.locator('main')).toContainText('South-East');
    expect(await seriousViolations(shopper)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a shopper with JavaScript off orders with the plain form', async ({ browser }, testInfo) => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 740 },
    javaScriptEnabled: false,
  });
  const shopper = await context.newPage();
  try {
    await shopper.goto(`${server?.url ?? ''}/s/${SLUG}/`);
    await shopper.getByRole('link', { name: 'Mama Gold Rice 5kg' }).first().click();
    await expect(shopper.getByRole('heading', { level: 1, name: 'Mama Gold Rice 5kg' })).toBeVisible();
    await shopper.getByLabel('Quantity').selectOption({ label: '2' });
    await shopper.getByLabel('Your name').fill('Chinedu Okafor');
    await shopper.getByLabel('Phone number').fill('0803 555 0101');
    await shopper.getByLabel('State', { exact: true }).selectOption('Enugu');
    await shopper.getByLabel('LGA, town or area').fill('Enugu North');
    await shopper.getByLabel('Delivery address').fill('4 Ogui Road');
    await shopper.getByRole('radio', { name: /GIG Logistics/ }).check();
    await shopper.getByRole('radio', { name: /Bank transfer/ }).check();
    await shopper.screenshot({ path: testInfo.outputPath('storefront-order-form.png'), fullPage: true });
    await shopper.getByRole('button', { name: 'Place order' }).click();

    // ₦9,500 × 2 and the South-East zone's ₦3,000 delivery; the shop's account to pay into.
    await expect(shopper.getByRole('heading', { level: 1, name: 'Order 1001' })).toBeVisible();
    await expect(shopper.locator('main')).toContainText('₦22,000');
    await expect(shopper.locator('main')).toContainText('0123456789');
    await shopper.screenshot({ path: testInfo.outputPath('storefront-confirmation.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('the order is at the counter, and becomes a sale when fulfilled', async ({
  browserName: _browser,
}, testInfo) => {
  await page.keyboard.press('Alt+1');
  await page.getByLabel('Your PIN').fill(OWNER_PIN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.keyboard.press('Alt+4');
  await page
    .getByRole('navigation', { name: 'Store' })
    .getByRole('link', { name: /Online orders/ })
    .click();
  const order = page.getByRole('article', { name: /Order 1001/ });
  await expect(order).toBeVisible({ timeout: ARRIVES_WITHIN_MS });
  await expect(order).toContainText('Chinedu Okafor');
  await expect(order).toContainText('₦22,000');
  await page.screenshot({ path: testInfo.outputPath('counter-orders.png'), fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);

  await order.getByRole('button', { name: 'Fulfil (record sale)' }).click();
  await page.getByRole('group', { name: 'Show' }).getByLabel('Fulfilled').check();
  await expect(page.getByRole('article', { name: /Order 1001/ })).toContainText('Fulfilled');
  // The sale is in the day's sales at the till.
  await page.keyboard.press('Alt+1');
  await page.getByRole('navigation', { name: 'Sell' }).getByRole('link', { name: 'Sales' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Chinedu Okafor' })).toContainText('₦19,000');
});
