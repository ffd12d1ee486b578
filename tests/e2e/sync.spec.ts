/**
 * Two counters of one shop syncing through the real sync server on its embedded database, in
 * Chromium: counter A sets the business up on the server, hands counter B a pairing code, and
 * B joins and takes A's business name. A customer and a sale made on A show up on B, an email
 * changed on B shows up on A. With the server gone, a sale on A waits and the Sync screen says
 * why; with the server back (same data, same port) it reaches B. Both counters list each other,
 * and axe-core finds no serious problem on the Sync screen, paired or not. Last, a rename on A
 * must reach what B shows and prints while B keeps running.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { OWNER_PIN, startApp, type RunningApp } from './host';
import { startEmbeddedSyncServer, type EmbeddedSyncServer } from './sync-server';

const BUSINESS_A = 'Mama Nkechi Provisions';
const BUSINESS_B = 'Balogun Corner Shop';
const COUNTER_A = 'Front counter';
const COUNTER_B = 'Back office';
const BRANCH = 'Balogun Market';
const CUSTOMER = 'Ngozi Eze';
const CUSTOMER_EMAIL = 'ngozi.eze@example.com';
const PRODUCT = 'Indomie Chicken 70g';
const BARCODE = '6001234567890';

/** How long a change may take to cross from one counter to the other through the server. */
const ARRIVES_WITHIN_MS = 20_000;
/**
 * After the server was away, the other counter's live link may still be waiting out its
 * reconnect backoff; then its own schedule (every 30 s on mains) fetches the change.
 */
const CATCHES_UP_WITHIN_MS = 45_000;

test.describe.configure({ mode: 'serial' });
// Two hosts, a server and a browser context each for two counters: more than one step's worth.
test.setTimeout(90_000);

let server: EmbeddedSyncServer | undefined;
let appA: RunningApp | undefined;
let appB: RunningApp | undefined;
let a: Page;
let b: Page;
const contexts: BrowserContext[] = [];
let pairingCode = '';
let firstReceipt = '';
let offlineReceipt = '';

/** A counter in a browser context of our own (axe-core needs one), at 1280×800. */
async function openCounter(browser: Browser, app: RunningApp): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(app.url);
  return page;
}

