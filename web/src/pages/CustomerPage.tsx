import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useArchiveCustomer, useCustomer, useDeleteCustomer } from '../api/queries';
import type { Customer } from '../api/types';
import { CustomerForm } from '../components/CustomerForm';
import { Dialog, ErrorPanel, Loading, Notice } from '../components/feedback';
import { Button, Card, PageHeader } from '../components/ui';
import { formatInstant } from '../lib/dates';
import { FORMAT_NAMES, schemeName } from '../lib/eInvoicing';

/** A customer's editor (`/customers/new`, `/customers/:id`), with archive and delete. */
export function CustomerPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const customer = useCustomer(id ?? '');
  const [notice, setNotice] = useState<string | null>(null);

  if (!id) {
    return (
      <>
        <PageHeader title="New customer" />
        <Card>
          <CustomerForm submitLabel="Create customer" onCancel={() => navigate('/customers')} onSaved={(saved) => navigate(`/customers/${saved.id}`, { replace: true })} />
        </Card>
      </>
    );
  }
  if (customer.isPending) return <><PageHeader title="Customer" /><Loading /></>;
  if (customer.isError) {
    const missing = customer.error instanceof ApiError && (customer.error.status === 404 || customer.error.status === 400);
    return (
      <>
        <PageHeader title={missing ? 'Customer not found' : 'Customer'} />
        {missing ? (
          <p className="text-sm text-slate-700">There is no customer of yours at this address. <Link to="/customers" className="font-medium text-brand-700 underline">See your customers</Link></p>
        ) : (
          <ErrorPanel error={customer.error} onRetry={() => void customer.refetch()} retrying={customer.isFetching} />
        )}
      </>
    );
  }
  return (
    <>
      <Details customer={customer.data} notify={setNotice} />
      <Notice message={notice} onDone={() => setNotice(null)} />
    </>
  );
}

function Details({ customer, notify }: { customer: Customer; notify: (message: string) => void }) {
  const navigate = useNavigate();
  const archive = useArchiveCustomer(customer.id);
  const [deleting, setDeleting] = useState(false);
  const archived = customer.archived_at !== null;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {customer.display_name}
            {archived && <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-semibold text-zinc-700 ring-1 ring-inset ring-zinc-300">Archived</span>}
          </span>
        }
        subtitle={archived ? `Archived ${formatInstant(customer.archived_at ?? '')}: not offered for new invoices.` : `Customer since ${formatInstant(customer.created_at)}`}
        actions={
          <>
            <Link to={`/invoices?q=${encodeURIComponent(customer.display_name)}`} className="inline-flex items-center rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              Invoices
            </Link>
            <Link to={`/customers/${customer.id}/statement`} className="inline-flex items-center rounded-lg bg-white px-3.5 py-2 text-sm font-medium text-slate-800 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              Statement
            </Link>
            <Button busy={archive.isPending} onClick={() => archive.mutate(!archived, { onSuccess: () => notify(archived ? 'The customer is active again.' : 'The customer was archived.') })}>
              {archived ? 'Unarchive' : 'Archive'}
            </Button>
            <Button variant="ghost" className="text-red-700 hover:bg-red-50" onClick={() => setDeleting(true)}>Delete</Button>
          </>
        }
      />
      {archive.isError && <div className="mb-4"><ErrorPanel error={archive.error} /></div>}
      <EInvoicingSummary customer={customer} />
      <Card>
        <CustomerForm key={customer.updated_at} customer={customer} onCancel={() => navigate('/customers')} onSaved={() => notify('Saved. Invoices sent before keep the details they were sent with.')} />
      </Card>
      {deleting && <DeleteCustomerDialog customer={customer} onClose={() => setDeleting(false)} />}
    </>
  );
}

/** What the customer receives besides the PDF, at a glance above the form. */
function EInvoicingSummary({ customer }: { customer: Customer }) {
  const address = customer.electronic_address;
  return (
    <dl className="mb-4 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-3" aria-label="E-invoicing">
      <div>
        <dt className="text-slate-500">E-invoice</dt>
        <dd className="font-medium text-slate-900">{customer.e_invoice_format ? FORMAT_NAMES[customer.e_invoice_format] : 'None — PDF only'}</dd>
      </div>
      <div>
        <dt className="text-slate-500">Buyer reference</dt>
        <dd className="font-mono text-slate-900">{customer.buyer_reference ?? '—'}</dd>
      </div>
      <div>
        <dt className="text-slate-500">Electronic address</dt>
        <dd className="text-slate-900">{address ? <><span className="font-mono">{address.scheme}:{address.id}</span> <span className="text-slate-500">({schemeName(address.scheme)})</span></> : '—'}</dd>
      </div>
    </dl>
  );
}

/** Deleting a customer that invoices name is refused (409): archiving is offered instead. */
function DeleteCustomerDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const navigate = useNavigate();
  const remove = useDeleteCustomer(customer.id);
  const archive = useArchiveCustomer(customer.id);
  const referenced = remove.error instanceof ApiError && remove.error.status === 409;
  return (
    <Dialog
      open
      title={referenced ? 'Archive instead?' : `Delete ${customer.display_name}?`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          {referenced ? (
            customer.archived_at === null && (
              <Button variant="primary" busy={archive.isPending} onClick={() => archive.mutate(true, { onSuccess: onClose })}>
                Archive customer
              </Button>
            )
          ) : (
            <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => navigate('/customers', { replace: true }) })}>
              Delete customer
            </Button>
          )}
        </>
      }
    >
      {referenced ? (
        <p className="text-sm text-slate-700">
          Invoices name {customer.display_name}, so the customer cannot be deleted: the invoices must keep who they were for.{' '}
          {customer.archived_at === null ? 'Archive the customer instead: it is no longer offered for new invoices, and its invoices stay as they are.' : 'The customer is archived already.'}
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-700">The customer is removed. This cannot be undone.</p>
          {remove.isError && <div className="mt-3"><ErrorPanel error={remove.error} /></div>}
        </>
      )}
      {archive.isError && <div className="mt-3"><ErrorPanel error={archive.error} /></div>}
    </Dialog>
  );
}
