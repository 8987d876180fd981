import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Customer, TaxRate } from '../api/types';
import { storeTokens } from '../auth/session';
import { addDays, todayUtc } from '../lib/dates';
import { InvoiceEditor } from './InvoiceEditor';

const rate = (id: string, name: string, percent: string): TaxRate => ({
  id,
  name,
  description: null,
  percent,
  category: 'S',
  exemption_reason: null,
  exemption_code: null,
  archived_at: null,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
});
const VAT19 = rate('00000000-0000-4000-8000-000000000019', 'VAT 19 %', '19');
const VAT7 = rate('00000000-0000-4000-8000-000000000007', 'VAT 7 %', '7');

const customer = (id: string, name: string, fields: Partial<Customer> = {}): Customer => ({
  id,
  display_name: name,
  legal_name: null,
  emails: [`ap@${name.toLowerCase().replace(/\W/g, '')}.example`],
  cc_emails: [],
  address: null,
  tax_id: null,
  currency: null,
  language: 'en',
  time_zone: 'UTC',
  payment_terms_days: null,
  notes: null,
  e_invoice_format: null,
  buyer_reference: null,
  electronic_address: null,
  archived_at: null,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
  ...fields,
});
const ACME = customer('5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59', 'Acme', { currency: 'EUR', payment_terms_days: 14 });

type Handler = (body: unknown, init: RequestInit) => Response;
const json = (value: unknown, status = 200) => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/** The API as the editor reads it; `saves` answers `POST /api/invoices`, `creates` `POST /api/customers`. */
function fakeApi({ saves, creates }: { saves?: Handler; creates?: Handler }) {
  const customers = [ACME];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const url = new URL(path, 'http://app.test');
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    if (method === 'GET' && url.pathname === '/api/tax-rates') return json({ data: [VAT7, VAT19], next_cursor: null });
    if (method === 'GET' && url.pathname === '/api/settings/seller') return json({ payment_terms_days: 30, number_format: { pattern: 'INV-{SEQ:6}', reset: 'never' }, tax_ids: [] });
    if (method === 'GET' && url.pathname === '/api/customers') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      return json({ data: customers.filter((c) => c.display_name.toLowerCase().includes(q)), next_cursor: null });
    }
    const one = /^\/api\/customers\/([\w-]+)$/.exec(url.pathname);
    if (method === 'GET' && one) return json(customers.find((c) => c.id === one[1]) ?? {}, customers.some((c) => c.id === one[1]) ? 200 : 404);
    if (method === 'POST' && url.pathname === '/api/customers' && creates) {
      const answer = creates(body, init);
      if (answer.ok) customers.push((await answer.clone().json()) as Customer);
      return answer;
    }
    if (method === 'POST' && url.pathname === '/api/invoices' && saves) return saves(body, init);
    return json({ title: 'Not Found', status: 404 }, 404);
  });
}

