// What can be done to an invoice, offered only where its status allows it (the API's
// transition table: drafts are edited, sent, deleted or voided; sent and overdue invoices take
// payments, due-date changes, pay links, voids, write-offs and credit notes; an uncollectible
// invoice still takes payments and pay links; a paid invoice takes credit notes only; void and
// credited invoices take nothing).

import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError } from '../api/client';
import { LIMITS } from '../api/limits';
import { useChangeDueDate, useCreditBalance, useDeleteDraft, useMarkUncollectible, usePayLink, useRecordPayment, useSend, useVoid } from '../api/queries';
import { OFFLINE_METHODS, type EInvoiceFinding, type Invoice, type OfflineMethod, type PaymentMethod } from '../api/types';
import { formatDay, todayUtc } from '../lib/dates';
import { useIdempotencyKey } from '../lib/idempotency';
import { formatMoney, parseMoney, toDecimalString } from '../lib/money';
import { addMonths } from '../lib/draft';
import { CreditNoteDialog } from './CreditNoteDialog';
import { Dialog, ErrorPanel } from './feedback';
import { Button, Field, Input, Select, TextArea } from './ui';

type Open = null | 'send' | 'payment' | 'due-date' | 'void' | 'delete' | 'uncollectible' | 'credit-note';

const methodLabel: Record<PaymentMethod, string> = {
  bank_transfer: 'Bank transfer',
  card: 'Card',
  cash: 'Cash',
  check: 'Cheque',
  other: 'Other',
  stripe: 'Online (Stripe)',
  credit_balance: 'Credit balance',
};

interface Props {
  invoice: Invoice;
  notify: (message: string) => void;
  /** A send the e-invoice gate refused: the page shows its findings (EInvoiceRejection). */
  onRejected: (findings: EInvoiceFinding[]) => void;
}

export function InvoiceActions({ invoice, notify, onRejected }: Props) {
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const status = invoice.status;
  const open_ = status === 'sent' || status === 'overdue';
  const payable = open_ || status === 'uncollectible';
  const payLink = usePayLink(invoice.id);
  const payLinkKey = useIdempotencyKey();

  const copyPayLink = () =>
    // One key per amount due: a retried click gets the same link; after a payment, a new one.
    payLink.mutate(payLinkKey({ pay_link: invoice.id, amount_due: invoice.amount_due }), {
      onSuccess: async (link) => {
        try {
          await navigator.clipboard.writeText(link.url);
          notify(`Pay link for ${formatMoney(link.amount, link.currency)} copied`);
        } catch {
          window.prompt('Copy the pay link:', link.url);
        }
      },
      onError: (error) => notify(error instanceof ApiError ? error.message : 'The pay link could not be created'),
    });

  return (
    <>
      {status === 'draft' && (
        <>
          <Link to={`/invoices/${invoice.id}/edit`} className="inline-flex items-center rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">
            Edit
          </Link>
          <Button variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setOpen('delete')}>Delete</Button>
          <Button variant="primary" onClick={() => setOpen('send')}>Send invoice</Button>
        </>
      )}
      {payable && (
        <>
          {open_ && <Button onClick={() => setOpen('due-date')}>Change due date</Button>}
          <Button onClick={copyPayLink} busy={payLink.isPending}>Copy pay link</Button>
          {open_ && <Button onClick={() => setOpen('credit-note')}>Issue credit note</Button>}
          {open_ && <Button variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setOpen('uncollectible')}>Mark uncollectible</Button>}
          {open_ && <Button variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setOpen('void')}>Void</Button>}
          <Button variant="primary" onClick={() => setOpen('payment')}>Record payment</Button>
        </>
      )}
      {status === 'paid' && <Button onClick={() => setOpen('credit-note')}>Issue credit note</Button>}
      {open === 'send' && <SendDialog invoice={invoice} onClose={close} notify={notify} onRejected={onRejected} />}
      {open === 'payment' && <PaymentDialog invoice={invoice} onClose={close} notify={notify} />}
      {open === 'due-date' && <DueDateDialog invoice={invoice} onClose={close} notify={notify} />}
      {open === 'void' && <VoidDialog invoice={invoice} onClose={close} notify={notify} />}
      {open === 'uncollectible' && <UncollectibleDialog invoice={invoice} onClose={close} notify={notify} />}
      {open === 'credit-note' && <CreditNoteDialog invoice={invoice} onClose={close} notify={notify} />}
      {open === 'delete' && <DeleteDialog invoice={invoice} onClose={close} />}
    </>
  );
}

