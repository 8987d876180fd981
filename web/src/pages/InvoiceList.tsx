import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { LIMITS } from '../api/limits';
import { useInvoices } from '../api/queries';
import { STATUSES, type InvoiceSort, type InvoiceStatus } from '../api/types';
import { ErrorPanel, Loading } from '../components/feedback';
import { Pager, useCursorPages } from '../components/Pager';
import { EmptyState, Input, PageHeader, Select, StatusBadge, cx, statusLabel } from '../components/ui';
import { dueIn, formatDay, todayUtc } from '../lib/dates';
import { formatMoney } from '../lib/money';

const SORTS: { value: InvoiceSort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'oldest', label: 'Oldest first' },
  { value: 'due_date', label: 'Due date' },
  { value: 'amount_due', label: 'Amount due' },
];
const PAGE_SIZE = 20;

export function InvoiceList() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const status = STATUSES.includes(params.get('status') as InvoiceStatus) ? (params.get('status') as InvoiceStatus) : undefined;
  const sort = (SORTS.find((s) => s.value === params.get('sort'))?.value ?? 'newest') as InvoiceSort;
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  // A new filter starts over at the first page.
  const pages = useCursorPages();
  const cursor = pages.cursor;

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    pages.reset();
    setParams(next, { replace: true });
  };

  // Searching as the user types, a moment after the last key.
  useEffect(() => {
    if (search.trim() === q) return;
    const timer = window.setTimeout(() => update({ q: search.trim() || undefined }), 300);
    return () => window.clearTimeout(timer);
  }, [search]);

  const list = useInvoices({ status, q: q || undefined, sort, cursor, limit: PAGE_SIZE });
  const today = todayUtc();
  const tabs: { value?: InvoiceStatus; label: string }[] = [{ label: 'All' }, ...STATUSES.map((value) => ({ value, label: statusLabel[value] }))];

  return (
    <div>
      <PageHeader
        title="Invoices"
        actions={
          <Link to="/invoices/new" className="inline-flex items-center gap-2 rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
            New invoice
          </Link>
        }
      />
      <nav aria-label="Filter by status" className="-mx-4 mb-4 overflow-x-auto px-4 sm:mx-0 sm:px-0">
        <ul className="flex min-w-max gap-1 border-b border-slate-200">
          {tabs.map((tab) => {
            const active = tab.value === status;
            return (
              <li key={tab.label}>
                <button
                  type="button"
                  aria-current={active ? 'page' : undefined}
                  onClick={() => update({ status: tab.value })}
                  className={cx(
                    '-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600',
                    active ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900',
                  )}
                >
                  {tab.label}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="mb-4 flex flex-col gap-3 sm:flex-row">
        <div className="flex-1">
          <label htmlFor="invoice-search" className="sr-only">Search by customer or number</label>
          <Input id="invoice-search" type="search" placeholder="Search by customer, e-mail or number" value={search} onChange={(event) => setSearch(event.target.value)} maxLength={LIMITS.search} />
        </div>
        <div className="sm:w-48">
          <label htmlFor="invoice-sort" className="sr-only">Sort</label>
          <Select id="invoice-sort" value={sort} onChange={(event) => update({ sort: event.target.value === 'newest' ? undefined : event.target.value })}>
            {SORTS.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
          </Select>
        </div>
      </div>

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.data.length === 0 ? (
        <EmptyState title={q || status ? 'No invoices match' : 'No invoices yet'}>
          {q || status ? 'Try another search or status.' : <Link to="/invoices/new" className="font-medium text-brand-700 underline">Create your first invoice</Link>}
        </EmptyState>
      ) : (
        <div className={cx('transition-opacity', list.isPlaceholderData && 'opacity-60')} aria-busy={list.isFetching}>
          <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Invoices{status ? `, ${statusLabel[status]}` : ''}{q ? `, matching “${q}”` : ''}</caption>
              <thead className="hidden bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 sm:table-header-group">
                <tr>
                  <th scope="col" className="px-4 py-3">Number</th>
                  <th scope="col" className="px-4 py-3">Customer</th>
                  <th scope="col" className="px-4 py-3">Status</th>
                  <th scope="col" className="px-4 py-3">Due</th>
                  <th scope="col" className="px-4 py-3 text-right">Total</th>
                  <th scope="col" className="px-4 py-3 text-right">Amount due</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.data.data.map((invoice) => (
                  <tr
                    key={invoice.id}
                    className="grid cursor-pointer grid-cols-2 gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 sm:table-row sm:p-0"
                    onClick={() => navigate(`/invoices/${invoice.id}`)}
                  >
                    <td className="sm:px-4 sm:py-3">
                      <Link to={`/invoices/${invoice.id}`} className="font-medium text-brand-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600" onClick={(event) => event.stopPropagation()}>
                        {invoice.number ?? 'Draft'}
                      </Link>
                    </td>
                    <td className="col-span-2 row-start-2 min-w-0 sm:px-4 sm:py-3">
                      <span className="block truncate font-medium text-slate-900">{invoice.client_name}</span>
                      <span className="block truncate text-xs text-slate-500">{invoice.client_email}</span>
                    </td>
                    <td className="justify-self-end sm:px-4 sm:py-3"><StatusBadge status={invoice.status} /></td>
                    <td className="text-slate-600 sm:px-4 sm:py-3">
                      {formatDay(invoice.due_date)}
                      {(invoice.status === 'sent' || invoice.status === 'overdue') && (
                        <span className={cx('block text-xs', invoice.status === 'overdue' ? 'text-amber-800' : 'text-slate-500')}>{dueIn(invoice.due_date, today)}</span>
                      )}
                    </td>
                    <td className="hidden text-right tabular-nums text-slate-600 sm:table-cell sm:px-4 sm:py-3">{formatMoney(invoice.total, invoice.currency)}</td>
                    <td className="text-right font-semibold tabular-nums text-slate-900 sm:px-4 sm:py-3">{formatMoney(invoice.amount_due, invoice.currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager pages={pages} nextCursor={list.data.next_cursor} />
        </div>
      )}
    </div>
  );
}