function renderEditor() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/invoices/new']}>
        <Routes>
          <Route path="/invoices/new" element={<InvoiceEditor />} />
          <Route path="/invoices/:id" element={<p>Saved invoice page</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

/** Picks Acme in the combobox and types two lines at two rates. */
async function fillDraft() {
  const user = userEvent.setup();
  await user.type(await screen.findByRole('combobox', { name: 'Customer' }), 'ac');
  await user.click(await screen.findByRole('option', { name: /Acme/ }));
  await screen.findByTestId('picked-customer');
  const lines = [
    ['Consulting', '2.5', '120.00', VAT19.id],
    ['Books', '3', '19.99', VAT7.id],
  ] as const;
  for (let i = 0; i < lines.length; i += 1) {
    if (i > 0) await user.click(screen.getByRole('button', { name: 'Add line' }));
    const [description, quantity, price, rateId] = lines[i]!;
    await user.type(screen.getAllByLabelText('Description')[i]!, description);
    await user.clear(screen.getAllByLabelText('Quantity')[i]!);
    await user.type(screen.getAllByLabelText('Quantity')[i]!, quantity);
    await user.type(screen.getAllByLabelText('Unit price')[i]!, price);
    await user.selectOptions(screen.getAllByLabelText('Tax rate', { exact: true })[i]!, rateId);
  }
  await user.selectOptions(screen.getAllByLabelText('Discount type')[0]!, 'percent');
  await user.type(screen.getAllByLabelText('Discount (%)')[0]!, '10');
  return user;
}

/** The message tied to a field through aria-describedby. */
function errorOf(field: HTMLElement): string {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('the invoice editor', () => {
  it('takes the picked customer’s currency and terms, and shows the breakdown exactly', async () => {
    fakeApi({});
    renderEditor();
    await fillDraft();
    expect((screen.getByLabelText('Currency') as HTMLSelectElement).value).toBe('EUR');
    expect((screen.getByLabelText('Due date') as HTMLInputElement).value).toBe(addDays(todayUtc(), 14));
    // 2.5 × 120.00 − 10 % = 270.00 at 19 %; 3 × 19.99 = 59.97 at 7 %.
    expect(screen.getAllByTestId('line-net').map((cell) => cell.textContent)).toEqual(['€270.00', '€59.97']);
    const rows = within(screen.getByTestId('tax-breakdown')).getAllByTestId('tax-row');
    expect(rows.map((row) => row.textContent)).toEqual(['VAT 7 %€59.97€4.20', 'VAT 19 %€270.00€51.30']);
    expect(screen.getByTestId('net-total').textContent).toBe('€329.97');
    expect(screen.getByTestId('tax-total').textContent).toBe('€55.50');
    expect(screen.getByTestId('invoice-total').textContent).toBe('€385.47');
  });

  it('creates a customer without leaving the editor and picks it', async () => {
    const created: unknown[] = [];
    fakeApi({
      creates: (body) => {
        created.push(body);
        return json(customer('9d2f3a4b-1c5e-4f60-8a7b-2c3d4e5f6a7b', 'Globex', { currency: 'GBP', payment_terms_days: 7, language: 'de' }), 201);
      },
    });
    renderEditor();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'New customer' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('Customer name'), 'Globex');
    await user.type(within(dialog).getByLabelText('Billing e-mails'), 'ap@globex.example');
    await user.selectOptions(within(dialog).getByLabelText('Currency'), 'GBP');
    await user.type(within(dialog).getByLabelText('Payment terms (days)'), '7');
    await user.click(within(dialog).getByRole('button', { name: 'Create customer' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(created).toEqual([expect.objectContaining({ display_name: 'Globex', emails: ['ap@globex.example'], currency: 'GBP', payment_terms_days: 7 })]);
    expect(await screen.findByTestId('picked-customer')).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Customer' }) as HTMLInputElement).value).toBe('Globex');
    expect((screen.getByLabelText('Currency') as HTMLSelectElement).value).toBe('GBP');
    expect((screen.getByLabelText('Due date') as HTMLInputElement).value).toBe(addDays(todayUtc(), 7));
    expect(screen.getByRole('heading', { name: 'New invoice' })).toBeTruthy();
  });

  it('puts the API’s field errors on their fields', async () => {
    const sent: unknown[] = [];
    fakeApi({
      saves: (body) => {
        sent.push(body);
        return new Response(
          JSON.stringify({
            type: '/problems/validation',
            title: 'Unprocessable Entity',
            status: 422,
            detail: 'Invalid fields',
            errors: { 'items[1].tax_rate_id': ['is archived'], 'items[0].unit_amount': ['must be at most 999999999999999'] },
          }),
          { status: 422, headers: { 'content-type': 'application/problem+json' } },
        );
      },
    });
    renderEditor();
    const user = await fillDraft();
    await user.click(screen.getAllByRole('button', { name: 'Save draft' })[0]!);
    await waitFor(() => expect(errorOf(screen.getAllByLabelText('Tax rate', { exact: true })[1]!)).toBe('Is archived'));
    expect(errorOf(screen.getAllByLabelText('Unit price')[0]!)).toBe('Must be at most 999999999999999');
    expect(errorOf(screen.getAllByLabelText('Tax rate', { exact: true })[0]!)).toBe('');
    expect(sent).toEqual([
      expect.objectContaining({
        customer_id: ACME.id,
        currency: 'EUR',
        items: [
          expect.objectContaining({ description: 'Consulting', quantity: '2.5', unit_amount: 12000, discount: { percent: '10' }, tax_rate_id: VAT19.id }),
          expect.objectContaining({ description: 'Books', quantity: '3', unit_amount: 1999, discount: null, tax_rate_id: VAT7.id }),
        ],
      }),
    ]);
  });

  it('offers a retry after a 5xx, keeps what was typed and reuses the idempotency key', async () => {
    const keys: string[] = [];
    fakeApi({
      saves: (_body, init) => {
        keys.push((init.headers as Record<string, string>)['idempotency-key'] ?? '');
        return keys.length === 1
          ? new Response(JSON.stringify({ title: 'Service Unavailable', status: 503 }), { status: 503, headers: { 'content-type': 'application/problem+json' } })
          : json({ id: '0b6d2e8a-3f55-4a0e-9d43-7d1c2a3e9f10' }, 201);
      },
    });
    renderEditor();
    const user = await fillDraft();
    await user.click(screen.getAllByRole('button', { name: 'Save draft' })[0]!);
    await screen.findByText('Something went wrong on our side');
    expect((screen.getAllByLabelText('Unit price')[1] as HTMLInputElement).value).toBe('19.99');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Saved invoice page');
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe('');
    expect(keys[1]).toBe(keys[0]);
  });
});
