// Issuing a credit note on a sent, overdue or paid invoice: a reason, what to credit (everything
// left, quantities of lines, or amounts by VAT rate) and, when the invoice has payments, where
// what goes beyond the amount due goes. As it is typed, the API previews the note
// (`POST /invoices/{id}/credit-notes/preview`): its totals and the invoice's amount due and
// status after it, so nothing is issued before the person has seen what it does.

import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { useCreditNotePreview, useCreditNotes, useIssueCreditNote } from '../api/queries';
import type { CreditKind, CreditNotePreview, ExcessTo, Invoice, IssueCreditNote } from '../api/types';
import {
  checkScope,
  creditErrors,
  creditNoteBody,
  creditRates,
  emptyCreditForm,
  isNothing,
  leftToCredit,
  reasonError,
  type CreditErrors,
  type CreditForm,
} from '../lib/creditNote';
import { useIdempotencyKey } from '../lib/idempotency';
import { formatMoney } from '../lib/money';
import { unitName } from '../lib/units';
import { describeRate } from '../lib/vat';
import { BreakdownTable } from './editor/Totals';
import { Dialog, ErrorPanel } from './feedback';
import { Button, Field, Input, Spinner, TextArea, cx, statusLabel } from './ui';

/** How long after the last key the preview is asked for. */
const PREVIEW_DELAY_MS = 400;

/**
 * The reason a preview is asked with. The API checks a preview's reason as it checks an issued
 * note's, but the figures do not depend on it: a fixed one lets the totals show before a reason
 * is typed, and typing it asks nothing (the dialog checks the real one itself).
 */
const PREVIEW_REASON = 'Preview';

const KINDS: { value: CreditKind; label: string }[] = [
  { value: 'remaining', label: 'Everything left (cancel the invoice)' },
  { value: 'lines', label: 'Lines' },
  { value: 'amounts', label: 'Amounts by VAT rate' },
];

const EXCESS: { value: ExcessTo; label: string }[] = [
  { value: 'credit_balance', label: 'The customer’s credit balance' },
  { value: 'refund', label: 'A refund on the invoice’s payments' },
];

interface Props {
  invoice: Invoice;
  onClose: () => void;
  notify: (message: string) => void;
}

/** A preview's request, with the form's index of each line or amount it sends. */
interface Asked {
  body: IssueCreditNote;
  kind: CreditKind;
  positions: number[];
}