interface DialogProps {
  invoice: Invoice;
  onClose: () => void;
  notify: (message: string) => void;
}

function SendDialog({ invoice, onClose, notify, onRejected }: DialogProps & Pick<Props, 'onRejected'>) {
  const send = useSend(invoice.id);
  const keyFor = useIdempotencyKey();
  const submit = () =>
    send.mutate(keyFor(invoice.id), {
      onSuccess: (sent) => {
        notify(`${sent.number ?? 'The invoice'} was sent to ${sent.client_email}`);
        onClose();
      },
      onError: (error) => {
        // The list of what to fix needs the page, not a dialog. Closing it also gives the next
        // send a new Idempotency-Key: the key derives the workflow update's id, and a retry
        // under the old one would get the refused update's answer again.
        const findings = error instanceof ApiError ? error.eInvoiceFindings : null;
        if (findings) {
          onRejected(findings);
          onClose();
        }
      },
    });
  return (
    <Dialog
      open
      title="Send this invoice?"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={send.isPending} onClick={submit}>Send</Button>
        </>
      }
    >
      <p className="text-sm text-slate-700">
        It gets its number, the PDF is e-mailed to <strong>{invoice.client_email}</strong>, and reminders follow your schedule until it is paid.
        It is due on <strong>{formatDay(invoice.due_date)}</strong>: {formatMoney(invoice.total, invoice.currency)}.
      </p>
      {send.isError && <div className="mt-3"><ErrorPanel error={send.error} onRetry={submit} retrying={send.isPending} /></div>}
    </Dialog>
  );
}

