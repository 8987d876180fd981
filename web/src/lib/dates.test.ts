import { addDays, daysBetween, dueIn, formatDay, previousMonth, todayUtc } from './dates';

describe('calendar days', () => {
  it('adds days across months and leap years without time-zone drift', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('finds the month before a day’s, across a year and in a leap year', () => {
    expect(previousMonth('2026-12-07')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(previousMonth('2027-01-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(previousMonth('2028-03-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('counts whole days and describes the due date', () => {
    expect(daysBetween('2026-11-24', '2026-12-24')).toBe(30);
    expect(dueIn('2026-11-24', '2026-11-24')).toBe('due today');
    expect(dueIn('2026-11-27', '2026-11-24')).toBe('due in 3 days');
    expect(dueIn('2026-11-23', '2026-11-24')).toBe('1 day overdue');
    expect(dueIn('2026-11-14', '2026-11-24')).toBe('10 days overdue');
  });

  it('shows a day as that day whatever the browser’s offset', () => {
    expect(formatDay('2026-01-01', 'en-US')).toBe('Jan 1, 2026');
    expect(todayUtc(new Date('2026-11-24T23:30:00-05:00'))).toBe('2026-11-25');
  });
});