export function CreditNoteDialog({ invoice, onClose, notify }: Props) {
  const c = invoice.currency;
  const notes = useCreditNotes(invoice.id, true);
  const left = useMemo(() => leftToCredit(invoice, notes.data ?? []), [invoice, notes.data]);
  const rates = useMemo(() => creditRates(invoice), [invoice]);
  const [form, setForm] = useState<CreditForm>(() => emptyCreditForm(invoice));
  const [attempted, setAttempted] = useState(false);
  const issue = useIssueCreditNote(invoice.id);
  const keyFor = useIdempotencyKey();

  const checked = checkScope(form, invoice, left);
  const asked: Asked | null = checked.scope
    ? { body: creditNoteBody(form, invoice, checked.scope, PREVIEW_REASON), kind: form.kind, positions: checked.positions }
    : null;
  const settled = useSettled(asked, PREVIEW_DELAY_MS);
  const preview = useCreditNotePreview(invoice, settled?.body ?? null);
  // The preview answers what is typed now, or is on its way to (a moment after the last key).
  const current = asked !== null && settled !== null && JSON.stringify(asked) === JSON.stringify(settled);

  const update = (change: Partial<CreditForm>) => {
    setForm((before) => ({ ...before, ...change }));
    if (issue.isError) issue.reset();
  };

  const submit = (event?: React.FormEvent) => {
    event?.preventDefault();
    setAttempted(true);
    if (reasonError(form.reason) || !checked.scope) return;
    const note = creditNoteBody(form, invoice, checked.scope);
    issue.mutate(
      { note, key: keyFor(note) },
      {
        onSuccess: ({ credit_note: issued }) => {
          notify(`Credit note ${issued.number} issued for ${formatMoney(issued.gross_total, issued.currency)}`);
          onClose();
        },
      },
    );
  };

  // What each field shows: what is typed now first, then the API's word on it (the preview's
  // only while it answers what is typed now).
  const previewErrors = current && settled ? creditErrors(preview.error, settled.kind, settled.positions) : {};
  const issueErrors = creditErrors(issue.error, form.kind, checked.positions);
  const errors: CreditErrors = { ...previewErrors, ...issueErrors, ...checked.errors };
  if (attempted) {
    const reason = reasonError(form.reason);
    if (reason) errors.reason = reason;
    if (checked.nothing) errors.scope = form.kind === 'lines' ? 'Enter a quantity for at least one line' : 'Enter an amount for at least one rate';
  }
  const inclusive = invoice.price_basis === 'inclusive';

  let figures: ReactNode;
  if (asked === null) {
    figures = (
      <p className="text-sm text-slate-600">
        {!checked.nothing
          ? 'Correct the fields above to see the credit note.'
          : form.kind === 'lines'
            ? 'Enter the quantity to credit of one line or more to see the credit note.'
            : 'Enter the amount to credit at one rate or more to see the credit note.'}
      </p>
    );
  } else if (current && preview.isError) {
    figures =
      Object.keys(previewErrors).length > 0 ? (
        <p className="text-sm text-slate-600">Correct the fields above to see the credit note.</p>
      ) : (
        <ErrorPanel error={preview.error} onRetry={() => void preview.refetch()} retrying={preview.isFetching} />
      );
  } else if (preview.data) {
    figures = <PreviewFigures preview={preview.data} currency={c} excessTo={form.excessTo} updating={!current || preview.isPlaceholderData} />;
  } else {
    figures = <p className="flex items-center gap-2 text-sm text-slate-600"><Spinner /> Working out the credit note…</p>;
  }

  return (
    <Dialog
      open
      wide
      title={`Issue a credit note for ${invoice.number ?? 'this invoice'}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="credit-note-form" busy={issue.isPending}>Issue credit note</Button>
        </>
      }
    >
      <form id="credit-note-form" onSubmit={submit} noValidate className="space-y-5">
        <p className="text-sm text-slate-700">
          A credit note takes back part or all of the invoice. It gets the next number of your credit-note series, and its PDF goes to{' '}
          <strong>{invoice.client_email}</strong>. It cannot be undone.
        </p>
        <Field label="Reason" error={errors.reason} hint="Printed on the credit note.">
          {(props) => <TextArea rows={2} value={form.reason} onChange={(event) => update({ reason: event.target.value })} {...props} autoFocus />}
        </Field>

        <Choice legend="What to credit" name="credit-kind" options={KINDS} value={form.kind} onChange={(kind) => update({ kind })} error={errors.scope} />

        {form.kind === 'remaining' && (
          <p className="text-sm text-slate-600">
            Everything not credited yet: the invoice is cancelled and closes as <strong>Credited</strong>.
            {invoice.amount_paid > 0 && ' What it was paid stays paid; what the note takes beyond the amount due goes where you choose below.'}
          </p>
        )}

        {form.kind === 'lines' && (
          <ul className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200" aria-label="Lines to credit">
            {invoice.items.map((item, index) => {
              const most = left[index] ?? item.quantity;
              const done = isNothing(most);
              return (
                <li key={index} className="grid grid-cols-1 gap-2 px-3 py-2.5 sm:grid-cols-[1fr_10rem] sm:items-start">
                  <div className="text-sm">
                    <p className="font-medium text-slate-900">{item.description}</p>
                    <p className="text-xs tabular-nums text-slate-500">
                      {item.quantity} {unitName(item.unit, item.quantity)} · {formatMoney(item.amount, c)} net · {describeRate(item.tax)}
                    </p>
                  </div>
                  <Field
                    label={`Quantity to credit of ${item.description}`}
                    hideLabel
                    error={errors[`lines.${index}`]}
                    hint={done ? 'Credited in full' : most === item.quantity ? `Up to ${most}` : `Up to ${most} of ${item.quantity} (the rest was credited)`}
                  >
                    {(props) => (
                      <Input
                        inputMode="decimal"
                        placeholder="0"
                        disabled={done}
                        value={form.quantities[index] ?? ''}
                        onChange={(event) => update({ quantities: form.quantities.map((typed, at) => (at === index ? event.target.value : typed)) })}
                        {...props}
                      />
                    )}
                  </Field>
                </li>
              );
            })}
          </ul>
        )}

        {form.kind === 'amounts' && (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            {rates.map((rate, index) => (
              <Field
                key={`${rate.category} ${rate.percent}`}
                label={`Amount at ${describeRate(rate)} (${c})`}
                error={errors[`amounts.${index}`]}
                hint={
                  inclusive
                    ? `Tax included. Invoiced: ${formatMoney(rate.base + rate.tax, c)}.`
                    : `Net of tax; the tax is added. Invoiced: ${formatMoney(rate.base, c)} net.`
                }
              >
                {(props) => (
                  <Input
                    inputMode="decimal"
                    placeholder="0.00"
                    value={form.amounts[index] ?? ''}
                    onChange={(event) => update({ amounts: form.amounts.map((typed, at) => (at === index ? event.target.value : typed)) })}
                    {...props}
                  />
                )}
              </Field>
            ))}
          </div>
        )}

        {invoice.amount_paid > 0 && (
          <Choice
            legend="What it takes beyond the amount due goes to"
            hint={`${formatMoney(invoice.amount_paid, c)} has been paid on this invoice.`}
            name="excess-to"
            options={EXCESS}
            value={form.excessTo}
            onChange={(excessTo) => update({ excessTo })}
            error={errors.excess_to}
          />
        )}

        <section aria-label="The credit note" aria-live="polite" className="rounded-lg bg-slate-50 p-4" data-testid="credit-note-preview">
          {figures}
        </section>

        {issue.isError && Object.keys(issueErrors).length === 0 && <ErrorPanel error={issue.error} onRetry={() => submit()} retrying={issue.isPending} />}
      </form>
    </Dialog>
  );
}

/** `value`, once it has stayed the same (as JSON) for `delay` ms; the first one at once. */
function useSettled<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  const text = JSON.stringify(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
    // `text` stands for `value`: a new object with the same content is the same value.
  }, [text, delay]);
  return settled;
}

function PreviewFigures({ preview, currency, excessTo, updating }: { preview: CreditNotePreview; currency: string; excessTo: ExcessTo; updating: boolean }) {
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <div className={cx('space-y-3 text-sm transition-opacity', updating && 'opacity-60')} aria-busy={updating || undefined}>
      {preview.breakdown.length > 0 && (
        <BreakdownTable
          rows={preview.breakdown.map((row) => ({ category: row.category, percent: row.percent, base: row.taxable_amount, tax: row.tax_amount }))}
          currency={currency}
          rates={[]}
          caption="Credited per rate"
        />
      )}
      <dl className="space-y-1">
        <Row label="Net" value={money(preview.net_total)} />
        <Row label="Tax" value={money(preview.tax_total)} />
        <Row label="Credit note total" value={money(preview.gross_total)} testId="credit-note-total" strong />
      </dl>
      <p className="border-t border-slate-200 pt-2 text-slate-900" data-testid="amount-due-after">
        Amount due after: <strong className="tabular-nums">{money(preview.amount_due)}</strong> ({statusLabel[preview.status]})
      </p>
      {preview.excess > 0 && (
        <p className="text-slate-700" data-testid="credit-note-excess">
          <strong className="tabular-nums">{money(preview.excess)}</strong> more than is due{' '}
          {excessTo === 'refund' ? 'is refunded on the invoice’s payments.' : 'goes to the customer’s credit balance.'}
        </p>
      )}
    </div>
  );
}

function Row({ label, value, testId, strong }: { label: string; value: string; testId?: string; strong?: boolean }) {
  return (
    <div className={strong ? 'flex justify-between font-semibold text-slate-900' : 'flex justify-between text-slate-600'}>
      <dt>{label}</dt>
      <dd className="tabular-nums" data-testid={testId}>{value}</dd>
    </div>
  );
}

/** A group of radio buttons with its legend, and its error tied to it. */
function Choice<T extends string>({
  legend,
  hint,
  name,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  hint?: ReactNode;
  name: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-col gap-1.5 sm:flex-row sm:flex-wrap sm:gap-x-5">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-2 text-sm text-slate-800">
            <input type="radio" name={`${id}-${name}`} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      {hint && !error && <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && <p id={`${id}-error`} className="mt-1 text-sm text-red-700" role="alert">{error}</p>}
    </fieldset>
  );
}
