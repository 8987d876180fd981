// The invoice editor's state and the API's draft JSON, both ways: what a person types (text
// until it is checked) becomes `CreateInvoice`, a stored invoice becomes the form again, the
// live totals come from the server's own arithmetic (totals.ts), and the API's field paths
// (`items[1].tax_rate_id`) find their fields.

import type {
  AdjustmentKind,
  CreateInvoice,
  Invoice,
  LineDiscount,
  LineItem,
  PriceBasis,
  TaxRate as AccountRate,
  UnitCode,
} from '../api/types';
import { addDays, daysBetween } from './dates';
import { exponent, parseMoney, toDecimalString } from './money';
import {
  computeTotals,
  MAX_AMOUNT,
  MAX_QUANTITY,
  MAX_QUANTITY_DECIMALS,
  MAX_UNIT_PRICE_DECIMALS,
  type FieldErrors,
  type Outcome,
  type TaxRate,
} from './totals';
import { DEFAULT_UNIT } from './units';

export type DiscountKind = 'none' | 'percent' | 'amount';
/** How the invoice dates its supply: by the issue date, a date of its own, or a period. */
export type Dating = 'issue' | 'supply' | 'period';

/** A line as typed. `unit_price` is in the currency's major unit (`"12.50"`), finer allowed. */
export interface ItemForm {
  description: string;
  quantity: string;
  unit: UnitCode;
  unit_price: string;
  discount_kind: DiscountKind;
  /** A percentage (`"10"`) or an amount in major units (`"5.00"`), by `discount_kind`. */
  discount: string;
  /** `''`: not subject to tax. */
  tax_rate_id: string;
  has_period: boolean;
  period_start: string;
  period_end: string;
}

export interface AdjustmentForm {
  kind: AdjustmentKind;
  reason: string;
  /** Major units. */
  amount: string;
  tax_rate_id: string;
}

export interface DraftForm {
  customer_id: string;
  currency: string;
  issue_date: string;
  due_date: string;
  dating: Dating;
  supply_date: string;
  period_start: string;
  period_end: string;
  price_basis: PriceBasis;
  notes: string;
  items: ItemForm[];
  adjustments: AdjustmentForm[];
}

export function emptyItem(): ItemForm {
  return {
    description: '',
    quantity: '1',
    unit: DEFAULT_UNIT,
    unit_price: '',
    discount_kind: 'none',
    discount: '',
    tax_rate_id: '',
    has_period: false,
    period_start: '',
    period_end: '',
  };
}

export function emptyAdjustment(kind: AdjustmentKind): AdjustmentForm {
  return { kind, reason: '', amount: '', tax_rate_id: '' };
}

export function emptyDraft(today: string, termsDays = 30): DraftForm {
  return {
    customer_id: '',
    currency: 'USD',
    issue_date: today,
    due_date: addDays(today, termsDays),
    dating: 'issue',
    supply_date: '',
    period_start: '',
    period_end: '',
    price_basis: 'exclusive',
    notes: '',
    items: [emptyItem()],
    adjustments: [],
  };
}

// ---- reading what was typed ------------------------------------------------------------------

type Read<T> = { ok: true; value: T } | { ok: false; error: string };

/** Digits as typed: spaces, `_` and `,` (thousands) dropped. */
function digitsOf(text: string): string {
  return text.trim().replace(/[\s,_]/g, '');
}

/** A quantity: above 0, at most 1,000,000, at most 4 decimals; normalised (`"1.5"`). */
export function parseQuantity(text: string): Read<string> {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(digitsOf(text));
  if (!match || (match[1] === '' && !match[2])) return { ok: false, error: 'Enter a number like 1 or 2.5' };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > MAX_QUANTITY_DECIMALS) return { ok: false, error: `At most ${MAX_QUANTITY_DECIMALS} decimal places` };
  const whole = BigInt(match[1] || '0');
  const units = whole * 10n ** BigInt(fraction.length) + BigInt(fraction || '0');
  if (units <= 0n) return { ok: false, error: 'Must be above 0' };
  if (whole > MAX_QUANTITY || (whole === MAX_QUANTITY && fraction !== '')) {
    return { ok: false, error: `At most ${MAX_QUANTITY.toLocaleString('en')}` };
  }
  return { ok: true, value: fraction ? `${whole}.${fraction}` : String(whole) };
}

