import type { Invoice, TaxRate as AccountRate } from '../api/types';
import {
  checkDraft,
  emptyDraft,
  emptyItem,
  formPath,
  fromInvoice,
  parseQuantity,
  parseUnitPrice,
  priceText,
  ratesFor,
  type DraftForm,
  type ItemForm,
} from './draft';

const today = '2026-12-06';
const CUSTOMER = '5b0e6f1c-2d4a-4c8e-9f3a-7e1d2c3b4a59';

function accountRate(id: string, name: string, percent: string): AccountRate {
  return {
    id,
    name,
    description: null,
    percent,
    category: 'S',
    exemption_reason: null,
    exemption_code: null,
    archived_at: null,
    created_at: '2026-12-01T00:00:00Z',
    updated_at: '2026-12-01T00:00:00Z',
  };
}

const VAT19 = accountRate('00000000-0000-4000-8000-000000000019', 'VAT 19 %', '19');
const VAT7 = accountRate('00000000-0000-4000-8000-000000000007', 'VAT 7 %', '7');
const rates = ratesFor([VAT19, VAT7]);

const line = (overrides: Partial<ItemForm>): ItemForm => ({ ...emptyItem(), ...overrides });

/** Decimal quantities, a discount, a price finer than a cent and two rates. */
function draft(overrides: Partial<DraftForm> = {}): DraftForm {
  return {
    ...emptyDraft(today),
    customer_id: CUSTOMER,
    currency: 'EUR',
    due_date: '2027-01-05',
    items: [
      line({ description: 'Consulting', quantity: '2.5', unit: 'HUR', unit_price: '120.00', discount_kind: 'percent', discount: '10', tax_rate_id: VAT19.id }),
      line({ description: 'Books', quantity: '3', unit: 'H87', unit_price: '19.99', tax_rate_id: VAT7.id }),
      line({ description: 'Hosting', quantity: '1.5', unit: 'MON', unit_price: '9.995', tax_rate_id: VAT19.id }),
    ],
    ...overrides,
  };
}

