import { addMonths, draftSchema, formPath, isEmail, liveTotals, parseReminderDays, toDraftInput, type DraftForm } from './validation';

const today = '2026-11-24';
const draft = (overrides: Partial<DraftForm> = {}): DraftForm => ({
  client_name: 'Acme Ltd',
  client_email: 'ap@acme.example',
  currency: 'USD',
  issue_date: today,
  due_date: '2026-12-24',
  notes: '',
  items: [{ description: 'Design', quantity: '3', unit_price: '125.00' }],
  ...overrides,
});

function issues(form: DraftForm) {
  const result = draftSchema(today).safeParse(form);
  return result.success ? {} : Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('the draft rules mirror the API', () => {
  it('accepts a complete draft and converts it exactly', () => {
    expect(issues(draft())).toEqual({});
    expect(toDraftInput(draft({ notes: '  ' }))).toEqual({
      client_name: 'Acme Ltd',
      client_email: 'ap@acme.example',
      currency: 'USD',
      issue_date: today,
      due_date: '2026-12-24',
      notes: null,
      items: [{ description: 'Design', quantity: 3, unit_amount: 12500 }],
    });
  });

  it('puts each problem on its field', () => {
    expect(
      issues(
        draft({
          client_name: ' ',
          client_email: 'not-an-address',
          due_date: '2026-11-01',
          items: [
            { description: '', quantity: '0', unit_price: '1.234' },
            { description: 'ok', quantity: '2.5', unit_price: 'abc' },
          ],
        }),
      ),
    ).toEqual({
      client_name: 'Enter the client’s name',
      client_email: 'Enter a valid e-mail address',
      due_date: 'Must be on or after the issue date',
      'items.0.description': 'Describe the item',
      'items.0.quantity': 'A whole number from 1 to 1,000,000',
      'items.0.unit_price': 'At most 2 decimal places',
      'items.1.quantity': 'A whole number from 1 to 1,000,000',
      'items.1.unit_price': 'Enter an amount like 1250.00',
    });
    expect(issues(draft({ items: [] }))).toEqual({ items: 'Add at least one line item' });
    expect(issues(draft({ issue_date: '2028-01-01', due_date: '2028-01-02' }))).toEqual({ issue_date: 'Must be at most a year from today' });
    expect(issues(draft({ due_date: '2031-11-25' }))).toEqual({ due_date: 'Must be within five years of the issue date' });
  });

  it('computes live totals in integer minor units', () => {
    const totals = liveTotals(
      [
        { description: 'a', quantity: '3', unit_price: '0.10' },
        { description: 'b', quantity: '1', unit_price: '0.20' },
      ],
      'USD',
    );
    expect(totals).toEqual({ lines: [30, 20], total: 50, complete: true });
    expect(liveTotals([{ description: 'a', quantity: 'x', unit_price: '1' }], 'USD').total).toBeNull();
  });

  it('knows e-mail addresses as the API does', () => {
    expect(isEmail('ann@example.com')).toBe(true);
    expect(isEmail(' ann@example.com ')).toBe(true);
    for (const bad of ['ann', 'ann@', '@example.com', 'ann@example', 'ann@.com', 'a b@example.com', `${'a'.repeat(250)}@example.com`]) {
      expect(isEmail(bad)).toBe(false);
    }
  });

  it('maps the API’s field paths onto the form', () => {
    expect(formPath('items[2].unit_amount')).toBe('items.2.unit_price');
    expect(formPath('items[0].quantity')).toBe('items.0.quantity');
    expect(formPath('client_email')).toBe('client_email');
    expect(formPath('items[0].amount')).toBeNull();
  });

  it('adds months like the API (clamped to the month’s end)', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-24', 60)).toBe('2031-11-24');
  });
});

describe('reminder days', () => {
  it('parses, sorts and checks them', () => {
    expect(parseReminderDays('7, -3 0')).toEqual({ ok: true, days: [-3, 0, 7] });
    expect(parseReminderDays('')).toEqual({ ok: true, days: [] });
    expect(parseReminderDays('1, 1')).toEqual({ ok: false, error: '1 is listed twice' });
    expect(parseReminderDays('-61')).toMatchObject({ ok: false });
    expect(parseReminderDays('x')).toMatchObject({ ok: false });
    expect(parseReminderDays('1 2 3 4 5 6 7 8 9 10 11')).toEqual({ ok: false, error: 'At most 10 reminders' });
  });
});
