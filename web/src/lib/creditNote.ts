// The credit-note dialog's state and the API's `IssueCreditNote`, both ways: what a person types
// (text until it is checked) becomes the request's scope, what the invoice's earlier notes took
// of each line bounds the quantities offered, and the API's field paths
// (`scope.lines[0].quantity`, which counts the lines *sent*) find the fields they are about.

import { ApiError } from '../api/client';
import type { CreditKind, CreditNote, CreditScope, ExcessTo, Invoice, IssueCreditNote, VatCategory } from '../api/types';
import { LIMITS } from '../api/limits';
import { parseQuantity } from './draft';
import { capitalize } from './forms';
import { parseMoney } from './money';

/** The dialog as typed. */
export interface CreditForm {
  reason: string;
  kind: CreditKind;
  /** Per line of the invoice (by index), the quantity to credit; `''` credits none of it. */
  quantities: string[];
  /** Per VAT category and rate of the invoice (`creditRates`), the amount; `''` credits none. */
  amounts: string[];
  excessTo: ExcessTo;
}

/**
 * Messages by the field they are about: `reason`, `excess_to`, `scope` (what to credit as a
 * whole), `lines.{invoice line}`, `amounts.{index into creditRates}`.
 */
export type CreditErrors = Record<string, string>;

export function emptyCreditForm(invoice: Invoice): CreditForm {
  return {
    reason: '',
    kind: 'remaining',
    quantities: invoice.items.map(() => ''),
    amounts: creditRates(invoice).map(() => ''),
    excessTo: 'credit_balance',
  };
}

/** One VAT category and rate of the invoice, with what the invoice charged under it. */
export interface CreditRate {
  category: VatCategory;
  percent: string;
  /** The taxable amount invoiced (net of tax). */
  base: number;
  tax: number;
}

/**
 * The VAT categories and rates an amount can be credited under: the rows of the invoice's tax
 * breakdown, one per category and percentage (the API tells rates apart by those two only).
 */
export function creditRates(invoice: Invoice): CreditRate[] {
  const rates: CreditRate[] = [];
  for (const row of invoice.tax_breakdown) {
    const same = rates.find((rate) => rate.category === row.category && Number(rate.percent) === Number(row.percent));
    if (same) {
      same.base += row.base;
      same.tax += row.tax;
    } else {
      rates.push({ category: row.category, percent: row.percent, base: row.base, tax: row.tax });
    }
  }
  return rates;
}

// ---- quantities as exact decimals ------------------------------------------------------------

/** Quantities have at most 4 decimals (the API's rule): counted in ten-thousandths, exactly. */
const SCALE = 10_000n;

function units(quantity: string): bigint {
  const [whole = '0', fraction = ''] = quantity.split('.');
  return BigInt(whole || '0') * SCALE + BigInt(fraction.padEnd(4, '0').slice(0, 4) || '0');
}