function PaymentDialog({ invoice, onClose, notify }: DialogProps) {
  const record = useRecordPayment(invoice.id);
  const keyFor = useIdempotencyKey();
  const [amount, setAmount] = useState(toDecimalString(invoice.amount_due, invoice.currency));
  const [method, setMethod] = useState<OfflineMethod>('bank_transfer');
  const [reference, setReference] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The customer's credit balance is offered only when it holds something in this currency.
  const credit = useCreditBalance(invoice.customer_id, invoice.currency);
  const methods = OFFLINE_METHODS.filter((value) => value !== 'credit_balance' || credit > 0);
  const choose = (value: OfflineMethod) => {
    setMethod(value);
    if (value === 'credit_balance') setAmount(toDecimalString(Math.min(credit, invoice.amount_due), invoice.currency));
  };

  const submit = (event?: React.FormEvent) => {
    event?.preventDefault();
    const parsed = parseMoney(amount, invoice.currency);
    const problems: Record<string, string> = {};
    if (!parsed.ok) problems.amount = parsed.error;
    else if (parsed.minor === 0) problems.amount = 'Enter more than zero';
    else if (parsed.minor > invoice.amount_due) problems.amount = `At most the amount due, ${formatMoney(invoice.amount_due, invoice.currency)}`;
    else if (method === 'credit_balance' && parsed.minor > credit) problems.amount = `At most the credit balance, ${formatMoney(credit, invoice.currency)}`;
    if (reference.trim().length > LIMITS.reference) problems.reference = `At most ${LIMITS.reference} characters`;
    setErrors(problems);
    if (!parsed.ok || Object.keys(problems).length > 0) return;
    const payment = { amount: parsed.minor, method, reference: reference.trim() || null };
    record.mutate(
      { payment, key: keyFor(payment) },
      {
        onSuccess: (recorded) => {
          notify(`Payment of ${formatMoney(recorded.payment.amount, recorded.payment.currency)} recorded`);
          onClose();
        },
        onError: (error) => {
          if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0) {
            setErrors(Object.fromEntries(Object.entries(error.fieldErrors).map(([field, messages]) => [field, messages.join('; ')])));
          }
        },
      },
    );
  };

  const fieldError = record.error instanceof ApiError && Object.keys(record.error.fieldErrors).length > 0;
  return (
    <Dialog
      open
      title="Record a payment"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="payment-form" busy={record.isPending}>Record payment</Button>
        </>
      }
    >
      <form id="payment-form" onSubmit={submit} noValidate className="space-y-4">
        <p className="text-sm text-slate-600">
          Amount due: <strong className="tabular-nums text-slate-900">{formatMoney(invoice.amount_due, invoice.currency)}</strong>
        </p>
        <Field label={`Amount (${invoice.currency})`} error={errors.amount}>
          {(props) => <Input inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} {...props} autoFocus />}
        </Field>
        <Field label="Method" error={errors.method}>
          {(props) => (
            <Select value={method} onChange={(event) => choose(event.target.value as OfflineMethod)} {...props}>
              {methods.map((value) => (
                <option key={value} value={value}>
                  {value === 'credit_balance' ? `${methodLabel[value]} (${formatMoney(credit, invoice.currency)} available)` : methodLabel[value]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Reference (optional)" error={errors.reference} hint="A transfer reference or cheque number.">
          {(props) => <Input value={reference} onChange={(event) => setReference(event.target.value)} {...props} />}
        </Field>
        {record.isError && !fieldError && <ErrorPanel error={record.error} onRetry={() => submit()} retrying={record.isPending} />}
      </form>
    </Dialog>
  );
}

function DueDateDialog({ invoice, onClose, notify }: DialogProps) {
  const change = useChangeDueDate(invoice.id);
  const [dueDate, setDueDate] = useState(invoice.due_date);
  const [error, setError] = useState<string | undefined>();
  const submit = (event?: React.FormEvent) => {
    event?.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate)) return setError('Choose a date');
    if (dueDate < invoice.issue_date) return setError(`Must be on or after the issue date (${formatDay(invoice.issue_date)})`);
    if (dueDate > addMonths(invoice.issue_date, 60)) return setError('Must be within five years of the issue date');
    setError(undefined);
    change.mutate(dueDate, {
      onSuccess: (changed) => {
        notify(`Due date moved to ${formatDay(changed.due_date)}`);
        onClose();
      },
      onError: (failure) => {
        const messages = failure instanceof ApiError ? failure.fieldErrors.due_date : undefined;
        if (messages) setError(messages.join('; '));
      },
    });
  };
  return (
    <Dialog
      open
      title="Change the due date"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="due-date-form" busy={change.isPending}>Save</Button>
        </>
      }
    >
      <form id="due-date-form" onSubmit={submit} noValidate className="space-y-4">
        <Field label="New due date" error={error} hint={dueDate < todayUtc() ? 'A date in the past makes the invoice overdue at once.' : 'The overdue timer and reminders move with it.'}>
          {(props) => <Input type="date" value={dueDate} onChange={(event) => setDueDate(event.target.value)} {...props} autoFocus />}
        </Field>
        {change.isError && !(change.error instanceof ApiError && change.error.fieldErrors.due_date) && (
          <ErrorPanel error={change.error} onRetry={() => submit()} retrying={change.isPending} />
        )}
      </form>
    </Dialog>
  );
}

function VoidDialog({ invoice, onClose, notify }: DialogProps) {
  const voidIt = useVoid(invoice.id);
  const keyFor = useIdempotencyKey();
  const [reason, setReason] = useState('');
  const tooLong = reason.trim().length > LIMITS.voidReason;
  const submit = () =>
    voidIt.mutate(
      { reason, key: keyFor(reason.trim()) },
      {
        onSuccess: () => {
          notify('The invoice was voided');
          onClose();
        },
      },
    );
  return (
    <Dialog
      open
      title="Void this invoice?"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button variant="danger" busy={voidIt.isPending} disabled={tooLong} onClick={submit}>Void invoice</Button>
        </>
      }
    >
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          A void invoice can no longer be paid{invoice.status !== 'draft' ? ', and the client is told' : ''}. It stays in your records, stamped VOID.
        </p>
        <Field label="Reason (optional)" error={tooLong ? `At most ${LIMITS.voidReason} characters` : undefined}>
          {(props) => <TextArea rows={2} value={reason} onChange={(event) => setReason(event.target.value)} {...props} />}
        </Field>
        {voidIt.isError && <ErrorPanel error={voidIt.error} onRetry={submit} retrying={voidIt.isPending} />}
      </div>
    </Dialog>
  );
}

