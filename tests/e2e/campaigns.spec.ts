/**
 * A first SMS campaign in Chromium, as a shop owner runs it: five customers on the four networks
 * (four agreed to SMS, one did not), a segment built from a network rule with its live count, a
 * template with the customer's first name and a ₦ sign (which makes it UCS-2: the screen says so
 * and what it costs), Termii set up against a fake Termii on 127.0.0.1, the cost before sending,
 * the send, and the results per network once the fake's delivery reports have come back through
 * the shop's sync server (its Termii webhook, then this counter's pull). axe-core finds no serious
 * accessibility problem on the campaign screens.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startFakeTermii, type FakeTermii } from '../support/fake-providers';
import { completeSetup, OWNER_PIN, startApp, type RunningApp } from './host';
import { startEmbeddedSyncServer, type EmbeddedSyncServer } from './sync-server';

const TERMII_KEY = 'termii-e2e-key-0001';
const SENDER_ID = 'MamaNkechi';
const SEGMENT = 'Four networks';
const TEMPLATE = 'Easter rice offer';
const CAMPAIGN = 'Easter rice to every network';
/** The shop's SMS page rate as the test sets it: ₦4 a page. */
const PAGE_RATE_NAIRA = 4;

/** Who the shop has: one customer per network who agreed to SMS, and one MTN customer who did not. */
const CUSTOMERS = [
  { first: 'Ngozi', last: 'Eze', phone: '0803 555 1234', carrier: 'MTN', sms: true },
  { first: 'Musa', last: 'Bello', phone: '0802 555 2345', carrier: 'Airtel', sms: true },
  { first: 'Chidi', last: 'Okoro', phone: '0805 555 3456', carrier: 'Glo', sms: true },
  { first: 'Aisha', last: 'Lawal', phone: '0809 555 4567', carrier: '9mobile', sms: true },
  { first: 'Tunde', last: 'Bakare', phone: '0806 555 5678', carrier: 'MTN', sms: false },
] as const;
const AGREED = CUSTOMERS.filter((customer) => customer.sms);

/** Glo numbers (0805…) are reported failed by the fake Termii, the other networks delivered. */
const FAILURE_SHARE = { '0805': 1 };
/** From the fake Termii's report, through the sync server's webhook, to this counter's pull. */
const REPORTS_ARRIVE_WITHIN_MS = 30_000;

test.describe.configure({ mode: 'serial' });

let server: EmbeddedSyncServer | undefined;
let app: RunningApp | undefined;
let page: Page;
let termii: FakeTermii | undefined;

test.beforeAll(async ({ browser }) => {
  // The embedded sync server's first start (PGlite) can take a while.
  test.setTimeout(90_000);
  server = await startEmbeddedSyncServer();
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
  await app?.stop();
  await termii?.close();
  await server?.dispose();
});

function fakeTermii(): FakeTermii {
  if (termii === undefined) throw new Error('the fake Termii starts with the Termii settings test');
  return termii;
}