/** A unit price as the API takes it: whole minor units, or a decimal of them (Stripe's way). */
export type UnitPrice = { unit_amount: number } | { unit_amount_decimal: string };

/**
 * A price typed in major units (`"1,250.50"`, `"0.125"`) as minor units of `currency`, read as
 * text (never a float): whole minor units go to `unit_amount`, anything finer to
 * `unit_amount_decimal` with up to 12 decimals of the minor unit.
 */
export function parseUnitPrice(text: string, currency: string): Read<UnitPrice> {
  const typed = digitsOf(text);
  if (typed === '') return { ok: false, error: 'Enter a price' };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(typed);
  if (!match || (match[1] === '' && !match[2])) return { ok: false, error: 'Enter a price like 1250.00' };
  const digits = exponent(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits + MAX_UNIT_PRICE_DECIMALS) {
    return { ok: false, error: `At most ${digits + MAX_UNIT_PRICE_DECIMALS} decimal places` };
  }
  const minor = BigInt((match[1] || '0') + fraction.slice(0, digits).padEnd(digits, '0'));
  if (minor > MAX_AMOUNT) return { ok: false, error: 'This price is too large' };
  const finer = fraction.slice(digits);
  return finer
    ? { ok: true, value: { unit_amount_decimal: `${minor}.${finer}` } }
    : { ok: true, value: { unit_amount: Number(minor) } };
}

/** The unit price in minor units as a decimal string (what totals.ts computes with). */
export function minorText(price: UnitPrice): string {
  return 'unit_amount' in price ? String(price.unit_amount) : price.unit_amount_decimal;
}

/** A stored line's price in major units, as the form shows it (`"12.50"`, `"0.00125"`). */
export function priceText(item: Pick<LineItem, 'unit_amount' | 'unit_amount_decimal'>, currency: string): string {
  if (item.unit_amount !== null && item.unit_amount !== undefined) return toDecimalString(item.unit_amount, currency);
  const decimal = item.unit_amount_decimal ?? '0';
  const [whole = '0', finer = ''] = decimal.split('.');
  const digits = exponent(currency);
  const padded = whole.padStart(digits + 1, '0');
  const major = padded.slice(0, padded.length - digits).replace(/^0+(?=\d)/, '');
  return `${major}.${padded.slice(padded.length - digits)}${finer}`.replace(/\.$/, '');
}

function parsePercent(text: string): Read<string> {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(digitsOf(text).replace(/%$/, ''));
  if (!match) return { ok: false, error: 'Enter a percentage like 10 or 2.5' };
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > MAX_QUANTITY_DECIMALS) return { ok: false, error: `At most ${MAX_QUANTITY_DECIMALS} decimal places` };
  const whole = BigInt(match[1] ?? '0');
  if (whole > 100n || (whole === 100n && fraction)) return { ok: false, error: 'At most 100 %' };
  return { ok: true, value: fraction ? `${whole}.${fraction}` : String(whole) };
}

