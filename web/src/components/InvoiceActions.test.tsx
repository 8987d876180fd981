import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Invoice } from '../api/types';
import { storeTokens } from '../auth/session';
import { todayUtc } from '../lib/dates';
import { InvoiceActions } from './InvoiceActions';

const OVERDUE: Invoice = {
  id: '7d1c2a3e-9f10-4b6d-8e2a-3f550a0e9d43',
  number: 'INV-000042',
  status: 'overdue',
  customer_id: '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59',
  client_name: 'Acme Ltd',
  client_email: 'ap@acme.example',
  buyer: null,
  currency: 'USD',
  issue_date: '2026-10-01',
  due_date: '2026-10-31',
  supply_date: null,
  service_period: null,
  price_basis: 'exclusive',
  items: [],
  adjustments: [],
  tax_breakdown: [],
  subtotal: 38499,
  allowance_total: 0,
  charge_total: 0,
  net_total: 38499,
  tax_total: 0,
  total: 38499,
  amount_paid: 10000,
  amount_credited: 0,
  amount_due: 28499,
  notes: null,
  pdf_url: null,
  sent_at: '2026-10-01T09:00:00Z',
  paid_at: null,
  voided_at: null,
  void_reason: null,
  uncollectible_on: null,
  uncollectible_reason: null,
  created_at: '2026-10-01T09:00:00Z',
  updated_at: '2026-10-01T09:00:00Z',
};

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** Records each request (method, path, JSON body) and answers the write-off with `answer`. */
function fakeApi(answer: (body: { reason: string; on: string }) => Response) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const { pathname } = new URL(path, 'http://app.test');
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    requests.push({ method, path: pathname, body });
    if (method === 'POST' && pathname === `/api/invoices/${OVERDUE.id}/uncollectible`) return answer(body);
    return json({ type: '/problems/not-found', title: 'Not Found', status: 404, detail: `${pathname} not found` }, 404);
  });
  return requests;
}

function show(invoice: Invoice, notify = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>
        <InvoiceActions invoice={invoice} notify={notify} onRejected={vi.fn()} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return notify;
}

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('writing an invoice off', () => {
  it('asks for a reason, dates it today unless told, and says what was written off', async () => {
    const requests = fakeApi((body) =>
      json({ ...OVERDUE, status: 'uncollectible', uncollectible_on: body.on, uncollectible_reason: body.reason }),
    );
    const notify = show(OVERDUE);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Mark uncollectible' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('$284.99');

    await user.click(within(dialog).getByRole('button', { name: 'Write off' }));
    expect(within(dialog).getByText('Say why the money will not come')).toBeTruthy();
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);

    await user.type(within(dialog).getByLabelText('Reason'), 'Insolvent since November');
    await user.click(within(dialog).getByRole('button', { name: 'Write off' }));
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith('$284.99 written off'));
    expect(requests.filter((request) => request.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: `/api/invoices/${OVERDUE.id}/uncollectible`,
        body: { reason: 'Insolvent since November', on: todayUtc() },
      },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows the API’s word on the date beside the date', async () => {
    fakeApi(() =>
      json(
        {
          type: '/problems/validation',
          title: 'Unprocessable Entity',
          status: 422,
          detail: 'on: The write-off date 2026-09-30 is before the invoice’s issue date, 2026-10-01.',
          errors: { on: ['The write-off date 2026-09-30 is before the invoice’s issue date, 2026-10-01.'] },
        },
        422,
      ),
    );
    show(OVERDUE);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Mark uncollectible' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('Reason'), 'Gone');
    await user.click(within(dialog).getByRole('button', { name: 'Write off' }));
    expect(await within(dialog).findByText(/before the invoice’s issue date/)).toBeTruthy();
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('offers an uncollectible invoice only a payment and a pay link', () => {
    show({ ...OVERDUE, status: 'uncollectible', uncollectible_on: '2026-11-30', uncollectible_reason: 'Gone' });
    const names = screen.getAllByRole('button').map((button) => button.textContent);
    expect(names).toEqual(['Copy pay link', 'Record payment']);
  });
});

describe('credit notes', () => {
  it('are offered on sent, overdue and paid invoices only', () => {
    const offered = (status: Invoice['status']) => {
      show({ ...OVERDUE, status });
      const names = screen.queryAllByRole('button').map((button) => button.textContent);
      cleanup();
      return names.includes('Issue credit note');
    };
    expect(offered('overdue')).toBe(true);
    expect(offered('sent')).toBe(true);
    expect(offered('draft')).toBe(false);
    expect(offered('uncollectible')).toBe(false);
    expect(offered('void')).toBe(false);
    expect(offered('credited')).toBe(false);
    show({ ...OVERDUE, status: 'paid', amount_paid: 38499, amount_due: 0 });
    expect(screen.getAllByRole('button').map((button) => button.textContent)).toEqual(['Issue credit note']);
  });
});

describe('paying from the customer’s credit balance', () => {
  /** Answers the statement with `credit` of USD credit balance and records the payment posted. */
  function creditApi(credit: number) {
    const posted: unknown[] = [];
    vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
      const { pathname } = new URL(path, 'http://app.test');
      if (pathname === `/api/customers/${OVERDUE.customer_id}/statement`) {
        const usd = { currency: 'USD', opening_balance: 0, invoiced: 0, paid: 0, credited: 0, written_off: 0, closing_balance: -credit, credit_balance: credit, entries: [] };
        return json({ customer_id: OVERDUE.customer_id, customer_name: 'Acme Ltd', from: todayUtc(), to: todayUtc(), currencies: credit > 0 ? [usd] : [] });
      }
      if (init.method === 'POST' && pathname === `/api/invoices/${OVERDUE.id}/payments`) {
        const body = JSON.parse(String(init.body));
        posted.push(body);
        return json({ payment: { id: 'p', invoice_id: OVERDUE.id, amount: body.amount, currency: 'USD', method: body.method, reference: null, transaction_id: null, amount_refunded: 0, status: 'succeeded', recorded_at: '2026-11-01T00:00:00Z' }, invoice: OVERDUE }, 201);
      }
      return json({ type: '/problems/not-found', title: 'Not Found', status: 404, detail: `${pathname} not found` }, 404);
    });
    return posted;
  }

  it('offers the balance with what it holds, and pays at most that much by default', async () => {
    const posted = creditApi(12_000);
    const notify = show(OVERDUE);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    const dialog = screen.getByRole('dialog');
    const method = within(dialog).getByLabelText('Method');
    const option = await within(dialog).findByRole('option', { name: 'Credit balance ($120.00 available)' });
    await user.selectOptions(method, option);
    expect((within(dialog).getByLabelText('Amount (USD)') as HTMLInputElement).value).toBe('120.00');
    await user.click(within(dialog).getByRole('button', { name: 'Record payment' }));
    await vi.waitFor(() => expect(notify).toHaveBeenCalledWith('Payment of $120.00 recorded'));
    expect(posted).toEqual([{ amount: 12_000, method: 'credit_balance', reference: null }]);
  });

  it('does not offer a balance the customer does not have', async () => {
    creditApi(0);
    show(OVERDUE);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Record payment' }));
    const dialog = screen.getByRole('dialog');
    const names = within(dialog).getAllByRole('option').map((option) => option.textContent);
    expect(names).not.toContain(expect.stringContaining('Credit balance'));
    expect(names).toContain('Bank transfer');
  });
});
