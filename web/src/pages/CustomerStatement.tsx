// A customer's statement of account (`/customers/:id/statement`, from
// `GET /api/customers/{id}/statement`): per currency, what they owed at the start of the period,
// every invoice, void, payment, credit note, refund, write-off and recovery in it with the
// balance after it, and what they owed at its end, net of their credit balance (a credit note's
// excess kept for them), which is shown beside it. The period is in the URL (`?from=&to=`), so a statement can be
// linked and printed; it is checked here as the API checks it, and what the API still refuses
// lands on the same fields. The same period downloads as the customer's PDF (in their language)
// or is e-mailed to them, after a confirmation; the statements e-mailed so far are listed below.

import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { fetchStatementPdf, useCustomer, useCustomerStatement, useEmailStatement, useStatementEmails } from '../api/queries';
import type { Customer, StatementCurrency, StatementEmail, StatementEntry, StatementEntryKind } from '../api/types';
import { Dialog, ErrorPanel, Loading, Notice } from '../components/feedback';
import { Button, Card, EmptyState, Field, Input, PageHeader, cx } from '../components/ui';
import { languageName } from '../lib/countries';
import { formatDay, formatInstant, todayUtc } from '../lib/dates';
import { saveFile } from '../lib/download';
import { useIdempotencyKey } from '../lib/idempotency';
import { formatMoney } from '../lib/money';
import { MAX_STATEMENT_DAYS, checkStatementRange } from '../lib/validation';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What each kind of entry is called on the statement. */
const KIND_LABELS: Record<StatementEntryKind, string> = {
  invoice: 'Invoice',
  void: 'Void',
  payment: 'Payment',
  credit_applied: 'Credit balance applied',
  credit_note: 'Credit note',
  refund: 'Refund',
  write_off: 'Written off',
  recovery: 'Recovered',
};

const link = 'font-medium text-brand-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600';

type Range = { from: string; to: string };

/** The period the URL asks for, with the API's defaults: today, and the first of January of its year. */
function rangeOf(params: URLSearchParams, today: string): Range {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : null;
  };
  const to = day('to') ?? today;
  return { from: day('from') ?? `${to.slice(0, 4)}-01-01`, to };
}

/**
 * What moved the balance: an invoice or a credit note by its number (a credit note's page is its
 * invoice's), anything else with the document it concerns.
 */
function EntryWhat({ entry }: { entry: StatementEntry }) {
  const number = entry.number ?? 'invoice';
  if (entry.kind === 'invoice' || entry.kind === 'credit_note') {
    return <Link to={`/invoices/${entry.invoice_id}`} className={link}>{KIND_LABELS[entry.kind]} {entry.number ?? ''}</Link>;
  }
  if (entry.credit_note_id) {
    return (
      <>
        {KIND_LABELS[entry.kind]}{' '}
        <span className="text-slate-500">
          of credit note <Link to={`/invoices/${entry.invoice_id}`} className={link}>{number}</Link>
        </span>
      </>
    );
  }
  return (
    <>
      {KIND_LABELS[entry.kind]}{' '}
      <span className="text-slate-500">
        on <Link to={`/invoices/${entry.invoice_id}`} className={link}>{number}</Link>
      </span>
    </>
  );
}

const money = 'whitespace-nowrap px-3 py-2 text-right tabular-nums';

