import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import userEvent from '@testing-library/user-event';
import type { Statement, StatementEmail } from '../api/types';
import { storeTokens } from '../auth/session';
import { formatDay, formatInstant, todayUtc } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { CustomerStatement } from './CustomerStatement';

const ACME = '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59';
const INVOICE = '0f4e3d2c-1b0a-4987-8654-3210fedcba98';
const OLDER = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const NOTE = '7c6b5a49-3827-4165-9e8d-7c6b5a493827';

/**
 * Owed 100.00 at the start; invoiced 250.00, paid 150.00, wrote 40.00 off and got 10.00 of it
 * back, credited 50.00 of which 20.00 was refunded; 10.00 of an earlier credit note is kept as
 * the customer's credit.
 */
const statement = (from: string, to: string): Statement => ({
  customer_id: ACME,
  customer_name: 'Acme Ltd',
  from,
  to,
  currencies: [
    {
      currency: 'EUR',
      opening_balance: 10000,
      entries: [
        { date: '2026-02-03', kind: 'invoice', invoice_id: INVOICE, credit_note_id: null, number: 'INV-000042', amount: 25000, balance: 35000 },
        { date: '2026-02-20', kind: 'payment', invoice_id: OLDER, credit_note_id: null, number: 'INV-000017', amount: -15000, balance: 20000 },
        { date: '2026-03-01', kind: 'write_off', invoice_id: OLDER, credit_note_id: null, number: 'INV-000017', amount: -4000, balance: 16000 },
        { date: '2026-03-09', kind: 'recovery', invoice_id: OLDER, credit_note_id: null, number: 'INV-000017', amount: 1000, balance: 17000 },
        { date: '2026-03-12', kind: 'credit_note', invoice_id: INVOICE, credit_note_id: NOTE, number: 'CN-000003', amount: -5000, balance: 12000 },
        { date: '2026-03-12', kind: 'refund', invoice_id: INVOICE, credit_note_id: NOTE, number: 'CN-000003', amount: 2000, balance: 14000 },
      ],
      invoiced: 25000,
      paid: 13000,
      credited: 5000,
      written_off: 3000,
      closing_balance: 14000,
      credit_balance: 1000,
    },
  ],
});

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const CUSTOMER = {
  id: ACME,
  display_name: 'Acme Ltd',
  legal_name: null,
  emails: ['ap@acme.example'],
  cc_emails: ['controller@acme.example'],
  address: null,
  tax_id: null,
  currency: 'EUR',
  language: 'de',
  time_zone: 'Europe/Berlin',
  payment_terms_days: null,
  notes: null,
  e_invoice_format: null,
  buyer_reference: null,
  electronic_address: null,
  archived: false,
  created_at: '2026-01-01T09:00:00Z',
  updated_at: '2026-01-01T09:00:00Z',
};

const SENT: StatementEmail = {
  id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  customer_id: ACME,
  from: '2026-01-01',
  to: '2026-03-31',
  recipient: 'ap@acme.example',
  cc: ['controller@acme.example'],
  language: 'de',
  status: 'sent',
  refusal: null,
  requested_at: '2026-04-01T08:00:00Z',
  sent_at: '2026-04-01T08:00:01Z',
};