/** First-run setup as in host.ts, under a business name of the test's. */
async function setUpShop(page: Page, businessName: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Set up your shop' })).toBeVisible();
  await page.getByLabel('Business name').fill(businessName);
  await page.getByLabel('State').selectOption('Lagos');
  await page.getByLabel('Business phone').fill('0803 123 4567');
  await page.getByLabel('Address').fill('12 Balogun Street, Lagos Island');
  await page.getByLabel("Owner's name").fill('Nkechi Okafor');
  await page.getByLabel('Owner PIN (4 to 6 digits)').fill(OWNER_PIN);
  await page.getByLabel('Type the PIN again').fill(OWNER_PIN);
  await page.getByRole('button', { name: 'Finish setup' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`);
}

async function openSync(page: Page, tab: 'Status' | 'Counters' = 'Status'): Promise<void> {
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { level: 1, name: 'Sync' })).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Sync' });
  if (await tabs.isVisible()) await tabs.getByRole('link', { name: tab }).click();
}

function statusPanel(page: Page): Locator {
  return page.getByRole('region', { name: 'Sync status' });
}

/** The answer beside a term in a list of facts ("Waiting to send" → "1 change"). */
function fact(scope: Locator, term: string): Locator {
  return scope.locator(`dt:text-is("${term}") + dd`);
}

/** The shop's name under Kasuwa at the top of the navigation. */
function brandOf(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Areas' }).locator('.brand-shop');
}

/** The sync indicator beside Sync in the navigation ("Sync Up to date", "Sync 1 waiting"). */
function syncNavLink(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: /^Sync/ });
}

async function confirmOwnerPin(page: Page, dialogTitle: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: dialogTitle });
  await dialog.getByLabel('Owner PIN').fill(OWNER_PIN);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
}

async function expectUpToDate(page: Page): Promise<void> {
  const status = statusPanel(page);
  await expect(status.getByRole('status')).toContainText('Up to date', { timeout: ARRIVES_WITHIN_MS });
  await expect(fact(status, 'Waiting to send')).toHaveText('Nothing: everything is sent');
  await expect(syncNavLink(page)).toContainText('Up to date');
}

/** Signs in at the till (once per page), rings up `quantity` of the product, pays cash; the receipt number. */
async function ringUpSale(
  page: Page,
  options: { customerPhone?: string; quantity: number },
): Promise<string> {
  await page.keyboard.press('Alt+1');
  const pin = page.getByLabel('Your PIN');
  const search = page.getByLabel('Scan or search products (F2)');
  await expect(pin.or(search)).toBeVisible();
  if (await pin.isVisible()) {
    await pin.fill(OWNER_PIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  for (let item = 0; item < options.quantity; item += 1) {
    await search.fill(BARCODE);
    await expect(page.getByRole('list', { name: 'Products found' })).toContainText('Indomie');
    await search.press('Enter');
    await expect(page.getByLabel(`Quantity of ${PRODUCT}`)).toHaveValue(String(item + 1));
  }
  if (options.customerPhone !== undefined) {
    await page.keyboard.press('F4');
    await page.getByLabel("Customer's phone or name").fill(options.customerPhone);
    await expect(page.getByRole('button', { name: new RegExp(CUSTOMER) })).toBeVisible();
    await page.getByLabel("Customer's phone or name").press('Enter');
    await expect(page.locator('.till-customer')).toContainText(CUSTOMER);
  }
  await page.keyboard.press('F8');
  await page.getByLabel('Cash given (₦) 1').fill('1000');
  await page.getByRole('button', { name: 'Record sale' }).click();
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toContainText(PRODUCT);
  const panel = page.getByRole('region', { name: /^Receipt / });
  const label = (await panel.getAttribute('aria-label')) ?? '';
  const receiptNumber = label.replace(/^Receipt /, '');
  expect(receiptNumber).not.toBe('');
  return receiptNumber;
}

/** The sales list, read afresh each time (it is not live); passes once `receipt` is listed. */
async function expectSaleListed(
  page: Page,
  receipt: string,
  customer: string | null,
  within = ARRIVES_WITHIN_MS,
): Promise<void> {
  await page.keyboard.press('Alt+1');
  await expect(async () => {
    await page.getByRole('navigation', { name: 'Sell' }).getByRole('link', { name: 'Products' }).click();
    await page.getByRole('navigation', { name: 'Sell' }).getByRole('link', { name: 'Sales' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: receipt, exact: true }) });
    await expect(row).toBeVisible({ timeout: 1_000 });
    if (customer !== null) await expect(row).toContainText(customer, { timeout: 1_000 });
  }).toPass({ timeout: within });
}

/** Finds the customer in the book by a search typed afresh each time; opens their profile. */
async function openCustomer(page: Page, query: string): Promise<void> {
  await page.keyboard.press('Alt+2');
  await expect(async () => {
    const search = page.getByLabel('Search customers');
    await search.fill('');
    await search.fill(query);
    await expect(page.getByRole('link', { name: new RegExp(CUSTOMER) })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: ARRIVES_WITHIN_MS });
  await page.getByRole('link', { name: new RegExp(CUSTOMER) }).click();
  await expect(page.getByRole('heading', { level: 1, name: CUSTOMER })).toBeVisible();
}

test.beforeAll(async ({ browser }) => {
  server = await startEmbeddedSyncServer();
  appA = await startApp();
  appB = await startApp();
  a = await openCounter(browser, appA);
  b = await openCounter(browser, appB);
  await setUpShop(a, BUSINESS_A);
  await setUpShop(b, BUSINESS_B);
});

test.afterAll(async ({ browserName: _browser }, testInfo) => {
  if (server !== undefined) {
    await testInfo.attach('sync-server.log', { body: server.log(), contentType: 'text/plain' });
  }
  // Everything started is stopped, whichever step failed; one failing stop does not keep the others running.
  const results = await Promise.allSettled([
    ...contexts.map((context) => context.close()),
    appA?.stop(),
    appB?.stop(),
    server?.dispose(),
  ]);
  const failures = results.filter((result) => result.status === 'rejected');
  expect(failures).toEqual([]);
});

test('a counter that is not paired says so, and its Sync screen has no serious accessibility problem', async ({
  browserName: _browser,
}, testInfo) => {
  for (const page of [a, b]) {
    await openSync(page);
    await expect(statusPanel(page).getByRole('status')).toContainText('Not paired');
    await expect(statusPanel(page).getByRole('status')).toContainText(
      'This counter is not paired with a sync server yet',
    );
    await expect(syncNavLink(page)).toContainText('Not paired');
    await expect(page.getByRole('heading', { name: 'Pair this counter' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  }
  await a.screenshot({ path: testInfo.outputPath('a-not-paired.png'), fullPage: true });
});

test('counter A sets the business up on the sync server', async ({ browserName: _browser }, testInfo) => {
  if (server === undefined) throw new Error('no sync server');
  await openSync(a);
  const first = a.getByRole('form', { name: "This is the shop's first counter" });
  await expect(first).toContainText(BUSINESS_A);
  await first.getByLabel('Sync server address').fill(server.url);
  await first.getByLabel('Name of this counter').fill(COUNTER_A);
  await first.getByLabel('Branch name').fill(BRANCH);
  await first.getByRole('button', { name: 'Set up the business' }).click();
  await confirmOwnerPin(a, 'Set up the business on the server');
  await expect(a.getByText(`${BUSINESS_A} is set up on the sync server.`)).toBeVisible();

  await expect(a.getByRole('navigation', { name: 'Sync' })).toBeVisible();
  await expectUpToDate(a);
  await expect(fact(statusPanel(a), 'Last sync')).toContainText(/just now|seconds? ago/);
  await expect(fact(statusPanel(a), 'Live link')).toHaveText(/^Connected/, { timeout: ARRIVES_WITHIN_MS });
  await a.screenshot({ path: testInfo.outputPath('a-paired.png'), fullPage: true });
  expect(await seriousViolations(a)).toEqual([]);
});

test('counter A gets a pairing code for another counter', async ({ browserName: _browser }, testInfo) => {
  await openSync(a, 'Counters');
  const thisCounter = a.getByRole('region', { name: 'This counter' });
  await expect(fact(thisCounter, 'Business')).toHaveText(BUSINESS_A);
  await expect(fact(thisCounter, 'Branch')).toHaveText(BRANCH);
  await expect(fact(thisCounter, 'Counter name')).toHaveText(COUNTER_A);

  const add = a.getByRole('region', { name: 'Add another counter' });
  await add.getByRole('button', { name: 'Get a pairing code' }).click();
  await confirmOwnerPin(a, 'Get a pairing code');
  const code = add.getByTestId('pairing-code');
  await expect(code).toHaveText(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await expect(add).toContainText('It works once');
  pairingCode = (await code.textContent()) ?? '';
  await a.screenshot({ path: testInfo.outputPath('a-pairing-code.png'), fullPage: true });
  expect(await seriousViolations(a)).toEqual([]);
});

test("counter B joins with the code and takes A's business name", async ({
  browserName: _browser,
}, testInfo) => {
  if (server === undefined) throw new Error('no sync server');
  expect(pairingCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await openSync(b);
  const join = b.getByRole('form', { name: 'Join with a pairing code' });
  await join.getByLabel('Sync server address').fill(server.url);
  // Typed as a person would, without the dash: the field puts it in.
  await join.getByLabel('Pairing code').pressSequentially(pairingCode.replace('-', '').toLowerCase());
  await expect(join.getByLabel('Pairing code')).toHaveValue(pairingCode);
  await join.getByLabel('Name of this counter').fill(COUNTER_B);
  await join.getByRole('button', { name: 'Join the business' }).click();
  await confirmOwnerPin(b, 'Join the business');
  await expect(b.getByText(`This counter has joined ${BUSINESS_A}.`)).toBeVisible();
  await expectUpToDate(b);

  await b.getByRole('navigation', { name: 'Sync' }).getByRole('link', { name: 'Counters' }).click();
  const thisCounter = b.getByRole('region', { name: 'This counter' });
  await expect(fact(thisCounter, 'Business')).toHaveText(BUSINESS_A);
  await expect(fact(thisCounter, 'Branch')).toHaveText(BRANCH);
  await expect(fact(thisCounter, 'Counter name')).toHaveText(COUNTER_B);

  // The business profile itself came down with the first pull. Read afresh, the navigation and
  // Settings show A's name; that they show it without a reload is the last test's business.
  await b.reload();
  await expect(brandOf(b)).toHaveText(BUSINESS_A);
  await b.keyboard.press('Alt+6');
  await expect(b.getByLabel('Business name')).toHaveValue(BUSINESS_A);
  await openSync(b);
  await b.screenshot({ path: testInfo.outputPath('b-joined.png'), fullPage: true });
  expect(await seriousViolations(b)).toEqual([]);
});

test('a product, a customer and a sale made on A show up on B', async () => {
  await a.keyboard.press('Alt+1');
  await a.getByRole('navigation', { name: 'Sell' }).getByRole('link', { name: 'Products' }).click();
  await a.getByRole('button', { name: 'New product' }).click();
  await a.getByLabel('Product name').fill(PRODUCT);
  await a.getByLabel('Price (₦)').fill('150');
  await a.getByLabel('Barcode').fill(BARCODE);
  await a.getByLabel('Stock on hand now').fill('100');
  await a.getByRole('button', { name: 'Save product' }).click();
  await expect(a.getByRole('cell', { name: PRODUCT, exact: true })).toBeVisible();

  await a.keyboard.press('Alt+2');
  await a.getByRole('link', { name: 'New customer' }).click();
  await a.getByLabel('First name').fill('Ngozi');
  await a.getByLabel('Last name').fill('Eze');
  await a.getByLabel('Phone').fill('0803 555 1234');
  await a.getByRole('button', { name: 'Save customer' }).click();
  await expect(a.getByRole('heading', { level: 1, name: CUSTOMER })).toBeVisible();

  firstReceipt = await ringUpSale(a, { customerPhone: '0803 555', quantity: 2 });
  await expect(a.getByTestId('receipt')).toContainText(CUSTOMER);

  // Nobody presses Sync now: A sends soon after the writes, and the server's notice makes B pull.
  await openCustomer(b, '555 12');
  await expect(b.getByText('0803 555 1234').first()).toBeVisible();
  await expectSaleListed(b, firstReceipt, CUSTOMER);
  await b.keyboard.press('Alt+1');
  await b.getByRole('navigation', { name: 'Sell' }).getByRole('link', { name: 'Products' }).click();
  await expect(b.getByRole('cell', { name: PRODUCT, exact: true })).toBeVisible();
  await openSync(a);
  await expectUpToDate(a);
});

test("the customer's email changed on B arrives on A", async () => {
  await openCustomer(b, 'Ngozi');
  await b.getByRole('link', { name: 'Edit', exact: true }).click();
  await b.getByLabel('Email').fill(CUSTOMER_EMAIL);
  await b.getByRole('button', { name: 'Save customer' }).click();
  await expect(b.getByRole('heading', { level: 1, name: CUSTOMER })).toBeVisible();
  await expect(fact(b.getByRole('region', { name: 'Details' }), 'Email')).toHaveText(CUSTOMER_EMAIL);

  await openCustomer(a, 'Ngozi');
  // The profile is read when it opens, so it is opened afresh until the change is in.
  await expect(async () => {
    await a.reload();
    await expect(fact(a.getByRole('region', { name: 'Details' }), 'Email')).toHaveText(CUSTOMER_EMAIL, {
      timeout: 1_000,
    });
  }).toPass({ timeout: ARRIVES_WITHIN_MS });
});

test('with the server gone a sale on A waits and the Sync screen says why; back, it reaches B', async ({
  browserName: _browser,
}, testInfo) => {
  test.setTimeout(120_000);
  if (server === undefined) throw new Error('no sync server');
  const port = server.port;
  await server.stop();

  offlineReceipt = await ringUpSale(a, { quantity: 1 });
  await openSync(a);
  const status = statusPanel(a);
  await expect(fact(status, 'Waiting to send')).toHaveText(/^\d+ changes?$/);
  const waiting = Number(/^(\d+)/.exec((await fact(status, 'Waiting to send').textContent()) ?? '')?.[1]);
  expect(waiting).toBeGreaterThanOrEqual(1);

  await status.getByRole('button', { name: 'Sync now' }).click();
  await expect(status.getByRole('status')).toContainText('Sync problem', { timeout: ARRIVES_WITHIN_MS });
  await expect(status.getByRole('status')).toContainText(
    `Last problem: Kasuwa could not reach the sync server at ${server.url}`,
  );
  await expect(fact(status, 'Waiting to send')).toHaveText(/^\d+ changes?$/);
  await expect(syncNavLink(a)).toContainText('Problem');
  await expect(a.getByRole('region', { name: 'Problems' }).getByText('Sync failed').first()).toBeVisible();
  await a.screenshot({ path: testInfo.outputPath('a-server-gone.png'), fullPage: true });
  expect(await seriousViolations(a)).toEqual([]);

  // Back on the same data folder and the same port, as a restarted shop server would be.
  await server.start();
  expect(server.port).toBe(port);
  await status.getByRole('button', { name: 'Sync now' }).click();
  await expectUpToDate(a);
  await expect(status.getByRole('status')).not.toContainText('Last problem');

  await expectSaleListed(b, offlineReceipt, null, CATCHES_UP_WITHIN_MS);
  await expectSaleListed(b, firstReceipt, CUSTOMER);
});

test('both counters list each other, and the Sync screen reads well at 1280×800', async ({
  browserName: _browser,
}, testInfo) => {
  for (const [page, name, mine, other] of [
    [a, 'a', COUNTER_A, COUNTER_B],
    [b, 'b', COUNTER_B, COUNTER_A],
  ] as const) {
    await openSync(page, 'Counters');
    const devices = page.getByRole('table', { name: 'Counters of this business' });
    await expect(devices.getByRole('row')).toHaveCount(3);
    const thisRow = devices.getByRole('row').filter({ hasText: 'This counter' });
    await expect(thisRow).toContainText(mine);
    await expect(thisRow).toContainText(BRANCH);
    await expect(thisRow).toContainText('Use “Unpair this counter” below');
    const otherRow = devices.getByRole('row').filter({ hasText: other });
    await expect(otherRow).toContainText(BRANCH);
    await expect(otherRow).toContainText('Paired');
    await expect(otherRow.getByRole('button', { name: `Revoke ${other}` })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await devices.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`${name}-sync-counters.png`) });
    await page.screenshot({ path: testInfo.outputPath(`${name}-sync-counters-full.png`), fullPage: true });

    await openSync(page, 'Status');
    await expectUpToDate(page);
    // Nothing on the screen runs off to the side at the size of a small shop monitor.
    // (A string: the node tsconfig that checks tests has no DOM types.)
    const fitsAcross = await page.evaluate(
      'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
    );
    expect(fitsAcross).toBe(true);
    await page.screenshot({ path: testInfo.outputPath(`${name}-sync-status.png`) });
  }
});

// Last, so that while it fails the steps above still run: a change of the business profile that
// a pull brings in must reach what the counter shows and prints, not wait for a restart.
test("a rename on A reaches B's navigation, Settings and receipts without a restart", async () => {
  const renamed = 'Mama Nkechi Superstore';
  await a.keyboard.press('Alt+6');
  await a.getByLabel('Business name').fill(renamed);
  await a.getByRole('button', { name: 'Save profile' }).click();
  await expect(a.getByText('Business profile saved.')).toBeVisible();
  await expect(brandOf(a)).toHaveText(renamed);

  await expect(brandOf(b)).toHaveText(renamed, { timeout: ARRIVES_WITHIN_MS });
  await b.keyboard.press('Alt+6');
  await expect(b.getByLabel('Business name')).toHaveValue(renamed);
  await ringUpSale(b, { quantity: 1 });
  await expect(b.getByTestId('receipt').locator('header')).toContainText(renamed);
});
