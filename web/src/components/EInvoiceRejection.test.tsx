import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { EInvoiceFinding } from '../api/types';
import { EInvoiceRejection, fixFor } from './EInvoiceRejection';

const INVOICE = { id: '0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3', customer_id: '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59' };

// As the gate words them: the official text (XRechnung's in German, with the rule's id in
// front), the business term, and the field the gate maps it to.
const BUYER_REFERENCE: EInvoiceFinding = {
  rule: 'BR-DE-15',
  message: '[BR-DE-15] Das Element "Buyer reference" (BT-10) muss übermittelt werden.',
  term: 'BT-10',
  field: 'customer.buyer_reference',
  fatal: true,
};
const SELLER_PHONE: EInvoiceFinding = {
  rule: 'BR-DE-6',
  message: '[BR-DE-6] Das Element "Seller contact telephone number" (BT-42) muss übermittelt werden.',
  term: 'BT-42',
  field: 'seller.phone',
  fatal: true,
};
const LINE: EInvoiceFinding = {
  rule: 'BR-CO-4',
  message: 'Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code (BT-151).',
  term: 'BT-151',
  field: 'items[1]',
  fatal: true,
};
const UNMAPPED: EInvoiceFinding = { rule: 'BR-DE-1', message: '[BR-DE-1] Eine Rechnung muss Angaben zu "PAYMENT INSTRUCTIONS" (BG-16) enthalten.', term: null, field: null, fatal: true };
const WARNING: EInvoiceFinding = {
  rule: 'BR-DE-17',
  message: '[BR-DE-17] Mit dem Element "Invoice type code" (BT-3) sollen ausschließlich folgende Codes übermittelt werden.',
  term: 'BT-3',
  field: null,
  fatal: false,
};

function show(findings: EInvoiceFinding[], onDismiss?: () => void) {
  render(
    <MemoryRouter>
      <EInvoiceRejection findings={findings} invoice={INVOICE} format="xrechnung_ubl" onDismiss={onDismiss} />
    </MemoryRouter>,
  );
  return screen.getByTestId('e-invoice-rejection');
}

const row = (rule: string) => document.querySelector<HTMLElement>(`li[data-rule="${rule}"]`)!;

describe('EInvoiceRejection', () => {
  it('lists each fatal rule with its text and a link to where it is fixed', () => {
    const panel = show([BUYER_REFERENCE, SELLER_PHONE, LINE, UNMAPPED]);
    const heading = within(panel).getByRole('heading', { level: 2 });
    expect(heading.textContent).toBe('This invoice can’t be sent as an e-invoice in XRechnung (UBL)');
    expect(document.activeElement).toBe(heading);
    expect(panel.textContent).toContain('no invoice number was used: the invoice is still a draft');
    expect(panel.textContent).toContain('Fix the 4 points below');

    const rows = within(within(panel).getByRole('list', { name: 'What stops the e-invoice' })).getAllByRole('listitem');
    expect(rows.map((item) => item.dataset.rule)).toEqual(['BR-DE-15', 'BR-DE-6', 'BR-CO-4', 'BR-DE-1']);

    const reference = row('BR-DE-15');
    expect(reference.textContent).toContain('EN 16931 BT-10');
    // The official text once, without the id it starts with (the row shows the id).
    expect(reference.textContent).toContain('Das Element "Buyer reference" (BT-10) muss übermittelt werden.');
    expect(reference.textContent).not.toContain('[BR-DE-15]');
    expect(reference.textContent).toContain('Add the buyer reference (Leitweg-ID) the customer gave you');
    expect(within(reference).getByRole('link', { name: 'Edit the customer' }).getAttribute('href')).toBe(`/customers/${INVOICE.customer_id}`);

    const phone = row('BR-DE-6');
    expect(phone.textContent).toContain('Add a contact phone number under Your business.');
    expect(within(phone).getByRole('link', { name: 'Open Settings' }).getAttribute('href')).toBe('/settings');

    const line = row('BR-CO-4');
    expect(line.textContent).toContain('Each Invoice line (BG-25) shall be categorized');
    expect(line.textContent).toContain('Check line 2.');
    expect(within(line).getByRole('link', { name: 'Edit the draft' }).getAttribute('href')).toBe(`/invoices/${INVOICE.id}/edit`);

    // A rule the gate maps to no field: its text, and no link that would guess.
    const unmapped = row('BR-DE-1');
    expect(unmapped.textContent).toContain('Eine Rechnung muss Angaben zu "PAYMENT INSTRUCTIONS" (BG-16) enthalten.');
    expect(within(unmapped).queryByRole('link')).toBeNull();
    expect(within(panel).queryByRole('list', { name: 'Warnings' })).toBeNull();
  });

  it('lists warnings apart from what stops the e-invoice', () => {
    const panel = show([BUYER_REFERENCE, WARNING]);
    expect(panel.textContent).toContain('Fix the point below');
    const stops = within(panel).getByRole('list', { name: 'What stops the e-invoice' });
    expect(within(stops).getAllByRole('listitem').map((item) => item.dataset.rule)).toEqual(['BR-DE-15']);
    const warnings = within(panel).getByRole('list', { name: 'Warnings' });
    const items = within(warnings).getAllByRole('listitem');
    expect(items.map((item) => item.dataset.rule)).toEqual(['BR-DE-17']);
    expect(items[0]!.textContent).toContain('Mit dem Element "Invoice type code" (BT-3)');
    expect(panel.textContent).toContain('they don’t stop sending');
  });

  it('names no format when the page does not know it, and can be dismissed', async () => {
    const dismissed = vi.fn();
    render(
      <MemoryRouter>
        <EInvoiceRejection findings={[BUYER_REFERENCE]} invoice={INVOICE} onDismiss={dismissed} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('This invoice can’t be sent as an e-invoice');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(dismissed).toHaveBeenCalledOnce();
  });
});

describe('fixFor', () => {
  it('sends customer fields to the customer, seller fields to Settings and the rest to the draft', () => {
    const where = (field: string | null) => fixFor(field, INVOICE)?.to ?? null;
    expect(where('customer.electronic_address')).toBe(`/customers/${INVOICE.customer_id}`);
    expect(where('customer.tax_id')).toBe(`/customers/${INVOICE.customer_id}`);
    expect(where('customer.address')).toBe(`/customers/${INVOICE.customer_id}`);
    expect(where('seller.tax_ids')).toBe('/settings');
    expect(where('seller.electronic_address')).toBe('/settings');
    expect(where('bank_accounts')).toBe('/settings');
    for (const field of ['items', 'items[0].unit', 'adjustments', 'due_date', 'supply_date', 'currency']) {
      expect(where(field), field).toBe(`/invoices/${INVOICE.id}/edit`);
    }
    // A field the app does not know yet still points at its record; anything else at nothing.
    expect(fixFor('customer.nickname', INVOICE)).toEqual({ what: 'Check the customer’s details.', place: 'Edit the customer', to: `/customers/${INVOICE.customer_id}` });
    expect(where('payment_means')).toBeNull();
    expect(where('constructor')).toBeNull();
    expect(where(null)).toBeNull();
    expect(fixFor('items[4]', INVOICE)?.what).toBe('Check line 5.');
  });
});
