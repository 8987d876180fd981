// Client-side checks that mirror the API's own (workflows/src/domain/draft.rs, email.rs,
// api/src/auth/password.rs, reminders.rs), so that a person sees a problem next to the field
// before sending. Their limits are the API's, read from its OpenAPI document (api/limits.ts).
// The API checks again and its messages land on the same fields (`applyFieldErrors`).

import { z } from 'zod';
import { LIMITS } from '../api/limits';
import type { CreateInvoice } from '../api/types';
import { lineAmount, MAX_QUANTITY, parseMoney, total } from './money';
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

/** A line as typed: quantity and price are text until they are checked. */
export interface ItemForm {
  description: string;
  quantity: string;
  unit_price: string;
}

export interface DraftForm {
  client_name: string;
  client_email: string;
  currency: string;
  issue_date: string;
  due_date: string;
  notes: string;
  items: ItemForm[];
}

export function parseQuantity(text: string): number | null {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (!/^\d+$/.test(trimmed)) return null;
  const quantity = Number(trimmed);
  return quantity >= 1 && quantity <= MAX_QUANTITY ? quantity : null;
}

/** Line amounts and the total of what is typed so far; `null` where a line cannot be computed. */
export function liveTotals(items: readonly ItemForm[], currency: string) {
  const lines = items.map((item) => {
    const quantity = parseQuantity(item.quantity);
    const price = parseMoney(item.unit_price, currency);
    return quantity !== null && price.ok ? lineAmount(quantity, price.minor) : null;
  });
  const complete = lines.every((line) => line !== null);
  return { lines, total: complete ? total(lines) : null, complete };
}

/** The editor's rules; `today` is the API's (UTC) today. */
export function draftSchema(today: string) {
  return z
    .object({
      client_name: z.string().trim().min(1, 'Enter the client’s name').max(LIMITS.clientName, `At most ${LIMITS.clientName} characters`),
      client_email: email,
      currency: z.string().regex(/^[A-Z]{3}$/, 'Choose a currency'),
      issue_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose the issue date'),
      due_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose the due date'),
      notes: z.string().max(LIMITS.notes, `At most ${LIMITS.notes} characters`),
      items: z
        .array(
          z.object({
            description: z.string().trim().min(1, 'Describe the item').max(LIMITS.description, `At most ${LIMITS.description} characters`),
            quantity: z.string().refine((text) => parseQuantity(text) !== null, `A whole number from 1 to ${MAX_QUANTITY.toLocaleString('en')}`),
            unit_price: z.string(),
          }),
        )
        .min(1, 'Add at least one line item')
        .max(LIMITS.items, `At most ${LIMITS.items} line items`),
    })
    .superRefine((draft, context) => {
      draft.items.forEach((item, index) => {
        const price = parseMoney(item.unit_price, draft.currency);
        if (!price.ok) {
          context.addIssue({ code: 'custom', path: ['items', index, 'unit_price'], message: price.error });
          return;
        }
        const quantity = parseQuantity(item.quantity);
        if (quantity !== null && lineAmount(quantity, price.minor) === null) {
          context.addIssue({ code: 'custom', path: ['items', index, 'unit_price'], message: 'This line’s amount is too large' });
        }
      });
      const totals = liveTotals(draft.items, draft.currency);
      if (totals.complete && totals.total === null) {
        context.addIssue({ code: 'custom', path: ['items'], message: 'The invoice total is too large' });
      }
      if (/^\d{4}-\d{2}-\d{2}$/.test(draft.issue_date)) {
        if (draft.issue_date < '2000-01-01') {
          context.addIssue({ code: 'custom', path: ['issue_date'], message: 'Must be on or after 2000-01-01' });
        } else if (daysBetween(today, draft.issue_date) > 366 || draft.issue_date > addMonths(today, 12)) {
          context.addIssue({ code: 'custom', path: ['issue_date'], message: 'Must be at most a year from today' });
        } else if (/^\d{4}-\d{2}-\d{2}$/.test(draft.due_date)) {
          if (draft.due_date < draft.issue_date) {
            context.addIssue({ code: 'custom', path: ['due_date'], message: 'Must be on or after the issue date' });
          } else if (draft.due_date > addMonths(draft.issue_date, 60)) {
            context.addIssue({ code: 'custom', path: ['due_date'], message: 'Must be within five years of the issue date' });
          }
        }
      }
    });
}

/** `day` plus whole months, clamped to the month's end (as chrono's checked_add_months). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The form as the API's JSON (after `draftSchema` passed). */
export function toDraftInput(form: DraftForm): CreateInvoice {
  return {
    client_name: form.client_name.trim(),
    client_email: form.client_email.trim(),
    currency: form.currency,
    issue_date: form.issue_date,
    due_date: form.due_date,
    notes: form.notes.trim() ? form.notes.trim() : null,
    items: form.items.map((item) => {
      const price = parseMoney(item.unit_price, form.currency);
      return {
        description: item.description.trim(),
        quantity: parseQuantity(item.quantity) ?? 0,
        unit_amount: price.ok ? price.minor : 0,
      };
    }),
  };
}

/**
 * The API's field path (`items[2].unit_amount`) as the form's (`items.2.unit_price`); `null`
 * for a path the form has no field for.
 */
export function formPath(apiPath: string): string | null {
  const item = /^items\[(\d+)\]\.(\w+)$/.exec(apiPath);
  if (item) {
    const field = item[2] === 'unit_amount' ? 'unit_price' : item[2];
    return ['description', 'quantity', 'unit_price'].includes(field ?? '') ? `items.${item[1]}.${field}` : null;
  }
  return /^[a-z_]+$/.test(apiPath) ? apiPath : null;
}

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

export { addDays };
