import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CreditNote, CreditNotePreview, Customer, Invoice, IssueCreditNote } from '../api/types';
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

const S19 = { category: 'S', percent: '19', exemption_reason: null, exemption_code: null } as const;
const S7 = { category: 'S', percent: '7', exemption_reason: null, exemption_code: null } as const;

/** Sent, €1,000.00 of €3,641.20 paid: three days of consulting at 19 %, travel at 7 %. */
const SENT: Invoice = {
  id: '0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
  number: 'INV-000012',
  status: 'sent',
  customer_id: CUSTOMER.id,
  client_name: CUSTOMER.display_name,
  client_email: CUSTOMER.emails[0]!,
  buyer: null,
  currency: 'EUR',
  issue_date: '2026-12-01',
  due_date: '2026-12-31',
  supply_date: null,
  service_period: null,
  price_basis: 'exclusive',
  items: [
    { description: 'Beratung', quantity: '3', unit: 'DAY', unit_amount: 96000, unit_amount_decimal: null, discount: null, period: null, tax_rate_id: null, tax: S19, amount: 288000 },
    { description: 'Reisekosten', quantity: '1', unit: 'C62', unit_amount: 20000, unit_amount_decimal: null, discount: null, period: null, tax_rate_id: null, tax: S7, amount: 20000 },
  ],
  adjustments: [],
  tax_breakdown: [
    { ...S19, base: 288000, tax: 54720 },
    { ...S7, base: 20000, tax: 1400 },
  ],
  subtotal: 308000,
  allowance_total: 0,
  charge_total: 0,
  net_total: 308000,
  tax_total: 56120,
  total: 364120,
  amount_paid: 100000,
  amount_credited: 0,
  amount_due: 264120,
  notes: null,
  pdf_url: null,
  sent_at: '2026-12-01T09:00:00Z',
  paid_at: null,
  voided_at: null,
  void_reason: null,
  uncollectible_on: null,
  uncollectible_reason: null,
  created_at: '2026-12-01T09:00:00Z',
  updated_at: '2026-12-01T09:00:00Z',
};

/** What a note of one day of consulting (19 %) comes to. */
const ONE_DAY = {
  lines: [{ invoice_line: 0, quantity: '1', category: 'S', percent: '19', amount: 96000 }],
  breakdown: [{ category: 'S', percent: '19', taxable_amount: 96000, tax_amount: 18240 }],
  line_total: 96000,
  allowance_total: 0,
  charge_total: 0,
  net_total: 96000,
  tax_total: 18240,
  gross_total: 114240,
} satisfies Partial<CreditNotePreview>;

/** Everything left: the whole invoice, €1,000.00 of it beyond the amount due. */
const EVERYTHING: CreditNotePreview = {
  lines: [
    { invoice_line: 0, quantity: '3', category: 'S', percent: '19', amount: 288000 },
    { invoice_line: 1, quantity: '1', category: 'S', percent: '7', amount: 20000 },
  ],
  breakdown: [
    { category: 'S', percent: '19', taxable_amount: 288000, tax_amount: 54720 },
    { category: 'S', percent: '7', taxable_amount: 20000, tax_amount: 1400 },
  ],
  line_total: 308000,
  allowance_total: 0,
  charge_total: 0,
  net_total: 308000,
  tax_total: 56120,
  gross_total: 364120,
  excess: 100000,
  amount_due: 0,
  status: 'credited',
};

const NOTE: CreditNote = {
  ...ONE_DAY,
  lines: [{ invoice_line: 0, quantity: '2', category: 'S', percent: '19', amount: 192000 }],
  breakdown: [{ category: 'S', percent: '19', taxable_amount: 192000, tax_amount: 36480 }],
  line_total: 192000,
  net_total: 192000,
  tax_total: 36480,
  gross_total: 228480,
  id: '9f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  invoice_id: SENT.id,
  number: 'CN-000007',
  issue_date: '2026-12-10',
  reason: 'Two days were not delivered.',
  pdf_url: null,
  currency: 'EUR',
  excess: 0,
  excess_to: null,
  refunds: [],
  issued_at: '2026-12-10T10:00:00Z',
};

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const invalid = (errors: Record<string, string[]>) =>
  json({ type: '/problems/validation-failed', title: 'Unprocessable Entity', status: 422, detail: 'Invalid fields', errors }, 422);

interface Sent {
  method: string;
  path: string;
  body: unknown;
  key: string | undefined;
}

