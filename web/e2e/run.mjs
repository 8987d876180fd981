// End-to-end tests: Debian's Chromium, driven by playwright-core, against the real stack that
// scripts/test starts (the API serving this SPA's build, the worker, Temporal, the local AWS
// endpoint). Stripe's servers are the one thing not running here: its webhook is sent as Stripe
// sends it, signed with the endpoint's secret.
//
//   E2E_BASE_URL        the API serving web/dist, e.g. http://127.0.0.1:8080 (required)
//   E2E_WEBHOOK_SECRET  the API's APP_STRIPE__WEBHOOK_SECRET (required)
//   E2E_SCREENSHOTS     where the screenshots go [../.artifacts/screenshots]
//   CHROMIUM_PATH       [/usr/bin/chromium]
//
// Each scenario prints one line; the first failure stops the run with its reason, a screenshot
// of the page at that moment, and exit status 1.

import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = required('E2E_BASE_URL').replace(/\/$/, '');
const WEBHOOK_SECRET = required('E2E_WEBHOOK_SECRET');
const SHOTS = resolve(process.env.E2E_SCREENSHOTS ?? new URL('../../.artifacts/screenshots', import.meta.url).pathname);
const WAIT = 30_000;
const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`e2e: ${name} is not set (scripts/test sets it)`);
    process.exit(2);
  }
  return value;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is (contrast, labels, names, roles,
 * landmarks). Run through the DevTools protocol, so the page's CSP does not apply to it.
 */
async function audit(p, what) {
  await p.evaluate(AXE);
  const violations = await p.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  check(violations.length === 0, `accessibility problems on ${what}:\n        ${violations.join('\n        ')}`);
}

/** A full-page screenshot from the top (sticky headers then sit where a person sees them). */
async function shoot(p, name) {
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.screenshot({ path: resolve(SHOTS, name), fullPage: true });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls `read` until it returns something truthy (the real wait for what the workflow does). */
async function eventually(what, read, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (last) return last;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${last === undefined ? '' : ` (last: ${JSON.stringify(last)})`}`);
}

mkdirSync(SHOTS, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  // As root in a sandbox-less container, with no internet: no sandbox, no GPU, and none of the
  // background connections Chromium makes (they are refused here, many at a time).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

let page;
let failures = 0;
const started = Date.now();
const results = [];

async function scenario(name, body) {
  const t0 = Date.now();
  try {
    await body();
    results.push(`  ok    ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    console.log(results.at(-1));
  } catch (error) {
    failures += 1;
    console.log(`  FAIL  ${name}: ${error.message}`);
    if (page) {
      const shot = resolve(SHOTS, `failure-${name.replace(/\W+/g, '-')}.png`);
      await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
      console.log(`        page: ${page.url()}; screenshot: ${shot}`);
    }
    throw error;
  }
}

async function newUser(context, label) {
  const p = await context.newPage();
  p.on('pageerror', (error) => console.log(`        [${label} page error] ${error.message}`));
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = 'correct horse battery';
  await p.goto(`${BASE}/`);
  // Signed out, the app sends a visitor to sign-in, remembering where they were going.
  await p.waitForURL(/\/sign-in\?next=%2F$/);
  await p.getByRole('link', { name: 'Create an account' }).click();
  await p.getByLabel('E-mail address').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Create account' }).click();
  await p.getByRole('heading', { name: 'Dashboard' }).waitFor();
  return { page: p, email, password };
}

