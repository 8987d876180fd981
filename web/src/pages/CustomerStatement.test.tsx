import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Statement } from '../api/types';
import { storeTokens } from '../auth/session';
import { formatDay, todayUtc } from '../lib/dates';
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

/** The statement API, answering with `answer` when given; returns every URL asked for. */
function fakeApi(answer?: (url: URL) => Response) {
  const calls: URL[] = [];
  vi.stubGlobal('fetch', async (path: string) => {
    const url = new URL(path, 'http://app.test');
    calls.push(url);
    if (answer) return answer(url);
    if (url.pathname === `/api/customers/${ACME}/statement`) {
      const to = url.searchParams.get('to') ?? todayUtc();
      return json(statement(url.searchParams.get('from') ?? `${to.slice(0, 4)}-01-01`, to));
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
const paths = (calls: URL[]) => calls.map((url) => `${url.pathname}${url.search}`);
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
    expect(screen.queryByRole('table')).toBeNull();
    expect(paths(calls)).toEqual([`/api/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`]);
  });

  it('refuses a linked period that ends before it starts without asking the API', () => {
    const calls = fakeApi();
    show(`/customers/${ACME}/statement?from=2026-03-02&to=2026-03-01`);
    expect(fieldError('To')).toBe('The last day must not be before the first');
    expect(calls).toEqual([]);
  });

  it('shows the API’s field errors beside the days', async () => {
    const calls = fakeApi(() =>
      json({ type: '/problems/validation', title: 'Unprocessable Entity', status: 422, detail: 'The request has invalid fields.', errors: { to: ['must be at most 3653 days from from, both included'] } }, 422),
    );
    show(`/customers/${ACME}/statement?from=2020-01-01&to=2026-03-31`);
    await screen.findByText('must be at most 3653 days from from, both included');
    expect(fieldError('To')).toBe('must be at most 3653 days from from, both included');
    expect(fieldError('From')).toBeUndefined();
    expect(screen.queryByRole('alert', { name: /Unprocessable/ })).toBeNull();
    expect(paths(calls)).toEqual([`/api/customers/${ACME}/statement?from=2020-01-01&to=2026-03-31`]);
  });

  it('says so when the customer owed nothing and nothing moved', async () => {
    fakeApi(() => json({ ...statement('2026-01-01', '2026-03-31'), currencies: [] }));
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByText('Nothing owed, nothing moved');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows a failure with a way to try again', async () => {
    fakeApi(() => json({ title: 'Service Unavailable', status: 503, detail: 'Try again in a moment.' }, 503));
    show(`/customers/${ACME}/statement?from=2026-01-01&to=2026-03-31`);
    await screen.findByRole('button', { name: 'Try again' });
  });
});
