import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { storeTokens } from '../auth/session';
import { InvoiceEditor } from './InvoiceEditor';

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

async function fillDraft() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Client name'), 'Acme Ltd');
  await user.type(screen.getByLabelText('Client e-mail'), 'ap@acme.example');
  await user.type(screen.getByLabelText('Description'), 'Design');
  await user.clear(screen.getByLabelText('Quantity'));
  await user.type(screen.getByLabelText('Quantity'), '3');
  await user.type(screen.getByLabelText('Unit price'), '125');
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
  it('shows the live total in exact minor units', async () => {
    renderEditor();
    await fillDraft();
    expect(screen.getByTestId('invoice-total').textContent).toBe('$375.00');
  });

  it('puts the API’s field errors on their fields', async () => {
    const sent: unknown[] = [];
    vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      return new Response(
        JSON.stringify({
          type: '/problems/validation',
          title: 'Unprocessable Entity',
          status: 422,
          detail: 'Invalid fields',
          errors: { client_email: ['is not accepted by the mail provider'], 'items[0].unit_amount': ['must be at most 999999999999999'] },
        }),
        { status: 422, headers: { 'content-type': 'application/problem+json' } },
      );
    });
    renderEditor();
    const user = await fillDraft();
    await user.click(screen.getAllByRole('button', { name: 'Save draft' })[0]!);
    await waitFor(() => expect(errorOf(screen.getByLabelText('Client e-mail'))).toBe('Is not accepted by the mail provider'));
    expect(errorOf(screen.getByLabelText('Unit price'))).toBe('Must be at most 999999999999999');
    expect(errorOf(screen.getByLabelText('Client name'))).toBe('');
    expect(sent).toEqual([
      expect.objectContaining({ client_name: 'Acme Ltd', items: [{ description: 'Design', quantity: 3, unit_amount: 12500 }] }),
    ]);
  });

  it('offers a retry after a 5xx, keeps what was typed and reuses the idempotency key', async () => {
    const keys: string[] = [];
    vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['idempotency-key'] ?? '');
      if (keys.length === 1) {
        return new Response(JSON.stringify({ title: 'Service Unavailable', status: 503 }), { status: 503, headers: { 'content-type': 'application/problem+json' } });
      }
      return new Response(JSON.stringify({ id: '0b6d2e8a-3f55-4a0e-9d43-7d1c2a3e9f10' }), { status: 201, headers: { 'content-type': 'application/json' } });
    });
    renderEditor();
    const user = await fillDraft();
    await user.click(screen.getAllByRole('button', { name: 'Save draft' })[0]!);
    await screen.findByText('Something went wrong on our side');
    expect((screen.getByLabelText('Client name') as HTMLInputElement).value).toBe('Acme Ltd');
    expect((screen.getByLabelText('Unit price') as HTMLInputElement).value).toBe('125');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Saved invoice page');
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe('');
    expect(keys[1]).toBe(keys[0]);
  });
});