/**
 * The API as the invoice page reads it: `invoice` and `notes` as they stand (an issued note
 * changes both), `preview` and `issue` answering the two credit-note requests.
 */
function fakeApi({
  invoice = SENT,
  notes = [] as CreditNote[],
  preview = (body: IssueCreditNote): Response => json(body.scope.kind === 'remaining' ? EVERYTHING : { ...ONE_DAY, excess: 0, amount_due: 149880, status: 'sent' }),
  issue = (_body: IssueCreditNote): Response => json({}, 500),
}) {
  const state = { invoice, notes };
  const requests: Sent[] = [];
  vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const { pathname } = new URL(path, 'http://app.test');
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    const key = (init.headers as Record<string, string> | undefined)?.['idempotency-key'];
    requests.push({ method, path: pathname, body, key });
    const base = `/api/invoices/${state.invoice.id}`;
    if (method === 'POST' && pathname === `${base}/credit-notes/preview`) return preview(body);
    if (method === 'POST' && pathname === `${base}/credit-notes`) {
      const answer = issue(body);
      if (answer.status === 201) {
        const issued = (await answer.clone().json()) as { credit_note: CreditNote; invoice: Invoice };
        state.invoice = issued.invoice;
        state.notes = [...state.notes, issued.credit_note];
      }
      return answer;
    }
    if (method === 'GET' && pathname === base) return json(state.invoice);
    if (method === 'GET' && pathname === `${base}/credit-notes`) return json(state.notes);
    if (method === 'GET' && pathname === `${base}/payments`) return json({ data: [] });
    if (method === 'GET' && pathname === `${base}/events`) return json({ data: [] });
    if (method === 'GET' && pathname === `/api/credit-notes/${NOTE.id}/pdf`) {
      const bearer = (init.headers as Record<string, string> | undefined)?.['authorization'];
      if (bearer !== 'Bearer a') return json({ type: '/problems/unauthorized', title: 'Unauthorized', status: 401 }, 401);
      return new Response('%PDF-1.7', {
        status: 200,
        headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="${NOTE.number}.pdf"` },
      });
    }
    if (method === 'GET' && pathname === `/api/customers/${CUSTOMER.id}`) return json(CUSTOMER);
    if (method === 'GET' && pathname === '/api/tax-rates') return json({ data: [], next_cursor: null });
    return json({ type: '/problems/not-found', title: 'Not Found', status: 404, detail: `${pathname} not found` }, 404);
  });
  return requests;
}

const previews = (requests: Sent[]) => requests.filter((request) => request.path.endsWith('/credit-notes/preview')).map((request) => request.body);
const issues = (requests: Sent[]) => requests.filter((request) => request.method === 'POST' && request.path.endsWith('/credit-notes'));

function showPage(invoice: Invoice = SENT) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter initialEntries={[`/invoices/${invoice.id}`]}>
        <Routes>
          <Route path="/invoices/:id" element={<InvoicePage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

async function openDialog() {
  showPage();
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Issue credit note' }));
  return { user, dialog: screen.getByRole('dialog') };
}

/** The message tied to a control (`aria-describedby`). */
function description(control: HTMLElement): string {
  return (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('issuing a credit note from the invoice page', () => {
  it('previews the note as it is edited: its totals, the amount due after it and the excess', async () => {
    const requests = fakeApi({});
    const { user, dialog } = await openDialog();
    const figures = within(dialog).getByTestId('credit-note-preview');

    // Everything left, at once: the whole invoice, more than is due since €1,000.00 was paid.
    expect((await within(figures).findByTestId('amount-due-after')).textContent).toBe('Amount due after: €0.00 (Credited)');
    expect(within(figures).getByTestId('credit-note-total').textContent).toBe('€3,641.20');
    expect(within(figures).getByTestId('credit-note-excess').textContent).toBe('€1,000.00 more than is due goes to the customer’s credit balance.');
    expect(previews(requests)).toEqual([{ reason: 'Preview', scope: { kind: 'remaining' }, excess_to: 'credit_balance' }]);

    // One of the three days: asked once, a moment after the last key.
    await user.click(within(dialog).getByRole('radio', { name: 'Lines' }));
    expect(within(figures).getByText('Enter the quantity to credit of one line or more to see the credit note.')).toBeTruthy();
    const days = within(dialog).getByLabelText('Quantity to credit of Beratung');
    expect(description(days)).toBe('Up to 3');
    await user.type(days, '2{Backspace}1');
    await waitFor(() => expect(within(figures).getByTestId('amount-due-after').textContent).toBe('Amount due after: €1,498.80 (Sent)'));
    expect(within(figures).getByTestId('credit-note-total').textContent).toBe('€1,142.40');
    expect(within(figures).queryByTestId('credit-note-excess')).toBeNull();
    expect(previews(requests)).toEqual([
      { reason: 'Preview', scope: { kind: 'remaining' }, excess_to: 'credit_balance' },
      { reason: 'Preview', scope: { kind: 'lines', lines: [{ line: 0, quantity: '1' }] }, excess_to: 'credit_balance' },
    ]);

    // More than the line has is caught before anything is asked.
    await user.clear(days);
    await user.type(days, '4');
    expect(description(days)).toBe('At most 3, what is left of this line');
    expect(within(figures).getByText('Correct the fields above to see the credit note.')).toBeTruthy();
  });

  it('issues what was typed with an Idempotency-Key, then shows the note and the invoice after it', async () => {
    const requests = fakeApi({
      issue: (body) =>
        json(
          {
            credit_note: { ...NOTE, reason: body.reason },
            invoice: { ...SENT, amount_credited: 228480, amount_due: 35640, updated_at: '2026-12-10T10:00:00Z' },
          },
          201,
        ),
    });
    const { user, dialog } = await openDialog();
    await user.click(within(dialog).getByRole('radio', { name: 'Lines' }));
    await user.type(within(dialog).getByLabelText('Quantity to credit of Beratung'), '2');
    await user.click(within(dialog).getByRole('radio', { name: 'A refund on the invoice’s payments' }));

    // No reason: nothing is issued.
    await user.click(within(dialog).getByRole('button', { name: 'Issue credit note' }));
    expect(description(within(dialog).getByLabelText('Reason'))).toBe('Say why the invoice is credited');
    expect(issues(requests)).toEqual([]);

    await user.type(within(dialog).getByLabelText('Reason'), 'Two days were not delivered.');
    await user.click(within(dialog).getByRole('button', { name: 'Issue credit note' }));
    expect(await screen.findByText('Credit note CN-000007 issued for €2,284.80')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();

    const [issued] = issues(requests);
    expect(issued?.body).toEqual({
      reason: 'Two days were not delivered.',
      scope: { kind: 'lines', lines: [{ line: 0, quantity: '2' }] },
      excess_to: 'refund',
    });
    expect(issued?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(issues(requests)).toHaveLength(1);

    // The invoice as the API returned it, and its notes read again.
    expect(screen.getByTestId('amount-credited').textContent).toBe('€2,284.80');
    expect(screen.getByTestId('amount-due').textContent).toBe('€356.40');
    const list = await screen.findByRole('list', { name: 'Credit notes' });
    expect(within(list).getByText('CN-000007')).toBeTruthy();
  });

  it('shows the API’s field errors next to their fields', async () => {
    const requests = fakeApi({
      // Another note took half the travel since the page read the invoice.
      preview: (body) =>
        body.scope.kind === 'lines'
          ? invalid({ 'scope.lines[0].quantity': ['is more than the 0.5 left to credit of this line'] })
          : json({ ...ONE_DAY, lines: [], breakdown: [], line_total: 5000, net_total: 5000, tax_total: 350, gross_total: 5350, excess: 0, amount_due: 258770, status: 'sent' }),
      issue: () => invalid({ 'scope.amounts[0].amount': ['must be above 0'], reason: ['must be at most 500 characters'] }),
    });
    const { user, dialog } = await openDialog();
    await user.click(within(dialog).getByRole('radio', { name: 'Lines' }));
    const travel = within(dialog).getByLabelText('Quantity to credit of Reisekosten');
    await user.type(travel, '1');
    // The first line sent is the invoice's second.
    await waitFor(() => expect(description(travel)).toBe('Is more than the 0.5 left to credit of this line'));
    expect(travel.getAttribute('aria-invalid')).toBe('true');
    expect(previews(requests).at(-1)).toEqual({ reason: 'Preview', scope: { kind: 'lines', lines: [{ line: 1, quantity: '1' }] }, excess_to: 'credit_balance' });

    // By rate: the amount at 7 % is the first sent.
    await user.click(within(dialog).getByRole('radio', { name: 'Amounts by VAT rate' }));
    await user.type(within(dialog).getByLabelText('Amount at 7 % (EUR)'), '50');
    await user.type(within(dialog).getByLabelText('Reason'), 'Goodwill');
    await user.click(within(dialog).getByRole('button', { name: 'Issue credit note' }));
    const seven = within(dialog).getByLabelText('Amount at 7 % (EUR)');
    await waitFor(() => expect(description(seven)).toBe('Must be above 0'));
    expect(description(within(dialog).getByLabelText('Reason'))).toBe('Must be at most 500 characters');
    expect(description(within(dialog).getByLabelText('Amount at 19 % (EUR)'))).toBe('Net of tax; the tax is added. Invoiced: €2,880.00 net.');
    expect(issues(requests).map((request) => request.body)).toEqual([
      { reason: 'Goodwill', scope: { kind: 'amounts', amounts: [{ category: 'S', percent: '7', amount: 5000 }] }, excess_to: 'credit_balance' },
    ]);
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('lists the invoice’s notes and what they credited', async () => {
    fakeApi({
      invoice: { ...SENT, status: 'credited', amount_credited: 364120, amount_due: 0 },
      notes: [
        NOTE,
        {
          ...NOTE,
          id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
          number: 'CN-000009',
          issue_date: '2026-12-12',
          reason: 'Order cancelled.',
          gross_total: 135640,
          excess: 100000,
          excess_to: 'refund',
          refunds: [{ payment_id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e', amount: 100000, stripe: true }],
        },
      ],
    });
    showPage();
    const list = await screen.findByRole('list', { name: 'Credit notes' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first?.textContent).toContain('CN-000007');
    expect(first?.textContent).toContain('Dec 10, 2026');
    expect(first?.textContent).toContain('Two days were not delivered.');
    expect(first?.textContent).toContain('€2,284.80');
    expect(first?.textContent).not.toContain('beyond the amount due');
    expect(second?.textContent).toContain('CN-000009');
    expect(second?.textContent).toContain('€1,356.40');
    expect(second?.textContent).toContain('€1,000.00 beyond the amount due, refunded (at Stripe)');

    expect(screen.getByTestId('amount-credited').textContent).toBe('€3,641.20');
    const badge = screen.getByRole('heading', { level: 1 }).querySelector('[data-status]');
    expect(badge?.textContent).toBe('Credited');
    // A credited invoice is closed: nothing more to do to it.
    expect(screen.queryByRole('button', { name: 'Issue credit note' })).toBeNull();
  });
});

describe('a credit note’s PDF', () => {
  beforeEach(() =>
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:credit-note'), revokeObjectURL: vi.fn() })),
  );

  it('downloads a rendered note’s PDF with the session’s token and says when one is still being made', async () => {
    const requests = fakeApi({
      invoice: { ...SENT, amount_credited: 228480, amount_due: 35640 },
      notes: [
        { ...NOTE, pdf_url: `/api/credit-notes/${NOTE.id}/pdf` },
        { ...NOTE, id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', number: 'CN-000008', pdf_url: null },
      ],
    });
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(`${this.download} ${this.href}`);
    });
    showPage();
    const list = await screen.findByRole('list', { name: 'Credit notes' });
    const [rendered, pending] = within(list).getAllByRole('listitem');
    expect(within(pending!).queryByRole('button')).toBeNull();
    expect(pending?.textContent).toContain('PDF being prepared…');

    await userEvent.click(within(rendered!).getByRole('button', { name: 'Download CN-000007 as PDF' }));

    await waitFor(() => expect(saved).toEqual(['CN-000007.pdf blob:credit-note']));
    expect(requests.filter((request) => request.path.endsWith('/pdf')).map((request) => request.path)).toEqual([
      `/api/credit-notes/${NOTE.id}/pdf`,
    ]);
    expect(screen.queryByRole('alert')).toBeNull();
    click.mockRestore();
  });

  it('says the PDF is not ready when the API has none yet, and asks for the notes again', async () => {
    const other = { ...NOTE, id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f', number: 'CN-000010', pdf_url: '/api/credit-notes/c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f/pdf' };
    const requests = fakeApi({ invoice: { ...SENT, amount_credited: 228480, amount_due: 35640 }, notes: [other] });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    showPage();
    const button = await screen.findByRole('button', { name: 'Download CN-000010 as PDF' });
    const listed = () => requests.filter((request) => request.path.endsWith('/credit-notes')).length;
    const before = listed();

    await userEvent.click(button);

    expect((await screen.findByRole('alert')).textContent).toBe('The PDF is not ready yet. Try again in a moment.');
    await waitFor(() => expect(listed()).toBeGreaterThan(before));
    expect(click).not.toHaveBeenCalled();
    click.mockRestore();
  });
});
