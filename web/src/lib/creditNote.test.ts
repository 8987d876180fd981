import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import type { CreditNote, Invoice } from '../api/types';
import { checkScope, creditErrors, creditField, creditNoteBody, creditRates, emptyCreditForm, leftToCredit, reasonError } from './creditNote';

const tax = (percent: string, exemption_reason: string | null = null) =>
  ({ category: 'S', percent, exemption_reason, exemption_code: null }) as const;

const item = (description: string, quantity: string, percent: string) => ({
  description,
  quantity,
  unit: 'C62',
  unit_amount: 1000,
  unit_amount_decimal: null,
  discount: null,
  period: null,
  tax_rate_id: null,
  tax: tax(percent),
  amount: 1000,
});

// Only what the credit-note form reads of an invoice.
const INVOICE = {
  currency: 'EUR',
  amount_paid: 0,
  items: [item('Licences', '10', '19'), item('Setup', '1.5', '19'), item('Books', '3', '7')],
  tax_breakdown: [
    { ...tax('19'), base: 10000, tax: 1900 },
    { ...tax('19.0', 'other wording'), base: 500, tax: 95 },
    { ...tax('7'), base: 3000, tax: 210 },
  ],
} as unknown as Invoice;

const note = (lines: { invoice_line: number | null; quantity: string }[]) =>
  ({ lines: lines.map((line) => ({ ...line, category: 'S', percent: '19', amount: 1 })) }) as unknown as CreditNote;

describe('the credit-note form', () => {
  it('offers each VAT category and rate once', () => {
    expect(creditRates(INVOICE)).toEqual([
      { category: 'S', percent: '19', base: 10500, tax: 1995 },
      { category: 'S', percent: '7', base: 3000, tax: 210 },
    ]);
  });

  it('knows what is left of each line after earlier notes, exactly', () => {
    const notes = [note([{ invoice_line: 0, quantity: '2.5' }, { invoice_line: 1, quantity: '0.0001' }]), note([{ invoice_line: 0, quantity: '7.5' }, { invoice_line: null, quantity: '1' }])];
    expect(leftToCredit(INVOICE, notes)).toEqual(['0', '1.4999', '3']);
    expect(leftToCredit(INVOICE, [])).toEqual(['10', '1.5', '3']);
  });

  it('sends the lines with a quantity, and remembers which line each one is', () => {
    const form = { ...emptyCreditForm(INVOICE), kind: 'lines' as const, quantities: ['', '1.50', '2'] };
    const checked = checkScope(form, INVOICE, ['10', '1.5', '3']);
    expect(checked.scope).toEqual({ kind: 'lines', lines: [{ line: 1, quantity: '1.5' }, { line: 2, quantity: '2' }] });
    expect(checked.positions).toEqual([1, 2]);

    const tooMany = checkScope({ ...form, quantities: ['0', '2', 'x'] }, INVOICE, ['10', '1.5', '3']);
    expect(tooMany.scope).toBeNull();
    expect(tooMany.errors).toEqual({
      'lines.0': 'Must be above 0',
      'lines.1': 'At most 1.5, what is left of this line',
      'lines.2': 'Enter a number like 1 or 2.5',
    });
    expect(checkScope({ ...form, quantities: ['', '', ''] }, INVOICE, []).nothing).toBe(true);
  });

  it('sends amounts by rate in minor units', () => {
    const form = { ...emptyCreditForm(INVOICE), kind: 'amounts' as const, amounts: ['', '12.5'] };
    const checked = checkScope(form, INVOICE, []);
    expect(checked.scope).toEqual({ kind: 'amounts', amounts: [{ category: 'S', percent: '7', amount: 1250 }] });
    expect(checked.positions).toEqual([1]);
    expect(checkScope({ ...form, amounts: ['0', '1.234'] }, INVOICE, []).errors).toEqual({
      'amounts.0': 'Enter more than zero',
      'amounts.1': 'At most 2 decimal places',
    });
  });

  it('asks where the excess goes only of a paid invoice', () => {
    const form = { ...emptyCreditForm(INVOICE), reason: '  Returned  ', excessTo: 'refund' as const };
    expect(creditNoteBody(form, INVOICE, { kind: 'remaining' })).toEqual({ reason: 'Returned', scope: { kind: 'remaining' } });
    expect(creditNoteBody(form, { ...INVOICE, amount_paid: 1 }, { kind: 'remaining' })).toEqual({
      reason: 'Returned',
      scope: { kind: 'remaining' },
      excess_to: 'refund',
    });
    expect(reasonError('   ')).toBe('Say why the invoice is credited');
    expect(reasonError('x'.repeat(501))).toBe('At most 500 characters');
  });

  it('puts the API’s messages on the fields they are about', () => {
    expect(creditField('scope.lines[1].quantity', 'lines', [0, 2])).toBe('lines.2');
    expect(creditField('scope.amounts[0].category', 'amounts', [1])).toBe('amounts.1');
    expect(creditField('scope.lines[5].line', 'lines', [0])).toBe('scope');
    expect(creditField('scope.amounts', 'amounts', [0])).toBe('scope');
    expect(creditField('reason', 'remaining', [])).toBe('reason');
    const error = new ApiError(422, {
      status: 422,
      errors: { 'scope.lines[0].quantity': ['must be above 0'], scope: ['credits more than the invoice has left', 'try less'] },
    });
    expect(creditErrors(error, 'lines', [2])).toEqual({
      'lines.2': 'Must be above 0',
      scope: 'Credits more than the invoice has left; try less',
    });
    expect(creditErrors(new ApiError(409, { status: 409, detail: 'void' }), 'lines', [])).toEqual({});
  });
});