function parseDiscount(item: ItemForm, currency: string): Read<LineDiscount | null> {
  if (item.discount_kind === 'none' || item.discount.trim() === '') return { ok: true, value: null };
  // A discount of nothing is refused, as the API does: choose "None" instead.
  if (item.discount_kind === 'percent') {
    const percent = parsePercent(item.discount);
    if (percent.ok && percent.value === '0') return { ok: false, error: 'Must be above 0' };
    return percent.ok ? { ok: true, value: { percent: percent.value } } : percent;
  }
  const amount = parseMoney(item.discount, currency);
  if (amount.ok && amount.minor === 0) return { ok: false, error: 'Must be above 0' };
  return amount.ok ? { ok: true, value: { amount: amount.minor } } : { ok: false, error: amount.error };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// ---- the rules, the totals and the body ------------------------------------------------------

/** The account's rate as a line carries it in the arithmetic. */
export function appliedRate(rate: Pick<AccountRate, 'category' | 'percent' | 'exemption_reason' | 'exemption_code'>): TaxRate {
  return {
    category: rate.category,
    percent: rate.percent,
    exemption: rate.exemption_reason ? { reason: rate.exemption_reason, code: rate.exemption_code ?? null } : null,
  };
}

/** The rate of a line without one (the server's `TaxRate::untaxed`). */
export const UNTAXED: TaxRate = { category: 'O', percent: '0', exemption: { reason: 'Not subject to tax', code: null } };

/** Rates by id: the account's, plus those a stored draft carries (an archived rate, say). */
export type Rates = ReadonlyMap<string, TaxRate>;

export interface Checked {
  /** Problems by the form's path (`items.0.quantity`). */
  errors: Record<string, string>;
  /** The API's JSON, when there are no problems. */
  body: CreateInvoice | null;
  /** The totals of what is typed; `null` while a line cannot be computed. */
  totals: Outcome | null;
}

/**
 * Every rule the editor can check before sending (the API checks them again), the totals as the
 * server will compute them, and the body to send.
 */
export function checkDraft(form: DraftForm, rates: Rates, today: string): Checked {
  const errors: Record<string, string> = {};
  const fail = (path: string, message: string) => {
    errors[path] ??= message;
  };
  if (!form.customer_id) fail('customer_id', 'Choose a customer');
  if (!/^[A-Z]{3}$/.test(form.currency)) fail('currency', 'Choose a currency');
  checkDates(form, today, fail);

  const rateOf = (id: string, path: string): TaxRate => {
    if (!id) return UNTAXED;
    const rate = rates.get(id);
    if (!rate) fail(path, 'Choose one of your tax rates');
    return rate ?? UNTAXED;
  };

  if (form.items.length === 0) fail('items', 'Add at least one line');
  const lines = form.items.map((item, index) => {
    const at = (field: string) => `items.${index}.${field}`;
    if (!item.description.trim()) fail(at('description'), 'Describe the item');
    const quantity = parseQuantity(item.quantity);
    if (!quantity.ok) fail(at('quantity'), quantity.error);
    const price = parseUnitPrice(item.unit_price, form.currency);
    if (!price.ok) fail(at('unit_price'), price.error);
    const discount = parseDiscount(item, form.currency);
    if (!discount.ok) fail(at('discount'), discount.error);
    const rate = rateOf(item.tax_rate_id, at('tax_rate_id'));
    if (item.has_period) checkPeriod(item.period_start, item.period_end, at('period_start'), at('period_end'), fail);
    return { quantity, price, discount, rate };
  });
  const adjustments = form.adjustments.map((adjustment, index) => {
    const at = (field: string) => `adjustments.${index}.${field}`;
    if (!adjustment.reason.trim()) fail(at('reason'), adjustment.kind === 'allowance' ? 'Say what the discount is for' : 'Say what the charge is for');
    const amount = parseMoney(adjustment.amount, form.currency);
    if (!amount.ok) fail(at('amount'), amount.error);
    else if (amount.minor <= 0) fail(at('amount'), 'Must be above 0');
    return { amount, rate: rateOf(adjustment.tax_rate_id, at('tax_rate_id')) };
  });

  // The arithmetic, once every line and adjustment reads.
  let totals: Outcome | null = null;
  if (lines.every((line) => line.quantity.ok && line.price.ok && line.discount.ok) && adjustments.every((a) => a.amount.ok)) {
    totals = computeTotals(
      form.price_basis,
      lines.map((line) => ({
        quantity: line.quantity.ok ? line.quantity.value : '0',
        unit_price: line.price.ok ? minorText(line.price.value) : '0',
        discount: line.discount.ok ? line.discount.value : null,
        rate: line.rate,
      })),
      form.adjustments.map((adjustment, index) => {
        const read = adjustments[index]!;
        return { kind: adjustment.kind, amount: read.amount.ok ? read.amount.minor : 0, rate: read.rate };
      }),
    );
    if (!totals.ok) {
      for (const [path, messages] of Object.entries(totals.errors)) {
        const field = formPath(path.replace(/^lines\[/, 'items['));
        fail(field ?? 'items', capitalize(messages.join('; ')));
      }
    }
  }

  if (Object.keys(errors).length > 0) return { errors, body: null, totals };
  return { errors, body: toBody(form, lines.map((line) => ({ quantity: unwrap(line.quantity), price: unwrap(line.price), discount: unwrap(line.discount) }))), totals };
}

function unwrap<T>(read: Read<T>): T {
  if (!read.ok) throw new Error(read.error);
  return read.value;
}

function toBody(form: DraftForm, lines: { quantity: string; price: UnitPrice; discount: LineDiscount | null }[]): CreateInvoice {
  return {
    customer_id: form.customer_id,
    currency: form.currency,
    issue_date: form.issue_date,
    due_date: form.due_date,
    supply_date: form.dating === 'supply' ? form.supply_date : null,
    service_period: form.dating === 'period' ? { start: form.period_start, end: form.period_end } : null,
    price_basis: form.price_basis,
    notes: form.notes.trim() ? form.notes.trim() : null,
    items: form.items.map((item, index) => {
      const line = lines[index]!;
      return {
        description: item.description.trim(),
        quantity: line.quantity,
        unit: item.unit,
        ...line.price,
        discount: line.discount,
        tax_rate_id: item.tax_rate_id || null,
        period: item.has_period ? { start: item.period_start, end: item.period_end } : null,
      };
    }),
    adjustments: form.adjustments.map((adjustment) => {
      const amount = parseMoney(adjustment.amount, form.currency);
      return {
        kind: adjustment.kind,
        reason: adjustment.reason.trim(),
        amount: amount.ok ? amount.minor : 0,
        tax_rate_id: adjustment.tax_rate_id || null,
      };
    }),
  };
}

function checkPeriod(start: string, end: string, startPath: string, endPath: string, fail: (path: string, message: string) => void) {
  if (!DAY.test(start)) fail(startPath, 'Choose the first day');
  if (!DAY.test(end)) fail(endPath, 'Choose the last day');
  else if (DAY.test(start) && end < start) fail(endPath, 'Must be on or after the first day');
}

function checkDates(form: DraftForm, today: string, fail: (path: string, message: string) => void) {
  if (!DAY.test(form.issue_date)) fail('issue_date', 'Choose the issue date');
  if (!DAY.test(form.due_date)) fail('due_date', 'Choose the due date');
  if (form.dating === 'supply' && !DAY.test(form.supply_date)) fail('supply_date', 'Choose the date of supply');
  if (form.dating === 'period') checkPeriod(form.period_start, form.period_end, 'period_start', 'period_end', fail);
  if (!DAY.test(form.issue_date)) return;
  if (form.issue_date < '2000-01-01') {
    fail('issue_date', 'Must be on or after 2000-01-01');
  } else if (daysBetween(today, form.issue_date) > 366 || form.issue_date > addMonths(today, 12)) {
    fail('issue_date', 'Must be at most a year from today');
  } else if (DAY.test(form.due_date)) {
    if (form.due_date < form.issue_date) fail('due_date', 'Must be on or after the issue date');
    else if (form.due_date > addMonths(form.issue_date, 60)) fail('due_date', 'Must be within five years of the issue date');
  }
}

/** `day` plus whole months, clamped to the month's end (as chrono's checked_add_months). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

// ---- a stored invoice as the form ------------------------------------------------------------

function discountForm(discount: LineDiscount | null, currency: string): Pick<ItemForm, 'discount_kind' | 'discount'> {
  if (!discount) return { discount_kind: 'none', discount: '' };
  if ('percent' in discount) return { discount_kind: 'percent', discount: discount.percent };
  return { discount_kind: 'amount', discount: toDecimalString(discount.amount, currency) };
}

export function fromInvoice(invoice: Invoice): DraftForm {
  const c = invoice.currency;
  return {
    customer_id: invoice.customer_id,
    currency: c,
    issue_date: invoice.issue_date,
    due_date: invoice.due_date,
    dating: invoice.service_period ? 'period' : invoice.supply_date ? 'supply' : 'issue',
    supply_date: invoice.supply_date ?? '',
    period_start: invoice.service_period?.start ?? '',
    period_end: invoice.service_period?.end ?? '',
    price_basis: invoice.price_basis,
    notes: invoice.notes ?? '',
    items: invoice.items.map((item) => ({
      description: item.description,
      quantity: item.quantity,
      unit: item.unit,
      unit_price: priceText(item, c),
      ...discountForm(item.discount, c),
      tax_rate_id: item.tax_rate_id ?? '',
      has_period: item.period !== null,
      period_start: item.period?.start ?? '',
      period_end: item.period?.end ?? '',
    })),
    adjustments: invoice.adjustments.map((adjustment) => ({
      kind: adjustment.kind,
      reason: adjustment.reason,
      amount: toDecimalString(adjustment.amount, c),
      tax_rate_id: adjustment.tax_rate_id ?? '',
    })),
  };
}

/**
 * The rates the editor computes with: the account's active ones, and the ones a stored draft's
 * lines carry (by id), so that a draft naming a rate archived since still adds up.
 */
export function ratesFor(active: readonly AccountRate[], invoice?: Invoice): Map<string, TaxRate> {
  const rates = new Map<string, TaxRate>();
  for (const entry of [...(invoice?.items ?? []), ...(invoice?.adjustments ?? [])]) {
    if (entry.tax_rate_id) rates.set(entry.tax_rate_id, appliedRate(entry.tax));
  }
  for (const rate of active) rates.set(rate.id, appliedRate(rate));
  return rates;
}

// ---- the API's field paths -------------------------------------------------------------------

/**
 * The API's field path (`items[2].unit_amount`) as the editor's (`items.2.unit_price`); `null`
 * for a path the editor has no field for.
 */
export function formPath(apiPath: string): string | null {
  const path = apiPath.replace(/\[(\d+)\]/g, '.$1');
  const item = /^items\.(\d+)\.(\w+)(?:\.(\w+))?$/.exec(path);
  if (item) {
    const [, index, field, sub] = item;
    const mapped =
      field === 'unit_amount' || field === 'unit_amount_decimal' || field === 'unit_price'
        ? 'unit_price'
        : field === 'period'
          ? sub === 'end' ? 'period_end' : 'period_start'
          : field;
    return ['description', 'quantity', 'unit', 'unit_price', 'discount', 'tax_rate_id', 'tax_rate', 'period_start', 'period_end'].includes(mapped ?? '')
      ? `items.${index}.${mapped === 'tax_rate' ? 'tax_rate_id' : mapped}`
      : null;
  }
  const adjustment = /^adjustments\.(\d+)\.(\w+)$/.exec(path);
  if (adjustment) {
    const field = adjustment[2] === 'tax_rate' ? 'tax_rate_id' : adjustment[2];
    return ['kind', 'reason', 'amount', 'tax_rate_id'].includes(field ?? '') ? `adjustments.${adjustment[1]}.${field}` : null;
  }
  if (path === 'service_period' || path === 'service_period.start') return 'period_start';
  if (path === 'service_period.end') return 'period_end';
  return ['customer_id', 'currency', 'issue_date', 'due_date', 'supply_date', 'price_basis', 'notes', 'items', 'adjustments'].includes(path) ? path : null;
}

/** The due date for `termsDays` from the issue date. */
export function dueDateFor(issueDate: string, termsDays: number): string {
  return addDays(issueDate, termsDays);
}

export type { FieldErrors };
