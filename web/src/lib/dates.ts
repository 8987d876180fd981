// Dates as the API has them: due and issue dates are calendar days (`YYYY-MM-DD`, no time
// zone); instants are RFC 3339. A calendar day is never passed through `new Date(...)` for
// display, which would shift it by the browser's offset.

/** Today in UTC, the API's "today" (an invoice is overdue from the day after its due date, UTC). */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The calendar month before the one `day` is in: its first and its last day. */
export function previousMonth(day: string): { from: string; to: string } {
  const to = addDays(`${day.slice(0, 7)}-01`, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function formatDay(day: string, locale?: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
}

export function formatInstant(instant: string, locale?: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** `"2026-06"` as `"Jun"` (with the year when it is not `currentYear`). */
export function formatMonth(month: string, currentYear?: number, locale?: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  const options: Intl.DateTimeFormatOptions = { month: 'short', timeZone: 'UTC' };
  if (currentYear !== undefined && date.getUTCFullYear() !== currentYear) options.year = '2-digit';
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** "due in 3 days", "due today", "5 days overdue" relative to `today`. */
export function dueIn(dueDate: string, today: string): string {
  const days = daysBetween(today, dueDate);
  if (days === 0) return 'due today';
  if (days === 1) return 'due tomorrow';
  if (days > 1) return `due in ${days} days`;
  if (days === -1) return '1 day overdue';
  return `${-days} days overdue`;
}
