// Receivables aging: what customers owed at the end of a day, per currency and customer, by
// days past due (`GET /api/reports/aging`), and the invoices behind any figure
// (`GET /api/reports/aging/invoices`). The day is in the URL (`?as_of=`), so a report can be
// linked and reloaded.

import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useAging, useAgingInvoices } from '../api/queries';
import { AGING_BUCKETS, type AgingBucket, type AgingBuckets, type AgingCurrency } from '../api/types';
import { AgingChart } from '../components/AgingChart';
import { ErrorPanel, Loading } from '../components/feedback';
import { Button, EmptyState, Field, Input, PageHeader, cx } from '../components/ui';
import { BUCKET_LABELS, bucketPhrase, daysPastDue } from '../lib/aging';
import { formatDay, todayUtc } from '../lib/dates';
import { formatMoney } from '../lib/money';

const PAGE_SIZE = 20;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A figure of the report: a currency's, or a customer's in it; one bucket, or all of them. */
interface Figure {
  currency: string;
  customer?: { id: string; name: string };
  bucket?: AgingBucket;
  amount: number;
}

const figureKey = (figure: Figure) => `${figure.currency}|${figure.customer?.id ?? ''}|${figure.bucket ?? ''}`;

/** What a figure is, in words: "Invoices of Acme Ltd, 31–60 days past due". */
function figureTitle(figure: Figure): string {
  const whose = figure.customer ? `of ${figure.customer.name}` : `in ${figure.currency}`;
  return figure.bucket ? `Invoices ${whose}, ${bucketPhrase(figure.bucket)}` : `Open invoices ${whose}`;
}

/** An amount that shows its invoices when pressed; a zero has none to show. */
function FigureButton({ figure, selected, onSelect, strong }: { figure: Figure; selected: boolean; onSelect: (figure: Figure) => void; strong?: boolean }) {
  const text = formatMoney(figure.amount, figure.currency);
  if (figure.amount === 0) return <span className="px-1 text-slate-500">{text}</span>;
  return (
    <button
      type="button"
      aria-expanded={selected}
      onClick={() => onSelect(figure)}
      className={cx(
        'rounded px-1 tabular-nums text-brand-700 underline decoration-brand-300 underline-offset-2 hover:decoration-brand-700',
        'focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600',
        strong ? 'font-semibold' : 'font-medium',
        selected && 'bg-brand-50',
      )}
    >
      <span className="sr-only">{figureTitle(figure)}: </span>
      {text}
    </button>
  );
}

type Select = { selected: Figure | null; onSelect: (figure: Figure) => void };
const isSelected = (figure: Figure, selected: Figure | null) => selected !== null && figureKey(figure) === figureKey(selected);

