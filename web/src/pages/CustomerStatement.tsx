// A customer's statement of account (`/customers/:id/statement`, from
// `GET /api/customers/{id}/statement`): per currency, what they owed at the start of the period,
// every invoice, void, payment, credit note, refund, write-off and recovery in it with the
// balance after it, and what they owed at its end, net of their credit balance (a credit note's
// excess kept for them), which is shown beside it. The period is in the URL (`?from=&to=`), so a statement can be
// linked and printed; it is checked here as the API checks it, and what the API still refuses
// lands on the same fields.

import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useCustomerStatement } from '../api/queries';
import type { StatementCurrency, StatementEntry, StatementEntryKind } from '../api/types';
import { ErrorPanel, Loading } from '../components/feedback';
import { Button, Card, EmptyState, Field, Input, PageHeader, cx } from '../components/ui';
import { formatDay, todayUtc } from '../lib/dates';
import { formatMoney } from '../lib/money';
import { MAX_STATEMENT_DAYS, checkStatementRange } from '../lib/validation';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What each kind of entry is called on the statement. */
const KIND_LABELS: Record<StatementEntryKind, string> = {
  invoice: 'Invoice',
  void: 'Void',
  payment: 'Payment',
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
          <Button className="print:hidden" onClick={() => window.print()} disabled={!statement.data || !valid}>
            Print
          </Button>
        }
      />
      <div className="space-y-6">
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
      </div>
    </div>
  );
}
