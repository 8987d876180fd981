import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Customer, Invoice, Problem } from '../api/types';
import { storeTokens } from '../auth/session';
import { InvoicePage } from './InvoicePage';

const CUSTOMER: Customer = {
  id: '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59',
  display_name: 'Stadt Musterhausen',
  legal_name: null,
  emails: ['rechnung@musterhausen.example'],
  cc_emails: [],
  address: null,
  tax_id: null,
  currency: 'EUR',
  language: 'de',
  time_zone: 'Europe/Berlin',
  payment_terms_days: null,
  notes: null,
  e_invoice_format: 'xrechnung_ubl',
  buyer_reference: null,
  electronic_address: null,
  archived_at: null,
  created_at: '2026-12-01T00:00:00Z',
  updated_at: '2026-12-01T00:00:00Z',
};

const DRAFT: Invoice = {
  id: '0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
  number: null,
  status: 'draft',
  customer_id: CUSTOMER.id,
  client_name: CUSTOMER.display_name,
  client_email: CUSTOMER.emails[0]!,
  buyer: null,
  currency: 'EUR',
  issue_date: '2026-12-01',
  due_date: '2026-12-15',
  supply_date: null,
  service_period: null,
  price_basis: 'exclusive',
  items: [
    {
      description: 'Beratung',
      quantity: '1',
      unit: 'DAY',
      unit_amount: 96000,
      unit_amount_decimal: null,
      discount: null,
      period: null,
      tax_rate_id: null,
      tax: { category: 'S', percent: '19', exemption_reason: null, exemption_code: null },
      amount: 96000,
    },
  ],
  adjustments: [],
  tax_breakdown: [],
  subtotal: 96000,
  allowance_total: 0,
  charge_total: 0,
  net_total: 96000,
  tax_total: 18240,
  total: 114240,
  amount_paid: 0,
  amount_credited: 0,
  amount_due: 114240,
  notes: null,
  pdf_url: null,
  sent_at: null,
  paid_at: null,
  voided_at: null,
  void_reason: null,
  uncollectible_on: null,
  uncollectible_reason: null,
  created_at: '2026-12-01T09:00:00Z',
  updated_at: '2026-12-01T09:00:00Z',
};

const REJECTED: Problem = {
  type: '/problems/e-invoice-rejected',
  title: 'Unprocessable Entity',
  status: 422,
  detail: 'The XRechnung (UBL) e-invoice breaks 1 rule (BR-DE-15); the invoice was not sent. Fix the customer, the seller details or the draft and send it again.',
  rules: [
    { rule: 'BR-DE-15', message: '[BR-DE-15] Das Element "Buyer reference" (BT-10) muss übermittelt werden.', term: 'BT-10', field: 'customer.buyer_reference', fatal: true },
    { rule: 'BR-DE-17', message: '[BR-DE-17] Mit dem Element "Invoice type code" (BT-3) sollen ausschließlich folgende Codes übermittelt werden.', term: 'BT-3', field: null, fatal: false },
  ],
};

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** The API as the invoice page reads it; `sends` answers `POST /api/invoices/{id}/send`. */
function fakeApi(sends: () => Response) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const { pathname } = new URL(path, 'http://app.test');
    calls.push(`${method} ${pathname}`);
    if (method === 'POST' && pathname === `/api/invoices/${DRAFT.id}/send`) return sends();
    if (method === 'GET' && pathname === `/api/invoices/${DRAFT.id}`) return json(DRAFT);
    if (method === 'GET' && pathname === `/api/invoices/${DRAFT.id}/events`) return json({ data: [] });
    if (method === 'GET' && pathname === `/api/customers/${CUSTOMER.id}`) return json(CUSTOMER);
    if (method === 'GET' && pathname === '/api/tax-rates') return json({ data: [], next_cursor: null });
    return json({ type: '/problems/not-found', title: 'Not Found', status: 404, detail: `${pathname} not found` }, 404);
  });
  return calls;
}

async function sendDraft() {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={[`/invoices/${DRAFT.id}`]}>
        <Routes>
          <Route path="/invoices/:id" element={<InvoicePage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Send invoice' }));
  await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Send' }));
}

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('sending a draft from its page', () => {
  it('shows what to fix when the e-invoice gate refuses it, and keeps it a draft', async () => {
    const calls = fakeApi(() => json(REJECTED, 422));
    await sendDraft();
    const panel = await screen.findByTestId('e-invoice-rejection');
    // The dialog closed; the page says which format and what to fix, with the link to fix it.
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls.filter((call) => call.startsWith('POST'))).toEqual([`POST /api/invoices/${DRAFT.id}/send`]);
    const heading = await within(panel).findByRole('heading', { name: 'This invoice can’t be sent as an e-invoice in XRechnung (UBL)' });
    expect(document.activeElement).toBe(heading);
    expect(panel.textContent).toContain('the invoice is still a draft');
    const rule = within(within(panel).getByRole('list', { name: 'What stops the e-invoice' })).getByRole('listitem');
    expect(rule.textContent).toContain('BR-DE-15');
    expect(rule.textContent).toContain('Das Element "Buyer reference" (BT-10) muss übermittelt werden.');
    expect(within(rule).getByRole('link', { name: 'Edit the customer' }).getAttribute('href')).toBe(`/customers/${CUSTOMER.id}`);
    expect(within(within(panel).getByRole('list', { name: 'Warnings' })).getByRole('listitem').textContent).toContain('BR-DE-17');
    expect(screen.getByRole('button', { name: 'Send invoice' })).toBeTruthy();

    await userEvent.setup().click(within(panel).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('e-invoice-rejection')).toBeNull();
  });

  it('keeps showing other refusals in the dialog as before', async () => {
    fakeApi(() =>
      json({ type: '/problems/invalid-transition', title: 'Conflict', status: 409, detail: 'The invoice was already sent.' }, 409),
    );
    await sendDraft();
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert.textContent).toContain('Conflict');
    expect(alert.textContent).toContain('The invoice was already sent.');
    expect(screen.queryByTestId('e-invoice-rejection')).toBeNull();
  });

  it('keeps showing a 422 of another kind in the dialog', async () => {
    fakeApi(() =>
      json({ type: '/problems/validation-failed', title: 'Unprocessable Entity', status: 422, detail: 'Invalid fields: due_date: must be on or after the issue date', errors: { due_date: ['must be on or after the issue date'] } }, 422),
    );
    await sendDraft();
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert.textContent).toContain('Invalid fields: due_date: must be on or after the issue date');
    expect(screen.queryByTestId('e-invoice-rejection')).toBeNull();
  });
});
