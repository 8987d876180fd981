import { checkExportRange, checkStatementRange, isEmail, parseReminderDays } from './validation';

describe('the API’s rules', () => {
  it('knows e-mail addresses as the API does', () => {
    expect(isEmail('ann@example.com')).toBe(true);
    expect(isEmail(' ann@example.com ')).toBe(true);
    for (const bad of ['ann', 'ann@', '@example.com', 'ann@example', 'ann@.com', 'a b@example.com', `${'a'.repeat(250)}@example.com`]) {
      expect(isEmail(bad)).toBe(false);
    }
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

describe('ranges of days', () => {
  it('takes an export’s days as the API does: in order, at most a leap year, both included', () => {
    expect(checkExportRange('2024-01-01', '2024-12-31')).toEqual({});
    expect(checkExportRange('2026-03-01', '2026-03-01')).toEqual({});
    expect(checkExportRange('2024-01-01', '2025-01-01')).toEqual({ to: 'At most 366 days, both included' });
    expect(checkExportRange('2026-03-02', '2026-03-01')).toEqual({ to: 'The last day must not be before the first' });
    expect(checkExportRange('', '')).toEqual({ from: 'Choose the first day', to: 'Choose the last day' });
  });

  it('allows a statement of ten years, both days included, and no more', () => {
    expect(checkStatementRange('2016-01-01', '2025-12-31')).toEqual({});
    expect(checkStatementRange('2016-01-01', '2026-01-01')).toEqual({ to: 'At most 3,653 days, both included' });
    expect(checkStatementRange('2026-03-02', '2026-03-01')).toEqual({ to: 'The last day must not be before the first' });
  });
});