/** The text of the error message tied to `input` (its aria-describedby), or ''. */
async function errorOf(input) {
  return input.evaluate((element) => {
    const ids = (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  });
}

function stripeSignature(body) {
  const timestamp = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** A `payment_intent.succeeded` event exactly as Stripe shapes it, for `invoiceId`. */
function paymentSucceeded(invoiceId, amount, currency) {
  const intent = `pi_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    id: `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    object: 'event',
    api_version: '2024-06-20',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'payment_intent.succeeded',
    data: {
      object: {
        id: intent,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: amount,
        capture_method: 'automatic',
        created,
        currency: currency.toLowerCase(),
        latest_charge: `ch_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
        livemode: false,
        metadata: { invoice_id: invoiceId },
        payment_method_types: ['card'],
        status: 'succeeded',
      },
    },
  });
}

let invoiceUrl;
let invoiceId;
let firstUser;

try {
  const desktop = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
  desktop.setDefaultTimeout(WAIT);

  await scenario('sign up lands on the dashboard', async () => {
    firstUser = await newUser(desktop, 'ann');
    page = firstUser.page;
    await page.getByText('No invoices sent yet').waitFor();
    await audit(page, 'the empty dashboard');
  });

  await scenario('tax rates are created in Settings', async () => {
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    for (const [name, percent] of [['VAT 19 %', '19'], ['VAT 7 %', '7']]) {
      await page.getByRole('button', { name: 'New tax rate' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill(name);
      await dialog.getByLabel('Category').selectOption('S');
      await dialog.getByLabel('Rate (%)').fill(percent);
      await dialog.getByRole('button', { name: 'Create tax rate' }).click();
      await eventually(`the dialog for ${name} to close`, async () => (await page.getByRole('dialog').count()) === 0);
    }
    // A reverse charge gets its standard sentence and VATEX code offered.
    await page.getByRole('button', { name: 'New tax rate' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Category').selectOption('AE');
    check((await dialog.getByLabel('Exemption reason').inputValue()) === 'Reverse charge', 'no reason was offered for a reverse charge');
    check((await dialog.getByLabel('VATEX code (optional)').inputValue()) === 'VATEX-EU-AE', 'no VATEX code was offered');
    check(await dialog.getByLabel('Rate (%)').isDisabled(), 'a reverse charge takes a percentage');
    await dialog.getByLabel('Name').fill('Reverse charge (EU)');
    await dialog.getByRole('button', { name: 'Create tax rate' }).click();
    await eventually('the reverse-charge dialog to close', async () => (await page.getByRole('dialog').count()) === 0);
    const rates = page.getByRole('list', { name: 'Tax rates' });
    await eventually('three rates listed', async () => (await rates.getByRole('listitem').count()) === 3);
    const listed = await rates.textContent();
    check(listed.includes('VAT 19 %') && listed.includes('VAT 7 %') && listed.includes('VATEX-EU-AE'), `the rates listed are ${listed}`);
    await audit(page, 'the settings with tax rates');
    await shoot(page, 'settings-desktop.png');
    await page.setViewportSize(PHONE);
    await shoot(page, 'settings-phone.png');
    await page.setViewportSize(DESKTOP);
  });

  await scenario('a customer made from the editor, with a validation error at its field', async () => {
    await page.getByRole('link', { name: 'Invoices' }).first().click();
    await page.getByRole('link', { name: 'New invoice' }).first().click();
    await page.getByRole('heading', { name: 'New invoice' }).waitFor();
    // Saved without a customer: the picker says so.
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    const picker = page.getByRole('combobox', { name: 'Customer' });
    await eventually('the customer field to be marked invalid', async () => (await picker.getAttribute('aria-invalid')) === 'true');
    check((await errorOf(picker)) === 'Choose a customer', `the customer field says "${await errorOf(picker)}"`);
    const description = page.getByLabel('Description').first();
    check((await errorOf(description)) === 'Describe the item', `the empty line says "${await errorOf(description)}"`);

    await page.getByRole('button', { name: 'New customer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Customer name').fill('Acme GmbH');
    await dialog.getByLabel('Billing e-mails').fill('accounts-at-acme');
    await dialog.getByRole('button', { name: 'Create customer' }).click();
    const emails = dialog.getByLabel('Billing e-mails');
    await eventually('the e-mail field to be marked invalid', async () => (await emails.getAttribute('aria-invalid')) === 'true');
    check((await errorOf(emails)) === 'Not an e-mail address: accounts-at-acme', `the e-mail field says "${await errorOf(emails)}"`);
    check((await dialog.getByLabel('Customer name').getAttribute('aria-invalid')) === 'false', 'the valid name is marked invalid');
    await emails.fill('accounts@acme.example');
    await dialog.getByLabel('Street and number').fill('Friedrichstraße 123');
    await dialog.getByLabel('Postal code').fill('10117');
    await dialog.getByLabel('City').fill('Berlin');
    await dialog.getByLabel('Country').selectOption('DE');
    await dialog.getByLabel('Tax ID type').selectOption('eu_vat');
    await dialog.getByLabel('Tax ID', { exact: true }).fill('DE123456789');
    await dialog.getByLabel('Currency').selectOption('EUR');
    await dialog.getByLabel('Language').selectOption('de');
    await dialog.getByLabel('Time zone').selectOption('Europe/Berlin');
    await dialog.getByLabel('Payment terms (days)').fill('14');
    await dialog.getByRole('button', { name: 'Create customer' }).click();
    await eventually('the dialog to close', async () => (await page.getByRole('dialog').count()) === 0);
    // Still the editor, with the new customer picked and its currency and terms in the draft.
    check(page.url().endsWith('/invoices/new'), `the editor was left for ${page.url()}`);
    check((await picker.inputValue()) === 'Acme GmbH', `the picker shows "${await picker.inputValue()}"`);
    await page.getByTestId('picked-customer').waitFor();
    check((await page.getByLabel('Currency', { exact: true }).inputValue()) === 'EUR', 'the customer’s currency was not taken');
    const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    check((await page.getByLabel('Due date').inputValue()) === due, `the due date is ${await page.getByLabel('Due date').inputValue()}, not ${due}`);
  });

  await scenario('an invoice with decimal quantities, a discount and two tax rates: the breakdown is exact', async () => {
    const lines = [
      ['Consulting', '2.5', 'HUR', '120.00', 'VAT 19 %'],
      ['Books', '3', 'H87', '19.99', 'VAT 7 %'],
      ['Hosting (monthly)', '1.5', 'MON', '9.995', 'VAT 19 %'],
    ];
    for (let i = 0; i < lines.length; i += 1) {
      if (i > 0) await page.getByRole('button', { name: 'Add line' }).click();
      const [description, quantity, unit, price, rate] = lines[i];
      await page.getByLabel('Description').nth(i).fill(description);
      await page.getByLabel('Quantity').nth(i).fill(quantity);
      await page.getByLabel('Unit', { exact: true }).nth(i).selectOption(unit);
      await page.getByLabel('Unit price').nth(i).fill(price);
      await page.getByLabel('Tax rate', { exact: true }).nth(i).selectOption({ label: rate });
    }
    await page.getByLabel('Discount type').first().selectOption('percent');
    await page.getByLabel('Discount (%)').first().fill('10');
    // 2.5 h × 120.00 − 10 % = 270.00; 3 × 19.99 = 59.97; 1.5 × 9.995 = 14.9925 → 14.99.
    // 19 %: base 284.99, tax 54.1481 → 54.15; 7 %: base 59.97, tax 4.1979 → 4.20.
    await eventually('the live total', async () => (await page.getByTestId('invoice-total').textContent()) === '€403.31');
    const nets = await page.getByTestId('line-net').allTextContents();
    check(JSON.stringify(nets) === JSON.stringify(['€270.00', '€59.97', '€14.99']), `the line nets are ${JSON.stringify(nets)}`);
    const breakdown = await page.getByTestId('tax-row').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())));
    const expected = [['VAT 7 %', '€59.97', '€4.20'], ['VAT 19 %', '€284.99', '€54.15']];
    check(JSON.stringify(breakdown) === JSON.stringify(expected), `the breakdown is ${JSON.stringify(breakdown)}`);
    check((await page.getByTestId('net-total').textContent()) === '€344.96', 'the net total differs');
    check((await page.getByTestId('tax-total').textContent()) === '€58.35', 'the tax total differs');
    await page.getByRole('button', { name: 'Move line 3 up' }).click();
    check((await page.getByLabel('Description').nth(1).inputValue()) === 'Hosting (monthly)', 'the line did not move up');
    await page.getByLabel('Notes for the client').fill('Thank you for your business.');
    await page.setViewportSize(PHONE);
    await shoot(page, 'editor-phone.png');
    await page.setViewportSize(DESKTOP);
    await shoot(page, 'editor-desktop.png');
    await audit(page, 'the editor');

    // The first save never reaches the server: the app offers a retry and keeps every field.
    let dropped = 0;
    await page.route('**/api/invoices', (route) => {
      if (route.request().method() === 'POST' && dropped === 0) {
        dropped += 1;
        return route.abort('connectionreset');
      }
      return route.fallback();
    });
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    await page.getByText('Can’t reach the server').waitFor();
    check((await page.getByLabel('Description').nth(2).inputValue()) === 'Books', 'typed input was lost after a network failure');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await page.unroute('**/api/invoices');
    invoiceUrl = page.url();
    invoiceId = invoiceUrl.split('/').at(-1);
    await page.locator('[data-status="draft"]').first().waitFor();
    const rows = await page.getByTestId('invoice-lines').locator('tbody tr').allTextContents();
    check(rows.length === 3 && rows[1].includes('Hosting (monthly)') && rows[1].includes('1.5 months'), `the saved lines are ${JSON.stringify(rows)}`);
    check((await page.getByTestId('amount-due').textContent()) === '€403.31', 'the saved total differs');
  });

  await scenario('send: the invoice gets its number and is e-mailed', async () => {
    await page.getByRole('button', { name: 'Send invoice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('h1 [data-status="sent"]').waitFor();
    const heading = await page.locator('h1').textContent();
    check(/INV-\d{6}/.test(heading), `the heading is "${heading}"`);
    // The workflow renders the PDF and e-mails it after the command returns.
    await page.locator('[data-event="email_sent"]').waitFor();
    await page.locator('[data-event="document_rendered"]').first().waitFor();
    // The invoice page reads the same totals from the server, and keeps the buyer as sent.
    const breakdown = await page.getByTestId('invoice-totals').getByTestId('tax-row').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())));
    const expected = [['VAT 7 %', '€59.97', '€4.20'], ['VAT 19 %', '€284.99', '€54.15']];
    check(JSON.stringify(breakdown) === JSON.stringify(expected), `the invoice page's breakdown is ${JSON.stringify(breakdown)}`);
    const totals = page.getByTestId('invoice-totals');
    for (const [id, value] of [['net-total', '€344.96'], ['tax-total', '€58.35'], ['invoice-total', '€403.31']]) {
      const shown = await totals.getByTestId(id).textContent();
      check(shown === value, `the invoice page's ${id} is ${shown}, not ${value}`);
    }
    const nets = await page.getByTestId('invoice-lines').getByTestId('line-net').allTextContents();
    check(JSON.stringify(nets) === JSON.stringify(['€270.00', '€14.99', '€59.97']), `the invoice page's line nets are ${JSON.stringify(nets)}`);
    const buyer = await page.getByTestId('buyer').textContent();
    check(buyer.includes('Acme GmbH') && buyer.includes('DE123456789') && buyer.includes('As the customer was when the invoice was sent'), `the buyer shows "${buyer}"`);
  });

  await scenario('a partial payment leaves the rest due', async () => {
    await page.getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount (EUR)').fill('100');
    await dialog.getByLabel('Reference (optional)').fill('TRF-2231');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await eventually('the amount due to drop', async () => (await page.getByTestId('amount-due').textContent()) === '€303.31');
    await page.locator('[data-event="payment_recorded"]').waitFor();
    check((await page.locator('h1 [data-status]').getAttribute('data-status')) === 'sent', 'a partial payment changed the status');
  });

  await scenario('a signed Stripe webhook pays the rest; the page shows Paid and every step', async () => {
    const body = paymentSucceeded(invoiceId, 30331, 'EUR');
    const response = await fetch(`${BASE}/api/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body) },
      body,
    });
    check(response.status === 200, `the webhook was answered ${response.status}: ${await response.text()}`);
    // No reload: the open invoice page keeps itself up to date.
    await page.locator('h1 [data-status="paid"]').waitFor();
    check((await page.getByTestId('amount-due').textContent()) === '€0.00', 'a paid invoice still has an amount due');
    for (const event of ['created', 'sent', 'document_rendered', 'email_sent', 'payment_recorded', 'paid']) {
      await page.locator(`[data-event="${event}"]`).first().waitFor();
    }
    await eventually('both payments to be listed', async () => (await page.getByRole('list', { name: 'Payments' }).getByRole('listitem').count()) === 2);
    await shoot(page, 'invoice-desktop.png');
    await audit(page, 'the invoice page');
    await page.setViewportSize(PHONE);
    await shoot(page, 'invoice-phone.png');
    await page.setViewportSize(DESKTOP);

    // The PDF preview: fetched with the token, shown from an object URL the CSP allows.
    const refused = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) refused.push(message.text());
    });
    const [pdf] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith(`/api/invoices/${invoiceId}/pdf`)),
      page.getByRole('button', { name: 'Preview' }).click(),
    ]);
    check(pdf.status() === 200 && pdf.headers()['content-type'] === 'application/pdf', `the PDF was answered ${pdf.status()} ${pdf.headers()['content-type']}`);
    // (The browser's copy of the body is not readable here; the same request from Node is.)
    const { accessToken } = await page.evaluate(() => JSON.parse(localStorage.getItem('invoicing.session')));
    const bytes = Buffer.from(await (await fetch(pdf.url(), { headers: { authorization: `Bearer ${accessToken}` } })).arrayBuffer());
    check(bytes.subarray(0, 5).toString('latin1') === '%PDF-', 'the PDF is not a PDF');
    await page.locator('iframe[src^="blob:"]').waitFor();
    check(refused.length === 0, `the CSP refused: ${refused.join('; ')}`);
  });

  await scenario('the dashboard and the list show the invoice', async () => {
    // A second invoice, left open and due today, so that the dashboard has something to chase.
    await page.goto(`${BASE}/invoices/new`);
    await page.getByRole('button', { name: 'New customer' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Customer name').fill('Globex Corporation');
    await dialog.getByLabel('Billing e-mails').fill('ap@globex.example');
    await dialog.getByRole('button', { name: 'Create customer' }).click();
    await eventually('the dialog to close', async () => (await page.getByRole('dialog').count()) === 0);
    await page.getByTestId('picked-customer').waitFor();
    await page.getByLabel('Due date').fill(new Date().toISOString().slice(0, 10));
    await page.getByLabel('Description').first().fill('Quarterly retainer');
    await page.getByLabel('Unit price').first().fill('4500');
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    await page.locator('h1 [data-status="draft"]').waitFor();
    await page.getByRole('button', { name: 'Send invoice' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send', exact: true }).click();
    await page.locator('h1 [data-status="sent"]').waitFor();

    await page.getByRole('link', { name: 'Dashboard' }).first().click();
    await page.getByText('Paid this month').first().waitFor();
    const attention = page.getByRole('link', { name: /Globex Corporation/ });
    await attention.waitFor();
    check((await attention.textContent()).includes('due today'), 'the open invoice is not "due today"');
    await shoot(page, 'dashboard-desktop.png');
    await audit(page, 'the dashboard');
    await page.setViewportSize(PHONE);
    await shoot(page, 'dashboard-phone.png');
    await page.setViewportSize(DESKTOP);

    await page.getByRole('link', { name: 'Invoices' }).first().click();
    await page.getByRole('button', { name: 'Paid' }).click();
    await eventually('the paid tab to list only the paid invoice', async () => {
      const rows = await page.locator('table tbody tr').allTextContents();
      return rows.length === 1 && rows[0].includes('Acme GmbH');
    });
    await page.getByRole('button', { name: 'All' }).click();
    await page.getByLabel('Search by customer or number').fill('globex');
    await eventually('the search to find Globex only', async () => {
      const rows = await page.locator('table tbody tr').allTextContents();
      return rows.length === 1 && rows[0].includes('Globex');
    });
    await shoot(page, 'invoices-desktop.png');
    await audit(page, 'the invoice list');
  });

  await scenario('customers: search, and archiving one that invoices name', async () => {
    await page.getByRole('link', { name: 'Customers' }).first().click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await page.getByLabel('Search customers').fill('glob');
    await eventually('the search to find Globex only', async () => {
      const rows = await page.locator('table tbody tr').allTextContents();
      return rows.length === 1 && rows[0].includes('Globex Corporation');
    });
    await page.getByLabel('Search customers').fill('');
    await eventually('both customers listed', async () => (await page.locator('table tbody tr').count()) === 2);
    await shoot(page, 'customers-desktop.png');
    await audit(page, 'the customer list');
    await page.setViewportSize(PHONE);
    await shoot(page, 'customers-phone.png');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: 'Acme GmbH' }).click();
    await page.getByRole('heading', { name: 'Acme GmbH' }).waitFor();
    // Invoices name Acme: deleting is refused (409) and archiving offered instead.
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete customer' }).click();
    await page.getByRole('dialog').getByRole('heading', { name: 'Archive instead?' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Archive customer' }).click();
    await eventually('the dialog to close', async () => (await page.getByRole('dialog').count()) === 0);
    await page.getByText('Archived', { exact: true }).waitFor();
    await page.goto(`${BASE}/customers?archived=true`);
    await eventually('the archived list to show Acme', async () => {
      const rows = await page.locator('table tbody tr').allTextContents();
      return rows.length === 1 && rows[0].includes('Acme GmbH');
    });
  });

  await scenario('a refreshed session keeps the page; an ended one comes back after sign-in', async () => {
    await page.goto(invoiceUrl);
    await page.locator('h1 [data-status="paid"]').waitFor();
    // An access token the API no longer accepts: the app refreshes and stays where it is.
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem('invoicing.session')));
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('invoicing.session'));
      session.accessToken = 'expired.or.forged';
      localStorage.setItem('invoicing.session', JSON.stringify(session));
    });
    await page.reload();
    await page.locator('h1 [data-status="paid"]').waitFor();
    const after = await page.evaluate(() => JSON.parse(localStorage.getItem('invoicing.session')));
    check(after.refreshToken !== before.refreshToken, 'the session was not refreshed');
    check(page.url() === invoiceUrl, `the page moved to ${page.url()}`);

    // The session ends elsewhere (sign out everywhere): the next request lands on sign-in,
    // and signing in returns to the invoice.
    const ended = await fetch(`${BASE}/api/auth/logout-all`, { method: 'POST', headers: { authorization: `Bearer ${after.accessToken}` } });
    check(ended.status === 204, `logout-all answered ${ended.status}`);
    await page.reload();
    await page.waitForURL(/\/sign-in\?next=/);
    check(decodeURIComponent(page.url().split('next=')[1]) === new URL(invoiceUrl).pathname, `next is ${page.url()}`);
    await page.getByLabel('E-mail address').fill(firstUser.email);
    await page.getByLabel('Password').fill(firstUser.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(invoiceUrl);
    await page.locator('h1 [data-status="paid"]').waitFor();
  });

  await scenario('another account cannot see the invoice', async () => {
    const other = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    other.setDefaultTimeout(WAIT);
    const bob = await newUser(other, 'bob');
    page = bob.page;
    await page.goto(invoiceUrl);
    await page.getByRole('heading', { name: 'Invoice not found' }).waitFor();
    check(!(await page.content()).includes('Acme GmbH'), 'the other account’s customer is on the page');
    await page.goto(`${BASE}/invoices`);
    await page.getByText('No invoices yet').waitFor();
    await other.close();
  });

  await scenario('keyboard: skip link, focus on the page heading, dialogs close on Escape', async () => {
    page = firstUser.page;
    await page.goto(`${BASE}/settings`);
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await page.getByLabel('Days from the due date').waitFor();
    await audit(page, 'the settings');
    await page.keyboard.press('Tab');
    check((await page.evaluate(() => document.activeElement?.textContent)) === 'Skip to content', 'the first Tab does not reach the skip link');
    await page.getByRole('link', { name: 'Invoices' }).first().click();
    await eventually('focus on the new page’s heading', () => page.evaluate(() => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === 'Invoices'));
    await page.goto(`${BASE}/invoices?q=globex`);
    await page.getByRole('link', { name: /^INV-/ }).first().click();
    await page.getByRole('button', { name: 'Change due date' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await eventually('the dialog to close', async () => (await page.getByRole('dialog').count()) === 0);
  });
} catch {
  // reported by scenario()
} finally {
  await browser.close();
}

console.log(`e2e: ${results.length} passed, ${failures} failed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SHOTS}`);
process.exit(failures === 0 ? 0 : 1);