/** The currency's buckets: the chart's figures, and what screen readers read. */
function BucketTable({ currency, totals, asOf, selected, onSelect }: { currency: string; totals: AgingBuckets; asOf: string } & Select) {
  const cell = (bucket?: AgingBucket) => {
    const figure: Figure = { currency, bucket, amount: bucket ? totals[bucket] : totals.total };
    return <FigureButton figure={figure} selected={isSelected(figure, selected)} onSelect={onSelect} strong={!bucket} />;
  };
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Receivables in {currency} by days past due, as of {formatDay(asOf)}</caption>
      <thead className="sr-only">
        <tr><th scope="col">Days past due</th><th scope="col">Amount</th></tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {AGING_BUCKETS.map((bucket) => (
          <tr key={bucket}>
            <th scope="row" className="py-1.5 pr-3 text-left font-normal text-slate-600">{BUCKET_LABELS[bucket]}</th>
            <td className="py-1.5 text-right">{cell(bucket)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot className="border-t border-slate-300">
        <tr>
          <th scope="row" className="py-1.5 pr-3 text-left font-semibold text-slate-900">
            Total <span className="font-normal text-slate-500">({totals.invoice_count} invoice{totals.invoice_count === 1 ? '' : 's'})</span>
          </th>
          <td className="py-1.5 text-right">{cell()}</td>
        </tr>
      </tfoot>
    </table>
  );
}

function CustomerTable({ entry, selected, onSelect }: { entry: AgingCurrency } & Select) {
  const { currency } = entry;
  const cells = (buckets: AgingBuckets, customer?: Figure['customer']) =>
    [...AGING_BUCKETS, undefined].map((bucket) => {
      const figure: Figure = { currency, customer, bucket, amount: bucket ? buckets[bucket] : buckets.total };
      return (
        <td key={bucket ?? 'total'} className="whitespace-nowrap px-3 py-2 text-right">
          <FigureButton figure={figure} selected={isSelected(figure, selected)} onSelect={onSelect} strong={!bucket} />
        </td>
      );
    });
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[40rem] text-sm">
        <caption className="sr-only">Receivables in {currency} by customer and days past due</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 text-left">Customer</th>
            {AGING_BUCKETS.map((bucket) => <th key={bucket} scope="col" className="px-3 py-2 text-right">{BUCKET_LABELS[bucket]}</th>)}
            <th scope="col" className="px-3 py-2 text-right">Total</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entry.customers.map((customer) => (
            <tr key={customer.customer_id}>
              <th scope="row" className="max-w-[14rem] truncate px-3 py-2 text-left font-medium text-slate-900">
                <Link to={`/customers/${customer.customer_id}`} className="hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">{customer.name}</Link>
              </th>
              {cells(customer, { id: customer.customer_id, name: customer.name })}
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-slate-300">
          <tr>
            <th scope="row" className="px-3 py-2 text-left font-semibold text-slate-900">Total</th>
            {cells(entry.totals)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The open invoices behind a figure, the longest past due first, a page at a time. */
function Drilldown({ figure, asOf, onClose }: { figure: Figure; asOf: string; onClose: () => void }) {
  const list = useAgingInvoices({ as_of: asOf, currency: figure.currency, customer_id: figure.customer?.id, bucket: figure.bucket, limit: PAGE_SIZE });
  const heading = useRef<HTMLHeadingElement>(null);
  const title = figureTitle(figure);
  // The list opens below the tables: keyboard and screen reader users are taken to it.
  useEffect(() => heading.current?.focus(), [title]);
  const invoices = list.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <section aria-labelledby="aging-invoices-title" className="rounded-xl bg-white shadow-sm ring-1 ring-brand-200">
      <header className="flex items-center justify-between gap-3 border-b border-slate-100 px-4 py-3 sm:px-5">
        <div className="min-w-0">
          <h3 id="aging-invoices-title" ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">{title}</h3>
          <p className="text-sm text-slate-600">{formatMoney(figure.amount, figure.currency)} open at the end of {formatDay(asOf)}</p>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose}>Close</Button>
      </header>
      <div className="p-4 sm:p-5">
        {list.isPending ? (
          <Loading />
        ) : !list.data ? (
          <ErrorPanel error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
        ) : invoices.length === 0 ? (
          <p className="text-sm text-slate-600">No invoice is open here any more.</p>
        ) : (
          <>
            <div className="-mx-4 overflow-x-auto sm:mx-0">
              <table className="w-full min-w-[36rem] text-left text-sm">
                <caption className="sr-only">{title}</caption>
                <thead className="text-xs font-semibold uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="px-3 py-2">Number</th>
                    <th scope="col" className="px-3 py-2">Customer</th>
                    <th scope="col" className="px-3 py-2">Issued</th>
                    <th scope="col" className="px-3 py-2">Due</th>
                    <th scope="col" className="px-3 py-2 text-right">Days past due</th>
                    <th scope="col" className="px-3 py-2 text-right">Open amount</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {invoices.map((invoice) => (
                    <tr key={invoice.id}>
                      <td className="px-3 py-2">
                        <Link to={`/invoices/${invoice.id}`} className="font-medium text-brand-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">
                          {invoice.number ?? 'Invoice'}
                        </Link>
                      </td>
                      <td className="max-w-[14rem] truncate px-3 py-2 text-slate-900">{invoice.customer_name}</td>
                      <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDay(invoice.issue_date)}</td>
                      <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDay(invoice.due_date)}</td>
                      <td className={cx('whitespace-nowrap px-3 py-2 text-right tabular-nums', invoice.days_past_due > 0 ? 'text-amber-800' : 'text-slate-600')}>
                        {daysPastDue(invoice.days_past_due)}
                      </td>
                      <td className="whitespace-nowrap px-3 py-2 text-right font-semibold tabular-nums text-slate-900">{formatMoney(invoice.open_amount, invoice.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="mt-4 flex items-center justify-between gap-3">
              <p className="text-sm text-slate-600" aria-live="polite">{invoices.length} invoice{invoices.length === 1 ? '' : 's'} shown</p>
              {list.hasNextPage && (
                <Button onClick={() => void list.fetchNextPage()} busy={list.isFetchingNextPage}>Load more</Button>
              )}
            </div>
            {list.isFetchNextPageError && (
              <div className="mt-3">
                <ErrorPanel error={list.error} onRetry={() => void list.fetchNextPage()} retrying={list.isFetchingNextPage} />
              </div>
            )}
          </>
        )}
      </div>
    </section>
  );
}

export function Aging() {
  const [params, setParams] = useSearchParams();
  const today = todayUtc();
  const asked = params.get('as_of') ?? '';
  const asOf = DAY.test(asked) ? asked : today;
  // What the date input holds: a half-typed day stays in it without changing the report.
  const [typed, setTyped] = useState(asOf);
  useEffect(() => setTyped(asOf), [asOf]);
  const [figure, setFigure] = useState<Figure | null>(null);
  const report = useAging(asOf);

  const changeDay = (day: string) => {
    setTyped(day);
    if (day !== '' && !DAY.test(day)) return;
    setFigure(null);
    const next = new URLSearchParams(params);
    if (day) next.set('as_of', day);
    else next.delete('as_of');
    setParams(next, { replace: true });
  };

  // Closing the list takes focus back to the figure that opened it.
  const opener = useRef<HTMLElement | null>(null);
  const select = (chosen: Figure) => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setFigure((current) => (current && figureKey(current) === figureKey(chosen) ? null : chosen));
  };
  const close = () => {
    setFigure(null);
    opener.current?.focus();
  };

  return (
    <div>
      <PageHeader title="Receivables aging" subtitle="What your customers owed at the end of a day (UTC), by days past the due date." />
      <div className="mb-6 max-w-xs">
        <Field label="As of" hint="Invoices sent by the end of this day, less what was paid by then.">
          {(props) => <Input type="date" value={typed} onChange={(event) => changeDay(event.target.value)} {...props} />}
        </Field>
      </div>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorPanel error={report.error} onRetry={() => void report.refetch()} retrying={report.isFetching} />
      ) : report.data.currencies.length === 0 ? (
        <EmptyState title="Nothing is owed">No sent invoice was open at the end of {formatDay(report.data.as_of)}.</EmptyState>
      ) : (
        <div className={cx('space-y-6 transition-opacity', report.isPlaceholderData && 'opacity-60')} aria-busy={report.isFetching}>
          {report.data.currencies.map((entry) => (
            <section key={entry.currency} aria-labelledby={`aging-${entry.currency}`} className="space-y-4 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5">
              <h2 id={`aging-${entry.currency}`} className="text-base font-semibold text-slate-900">
                {entry.currency} <span className="font-normal text-slate-500">· {formatMoney(entry.totals.total, entry.currency)} open</span>
              </h2>
              <div className="grid grid-cols-1 items-center gap-6 md:grid-cols-5">
                <div className="md:col-span-3">
                  <AgingChart totals={entry.totals} currency={entry.currency} asOf={formatDay(report.data.as_of)} />
                </div>
                <div className="md:col-span-2">
                  <BucketTable currency={entry.currency} totals={entry.totals} asOf={report.data.as_of} selected={figure} onSelect={select} />
                </div>
              </div>
              <CustomerTable entry={entry} selected={figure} onSelect={select} />
              {figure?.currency === entry.currency && <Drilldown figure={figure} asOf={report.data.as_of} onClose={close} />}
            </section>
          ))}
        </div>
      )}
    </div>
  );
}