describe('the editor’s draft', () => {
  it('computes the server’s totals: line nets, the breakdown per rate, net, tax, gross', () => {
    const { errors, totals } = checkDraft(draft(), rates, today);
    expect(errors).toEqual({});
    expect(totals?.ok).toBe(true);
    if (!totals?.ok) return;
    // 2.5 × 120.00 − 10 % = 270.00; 3 × 19.99 = 59.97; 1.5 × 9.995 = 14.9925 → 14.99
    expect(totals.totals.lines).toEqual([27000, 5997, 1499]);
    expect(totals.totals.breakdown.map(({ percent, base, tax }) => ({ percent, base, tax }))).toEqual([
      { percent: '7', base: 5997, tax: 420 },
      { percent: '19', base: 28499, tax: 5415 },
    ]);
    expect(totals.totals.net_total).toBe(34496);
    expect(totals.totals.tax_total).toBe(5835);
    expect(totals.totals.gross_total).toBe(40331);
  });

  it('becomes the API’s JSON exactly', () => {
    const { body } = checkDraft(draft({ notes: '  ', dating: 'period', period_start: '2026-11-01', period_end: '2026-11-30' }), rates, today);
    expect(body).toEqual({
      customer_id: CUSTOMER,
      currency: 'EUR',
      issue_date: today,
      due_date: '2027-01-05',
      supply_date: null,
      service_period: { start: '2026-11-01', end: '2026-11-30' },
      price_basis: 'exclusive',
      notes: null,
      items: [
        { description: 'Consulting', quantity: '2.5', unit: 'HUR', unit_amount: 12000, discount: { percent: '10' }, tax_rate_id: VAT19.id, period: null },
        { description: 'Books', quantity: '3', unit: 'H87', unit_amount: 1999, discount: null, tax_rate_id: VAT7.id, period: null },
        { description: 'Hosting', quantity: '1.5', unit: 'MON', unit_amount_decimal: '999.5', discount: null, tax_rate_id: VAT19.id, period: null },
      ],
      adjustments: [],
    });
  });

  it('sends amounts, adjustments and line periods in minor units', () => {
    const { body } = checkDraft(
      draft({
        items: [line({ description: 'Retainer', unit_price: '1,000', discount_kind: 'amount', discount: '50', has_period: true, period_start: '2026-12-01', period_end: '2026-12-31' })],
        adjustments: [
          { kind: 'allowance', reason: 'Loyalty', amount: '10.50', tax_rate_id: '' },
          { kind: 'charge', reason: 'Shipping', amount: '4.90', tax_rate_id: VAT19.id },
        ],
      }),
      rates,
      today,
    );
    expect(body?.items[0]).toMatchObject({ quantity: '1', unit: 'C62', unit_amount: 100000, discount: { amount: 5000 }, tax_rate_id: null, period: { start: '2026-12-01', end: '2026-12-31' } });
    expect(body?.adjustments).toEqual([
      { kind: 'allowance', reason: 'Loyalty', amount: 1050, tax_rate_id: null },
      { kind: 'charge', reason: 'Shipping', amount: 490, tax_rate_id: VAT19.id },
    ]);
  });

  it('puts each problem on its field', () => {
    const { errors, body } = checkDraft(
      draft({
        customer_id: '',
        due_date: '2026-12-01',
        items: [
          line({ description: '', quantity: '0', unit_price: '1.2345678901234567' }),
          line({ description: 'ok', quantity: '1.00001', unit_price: 'abc', discount_kind: 'percent', discount: '101' }),
          line({ description: 'ok', quantity: '1', unit_price: '5', discount_kind: 'amount', discount: '6', tax_rate_id: 'gone' }),
        ],
        adjustments: [{ kind: 'charge', reason: ' ', amount: '0', tax_rate_id: '' }],
      }),
      rates,
      today,
    );
    expect(body).toBeNull();
    expect(errors).toEqual({
      customer_id: 'Choose a customer',
      due_date: 'Must be on or after the issue date',
      'items.0.description': 'Describe the item',
      'items.0.quantity': 'Must be above 0',
      'items.0.unit_price': 'At most 14 decimal places',
      'items.1.quantity': 'At most 4 decimal places',
      'items.1.unit_price': 'Enter a price like 1250.00',
      'items.1.discount': 'At most 100 %',
      'items.2.tax_rate_id': 'Choose one of your tax rates',
      'adjustments.0.reason': 'Say what the charge is for',
      'adjustments.0.amount': 'Must be above 0',
    });
  });

  it('names a discount larger than its line, as the arithmetic does', () => {
    const { errors } = checkDraft(draft({ items: [line({ description: 'x', unit_price: '5', discount_kind: 'amount', discount: '6' })] }), rates, today);
    expect(errors).toEqual({ 'items.0.discount': 'Must not be larger than the line' });
    const zero = (kind: 'percent' | 'amount') =>
      checkDraft(draft({ items: [line({ description: 'x', unit_price: '5', discount_kind: kind, discount: '0.00' })] }), rates, today).errors;
    expect(zero('percent')).toEqual({ 'items.0.discount': 'Must be above 0' });
    expect(zero('amount')).toEqual({ 'items.0.discount': 'Must be above 0' });
  });

  it('reads quantities and prices as text, never through a float', () => {
    expect(parseQuantity('1,000.2500')).toEqual({ ok: true, value: '1000.25' });
    expect(parseQuantity('1000000.0001')).toMatchObject({ ok: false });
    expect(parseUnitPrice('0.1', 'USD')).toEqual({ ok: true, value: { unit_amount: 10 } });
    expect(parseUnitPrice('0.001', 'USD')).toEqual({ ok: true, value: { unit_amount_decimal: '0.1' } });
    expect(parseUnitPrice('1500', 'JPY')).toEqual({ ok: true, value: { unit_amount: 1500 } });
    expect(parseUnitPrice('12.5', 'JPY')).toEqual({ ok: true, value: { unit_amount_decimal: '12.5' } });
    expect(parseUnitPrice('1.2345', 'KWD')).toEqual({ ok: true, value: { unit_amount_decimal: '1234.5' } });
    expect(priceText({ unit_amount: null, unit_amount_decimal: '999.5' }, 'EUR')).toBe('9.995');
    expect(priceText({ unit_amount: null, unit_amount_decimal: '0.125' }, 'USD')).toBe('0.00125');
    expect(priceText({ unit_amount: 1999, unit_amount_decimal: null }, 'EUR')).toBe('19.99');
  });

  it('reads a stored draft back into the form it came from', () => {
    const form = draft({ dating: 'supply', supply_date: '2026-12-02', notes: 'PO 42' });
    const body = checkDraft(form, rates, today).body!;
    const invoice = {
      ...body,
      id: 'x',
      customer_id: CUSTOMER,
      currency: 'EUR',
      issue_date: today,
      supply_date: '2026-12-02',
      service_period: null,
      price_basis: 'exclusive',
      notes: 'PO 42',
      items: body.items.map((item) => ({
        description: item.description,
        quantity: String(item.quantity),
        unit: item.unit!,
        unit_amount: item.unit_amount ?? null,
        unit_amount_decimal: item.unit_amount_decimal ?? null,
        discount: item.discount ?? null,
        tax_rate_id: item.tax_rate_id ?? null,
        tax: { category: 'S', percent: item.tax_rate_id === VAT7.id ? '7' : '19', exemption_reason: null, exemption_code: null },
        period: null,
        amount: 0,
      })),
      adjustments: [],
    } as unknown as Invoice;
    expect(fromInvoice(invoice)).toEqual(form);
    // A rate archived since still counts, from what the draft carries.
    expect(ratesFor([], invoice).get(VAT7.id)).toEqual({ category: 'S', percent: '7', exemption: null });
  });

  it('maps the API’s field paths onto the editor', () => {
    expect(formPath('items[2].unit_amount')).toBe('items.2.unit_price');
    expect(formPath('items[2].unit_amount_decimal')).toBe('items.2.unit_price');
    expect(formPath('items[1].tax_rate_id')).toBe('items.1.tax_rate_id');
    expect(formPath('items[0].discount.percent')).toBe('items.0.discount');
    expect(formPath('items[0].period.end')).toBe('items.0.period_end');
    expect(formPath('adjustments[0].amount')).toBe('adjustments.0.amount');
    expect(formPath('service_period.start')).toBe('period_start');
    expect(formPath('customer_id')).toBe('customer_id');
    expect(formPath('items[0].amount')).toBeNull();
    expect(formPath('buyer')).toBeNull();
  });
});