function CurrencyStatement({ entry, range }: { entry: StatementCurrency; range: Range }) {
  const { currency } = entry;
  const amount = (minor: number) => formatMoney(minor, currency);
  const totals: [string, number][] = [
    ['Opening balance', entry.opening_balance],
    ['Invoiced', entry.invoiced],
    ['Paid', entry.paid],
    ['Credited', entry.credited],
    ['Written off', entry.written_off],
    ['Closing balance', entry.closing_balance],
  ];
  const id = `statement-${currency}`;
  return (
    <section aria-labelledby={id} className="space-y-4 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 print:break-inside-avoid print:shadow-none sm:p-5">
      <h2 id={id} className="text-base font-semibold text-slate-900">
        {currency} <span className="font-normal text-slate-500">· {amount(entry.closing_balance)} owed at the end of {formatDay(range.to)}</span>
      </h2>
      {entry.credit_balance !== 0 && (
        <p className="text-sm text-slate-700">
          The balance is net of {amount(entry.credit_balance)} the customer holds in credit (credit notes’ excess kept for them); on their invoices they owe {amount(entry.closing_balance + entry.credit_balance)}.
        </p>
      )}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-6" aria-label={`Totals in ${currency}`}>
        {totals.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-500">{label}</dt>
            <dd className={cx('tabular-nums text-slate-900', label === 'Closing balance' ? 'font-semibold' : 'font-medium')}>{amount(value)}</dd>
          </div>
        ))}
      </dl>
      <div className="-mx-4 overflow-x-auto sm:mx-0">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Statement in {currency}, {formatDay(range.from)} to {formatDay(range.to)}</caption>
          <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">Date</th>
              <th scope="col" className="px-3 py-2">Details</th>
              <th scope="col" className="px-3 py-2 text-right">Debit</th>
              <th scope="col" className="px-3 py-2 text-right">Credit</th>
              <th scope="col" className="px-3 py-2 text-right">Balance</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            <tr>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDay(range.from)}</td>
              <th scope="row" className="px-3 py-2 font-medium text-slate-900">Opening balance</th>
              <td className={money} />
              <td className={money} />
              <td className={cx(money, 'font-medium text-slate-900')}>{amount(entry.opening_balance)}</td>
            </tr>
            {entry.entries.map((line, index) => (
              <tr key={`${line.invoice_id}-${line.kind}-${index}`}>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDay(line.date)}</td>
                <td className="px-3 py-2 text-slate-900"><EntryWhat entry={line} /></td>
                <td className={cx(money, 'text-slate-900')}>{line.amount > 0 ? amount(line.amount) : ''}</td>
                <td className={cx(money, 'text-slate-900')}>{line.amount < 0 ? amount(-line.amount) : ''}</td>
                <td className={cx(money, 'text-slate-700')}>{amount(line.balance)}</td>
              </tr>
            ))}
            {entry.entries.length === 0 && (
              <tr>
                <td />
                <td colSpan={4} className="px-3 py-2 text-slate-600">Nothing moved in these days.</td>
              </tr>
            )}
          </tbody>
          <tfoot className="border-t border-slate-300">
            <tr>
              <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDay(range.to)}</td>
              <th scope="row" className="px-3 py-2 font-semibold text-slate-900">Closing balance</th>
              <td className={money} />
              <td className={money} />
              <td className={cx(money, 'font-semibold text-slate-900')}>{amount(entry.closing_balance)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

/** Where the statement goes: the customer's first address, copies to the others and the cc addresses. */
function recipients(customer: Customer): { to: string; copies: string[] } {
  const [to = '', ...others] = customer.emails;
  return { to, copies: [...others, ...customer.cc_emails] };
}

/** Asks before e-mailing the statement, then says what SES made of it. */
function EmailDialog({ customer, range, onClose, notify }: { customer: Customer; range: Range; onClose: () => void; notify: (message: string) => void }) {
  const send = useEmailStatement(customer.id);
  // One key for this dialog's tries: a retry after a lost answer sends nothing twice, while
  // opening the dialog again sends the statement again.
  const keyFor = useIdempotencyKey();
  const [refused, setRefused] = useState<string | null>(null);
  const { to, copies } = recipients(customer);
  const submit = () => {
    setRefused(null);
    send.mutate(
      { period: range, key: keyFor(range) },
      {
        onSuccess: (sent) => {
          if (sent.status === 'refused') {
            setRefused(sent.refusal ?? 'The e-mail service refused the message.');
            return;
          }
          notify(sent.status === 'sent' ? `Statement e-mailed to ${sent.recipient}` : `The statement is on its way to ${sent.recipient}`);
          onClose();
        },
      },
    );
  };
  return (
    <Dialog
      open
      title="E-mail this statement?"
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={send.isPending} onClick={submit} disabled={refused !== null}>Send statement</Button>
        </>
      }
    >
      <p className="text-sm text-slate-700">
        The statement of {formatDay(range.from)} to {formatDay(range.to)} goes to <strong>{to}</strong>
        {copies.length > 0 && <> (copies to {copies.join(', ')})</>} as a PDF in {languageName(customer.language)}. Replies reach you.
      </p>
      {refused !== null && (
        <div role="alert" className="mt-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-semibold">The e-mail was refused</p>
          <p className="mt-0.5">{refused}</p>
        </div>
      )}
      {send.isError && <div className="mt-3"><ErrorPanel error={send.error} onRetry={submit} retrying={send.isPending} /></div>}
    </Dialog>
  );
}

const STATUS_LABELS: Record<StatementEmail['status'], string> = { sent: 'Sent', refused: 'Refused', sending: 'Sending' };

/** The statements e-mailed to the customer, newest first. */
function SentStatements({ id }: { id: string }) {
  const sent = useStatementEmails(id);
  if (sent.isPending) return null;
  if (sent.isError) return <ErrorPanel error={sent.error} onRetry={() => void sent.refetch()} retrying={sent.isFetching} />;
  const rows = sent.data.pages.flatMap((page) => page.data);
  return (
    <Card title="E-mailed statements" className="print:hidden">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No statement has been e-mailed to this customer yet.</p>
      ) : (
        <div className="-mx-4 overflow-x-auto sm:mx-0">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <caption className="sr-only">Statements e-mailed to the customer</caption>
            <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2">Sent</th>
                <th scope="col" className="px-3 py-2">Period</th>
                <th scope="col" className="px-3 py-2">To</th>
                <th scope="col" className="px-3 py-2">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatInstant(row.sent_at ?? row.requested_at)}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-900">{formatDay(row.from)} to {formatDay(row.to)}</td>
                  <td className="px-3 py-2 text-slate-900">{[row.recipient, ...row.cc].join(', ')}</td>
                  <td className={cx('px-3 py-2', row.status === 'refused' ? 'text-red-700' : 'text-slate-700')}>
                    {STATUS_LABELS[row.status]}
                    {row.refusal && <span className="text-slate-500"> · {row.refusal}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {sent.hasNextPage && (
        <Button className="mt-3" onClick={() => void sent.fetchNextPage()} busy={sent.isFetchingNextPage}>Load more</Button>
      )}
    </Card>
  );
}

