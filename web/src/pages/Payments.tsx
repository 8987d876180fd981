import { useState } from 'react';
import { Link } from 'react-router-dom';
import { usePayments } from '../api/queries';
import type { PaymentStatus } from '../api/types';
import { ErrorPanel, Loading } from '../components/feedback';
import { Pager, useCursorPages } from '../components/Pager';
import { EmptyState, Field, Input, PageHeader, Select } from '../components/ui';
import { formatInstant } from '../lib/dates';
import { formatMoney } from '../lib/money';

const statusText: Record<PaymentStatus, string> = {
  succeeded: 'Received',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
};

export function Payments() {
  const [status, setStatus] = useState<PaymentStatus | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const pages = useCursorPages();
  const filters = { status: status || undefined, from: from || undefined, to: to || undefined };
  const list = usePayments({ ...filters, cursor: pages.cursor });
  const reset = <T,>(set: (value: T) => void) => (value: T) => {
    pages.reset();
    set(value);
  };

  return (
    <div>
      <PageHeader title="Payments" subtitle="Every payment on your invoices, offline and online." />
      <div className="mb-4 grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Field label="Status">
          {(props) => (
            <Select value={status} onChange={(event) => reset(setStatus)(event.target.value as PaymentStatus | '')} {...props}>
              <option value="">Any</option>
              {Object.entries(statusText).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </Select>
          )}
        </Field>
        <Field label="From">
          {(props) => <Input type="date" value={from} onChange={(event) => reset(setFrom)(event.target.value)} {...props} />}
        </Field>
        <Field label="To">
          {(props) => <Input type="date" value={to} onChange={(event) => reset(setTo)(event.target.value)} {...props} />}
        </Field>
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.data.length === 0 ? (
        <EmptyState title="No payments">Payments you record, and those clients make online, show here.</EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            {list.data.data.map((payment) => (
              <li key={payment.id} className="flex items-center justify-between gap-3 px-4 py-3 text-sm">
                <div className="min-w-0">
                  <Link to={`/invoices/${payment.invoice_id}`} className="font-medium text-brand-700 hover:underline">{payment.number ?? 'Invoice'}</Link>
                  <p className="truncate text-xs text-slate-500">
                    {formatInstant(payment.recorded_at)} · {payment.method.replace('_', ' ')}{payment.reference ? ` · ${payment.reference}` : ''}
                  </p>
                </div>
                <div className="text-right">
                  <p className="font-semibold tabular-nums text-slate-900">{formatMoney(payment.amount, payment.currency)}</p>
                  <p className="text-xs text-slate-500">{statusText[payment.status]}</p>
                </div>
              </li>
            ))}
          </ul>
          <Pager pages={pages} nextCursor={list.data.next_cursor} />
        </>
      )}
    </div>
  );
}