function quantityText(value: bigint): string {
  const whole = value / SCALE;
  const fraction = (value % SCALE).toString().padStart(4, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/**
 * What is left to credit of each line of the invoice: its quantity less what the invoice's
 * credit notes took of it (by line; amounts credited by rate take no quantity).
 */
export function leftToCredit(invoice: Invoice, notes: readonly CreditNote[]): string[] {
  return invoice.items.map((item, index) => {
    const credited = notes
      .flatMap((note) => note.lines)
      .filter((line) => line.invoice_line === index)
      .reduce((sum, line) => sum + units(line.quantity), 0n);
    const left = units(item.quantity) - credited;
    return quantityText(left > 0n ? left : 0n);
  });
}

export function isNothing(quantity: string): boolean {
  return units(quantity) === 0n;
}

// ---- the request -----------------------------------------------------------------------------

export interface CheckedScope {
  /** `null` while something typed is wrong, or nothing is chosen (`nothing`). */
  scope: CreditScope | null;
  /** Nothing to credit: no quantity or amount typed. */
  nothing: boolean;
  errors: CreditErrors;
  /** The form's index of each line or amount in the scope, in the order sent. */
  positions: number[];
}

/** What to credit as typed, checked as the API will check it; `left` from `leftToCredit`. */
export function checkScope(form: CreditForm, invoice: Invoice, left: readonly string[]): CheckedScope {
  const errors: CreditErrors = {};
  const positions: number[] = [];
  if (form.kind === 'remaining') return { scope: { kind: 'remaining' }, nothing: false, errors, positions };
  if (form.kind === 'lines') {
    const lines: { line: number; quantity: string }[] = [];
    form.quantities.forEach((typed, index) => {
      if (typed.trim() === '') return;
      const quantity = parseQuantity(typed);
      const most = left[index] ?? invoice.items[index]?.quantity ?? '0';
      if (!quantity.ok) errors[`lines.${index}`] = quantity.error;
      else if (units(quantity.value) > units(most)) {
        errors[`lines.${index}`] = isNothing(most) ? 'Nothing is left to credit of this line' : `At most ${most}, what is left of this line`;
      } else {
        lines.push({ line: index, quantity: quantity.value });
        positions.push(index);
      }
    });
    const nothing = lines.length === 0 && Object.keys(errors).length === 0;
    return { scope: nothing || Object.keys(errors).length > 0 ? null : { kind: 'lines', lines }, nothing, errors, positions };
  }
  const rates = creditRates(invoice);
  const amounts: { category: VatCategory; percent: string; amount: number }[] = [];
  form.amounts.forEach((typed, index) => {
    const rate = rates[index];
    if (typed.trim() === '' || !rate) return;
    const amount = parseMoney(typed, invoice.currency);
    if (!amount.ok) errors[`amounts.${index}`] = amount.error;
    else if (amount.minor === 0) errors[`amounts.${index}`] = 'Enter more than zero';
    else {
      amounts.push({ category: rate.category, percent: rate.percent, amount: amount.minor });
      positions.push(index);
    }
  });
  const nothing = amounts.length === 0 && Object.keys(errors).length === 0;
  return { scope: nothing || Object.keys(errors).length > 0 ? null : { kind: 'amounts', amounts }, nothing, errors, positions };
}

/** The reason's problem, if it has one (the API's rule: not blank, at most its limit). */
export function reasonError(reason: string): string | undefined {
  const text = reason.trim();
  if (!text) return 'Say why the invoice is credited';
  // Characters as the API counts them (code points, not UTF-16 units).
  if ([...text].length > LIMITS.creditNoteReason) return `At most ${LIMITS.creditNoteReason} characters`;
  return undefined;
}

/**
 * The request. `excess_to` is sent only when the invoice has payments (the dialog asks only
 * then: without them, nothing can go beyond the amount due).
 */
export function creditNoteBody(form: CreditForm, invoice: Invoice, scope: CreditScope, reason = form.reason.trim()): IssueCreditNote {
  return invoice.amount_paid > 0 ? { reason, scope, excess_to: form.excessTo } : { reason, scope };
}

// ---- the API's field paths -------------------------------------------------------------------

/**
 * The field an API path is about: `scope.lines[1].quantity` is the second line *sent*, which
 * `positions` turns into the invoice's line; whatever has no field of its own (`scope`,
 * `scope.lines`, a rate the invoice lacks) is about what is credited as a whole.
 */
export function creditField(apiPath: string, kind: CreditKind, positions: readonly number[]): string {
  if (apiPath === 'reason' || apiPath === 'excess_to') return apiPath;
  const item = /^scope\.(lines|amounts)\[(\d+)\]/.exec(apiPath);
  if (item && item[1] === kind) {
    const index = positions[Number(item[2])];
    if (index !== undefined) return `${kind}.${index}`;
  }
  return 'scope';
}

/** A 422's messages on the dialog's fields (`{}` for any other failure). */
export function creditErrors(error: unknown, kind: CreditKind, positions: readonly number[]): CreditErrors {
  if (!(error instanceof ApiError) || error.status !== 422) return {};
  const errors: CreditErrors = {};
  for (const [path, messages] of Object.entries(error.fieldErrors)) {
    if (messages.length === 0) continue;
    const field = creditField(path, kind, positions);
    const text = capitalize(messages.join('; '));
    errors[field] = errors[field] ? `${errors[field]}; ${text}` : text;
  }
  return errors;
}
