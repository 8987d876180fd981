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

  await scenario('a validation error is shown at its field', async () => {
    await page.getByRole('link', { name: 'New invoice' }).first().click();
    await page.getByRole('heading', { name: 'New invoice' }).waitFor();
    await page.getByLabel('Client name').fill('Acme Ltd');
    await page.getByLabel('Client e-mail').fill('accounts-at-acme');
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    const email = page.getByLabel('Client e-mail');
    await eventually('the e-mail field to be marked invalid', async () => (await email.getAttribute('aria-invalid')) === 'true');
    const message = await errorOf(email);
    check(message === 'Enter a valid e-mail address', `the e-mail field says "${message}"`);
    check((await errorOf(page.getByLabel('Client name'))) === '', 'the valid client name shows an error');
    const description = page.getByLabel('Description').first();
    check((await errorOf(description)) === 'Describe the item', `the empty line says "${await errorOf(description)}"`);
    check(page.url().endsWith('/invoices/new'), 'an invalid draft was saved');
  });

  await scenario('an invoice with three items, reordered, totals computed exactly', async () => {
    await page.getByLabel('Client e-mail').fill('accounts@acme.example');
    const lines = [
      ['Brand identity workshop', '1', '1,200.00'],
      ['Logo design', '3', '350.10'],
      ['Hosting (monthly)', '12', '0.10'],
    ];
    for (let i = 0; i < lines.length; i += 1) {
      if (i > 0) await page.getByRole('button', { name: 'Add line' }).click();
      const [description, quantity, price] = lines[i];
      await page.getByLabel('Description').nth(i).fill(description);
      await page.getByLabel('Quantity').nth(i).fill(quantity);
      await page.getByLabel('Unit price').nth(i).fill(price);
    }
    // 1,200.00 + 3 × 350.10 + 12 × 0.10 = 2,251.50 (a float sum would be 2251.4999…)
    await eventually('the live total', async () => (await page.getByTestId('invoice-total').textContent()) === '$2,251.50');
    await page.getByRole('button', { name: 'Move line 3 up' }).click();
    check((await page.getByLabel('Description').nth(1).inputValue()) === 'Hosting (monthly)', 'the line did not move up');
    await page.getByLabel('Notes for the client').fill('Thank you for your business. Bank: IBAN GB00 TEST 0000 0000.');
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
    check((await page.getByLabel('Description').nth(2).inputValue()) === 'Logo design', 'typed input was lost after a network failure');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/);
    await page.unroute('**/api/invoices');
    invoiceUrl = page.url();
    invoiceId = invoiceUrl.split('/').at(-1);
    await page.locator('[data-status="draft"]').first().waitFor();
    const rows = await page.locator('table tbody tr').allTextContents();
    check(rows.length === 3 && rows[1].includes('Hosting (monthly)'), `the saved lines are ${JSON.stringify(rows)}`);
    check((await page.getByTestId('amount-due').textContent()) === '$2,251.50', 'the saved total differs');
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
  });

  await scenario('a partial payment leaves the rest due', async () => {
    await page.getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Amount (USD)').fill('1000');
    await dialog.getByLabel('Reference (optional)').fill('TRF-2231');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await eventually('the amount due to drop', async () => (await page.getByTestId('amount-due').textContent()) === '$1,251.50');
    await page.locator('[data-event="payment_recorded"]').waitFor();
    check((await page.locator('h1 [data-status]').getAttribute('data-status')) === 'sent', 'a partial payment changed the status');
  });

  await scenario('a signed Stripe webhook pays the rest; the page shows Paid and every step', async () => {
    const body = paymentSucceeded(invoiceId, 125150, 'USD');
    const response = await fetch(`${BASE}/api/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(body) },
      body,
    });
    check(response.status === 200, `the webhook was answered ${response.status}: ${await response.text()}`);
    // No reload: the open invoice page keeps itself up to date.
    await page.locator('h1 [data-status="paid"]').waitFor();
    check((await page.getByTestId('amount-due').textContent()) === '$0.00', 'a paid invoice still has an amount due');
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
    await page.getByLabel('Client name').fill('Globex Corporation');
    await page.getByLabel('Client e-mail').fill('ap@globex.example');
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
      return rows.length === 1 && rows[0].includes('Acme Ltd');
    });
    await page.getByRole('button', { name: 'All' }).click();
    await page.getByLabel('Search by client or number').fill('globex');
    await eventually('the search to find Globex only', async () => {
      const rows = await page.locator('table tbody tr').allTextContents();
      return rows.length === 1 && rows[0].includes('Globex');
    });
    await shoot(page, 'invoices-desktop.png');
    await audit(page, 'the invoice list');
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
    check(!(await page.content()).includes('Acme Ltd'), 'the other account’s client name is on the page');
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