interface Call {
  method: string;
  url: URL;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * The customer's API: the statement (answered by `statement` when given), the customer, the
 * statements e-mailed so far (`sent`), the PDF, and the e-mail (answered by `email`). Returns
 * every request made.
 */
function fakeApi({ statement: answer, email, sent = [] }: { statement?: (url: URL) => Response; email?: (body: unknown) => Response; sent?: StatementEmail[] } = {}) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const url = new URL(path, 'http://app.test');
    const method = init.method ?? 'GET';
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    calls.push({ method, url, body, headers: (init.headers ?? {}) as Record<string, string> });
    const base = `/api/customers/${ACME}`;
    if (url.pathname === `${base}/statement`) {
      if (answer) return answer(url);
      const to = url.searchParams.get('to') ?? todayUtc();
      return json(statement(url.searchParams.get('from') ?? `${to.slice(0, 4)}-01-01`, to));
    }
    if (url.pathname === base) return json(CUSTOMER);
    if (url.pathname === `${base}/statement/emails`) return json({ data: sent, next_cursor: null });
    if (url.pathname === `${base}/statement/pdf`) {
      return new Response('%PDF-1.7', {
        status: 200,
        headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="Kontoauszug-${url.searchParams.get('from')}-bis-${url.searchParams.get('to')}.pdf"` },
      });
    }
    if (method === 'POST' && url.pathname === `${base}/statement/email`) {
      if (email) return email(body);
      sent.unshift(SENT);
      return json(SENT);
    }
    return json({ title: 'Not Found', status: 404 }, 404);
  });
  return calls;
}

/** Shows the page's URL query, to see what the page keeps there. */
function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function show(entry = `/customers/${ACME}/statement`) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/customers/:id/statement" element={<><CustomerStatement /><Search /></>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const eur = (minor: number) => formatMoney(minor, 'EUR');
/** The statements asked for (the page also reads the customer and what was e-mailed). */
const paths = (calls: Call[]) =>
  calls.filter(({ url }) => url.pathname.endsWith('/statement')).map(({ url }) => `${url.pathname}${url.search}`);
const setDay = (label: string, day: string) => fireEvent.change(screen.getByLabelText(label), { target: { value: day } });
/** The text of each cell (not the row's header) of the row whose text matches `name`. */
function cells(table: HTMLElement, name: RegExp): (string | null)[] {
  return within(within(table).getByRole('row', { name })).getAllByRole('cell').map((cell) => cell.textContent);
}
/** The error message tied to a field. */
function fieldError(label: string): string | null | undefined {
  const input = screen.getByLabelText(label);
  if (input.getAttribute('aria-invalid') !== 'true') return undefined;
  return document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent;
}

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('a customer’s statement', () => {
  it('shows the opening balance, every entry with the balance after it, the totals and the closing balance', async () => {
    const calls = fakeApi();
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    const table = await screen.findByRole('table', { name: `Statement in EUR, ${formatDay('2026-01-01')} to ${formatDay('2026-03-31')}` });

    expect(cells(table, /Opening balance/)).toEqual([formatDay('2026-01-01'), '', '', eur(10000)]);
    expect(cells(table, /INV-000042/)).toEqual([formatDay('2026-02-03'), 'Invoice INV-000042', eur(25000), '', eur(35000)]);
    expect(within(table).getByRole('link', { name: 'Invoice INV-000042' }).getAttribute('href')).toBe(`/invoices/${INVOICE}`);
    const rows = within(table).getAllByRole('row').slice(1).map((row) => row.textContent ?? '');
    expect(rows[2]).toBe(`${formatDay('2026-02-20')}Payment on INV-000017${eur(15000)}${eur(20000)}`);
    expect(rows[3]).toBe(`${formatDay('2026-03-01')}Written off on INV-000017${eur(4000)}${eur(16000)}`);
    expect(rows[4]).toBe(`${formatDay('2026-03-09')}Recovered on INV-000017${eur(1000)}${eur(17000)}`);
    expect(rows[5]).toBe(`${formatDay('2026-03-12')}Credit note CN-000003${eur(5000)}${eur(12000)}`);
    expect(within(table).getByRole('link', { name: 'Credit note CN-000003' }).getAttribute('href')).toBe(`/invoices/${INVOICE}`);
    expect(rows[6]).toBe(`${formatDay('2026-03-12')}Refund of credit note CN-000003${eur(2000)}${eur(14000)}`);
    expect(cells(table, /Closing balance/)).toEqual([formatDay('2026-03-31'), '', '', eur(14000)]);

    const totals = screen.getByLabelText('Totals in EUR');
    expect(Array.from(totals.querySelectorAll('div')).map((pair) => pair.textContent)).toEqual([
      `Opening balance${eur(10000)}`,
      `Invoiced${eur(25000)}`,
      `Paid${eur(13000)}`,
      `Credited${eur(5000)}`,
      `Written off${eur(3000)}`,
      `Closing balance${eur(14000)}`,
    ]);
    expect(screen.getByText(/holds in credit/).textContent).toBe(
      `The balance is net of ${eur(1000)} the customer holds in credit (credit notes’ excess kept for them); on their invoices they owe ${eur(15000)}.`,
    );
    expect(paths(calls)).toEqual([`/api/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`]);
    expect(screen.getByRole('link', { name: 'Acme Ltd' }).getAttribute('href')).toBe(`/customers/${ACME}`);
  });

  it('asks for the first of January to today by default, and for the days chosen, which the URL keeps', async () => {
    const calls = fakeApi();
    show();
    const today = todayUtc();
    const first = `${today.slice(0, 4)}-01-01`;
    await screen.findByRole('table', { name: /^Statement in EUR/ });
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe(first);
    expect((screen.getByLabelText('To') as HTMLInputElement).value).toBe(today);
    expect(paths(calls)).toEqual([`/api/customers/${ACME}/statement?from=${first}&to=${today}`]);

    setDay('From', '2025-07-01');
    await screen.findByRole('table', { name: `Statement in EUR, ${formatDay('2025-07-01')} to ${formatDay(today)}` });
    expect(screen.getByTestId('search').textContent).toBe(`?from=2025-07-01&to=${today}`);

    setDay('To', '2025-12-31');
    await screen.findByRole('table', { name: `Statement in EUR, ${formatDay('2025-07-01')} to ${formatDay('2025-12-31')}` });
    expect(screen.getByTestId('search').textContent).toBe('?from=2025-07-01&to=2025-12-31');
    expect(paths(calls).slice(1)).toEqual([
      `/api/customers/${ACME}/statement?from=2025-07-01&to=${today}`,
      `/api/customers/${ACME}/statement?from=2025-07-01&to=2025-12-31`,
    ]);
  });

  it('refuses a period that ends before it starts without asking the API', async () => {
    const calls = fakeApi();
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('table', { name: /^Statement in EUR/ });

    setDay('To', '2025-12-31');
    expect(fieldError('To')).toBe('The last day must not be before the first');
    expect(screen.queryByRole('table', { name: /^Statement in/ })).toBeNull();
    expect(paths(calls)).toEqual([`/api/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`]);
  });

  it('refuses a linked period that ends before it starts without asking the API', () => {
    const calls = fakeApi();
    show(`/customers/${ACME}/statement?from=2026-03-02&to=2026-03-01`);
    expect(fieldError('To')).toBe('The last day must not be before the first');
    expect(paths(calls)).toEqual([]);
    expect(screen.getByRole('button', { name: 'Download PDF' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'E-mail to customer' })).toHaveProperty('disabled', true);
  });

  it('shows the API’s field errors beside the days', async () => {
    const calls = fakeApi({
      statement: () =>
        json({ type: '/problems/validation', title: 'Unprocessable Entity', status: 422, detail: 'The request has invalid fields.', errors: { to: ['must be at most 3653 days from from, both included'] } }, 422),
    });
    show(`/customers/${ACME}/statement?from=2020-01-01&to=2026-03-31`);
    await screen.findByText('must be at most 3653 days from from, both included');
    expect(fieldError('To')).toBe('must be at most 3653 days from from, both included');
    expect(fieldError('From')).toBeUndefined();
    expect(screen.queryByRole('alert', { name: /Unprocessable/ })).toBeNull();
    expect(paths(calls)).toEqual([`/api/customers/${ACME}/statement?from=2020-01-01&to=2026-03-31`]);
  });

  it('says so when the customer owed nothing and nothing moved', async () => {
    fakeApi({ statement: () => json({ ...statement('2026-01-01', '2026-03-31'), currencies: [] }) });
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByText('Nothing owed, nothing moved');
    expect(screen.queryByRole('table', { name: /^Statement in/ })).toBeNull();
  });

  it('shows a failure with a way to try again', async () => {
    fakeApi({ statement: () => json({ title: 'Service Unavailable', status: 503, detail: 'Try again in a moment.' }, 503) });
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('button', { name: 'Try again' });
  });
});

describe('the statement as a document', () => {
  const saved: string[] = [];
  beforeEach(() => {
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:statement'), revokeObjectURL: vi.fn() }));
    saved.length = 0;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(`${this.download} ${this.href}`);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('downloads the PDF of the period shown, named as the API names it', async () => {
    const calls = fakeApi();
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('table', { name: /^Statement in EUR/ });

    await userEvent.click(screen.getByRole('button', { name: 'Download PDF' }));

    const pdf = calls.filter(({ url }) => url.pathname.endsWith('/pdf'));
    expect(pdf.map(({ url }) => `${url.pathname}${url.search}`)).toEqual([`/api/customers/${ACME}/statement/pdf?from=2026-01-01&to=2026-03-31`]);
    expect(pdf[0]?.headers.authorization).toBe('Bearer a');
    expect(saved).toEqual(['Kontoauszug-2026-01-01-bis-2026-03-31.pdf blob:statement']);
  });

  it('e-mails the statement once asked to confirm, says so, and lists it among those sent', async () => {
    const calls = fakeApi();
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('table', { name: /^Statement in EUR/ });
    await screen.findByText('No statement has been e-mailed to this customer yet.');

    await userEvent.click(screen.getByRole('button', { name: 'E-mail to customer' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect(dialog.textContent).toContain(`The statement of ${formatDay('2026-01-01')} to ${formatDay('2026-03-31')} goes to ap@acme.example (copies to controller@acme.example) as a PDF in German.`);
    expect(calls.filter(({ method }) => method === 'POST')).toEqual([]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Send statement', hidden: true }));

    await screen.findByText('Statement e-mailed to ap@acme.example');
    const posts = calls.filter(({ method }) => method === 'POST');
    expect(posts.map(({ url, body }) => [url.pathname, body])).toEqual([[`/api/customers/${ACME}/statement/email`, { from: '2026-01-01', to: '2026-03-31' }]]);
    expect(posts[0]?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.queryByRole('dialog', { hidden: true })).toBeNull();
    const sent = await screen.findByRole('table', { name: 'Statements e-mailed to the customer' });
    expect(within(sent).getAllByRole('row')[1]?.textContent).toBe(
      `${formatInstant(SENT.sent_at ?? '')}${formatDay('2026-01-01')} to ${formatDay('2026-03-31')}ap@acme.example, controller@acme.exampleSent`,
    );
  });

  it('says so when the e-mail was refused, and keeps the dialog open', async () => {
    fakeApi({ email: () => json({ ...SENT, status: 'refused', refusal: 'MessageRejected: Email address is not verified.', sent_at: null }) });
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('table', { name: /^Statement in EUR/ });
    await userEvent.click(screen.getByRole('button', { name: 'E-mail to customer' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send statement', hidden: true }));

    const alert = await within(dialog).findByRole('alert', { hidden: true });
    expect(alert.textContent).toBe('The e-mail was refusedMessageRejected: Email address is not verified.');
    expect(screen.queryByText(/Statement e-mailed/)).toBeNull();
  });

  it('shows why the API would not e-mail it', async () => {
    fakeApi({
      email: () =>
        json({ type: '/problems/no-email-address', title: 'Unprocessable Entity', status: 422, detail: 'The customer has no e-mail address to send the statement to; add one first.' }, 422),
    });
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('table', { name: /^Statement in EUR/ });
    await userEvent.click(screen.getByRole('button', { name: 'E-mail to customer' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send statement', hidden: true }));

    const alert = await within(dialog).findByRole('alert', { hidden: true });
    expect(alert.textContent).toContain('The customer has no e-mail address to send the statement to; add one first.');
    expect(within(alert).queryByRole('button', { name: 'Try again', hidden: true })).toBeNull();
  });
});
