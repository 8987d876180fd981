import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Customer } from '../api/types';
import { storeTokens } from '../auth/session';
import { CustomerPage } from './CustomerPage';

const ACME: Customer = {
  id: '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59',
  display_name: 'Acme',
  legal_name: null,
  emails: ['ap@acme.example'],
  cc_emails: [],
  address: null,
  tax_id: null,
  currency: 'EUR',
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
};

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

beforeEach(() =>
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 }),
);
afterEach(() => vi.unstubAllGlobals());

describe('a customer’s page', () => {
  it('offers archiving when invoices name the customer it was asked to delete', async () => {
    const calls: string[] = [];
    let customer = ACME;
    vi.stubGlobal('fetch', async (path: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      calls.push(`${method} ${path}`);
      if (method === 'DELETE') return json({ title: 'Conflict', status: 409, detail: 'Invoices name this customer.' }, 409);
      if (method === 'POST' && path.endsWith('/archive')) {
        customer = { ...customer, archived_at: '2026-12-06T10:00:00Z' };
        return json(customer);
      }
      return json(customer);
    });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={[`/customers/${ACME.id}`]}>
          <Routes>
            <Route path="/customers/:id" element={<CustomerPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    expect(screen.getByRole('link', { name: 'Statement' }).getAttribute('href')).toBe(`/customers/${ACME.id}/statement`);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete customer' }));
    const dialog = screen.getByRole('dialog');
    await within(dialog).findByRole('heading', { name: 'Archive instead?' });
    expect(dialog.textContent).toContain('Invoices name Acme');
    await user.click(within(dialog).getByRole('button', { name: 'Archive customer' }));
    await screen.findByText('Archived');
    expect(calls).toEqual([`GET /api/customers/${ACME.id}`, `DELETE /api/customers/${ACME.id}`, `POST /api/customers/${ACME.id}/archive`]);
    expect(screen.getByRole('button', { name: 'Unarchive' })).toBeTruthy();
  });
});