async function seriousViolations(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`);
}

async function openCampaignTab(
  tab: 'All campaigns' | 'New campaign' | 'Segments' | 'Templates' | 'Automations' | 'Sending settings',
): Promise<void> {
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('heading', { level: 1, name: 'Campaigns' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Campaigns' })
    .getByRole('link', { name: tab, exact: true })
    .click();
}

/** "HH:MM" in Lagos, `hours` from now: quiet hours are Lagos hours whatever the PC's zone. */
function lagosClock(hours: number): string {
  const at = new Date(Date.now() + (1 + hours) * 3_600_000);
  return `${String(at.getUTCHours()).padStart(2, '0')}:00`;
}

test('the counter is the first of the shop on its sync server, which takes the delivery reports', async () => {
  if (server === undefined) throw new Error('no sync server');
  await page.keyboard.press('Alt+5');
  const first = page.getByRole('form', { name: "This is the shop's first counter" });
  await first.getByLabel('Sync server address').fill(server.url);
  await first.getByLabel('Name of this counter').fill('Front counter');
  await first.getByLabel('Branch name').fill('Balogun Market');
  await first.getByRole('button', { name: 'Set up the business' }).click();
  const dialog = page.getByRole('dialog', { name: 'Set up the business on the server' });
  await dialog.getByLabel('Owner PIN').fill(OWNER_PIN);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByText('Mama Nkechi Provisions is set up on the sync server.')).toBeVisible();
});

test('customers on the four networks, four of them agreeing to SMS', async () => {
  for (const customer of CUSTOMERS) {
    await page.keyboard.press('Alt+2');
    await page.getByRole('link', { name: 'New customer' }).click();
    await page.getByLabel('First name').fill(customer.first);
    await page.getByLabel('Last name').fill(customer.last);
    await page.getByLabel('Phone', { exact: true }).fill(customer.phone);
    await expect(
      page.getByText(`${customer.carrier} number (numbers can be ported between networks)`),
    ).toBeVisible();
    if (customer.sms) await page.getByLabel('SMS', { exact: true }).check();
    await page.getByRole('button', { name: 'Save customer' }).click();
    await expect(
      page.getByRole('heading', { level: 1, name: `${customer.first} ${customer.last}` }),
    ).toBeVisible();
  }
});

test('a segment from a network rule, with its live count and first members', async ({
  browserName: _,
}, testInfo) => {
  await openCampaignTab('Segments');
  // The four ready-made segments are there from the start, each with its count.
  const ready = page.getByRole('table', { name: 'Ready-made segments' });
  await expect(ready.getByRole('row')).toHaveCount(5);
  await expect(ready.getByTestId('segment-new-this-month').getByRole('cell').first()).toHaveText('5');

  await page.getByRole('link', { name: 'New segment' }).click();
  await page.getByLabel('Segment name').fill(SEGMENT);
  const count = page.getByTestId('segment-count');
  // No rules: the whole book.
  await expect(count.getByTestId('segment-matching')).toHaveText('5');

  // A rule that is added and taken away again leaves nothing behind.
  await page.getByLabel('New rule about').selectOption('totalSpent');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(page.getByTestId('rule-totalSpent').getByRole('alert')).toContainText(
    'Write an amount in naira',
  );
  await page.getByTestId('rule-totalSpent').getByLabel('Amount (₦)').fill('1,50');
  await expect(page.getByTestId('rule-totalSpent').getByRole('alert')).toBeVisible();
  await page.getByRole('button', { name: 'Remove rule 1 (Total spent)' }).click();
  await expect(page.getByTestId('rule-totalSpent')).toHaveCount(0);

  await page.getByLabel('New rule about').selectOption('carrier');
  await page.getByRole('button', { name: 'Add rule' }).click();
  const networks = page.getByTestId('rule-carrier').getByRole('group', { name: 'Networks' });
  for (const carrier of ['MTN', 'Airtel', 'Glo', '9mobile'])
    await networks.getByLabel(carrier, { exact: true }).check();
  await expect(count.getByTestId('segment-matching')).toHaveText('5');
  await expect(count.getByTestId('reachable-sms')).toHaveText(String(AGREED.length));
  await expect(count.getByTestId('reachable-email')).toHaveText('0');
  const members = page.getByRole('table', { name: 'First customers in this segment' });
  await expect(members.getByRole('row')).toHaveCount(CUSTOMERS.length + 1);
  await expect(members).toContainText('Tunde Bakare');

  // Leaving MTN out takes Ngozi and Tunde away.
  await networks.getByLabel('MTN', { exact: true }).uncheck();
  await expect(count.getByTestId('segment-matching')).toHaveText('3');
  await networks.getByLabel('MTN', { exact: true }).check();
  await expect(count.getByTestId('segment-matching')).toHaveText('5');
  await page.screenshot({ path: testInfo.outputPath('campaign-segment-builder.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);

  await page.getByRole('button', { name: 'Save segment' }).click();
  await expect(page.getByText(`${SEGMENT} saved: 5 customers.`)).toBeVisible();
  const own = page.getByRole('table', { name: 'Your segments' });
  await expect(own.getByTestId(`segment-${SEGMENT}`)).toContainText(SEGMENT);
  await page.screenshot({ path: testInfo.outputPath('campaign-segments.png'), fullPage: true });
});

test('a template with the first name and a ₦ sign: the UCS-2 warning and what it costs', async ({
  browserName: _,
}, testInfo) => {
  // The SMS page rate the cost is worked out from.
  await openCampaignTab('Sending settings');
  const costs = page.getByRole('form', { name: 'Costs' });
  await costs.getByLabel('SMS, per page (₦)').fill(String(PAGE_RATE_NAIRA));
  await costs.getByRole('button', { name: 'Save costs' }).click();
  await expect(page.getByText('Costs saved.')).toBeVisible();

  await openCampaignTab('Templates');
  await page.getByRole('link', { name: 'New template' }).click();
  await page.getByLabel('Template name').fill(TEMPLATE);
  await expect(page.getByLabel('SMS', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Promotional (offers and news)')).toBeChecked();
  const body = page.getByLabel('Message', { exact: true });
  await body.fill('Hello ');
  await page.getByRole('button', { name: 'Insert {{first_name}}' }).click();
  await expect(body).toHaveValue('Hello {{first_name}}');
  await body.press('End');
  await page.keyboard.type(', Easter rice is ₦45,000 a bag at Mama Nkechi this week. Reply STOP to opt out.');

  const meter = page.getByTestId('sms-meter');
  await expect(meter.getByTestId('sms-encoding')).toHaveText('UCS-2');
  const warning = page.getByTestId('ucs2-warning');
  await expect(warning).toContainText('“₦” makes this a UCS-2 message');
  await expect(warning).toContainText('70 characters instead of 160');
  await expect(warning).toContainText('write N or NGN instead of ₦');

  // The preview for a real customer, found by name.
  await page.getByLabel('Or find a customer').fill('Ngozi');
  await page.getByRole('button', { name: /Preview for Ngozi Eze/ }).click();
  const preview = page.getByTestId('preview-text');
  await expect(preview).toHaveText(
    'Hello Ngozi, Easter rice is ₦45,000 a bag at Mama Nkechi this week. Reply STOP to opt out.',
  );
  // 90 characters in UCS-2: two pages of 67, at ₦4 a page; one page in GSM-7 without the ₦.
  await expect(meter.getByTestId('sms-characters')).toHaveText('90');
  await expect(meter.getByTestId('sms-pages')).toHaveText('2 (67 characters a page)');
  await expect(meter.getByTestId('sms-cost')).toHaveText(`₦${2 * PAGE_RATE_NAIRA}`);
  await expect(warning).toContainText(`it takes 2 pages (₦${2 * PAGE_RATE_NAIRA} per customer)`);
  await expect(warning).toContainText(`without it it would take 1 page (₦${PAGE_RATE_NAIRA})`);
  await page.screenshot({ path: testInfo.outputPath('campaign-template-ucs2.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);

  await page.getByRole('button', { name: 'Save template' }).click();
  await expect(page.getByText(`Template ${TEMPLATE} saved.`)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Templates' })).toContainText(TEMPLATE);
});

test('an automation: “We miss you” after 60 days without a purchase', async () => {
  await openCampaignTab('Automations');
  const lapsed = page.getByTestId('trigger-lapsed');
  await lapsed.getByLabel('Send “We miss you” automatically').check();
  await lapsed.getByRole('button', { name: 'Save “We miss you”' }).click();
  // Switched on without a message: said in a sentence, nothing saved.
  await expect(lapsed.getByRole('alert')).toHaveText('Choose the message to send.');
  await lapsed
    .getByLabel('Message for “We miss you”')
    .selectOption({ label: `${TEMPLATE} (SMS, promotional)` });
  await lapsed.getByLabel('Days since their last purchase').fill('60');
  await lapsed.getByRole('button', { name: 'Save “We miss you”' }).click();
  await expect(page.getByText('We miss you: on.')).toBeVisible();
  await page.reload();
  await openCampaignTab('Automations');
  await expect(
    page.getByTestId('trigger-lapsed').getByLabel('Send “We miss you” automatically'),
  ).toBeChecked();
  await expect(page.getByTestId('trigger-lapsed').getByLabel('Days since their last purchase')).toHaveValue(
    '60',
  );
  expect(await seriousViolations()).toEqual([]);
});

test('Termii is set up against the fake Termii, its key kept out of sight', async ({
  browserName: _,
}, testInfo) => {
  await openCampaignTab('Sending settings');
  // Quiet hours well away from now, so the promotion goes out while the test watches.
  const rules = page.getByRole('form', { name: 'Sending rules' });
  await rules.getByLabel('Quiet from').fill(lagosClock(3));
  await rules.getByLabel('Quiet until').fill(lagosClock(4));
  await rules.getByRole('button', { name: 'Save sending rules' }).click();
  await expect(page.getByText('Sending rules saved.')).toBeVisible();

  // The Termii delivery report address comes from the sync server; the fake Termii posts there.
  const termiiHook = page.getByTestId('webhook-termii');
  await expect(termiiHook).toHaveValue(new RegExp(`^${server?.url ?? ''}/hooks/termii/[\\w-]+$`));
  termii = await startFakeTermii({
    apiKey: TERMII_KEY,
    senderIds: [SENDER_ID],
    failureShare: FAILURE_SHARE,
    callbackUrl: await termiiHook.inputValue(),
  });

  const settings = page.getByRole('form', { name: 'Termii', exact: true });
  await settings.getByLabel('Termii address').fill(termii.url);
  await settings.getByLabel('Termii sender ID').fill(SENDER_ID);
  await settings.getByRole('button', { name: 'Save Termii settings' }).click();
  await expect(page.getByText('Termii settings saved.')).toBeVisible();

  const secret = page.getByRole('form', { name: 'Termii API key' });
  await expect(page.getByTestId('configured-termii')).toContainText('No Termii API key saved yet');
  await secret.getByLabel('Termii API key').fill(TERMII_KEY);
  await secret.getByRole('button', { name: 'Save Termii API key' }).click();
  await expect(page.getByTestId('configured-termii')).toContainText(
    'Termii API key is saved in the keychain',
  );
  await expect(secret.getByLabel('Termii API key')).toHaveValue('');
  await expect(secret.getByLabel('Termii API key')).toHaveAttribute('type', 'password');

  // After a reload the settings are read back, and the key is still only "saved".
  await page.reload();
  await openCampaignTab('Sending settings');
  await expect(
    page.getByRole('form', { name: 'Termii', exact: true }).getByLabel('Termii address'),
  ).toHaveValue(termii.url);
  await expect(page.getByTestId('configured-termii')).toContainText('saved in the keychain');
  await expect(page.getByRole('form', { name: 'Termii API key' }).getByLabel('Termii API key')).toHaveValue(
    '',
  );
  expect(await page.content()).not.toContain(TERMII_KEY);
  await expect(page.getByTestId('providers-ready')).toContainText('Termii: key saved (carries SMS)');
  await page.screenshot({ path: testInfo.outputPath('campaign-settings.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);
});

test('the cost before sending, then the send to every network', async ({ browserName: _ }, testInfo) => {
  await openCampaignTab('New campaign');
  await page.getByLabel('Campaign name').fill(CAMPAIGN);
  await page.getByLabel('Send to').selectOption({ label: `${SEGMENT} (5 customers)` });
  await page.getByLabel('Message', { exact: true }).selectOption({ label: `${TEMPLATE} (SMS, promotional)` });

  const estimate = page.getByTestId('campaign-estimate');
  const totalNaira = AGREED.length * 2 * PAGE_RATE_NAIRA;
  await expect(estimate.getByTestId('estimate-recipients')).toHaveText(String(AGREED.length));
  await expect(estimate.getByTestId('estimate-cost')).toHaveText(`₦${totalNaira}`);
  await expect(estimate.getByTestId('estimate-excluded')).toHaveText('1 did not agree to offers');
  await expect(estimate.getByTestId('estimate-pages')).toHaveText('2 pages per message (UCS-2)');
  await expect(estimate.getByTestId('estimate-waits')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('campaign-estimate.png'), fullPage: true });

  await page.getByRole('button', { name: `Send ${AGREED.length} messages for ₦${totalNaira}` }).click();
  const results = page.getByTestId('campaign-results');
  await expect(results.getByRole('heading', { name: CAMPAIGN })).toBeVisible();
  await expect(results.getByTestId('campaign-state')).toContainText('Finished', { timeout: 30_000 });
  await expect(results.getByTestId('tally-recipients')).toHaveText(String(AGREED.length));

  // Each customer who agreed got exactly one message at the fake Termii, with their own name.
  const fake = fakeTermii();
  expect(fake.accepted).toHaveLength(AGREED.length);
  for (const customer of AGREED) {
    const e164 = `+234${customer.phone.replace(/\s/g, '').slice(1)}`;
    expect(fake.countTo(e164)).toBe(1);
  }
  expect(fake.accepted.map((message) => message.text)).toContain(
    'Hello Musa, Easter rice is ₦45,000 a bag at Mama Nkechi this week. Reply STOP to opt out.',
  );
  expect(fake.countTo('+2348065555678')).toBe(0);

  const perNetwork = results.getByRole('table', { name: 'Delivery per network' });
  for (const carrier of ['MTN', 'Airtel', 'Glo', '9mobile']) {
    await expect(perNetwork.getByTestId(`carrier-${carrier}`).getByRole('cell').first()).toHaveText('1');
  }
  await expect(results.getByTestId('carrier-chart').locator('svg').first()).toBeVisible();
  await expect(
    results.getByRole('table', { name: 'Messages of this campaign' }).getByTestId('campaign-message'),
  ).toHaveCount(AGREED.length);
  await page.screenshot({ path: testInfo.outputPath('campaign-sent.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);

  // The list shows it finished, with its tally.
  await openCampaignTab('All campaigns');
  const row = page.getByTestId(`campaign-row-${CAMPAIGN}`);
  await expect(row).toContainText('Finished');
  await expect(row.getByRole('cell').nth(1)).toHaveText(String(AGREED.length));
});

test('a campaign scheduled for later can be cancelled before it goes out', async ({
  browserName: _,
}, testInfo) => {
  await openCampaignTab('New campaign');
  await page.getByLabel('Campaign name').fill('Saturday reminder');
  await page.getByLabel('Send to').selectOption({ label: `${SEGMENT} (5 customers)` });
  await page.getByLabel('Message', { exact: true }).selectOption({ label: `${TEMPLATE} (SMS, promotional)` });
  await page.getByLabel('Later').check();
  // An hour from now is offered; a time already past is refused before anything is asked.
  await expect(page.getByLabel('Send at (Lagos time)')).not.toHaveValue('');
  await page.getByLabel('Send at (Lagos time)').fill('2020-01-01T09:00');
  await expect(page.getByText('That time has passed.')).toBeVisible();
  const inTwoHours = new Date(Date.now() + 3 * 3_600_000).toISOString().slice(0, 16);
  await page.getByLabel('Send at (Lagos time)').fill(inTwoHours);
  const schedule = page.getByRole('button', { name: /^Schedule \d+ messages? for ₦/ });
  await expect(schedule).toBeEnabled();
  await schedule.click();

  const results = page.getByTestId('campaign-results');
  await expect(results.getByRole('heading', { name: 'Saturday reminder' })).toBeVisible();
  await expect(results.getByTestId('campaign-state')).toContainText('Scheduled');
  await results.getByRole('button', { name: 'Cancel campaign' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel Saturday reminder?' });
  await dialog.getByRole('button', { name: 'Cancel campaign' }).click();
  await expect(dialog).toBeHidden();
  await expect(results.getByTestId('campaign-state')).toContainText('Cancelled');
  await expect(results.getByRole('button', { name: 'Cancel campaign' })).toHaveCount(0);

  await openCampaignTab('All campaigns');
  await expect(page.getByTestId('campaign-row-Saturday reminder')).toContainText('Cancelled');
  await expect(page.getByTestId(`campaign-row-${CAMPAIGN}`)).toContainText('Finished');
  await page.screenshot({ path: testInfo.outputPath('campaign-list.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);
});

test('delivery reports: delivered, failed, and the delivery rate per network', async ({
  browserName: _,
}, testInfo) => {
  // The fake Termii has posted its four reports to the sync server's Termii webhook.
  await fakeTermii().reportsSettled();
  expect(fakeTermii().reports).toMatchObject({ posted: AGREED.length, failed: 0 });
  await page.getByTestId(`campaign-row-${CAMPAIGN}`).getByRole('link', { name: CAMPAIGN }).click();
  const results = page.getByTestId('campaign-results');
  // The Glo customer's message failed; the other three were delivered.
  await expect(results.getByTestId('tally-delivered')).toHaveText('3', { timeout: REPORTS_ARRIVE_WITHIN_MS });
  await expect(results.getByTestId('tally-failed')).toHaveText('1');
  await expect(results.getByTestId('tally-rate')).toHaveText('75 %');
  for (const carrier of ['MTN', 'Airtel', '9mobile']) {
    await expect(results.getByTestId(`carrier-rate-${carrier}`)).toHaveText('100 %');
  }
  await expect(results.getByTestId('carrier-rate-Glo')).toHaveText('0 %');

  // Only the failed message, with the provider's reason.
  const messages = results.getByTestId('campaign-messages');
  await messages.getByLabel('Show').selectOption('failed');
  await expect(messages.getByTestId('campaign-message')).toHaveCount(1);
  await expect(messages.getByTestId('campaign-message')).toContainText('Chidi Okoro');
  await expect(messages.getByTestId('campaign-message')).toContainText('Failed');
  await page.screenshot({ path: testInfo.outputPath('campaign-results.png'), fullPage: true });
  expect(await seriousViolations()).toEqual([]);

  await openCampaignTab('All campaigns');
  await expect(page.getByTestId(`campaign-row-${CAMPAIGN}`).getByTestId('campaign-rate')).toHaveText('75 %');
});
