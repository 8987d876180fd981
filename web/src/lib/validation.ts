// Client-side checks that mirror the API's own (workflows/src/domain/email.rs,
// api/src/auth/password.rs, reminders.rs; the invoice editor's are in draft.ts, a customer's in
// customer.ts), so that a person sees a problem next to the field before sending. Their limits are the API's, read from its OpenAPI document (api/limits.ts).
// The API checks again and its messages land on the same fields (`applyFieldErrors`).

import { z } from 'zod';
import { LIMITS } from '../api/limits';
import { addDays, daysBetween } from './dates';

/** The API's e-mail rule: local@domain with a dot in the domain, at most `LIMITS.email` characters. */
export function isEmail(value: string): boolean {
  const text = value.trim();
  if (text.length > LIMITS.email) return false;
  const at = text.lastIndexOf('@');
  if (at < 1) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return (
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local) &&
    !local.startsWith('.') && !local.endsWith('.') && !local.includes('..') &&
    /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain)
  );
}

const email = z.string().trim().min(1, 'Enter an e-mail address').refine(isEmail, 'Enter a valid e-mail address');

export const signInSchema = z.object({
  email,
  password: z.string().min(1, 'Enter your password'),
});

export const signUpSchema = z.object({
  email,
  password: z
    .string()
    .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters`)
    .max(LIMITS.passwordMax, `Use at most ${LIMITS.passwordMax} characters`),
});

export const passwordChangeSchema = z.object({
  current_password: z.string().min(1, 'Enter your current password'),
  new_password: z
    .string()
    .min(LIMITS.passwordMin, `Use at least ${LIMITS.passwordMin} characters`)
    .max(LIMITS.passwordMax, `Use at most ${LIMITS.passwordMax} characters`),
});

/** Reminder days as typed (`"-3, 0, 7"`): sorted, or the problem with them. */
export function parseReminderDays(text: string): { ok: true; days: number[] } | { ok: false; error: string } {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const days: number[] = [];
  for (const part of parts) {
    if (!/^[+-]?\d+$/.test(part)) return { ok: false, error: `“${part}” is not a whole number of days` };
    const day = Number(part);
    if (day < LIMITS.reminderEarliest || day > LIMITS.reminderLatest) {
      return { ok: false, error: `Each day must be from ${LIMITS.reminderEarliest} to ${LIMITS.reminderLatest}` };
    }
    if (days.includes(day)) return { ok: false, error: `${day} is listed twice` };
    days.push(day);
  }
  if (days.length > LIMITS.reminders) return { ok: false, error: `At most ${LIMITS.reminders} reminders` };
  return { ok: true, days: days.sort((a, b) => a - b) };
}

/**
 * The most days one CSV export covers, `from` and `to` included: a leap year. The API's
 * `MAX_RANGE_DAYS` (api/src/routes/exports.rs); its OpenAPI document says it only in words.
 */
export const MAX_EXPORT_DAYS = 366;

/**
 * The longest period a customer's statement covers, both days included: the API's
 * `MAX_STATEMENT_DAYS` (api/src/routes/statements.rs), ten years.
 */
export const MAX_STATEMENT_DAYS = 3653;

/**
 * What the API would refuse of a range of days (`YYYY-MM-DD`, as a date input gives them) at
 * most `maxDays` long with both included, by the query parameter it would name: empty when it
 * would serve them.
 */
export function checkDayRange(from: string, to: string, maxDays: number): { from?: string; to?: string } {
  const errors: { from?: string; to?: string } = {};
  if (!from) errors.from = 'Choose the first day';
  if (!to) errors.to = 'Choose the last day';
  if (from && to) {
    const days = daysBetween(from, to) + 1;
    if (days < 1) errors.to = 'The last day must not be before the first';
    else if (days > maxDays) errors.to = `At most ${maxDays.toLocaleString('en')} days, both included`;
  }
  return errors;
}

/** What the API would refuse of an export's days. */
export function checkExportRange(from: string, to: string): { from?: string; to?: string } {
  return checkDayRange(from, to, MAX_EXPORT_DAYS);
}

/** What the API would refuse of a statement's period. */
export function checkStatementRange(from: string, to: string): { from?: string; to?: string } {
  return checkDayRange(from, to, MAX_STATEMENT_DAYS);
}

export { addDays };
