import type { TimelineEvent } from '../api/types';
import { formatDay, formatInstant } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { cx } from './ui';

type Tone = 'neutral' | 'brand' | 'good' | 'warn' | 'bad';
const dots: Record<Tone, string> = {
  neutral: 'bg-slate-300',
  brand: 'bg-brand-500',
  good: 'bg-emerald-500',
  warn: 'bg-amber-500',
  bad: 'bg-red-500',
};

const text = (value: unknown) => (typeof value === 'string' ? value : null);
const amount = (value: unknown) => (typeof value === 'number' ? value : null);

/** A sentence for a person, from the event's type and its `data`. */
export function describe(event: TimelineEvent, currency: string): { title: string; detail?: string; tone: Tone } {
  const d = event.data;
  const money = (value: unknown) => (amount(value) === null ? undefined : formatMoney(amount(value)!, currency));
  switch (event.type) {
    case 'created':
      return { title: 'Draft created', detail: money(d.total) && `Total ${money(d.total)}`, tone: 'neutral' };
    case 'updated':
      return { title: 'Draft edited', detail: money(d.total) && `Total ${money(d.total)}`, tone: 'neutral' };
    case 'sent':
      return { title: `Sent${text(d.number) ? ` as ${text(d.number)}` : ''}`, tone: 'brand' };
    case 'document_rendered':
      return { title: 'PDF generated', detail: typeof d.version === 'number' ? `Version ${d.version}` : undefined, tone: 'neutral' };
    case 'email_sent': {
      // `data.email` is the e-mail's kind: {"kind": "invoice_sent" | "payment_receipt" | "reminder" | "voided", ...}
      const email = (d.email ?? {}) as Record<string, unknown>;
      const what =
        email.kind === 'payment_receipt'
          ? `Receipt for ${money(email.amount) ?? 'a payment'} e-mailed`
          : email.kind === 'voided'
            ? 'Void notice e-mailed'
            : email.kind === 'reminder'
              ? 'Reminder e-mailed'
              : 'Invoice e-mailed';
      return { title: what, detail: text(d.to) ? `To ${text(d.to)}` : undefined, tone: 'brand' };
    }
    case 'email_failed':
      return { title: 'E-mail could not be delivered', detail: text(d.reason) ?? text(d.to) ?? undefined, tone: 'bad' };
    case 'reminder_sent': {
      const email = (d.email ?? {}) as Record<string, unknown>;
      const days = typeof email.days_from_due_date === 'number' ? email.days_from_due_date : null;
      const when = days === null ? '' : days === 0 ? ' on the due date' : days < 0 ? ` ${-days} day${days === -1 ? '' : 's'} before the due date` : ` ${days} day${days === 1 ? '' : 's'} after the due date`;
      return { title: `Reminder sent${when}`, detail: text(d.to) ? `To ${text(d.to)}` : undefined, tone: 'brand' };
    }
    case 'payment_recorded': {
      const reference = text(d.reference);
      const method = text(d.method)?.replace('_', ' ').replace(/^./, (first) => first.toUpperCase());
      return {
        title: `Payment of ${money(d.amount) ?? 'an amount'} received`,
        detail: [method, reference].filter(Boolean).join(' · ') || undefined,
        tone: 'good',
      };
    }
    case 'paid':
      return { title: 'Paid in full', tone: 'good' };
    case 'overdue':
      return { title: 'Became overdue', detail: money(d.amount_due) && `${money(d.amount_due)} due`, tone: 'warn' };
    case 'due_date_changed':
      return {
        title: 'Due date changed',
        detail: text(d.from) && text(d.to) ? `${formatDay(text(d.from)!)} → ${formatDay(text(d.to)!)}` : undefined,
        tone: 'neutral',
      };
    case 'voided':
      return { title: 'Voided', detail: text(d.reason) ?? undefined, tone: 'bad' };
    case 'marked_uncollectible':
      return {
        title: `${money(d.amount) ?? 'The amount due'} written off as uncollectible`,
        detail: [text(d.on) && `On ${formatDay(text(d.on)!)}`, text(d.reason)].filter(Boolean).join(' · ') || undefined,
        tone: 'bad',
      };
    case 'checkout_created':
      return { title: 'Pay link created', detail: money(d.amount), tone: 'neutral' };
    case 'payment_failed':
      return { title: 'Online payment failed', detail: text(d.reason) ?? undefined, tone: 'bad' };
    case 'payment_refunded':
      return { title: 'Payment refunded', detail: money(d.refunded) ?? money(d.amount_refunded), tone: 'warn' };
    case 'credit_note_issued': {
      // `data`: number, reason, gross_total, excess and excess_to (where the excess went).
      const excess = amount(d.excess);
      const where = d.excess_to === 'refund' ? 'refunded' : 'to the customer’s credit balance';
      return {
        title: `Credit note${text(d.number) ? ` ${text(d.number)}` : ''} issued${money(d.gross_total) ? ` for ${money(d.gross_total)}` : ''}`,
        detail: [text(d.reason), excess ? `${money(excess)} ${where}` : null].filter(Boolean).join(' · ') || undefined,
        tone: 'warn',
      };
    }
    case 'payment_flagged':
      return { title: 'Payment flagged for review', detail: text(d.reason) ?? undefined, tone: 'warn' };
    default:
      return { title: String(event.type).replace(/_/g, ' '), tone: 'neutral' };
  }
}

export function Timeline({ events, currency }: { events: TimelineEvent[]; currency: string }) {
  return (
    <ol className="relative space-y-5 border-l border-slate-200 pl-6" aria-label="Timeline">
      {events.map((event) => {
        const { title, detail, tone } = describe(event, currency);
        return (
          <li key={event.id} className="relative" data-event={event.type}>
            <span className={cx('absolute -left-[31px] top-1 h-3 w-3 rounded-full ring-4 ring-white', dots[tone])} aria-hidden="true" />
            <p className="text-sm font-medium text-slate-900">{title}</p>
            {detail && <p className="text-sm text-slate-600">{detail}</p>}
            <p className="text-xs text-slate-500">
              <time dateTime={event.occurred_at}>{formatInstant(event.occurred_at)}</time>
            </p>
          </li>
        );
      })}
    </ol>
  );
}