function UncollectibleDialog({ invoice, onClose, notify }: DialogProps) {
  const markIt = useMarkUncollectible(invoice.id);
  const keyFor = useIdempotencyKey();
  const [reason, setReason] = useState('');
  const [on, setOn] = useState(todayUtc());
  const [blank, setBlank] = useState(false);
  const tooLong = reason.trim().length > LIMITS.writeOffReason;
  const fieldErrors = markIt.error instanceof ApiError ? markIt.error.fieldErrors : {};
  const submit = (event?: React.FormEvent) => {
    event?.preventDefault();
    if (!reason.trim()) {
      setBlank(true);
      return;
    }
    markIt.mutate(
      { reason, on, key: keyFor({ reason: reason.trim(), on }) },
      {
        onSuccess: () => {
          notify(`${formatMoney(invoice.amount_due, invoice.currency)} written off`);
          onClose();
        },
      },
    );
  };
  return (
    <Dialog
      open
      title="Mark this invoice uncollectible?"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Keep it open</Button>
          <Button variant="danger" type="submit" form="uncollectible-form" busy={markIt.isPending} disabled={tooLong}>Write off</Button>
        </>
      }
    >
      <form id="uncollectible-form" onSubmit={submit} noValidate className="space-y-4">
        <p className="text-sm text-slate-700">
          The <strong>{formatMoney(invoice.amount_due, invoice.currency)}</strong> still due is written off as a bad debt: reminders stop and it leaves your receivables.
          Your client is not told. A payment that still comes is recorded as usual.
        </p>
        <Field
          label="Reason"
          error={blank ? 'Say why the money will not come' : tooLong ? `At most ${LIMITS.writeOffReason} characters` : fieldErrors.reason?.[0]}
        >
          {(props) => <TextArea rows={2} value={reason} onChange={(event) => { setReason(event.target.value); setBlank(false); }} {...props} autoFocus />}
        </Field>
        <Field label="Date of the write-off" error={fieldErrors.on?.[0]} hint={`From the issue date, ${formatDay(invoice.issue_date)}, to today.`}>
          {(props) => <Input type="date" value={on} min={invoice.issue_date} max={todayUtc()} onChange={(event) => setOn(event.target.value)} {...props} />}
        </Field>
        {markIt.isError && !fieldErrors.reason && !fieldErrors.on && (
          <ErrorPanel error={markIt.error} onRetry={() => submit()} retrying={markIt.isPending} />
        )}
      </form>
    </Dialog>
  );
}

export function DeleteDialog({ invoice, onClose }: Omit<DialogProps, 'notify'>) {
  const navigate = useNavigate();
  const remove = useDeleteDraft(invoice.id);
  const submit = () => remove.mutate(undefined, { onSuccess: () => navigate('/invoices') });
  return (
    <Dialog
      open
      title="Delete this draft?"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button variant="danger" busy={remove.isPending} onClick={submit}>Delete draft</Button>
        </>
      }
    >
      <p className="text-sm text-slate-700">The draft and its line items are removed. This cannot be undone.</p>
      {remove.isError && <div className="mt-3"><ErrorPanel error={remove.error} onRetry={submit} retrying={remove.isPending} /></div>}
    </Dialog>
  );
}