export function CustomerStatement() {
  const id = useParams().id ?? '';
  const [params, setParams] = useSearchParams();
  const range = rangeOf(params, todayUtc());
  // What the date inputs hold: a cleared field stays empty without changing the statement.
  const [typed, setTyped] = useState(range);
  useEffect(() => setTyped({ from: range.from, to: range.to }), [range.from, range.to]);

  const problems = checkStatementRange(typed.from, typed.to);
  const valid = !problems.from && !problems.to;
  const statement = useCustomerStatement(id, range.from, range.to, valid);

  const change = (field: keyof Range) => (day: string) => {
    const next = { ...typed, [field]: day };
    setTyped(next);
    if (!DAY.test(next.from) || !DAY.test(next.to)) return;
    const search = new URLSearchParams(params);
    search.set('from', next.from);
    search.set('to', next.to);
    setParams(search, { replace: true });
  };

  const apiError = statement.error instanceof ApiError ? statement.error : null;
  const fieldErrors = apiError?.status === 422 ? apiError.fieldErrors : {};
  const errors = {
    from: problems.from ?? fieldErrors.from?.join('; '),
    to: problems.to ?? fieldErrors.to?.join('; '),
  };
  const refused = Boolean(fieldErrors.from || fieldErrors.to);
  const missing = apiError !== null && (apiError.status === 404 || apiError.status === 400);
  const name = statement.data?.customer_name;
  const customer = useCustomer(id);
  const [emailing, setEmailing] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);
  const ready = Boolean(statement.data) && valid && !refused;

  const download = async () => {
    setFailure(null);
    setDownloading(true);
    try {
      const file = await fetchStatementPdf(id, range.from, range.to);
      saveFile(file);
    } catch (error) {
      setFailure(error);
    } finally {
      setDownloading(false);
    }
  };

  if (missing) {
    return (
      <>
        <PageHeader title="Customer not found" />
        <p className="text-sm text-slate-700">There is no customer of yours at this address. <Link to="/customers" className="font-medium text-brand-700 underline">See your customers</Link></p>
      </>
    );
  }

  return (
    <div>
      <PageHeader
        title="Statement of account"
        subtitle={
          <>
            <Link to={`/customers/${id}`} className={link}>{name ?? 'Customer'}</Link> · {formatDay(range.from)} to {formatDay(range.to)} (UTC)
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2 print:hidden">
            <Button onClick={() => window.print()} disabled={!statement.data || !valid}>
              Print
            </Button>
            <Button onClick={() => void download()} busy={downloading} disabled={!ready}>
              Download PDF
            </Button>
            <Button variant="primary" onClick={() => setEmailing(true)} disabled={!ready || !customer.data}>
              E-mail to customer
            </Button>
          </div>
        }
      />
      {emailing && customer.data && (
        <EmailDialog customer={customer.data} range={range} onClose={() => setEmailing(false)} notify={setNotice} />
      )}
      <Notice message={notice} onDone={clearNotice} />
      <div className="space-y-6">
        {failure !== null && <ErrorPanel error={failure} onRetry={() => void download()} retrying={downloading} />}
        <Card title="Period" className="print:hidden">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:max-w-xl">
            <Field label="From" error={errors.from}>
              {(props) => <Input type="date" value={typed.from} onChange={(event) => change('from')(event.target.value)} {...props} />}
            </Field>
            <Field label="To" error={errors.to}>
              {(props) => <Input type="date" value={typed.to} onChange={(event) => change('to')(event.target.value)} {...props} />}
            </Field>
          </div>
          <p className="mt-2 text-xs text-slate-500">Both days included, at most {MAX_STATEMENT_DAYS.toLocaleString('en')} days (ten years).</p>
        </Card>
        {!valid || refused ? null : statement.isPending ? (
          <Loading />
        ) : statement.isError ? (
          <ErrorPanel error={statement.error} onRetry={() => void statement.refetch()} retrying={statement.isFetching} />
        ) : statement.data.currencies.length === 0 ? (
          <EmptyState title="Nothing owed, nothing moved">
            {statement.data.customer_name} owed nothing at the start of {formatDay(statement.data.from)}, and nothing was invoiced, paid or written off until the end of {formatDay(statement.data.to)}.
          </EmptyState>
        ) : (
          <div className={cx('space-y-6 transition-opacity', statement.isPlaceholderData && 'opacity-60')} aria-busy={statement.isFetching}>
            {statement.data.currencies.map((entry) => (
              <CurrencyStatement key={entry.currency} entry={entry} range={{ from: statement.data.from, to: statement.data.to }} />
            ))}
          </div>
        )}
        <SentStatements id={id} />
      </div>
    </div>
  );
}
