import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Invoice } from '../api/types';
import { storeTokens } from '../auth/session';
import { EInvoiceCard } from './EInvoiceCard';

/** A sent invoice whose snapshot of its customer says which e-invoice it received. */
const sent = (format: string | null) =>
  ({
    id: '7d1c5a8e-3b2f-4e6a-9c0d-1f2e3a4b5c6d',
    number: 'RE-00001',
    status: 'sent',
    buyer: { display_name: 'Bezirksamt Mitte', e_invoice_format: format },
  }) as unknown as Invoice;

beforeEach(() => {
  storeTokens({ access_token: 'a', token_type: 'Bearer', expires_in: 900, refresh_token: 'r', refresh_expires_in: 1 });
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:e-invoice'), revokeObjectURL: vi.fn() }));
});
afterEach(() => vi.unstubAllGlobals());

describe('the e-invoice card', () => {
  it('downloads the customer’s format as sent, and another one by name', async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (path: string) => {
      calls.push(path);
      const name = path.includes('format=peppol_ubl') ? 'RE-00001-peppol.xml' : 'RE-00001-xrechnung-ubl.xml';
      return new Response('<Invoice/>', {
        status: 200,
        headers: { 'content-type': 'application/xml', 'content-disposition': `attachment; filename="${name}"` },
      });
    });
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    render(<EInvoiceCard invoice={sent('xrechnung_ubl')} />);

    expect(screen.getByTestId('e-invoice-format').textContent).toContain('XRechnung (UBL)');
    expect((screen.getByRole('button', { name: 'Download Factur-X' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Download XRechnung (UBL)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Download Peppol BIS' }));

    expect(calls).toEqual([
      '/api/invoices/7d1c5a8e-3b2f-4e6a-9c0d-1f2e3a4b5c6d/e-invoice',
      '/api/invoices/7d1c5a8e-3b2f-4e6a-9c0d-1f2e3a4b5c6d/e-invoice?format=peppol_ubl',
    ]);
    expect(saved).toEqual(['RE-00001-xrechnung-ubl.xml', 'RE-00001-peppol.xml']);
    click.mockRestore();
  });

  it('shows the rules a format breaks when the API refuses it', async () => {
    vi.stubGlobal('fetch', async () =>
      new Response(
        JSON.stringify({
          type: '/problems/e-invoice-rejected',
          title: 'Unprocessable Entity',
          status: 422,
          detail: 'The invoice as sent breaks 1 rule of Peppol BIS Billing (PEPPOL-EN16931-R010); it cannot be written in that format.',
          rules: [{ rule: 'PEPPOL-EN16931-R010', message: 'Buyer electronic address MUST be provided', term: 'BT-49', field: null, fatal: true }],
        }),
        { status: 422, headers: { 'content-type': 'application/problem+json' } },
      ),
    );
    render(<EInvoiceCard invoice={sent('xrechnung_cii')} />);

    await userEvent.click(screen.getByRole('button', { name: 'Download Peppol BIS' }));

    expect(await screen.findByText(/PEPPOL-EN16931-R010/)).toBeTruthy();
  });

  it('says when the customer received the PDF only', () => {
    render(<EInvoiceCard invoice={sent(null)} />);
    expect(screen.getByTestId('e-invoice-format').textContent).toContain('PDF only');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
