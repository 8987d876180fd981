import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useDashboard } from '../api/queries';
import type { DashboardCurrency, InvoiceSummary } from '../api/types';
import { ErrorPanel, Loading } from '../components/feedback';
import { MonthlyChart } from '../components/MonthlyChart';
import { Card, EmptyState, PageHeader, Select, StatusBadge, cx } from '../components/ui';
import { dueIn, formatDay } from '../lib/dates';
import { formatMoney } from '../lib/money';

function Stat({ label, value, detail, tone, more }: { label: string; value: string; detail?: string; tone?: 'warn' | 'good'; more?: ReactNode }) {
  return (
    <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className={cx('mt-1 text-2xl font-semibold tracking-tight tabular-nums', tone === 'warn' ? 'text-amber-700' : tone === 'good' ? 'text-emerald-700' : 'text-slate-900')}>
        {value}
      </dd>
      {detail && <dd className="mt-0.5 text-xs text-slate-500">{detail}</dd>}
      {more && <dd className="mt-1 text-xs">{more}</dd>}
    </div>
  );
}

function Totals({ totals }: { totals: DashboardCurrency }) {
  const c = totals.currency;
  const aging = (
    <Link to="/reports/aging" className="font-medium text-brand-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">
      By days past due<span className="sr-only"> ({c})</span>
    </Link>
  );
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">{c}</h3>
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Stat label="Outstanding" value={formatMoney(totals.outstanding, c)} detail={`${totals.outstanding_count} open invoice${totals.outstanding_count === 1 ? '' : 's'}`} more={aging} />
        <Stat label="Overdue" value={formatMoney(totals.overdue, c)} detail={`${totals.overdue_count} overdue`} tone={totals.overdue > 0 ? 'warn' : undefined} />
        <Stat
          label="Paid this month"
          value={formatMoney(totals.paid_this_month, c)}
          detail={totals.credited_this_month !== 0 ? `${formatMoney(totals.credited_this_month, c)} credited by credit notes` : undefined}
          tone="good"
        />
      </dl>
    </div>
  );
}

function Attention({ invoices, today }: { invoices: InvoiceSummary[]; today: string }) {
  if (invoices.length === 0) {
    return <p className="text-sm text-slate-600">Nothing is overdue or due in the next 7 days.</p>;
  }
  return (
    <ul className="-my-2 divide-y divide-slate-100">
      {invoices.map((invoice) => (
        <li key={invoice.id}>
          <Link to={`/invoices/${invoice.id}`} className="flex items-center justify-between gap-3 rounded-lg py-3 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600">
            <div className="min-w-0">
              <p className="truncate font-medium text-slate-900">{invoice.client_name}</p>
              <p className="text-sm text-slate-600">
                {invoice.number} · <span className={invoice.status === 'overdue' ? 'font-medium text-amber-800' : undefined}>{dueIn(invoice.due_date, today)}</span>
              </p>
            </div>
            <div className="flex shrink-0 flex-col items-end gap-1">
              <span className="font-semibold tabular-nums text-slate-900">{formatMoney(invoice.amount_due, invoice.currency)}</span>
              <StatusBadge status={invoice.status} />
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function Dashboard() {
  const dashboard = useDashboard();
  const [chosen, setChosen] = useState<string | null>(null);

  const newInvoice = (
    <Link to="/invoices/new" className="inline-flex items-center gap-2 rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
      New invoice
    </Link>
  );

  if (dashboard.isPending) return <><PageHeader title="Dashboard" actions={newInvoice} /><Loading /></>;
  if (dashboard.isError) {
    return (
      <>
        <PageHeader title="Dashboard" actions={newInvoice} />
        <ErrorPanel error={dashboard.error} onRetry={() => void dashboard.refetch()} retrying={dashboard.isFetching} />
      </>
    );
  }
  const data = dashboard.data;
  const currencies = data.currencies.map((totals) => totals.currency);
  const currency = chosen && currencies.includes(chosen) ? chosen : currencies[0];

  return (
    <div>
      <PageHeader title="Dashboard" subtitle={`As of ${formatDay(data.as_of)}`} actions={newInvoice} />
      {data.currencies.length === 0 ? (
        <EmptyState title="No invoices sent yet">
          Create an invoice and send it: what is outstanding, overdue and paid will show here.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <section aria-label="Totals" className="space-y-5">
            {data.currencies.map((totals) => (
              <Totals key={totals.currency} totals={totals} />
            ))}
          </section>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
            <Card title="Needs attention" className="lg:col-span-2" actions={<Link to="/invoices?status=overdue" className="text-sm font-medium text-brand-700 hover:underline">All overdue</Link>}>
              <Attention invoices={data.attention} today={data.as_of} />
            </Card>
            <Card
              title="Invoiced vs paid"
              className="lg:col-span-3"
              actions={
                currencies.length > 1 && currency ? (
                  <label className="flex items-center gap-2 text-sm text-slate-600">
                    <span className="sr-only">Currency</span>
                    <Select value={currency} onChange={(event) => setChosen(event.target.value)} className="w-24 py-1">
                      {currencies.map((code) => <option key={code}>{code}</option>)}
                    </Select>
                  </label>
                ) : undefined
              }
            >
              {currency && <MonthlyChart months={data.months} currency={currency} />}
            </Card>
          </div>
        </div>
      )}
    </div>
  );
}
