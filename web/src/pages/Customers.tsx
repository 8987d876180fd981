import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { LIMITS } from '../api/limits';
import { useCustomers } from '../api/queries';
import { ErrorPanel, Loading } from '../components/feedback';
import { Pager, useCursorPages } from '../components/Pager';
import { EmptyState, Input, PageHeader, cx } from '../components/ui';
import { countryName, languageName } from '../lib/countries';

const PAGE_SIZE = 20;

/** The account's customers: searched on the server as the user types, a page at a time. */
export function Customers() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const q = params.get('q') ?? '';
  const archived = params.get('archived') === 'true';
  const [search, setSearch] = useState(q);
  const pages = useCursorPages();

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    pages.reset();
    setParams(next, { replace: true });
  };

  // Searching a moment after the last key.
  useEffect(() => {
    if (search.trim() === q) return;
    const timer = window.setTimeout(() => update({ q: search.trim() || undefined }), 300);
    return () => window.clearTimeout(timer);
  }, [search]);

  const list = useCustomers({ q: q || undefined, archived: archived || undefined, cursor: pages.cursor, limit: PAGE_SIZE });

  return (
    <div>
      <PageHeader
        title="Customers"
        actions={
          <Link to="/customers/new" className="inline-flex items-center gap-2 rounded-lg bg-brand-600 px-3.5 py-2 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
            New customer
          </Link>
        }
      />
      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-center">
        <div className="flex-1">
          <label htmlFor="customer-search" className="sr-only">Search customers</label>
          <Input id="customer-search" type="search" placeholder="Search by name or e-mail" value={search} onChange={(event) => setSearch(event.target.value)} maxLength={LIMITS.customerSearch} />
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={archived} onChange={(event) => update({ archived: event.target.checked ? 'true' : undefined })} className="h-4 w-4 rounded border-slate-300" />
          Archived customers
        </label>
      </div>

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.data.length === 0 ? (
        <EmptyState title={q ? 'No customers match' : archived ? 'No archived customers' : 'No customers yet'}>
          {q ? 'Try another search.' : archived ? null : <Link to="/customers/new" className="font-medium text-brand-700 underline">Add your first customer</Link>}
        </EmptyState>
      ) : (
        <div className={cx('transition-opacity', list.isPlaceholderData && 'opacity-60')} aria-busy={list.isFetching}>
          <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Customers{archived ? ', archived' : ''}{q ? `, matching “${q}”` : ''}</caption>
              <thead className="hidden bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 sm:table-header-group">
                <tr>
                  <th scope="col" className="px-4 py-3">Name</th>
                  <th scope="col" className="px-4 py-3">E-mail</th>
                  <th scope="col" className="px-4 py-3">Country</th>
                  <th scope="col" className="px-4 py-3">Currency</th>
                  <th scope="col" className="px-4 py-3">Language</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.data.data.map((customer) => (
                  <tr key={customer.id} className="grid cursor-pointer grid-cols-2 gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 sm:table-row sm:p-0" onClick={() => navigate(`/customers/${customer.id}`)}>
                    <td className="col-span-2 sm:px-4 sm:py-3">
                      <Link to={`/customers/${customer.id}`} className="font-medium text-brand-700 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600" onClick={(event) => event.stopPropagation()}>
                        {customer.display_name}
                      </Link>
                      {customer.legal_name && <span className="block text-xs text-slate-500">{customer.legal_name}</span>}
                    </td>
                    <td className="col-span-2 min-w-0 truncate text-slate-700 sm:px-4 sm:py-3">{customer.emails.join(', ')}</td>
                    <td className="text-slate-600 sm:px-4 sm:py-3">{customer.address ? countryName(customer.address.country) : '—'}</td>
                    <td className="text-right text-slate-600 sm:px-4 sm:py-3 sm:text-left">{customer.currency ?? '—'}</td>
                    <td className="hidden text-slate-600 sm:table-cell sm:px-4 sm:py-3">{languageName(customer.language)}</td>
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
