import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Aging as AgingReport, AgingInvoice } from '../api/types';
import { storeTokens } from '../auth/session';
import { formatDay, todayUtc } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { Aging } from './Aging';

const ACME = '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59';
const GLOBEX = '8c2d9e4f-1a3b-4c5d-8e6f-7a8b9c0d1e2f';

const report = (asOf: string): AgingReport => ({
  as_of: asOf,
  currencies: [
    {
      currency: 'EUR',
      totals: { current: 50000, days_1_30: 12000, days_31_60: 0, days_61_90: 3000, over_90: 45050, total: 110050, invoice_count: 5 },
      customers: [
        { customer_id: ACME, name: 'Acme Ltd', current: 50000, days_1_30: 12000, days_31_60: 0, days_61_90: 0, over_90: 0, total: 62000, invoice_count: 2 },
        { customer_id: GLOBEX, name: 'Globex', current: 0, days_1_30: 0, days_31_60: 0, days_61_90: 3000, over_90: 45050, total: 48050, invoice_count: 3 },
      ],
    },
  ],
});

const invoice = (id: string, number: string, open: number, days: number): AgingInvoice => ({
  id,
  number,
  customer_id: GLOBEX,
  customer_name: 'Globex',
  currency: 'EUR',
  issue_date: '2026-06-01',
  due_date: '2026-07-01',
  days_past_due: days,
  bucket: 'over_90',
  open_amount: open,
});
const FIRST = invoice('0f4e3d2c-1b0a-4987-8654-3210fedcba98', 'INV-000007', 40000, 159);
const SECOND = invoice('1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d', 'INV-000009', 5050, 120);

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** The reports API: `empty` answers a report with nothing owed. Returns every URL asked for. */
function fakeApi({ empty = false } = {}) {
  const calls: URL[] = [];
  vi.stubGlobal('fetch', async (path: string) => {
    const url = new URL(path, 'http://app.test');
    calls.push(url);
    const asOf = url.searchParams.get('as_of') ?? todayUtc();
    if (url.pathname === '/api/reports/aging') return json(empty ? { as_of: asOf, currencies: [] } : report(asOf));
    if (url.pathname === '/api/reports/aging/invoices') {
      return url.searchParams.get('cursor') === 'page-2'
        ? json({ data: [SECOND], next_cursor: null })
        : json({ data: [FIRST], next_cursor: 'page-2' });
    }
    return json({ title: 'Not Found', status: 404 }, 404);
  });
  return calls;
}

/** Shows the page's URL query, to see what the page keeps there. */
function Search() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function show(entry = '/reports/aging') {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route path="/reports/aging" element={<><Aging /><Search /></>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const eur = (minor: number) => formatMoney(minor, 'EUR');
const query = (url: URL) => Object.fromEntries(url.searchParams);
/** The last request made. */
function last(calls: URL[]): URL {
  const url = calls[calls.length - 1];
  if (!url) throw new Error('no request was made');
  return url;
}

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('the receivables aging page', () => {
  it('shows each bucket’s figure in the chart’s label and in the tables, as of today by default', async () => {
    const calls = fakeApi();
    show();
    const chart = await screen.findByRole('img', { name: /^Receivables in EUR/ });
    const label = chart.getAttribute('aria-label') ?? '';
    expect(label).toContain(`as of ${formatDay(todayUtc())}`);
    for (const figure of [`Current ${eur(50000)}`, `1–30 days ${eur(12000)}`, `31–60 days ${eur(0)}`, `61–90 days ${eur(3000)}`, `Over 90 days ${eur(45050)}`, `total ${eur(110050)}`]) {
      expect(label).toContain(figure);
    }

    const buckets = screen.getByRole('table', { name: /Receivables in EUR by days past due/ });
    const cells = (table: HTMLElement, row: string) =>
      within(within(table).getByRole('rowheader', { name: row }).closest('tr') as HTMLElement).getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells(buckets, 'Over 90 days')).toEqual([`Invoices in EUR, over 90 days past due: ${eur(45050)}`]);
    expect(cells(buckets, '31–60 days')).toEqual([eur(0)]);

    const customers = screen.getByRole('table', { name: 'Receivables in EUR by customer and days past due' });
    expect(cells(customers, 'Globex').map((text) => text?.split(': ').pop())).toEqual([eur(0), eur(0), eur(0), eur(3000), eur(45050), eur(48050)]);
    expect(cells(customers, 'Acme Ltd').map((text) => text?.split(': ').pop())).toEqual([eur(50000), eur(12000), eur(0), eur(0), eur(0), eur(62000)]);

    expect(calls.map((url) => `${url.pathname}${url.search}`)).toEqual([`/api/reports/aging?as_of=${todayUtc()}`]);
  });

  it('lists the invoices behind a customer’s bucket, a page at a time', async () => {
    const calls = fakeApi();
    show('/reports/aging?as_of=2026-12-07');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: `Invoices of Globex, over 90 days past due: ${eur(45050)}` }));

    const list = await screen.findByRole('table', { name: 'Invoices of Globex, over 90 days past due' });
    expect(query(last(calls))).toEqual({ as_of: '2026-12-07', currency: 'EUR', customer_id: GLOBEX, bucket: 'over_90', limit: '20' });
    expect(last(calls).pathname).toBe('/api/reports/aging/invoices');
    const first = within(list).getByRole('row', { name: /INV-000007/ });
    expect(within(first).getByRole('link', { name: 'INV-000007' }).getAttribute('href')).toBe(`/invoices/${FIRST.id}`);
    expect(first.textContent).toContain('159 days');
    expect(first.textContent).toContain(eur(40000));
    expect(document.activeElement?.textContent).toBe('Invoices of Globex, over 90 days past due');

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await within(list).findByRole('link', { name: 'INV-000009' });
    expect(query(last(calls))).toMatchObject({ bucket: 'over_90', customer_id: GLOBEX, cursor: 'page-2' });
    expect(within(list).getAllByRole('link').map((link) => link.textContent)).toEqual(['INV-000007', 'INV-000009']);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('drills into a currency’s total without a customer or bucket', async () => {
    const calls = fakeApi();
    show('/reports/aging?as_of=2026-12-07');
    const buckets = await screen.findByRole('table', { name: /Receivables in EUR by days past due/ });
    await userEvent.click(within(buckets).getByRole('button', { name: `Open invoices in EUR: ${eur(110050)}` }));
    await screen.findByRole('table', { name: 'Open invoices in EUR' });
    expect(query(last(calls))).toEqual({ as_of: '2026-12-07', currency: 'EUR', limit: '20' });
  });

  it('keeps the day in the URL and asks for the report as of it', async () => {
    const calls = fakeApi();
    show('/reports/aging?as_of=2026-12-07');
    await screen.findByRole('img', { name: new RegExp(`as of ${formatDay('2026-12-07')}`) });
    fireEvent.change(screen.getByLabelText('As of'), { target: { value: '2026-10-31' } });

    await screen.findByRole('img', { name: new RegExp(`as of ${formatDay('2026-10-31')}`) });
    expect(screen.getByTestId('search').textContent).toBe('?as_of=2026-10-31');
    expect(calls.map((url) => url.searchParams.get('as_of'))).toEqual(['2026-12-07', '2026-10-31']);
  });

  it('says so when nothing is owed', async () => {
    fakeApi({ empty: true });
    show('/reports/aging?as_of=2026-12-07');
    await screen.findByText('Nothing is owed');
    expect(screen.queryByRole('img')).toBeNull();
  });
});
