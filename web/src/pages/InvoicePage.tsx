import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/client';
import { fetchPdf, keys, useCustomer, useInvoice, useInvoicePayments, useTaxRates, useTimeline } from '../api/queries';
import type { AppliedTax, EInvoiceFinding, Invoice, LineItem } from '../api/types';
import { EInvoiceRejection } from '../components/EInvoiceRejection';
import { CreditNotesCard } from '../components/CreditNotesCard';
import { BreakdownTable, TotalsList } from '../components/editor/Totals';
import { EInvoiceCard } from '../components/EInvoiceCard';
import { ErrorPanel, Loading, Notice } from '../components/feedback';
import { InvoiceActions } from '../components/InvoiceActions';
import { Timeline } from '../components/Timeline';
import { Button, Card, PageHeader, StatusBadge } from '../components/ui';
import { dueIn, formatDay, formatInstant, todayUtc } from '../lib/dates';
import { readBuyer } from '../lib/buyer';
import { countryName, languageName, taxIdKindName } from '../lib/countries';
import { priceText } from '../lib/draft';
import { formatMoney, formatPrice } from '../lib/money';
import { unitName } from '../lib/units';
import { categoryLabel } from '../lib/vat';

export function InvoicePage() {
  const { id = '' } = useParams();
  const invoice = useInvoice(id);
  const [notice, setNotice] = useState<string | null>(null);
  const clearNotice = useCallback(() => setNotice(null), []);

  if (invoice.isPending) return <><PageHeader title="Invoice" /><Loading /></>;
  if (invoice.isError) {
    const missing = invoice.error instanceof ApiError && (invoice.error.status === 404 || invoice.error.status === 400);
    return (
      <>
        <PageHeader title={missing ? 'Invoice not found' : 'Invoice'} />
        {missing ? (
          <p className="text-sm text-slate-700">
            There is no invoice of yours at this address.{' '}
            <Link to="/invoices" className="font-medium text-brand-700 underline">See your invoices</Link>
          </p>
        ) : (
          <ErrorPanel error={invoice.error} onRetry={() => void invoice.refetch()} retrying={invoice.isFetching} />
        )}
      </>
    );
  }
  return (
    <>
      <Details invoice={invoice.data} notify={setNotice} />
      <Notice message={notice} onDone={clearNotice} />
    </>
  );
}

function Details({ invoice, notify }: { invoice: Invoice; notify: (message: string) => void }) {
  const c = invoice.currency;
  const open = invoice.status === 'sent' || invoice.status === 'overdue';
  const timeline = useTimeline(invoice.id, open || invoice.status === 'draft' || recentlyChanged(invoice));
  const payments = useInvoicePayments(invoice.id, invoice.status !== 'draft');
  const today = todayUtc();
  const rates = useTaxRates();
  // A send the e-invoice gate refused, until the next refusal, the send or a dismissal. The
  // format it names is the customer's as it is now, which a draft's e-invoice is made for (the
  // same query as the "Billed to" card's).
  const [rejection, setRejection] = useState<EInvoiceFinding[] | null>(null);
  const customer = useCustomer(invoice.buyer ? '' : invoice.customer_id);
  // The invoice changed without this page doing anything (a webhook, the overdue timer, another
  // tab): its payments, credit notes and timeline changed with it.
  const client = useQueryClient();
  useEffect(() => {
    void client.invalidateQueries({ queryKey: keys.invoicePayments(invoice.id) });
    void client.invalidateQueries({ queryKey: keys.creditNotes(invoice.id), exact: true });
    void client.invalidateQueries({ queryKey: keys.timeline(invoice.id) });
  }, [client, invoice.id, invoice.updated_at]);
  const credited = invoice.amount_credited > 0;

  return (
    <div>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {invoice.number ?? 'Draft invoice'}
            <StatusBadge status={invoice.status} />
          </span>
        }
        subtitle={
          <>
            {invoice.client_name} · {invoice.client_email}
          </>
        }
        actions={<InvoiceActions invoice={invoice} notify={notify} onRejected={setRejection} />}
      />
      {rejection && invoice.status === 'draft' && (
        <EInvoiceRejection findings={rejection} invoice={invoice} format={customer.data?.e_invoice_format} onDismiss={() => setRejection(null)} />
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card>
            <dl className={credited ? 'grid grid-cols-2 gap-4 sm:grid-cols-5' : 'grid grid-cols-2 gap-4 sm:grid-cols-4'}>
              <Amount label="Total" value={formatMoney(invoice.total, c)} />
              <Amount label="Paid" value={formatMoney(invoice.amount_paid, c)} />
              {credited && <Amount label="Credited" value={formatMoney(invoice.amount_credited, c)} testId="amount-credited" />}
              <Amount label="Amount due" value={formatMoney(invoice.amount_due, c)} strong testId="amount-due" />
              <div>
                <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">Due</dt>
                <dd className="mt-1 text-sm font-medium text-slate-900">{formatDay(invoice.due_date)}</dd>
                {open && <dd className={invoice.status === 'overdue' ? 'text-xs font-medium text-amber-800' : 'text-xs text-slate-500'}>{dueIn(invoice.due_date, today)}</dd>}
              </div>
            </dl>
            <dl className="mt-5 grid grid-cols-2 gap-x-4 gap-y-2 border-t border-slate-100 pt-4 text-sm sm:grid-cols-4">
              <Meta label="Issued" value={formatDay(invoice.issue_date)} />
              {invoice.supply_date && <Meta label="Supplied" value={formatDay(invoice.supply_date)} />}
              {invoice.service_period && <Meta label="Service period" value={`${formatDay(invoice.service_period.start)} – ${formatDay(invoice.service_period.end)}`} />}
              <Meta label="Sent" value={invoice.sent_at ? formatInstant(invoice.sent_at) : '—'} />
              {invoice.paid_at && <Meta label="Paid" value={formatInstant(invoice.paid_at)} />}
              {invoice.voided_at && <Meta label="Voided" value={formatInstant(invoice.voided_at)} />}
              {invoice.void_reason && <Meta label="Reason" value={invoice.void_reason} />}
              {invoice.uncollectible_on && <Meta label="Written off" value={formatDay(invoice.uncollectible_on)} />}
              {invoice.uncollectible_reason && <Meta label="Why" value={invoice.uncollectible_reason} />}
            </dl>
          </Card>

          <Card title="Line items">
            <LineTable invoice={invoice} />
            {invoice.adjustments.length > 0 && (
              <ul className="mt-4 space-y-1 border-t border-slate-100 pt-4 text-sm" aria-label="Discounts and charges">
                {invoice.adjustments.map((adjustment, index) => (
                  <li key={index} className="flex justify-between gap-3">
                    <span className="text-slate-700">
                      {adjustment.kind === 'allowance' ? 'Discount' : 'Charge'}: {adjustment.reason}
                      <span className="ml-1 text-xs text-slate-500">({rateText(adjustment.tax)})</span>
                    </span>
                    <span className="tabular-nums text-slate-900">{adjustment.kind === 'allowance' ? '−' : ''}{formatMoney(adjustment.net, c)}</span>
                  </li>
                ))}
              </ul>
            )}
            <div className="mt-4 flex flex-col gap-4 border-t border-slate-100 pt-4 sm:flex-row sm:justify-end">
              <div className="w-full space-y-4 sm:max-w-sm" data-testid="invoice-totals">
                {invoice.tax_breakdown.length > 0 && (
                  <BreakdownTable rows={invoice.tax_breakdown} currency={c} rates={rates.data ?? []} caption="Tax per rate" />
                )}
                <TotalsList
                  currency={c}
                  inclusive={invoice.price_basis === 'inclusive'}
                  totals={{
                    line_total: invoice.subtotal,
                    allowance_total: invoice.allowance_total,
                    charge_total: invoice.charge_total,
                    net_total: invoice.net_total,
                    tax_total: invoice.tax_total,
                    gross_total: invoice.total,
                  }}
                />
              </div>
            </div>
            {invoice.notes && <p className="mt-4 whitespace-pre-line border-t border-slate-100 pt-4 text-sm text-slate-700">{invoice.notes}</p>}
          </Card>

          {invoice.pdf_url && <PdfCard invoice={invoice} />}

          {invoice.number && <EInvoiceCard invoice={invoice} />}

          {invoice.status !== 'draft' && (
            <Card title="Payments">
              {payments.isPending ? (
                <Loading />
              ) : payments.isError ? (
                <ErrorPanel error={payments.error} onRetry={() => void payments.refetch()} retrying={payments.isFetching} />
              ) : payments.data.length === 0 ? (
                <p className="text-sm text-slate-600">No payments yet.</p>
              ) : (
                <ul className="divide-y divide-slate-100" aria-label="Payments">
                  {payments.data.map((payment) => (
                    <li key={payment.id} className="flex items-center justify-between gap-3 py-2.5 text-sm">
                      <div>
                        <p className="font-medium text-slate-900">{payment.method.replace('_', ' ').replace(/^./, (ch) => ch.toUpperCase())}{payment.reference ? ` · ${payment.reference}` : ''}</p>
                        <p className="text-xs text-slate-500">{formatInstant(payment.recorded_at)}{payment.amount_refunded > 0 ? ` · ${formatMoney(payment.amount_refunded, c)} refunded` : ''}</p>
                      </div>
                      <span className="font-semibold tabular-nums text-emerald-700">{formatMoney(payment.amount, payment.currency)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          )}

          <CreditNotesCard invoice={invoice} />
        </div>

        <div className="space-y-6 self-start">
        <BuyerCard invoice={invoice} />
        <Card title="Timeline">
          {timeline.isPending ? (
            <Loading />
          ) : timeline.isError ? (
            <ErrorPanel error={timeline.error} onRetry={() => void timeline.refetch()} retrying={timeline.isFetching} />
          ) : (
            <Timeline events={timeline.data} currency={c} />
          )}
        </Card>
        </div>
      </div>
    </div>
  );
}

/** Paid and void invoices still get e-mails (receipt, void notice) a moment after the change. */
function recentlyChanged(invoice: Invoice): boolean {
  return Date.now() - Date.parse(invoice.updated_at) < 60_000;
}

function Amount({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={strong ? 'mt-1 text-xl font-semibold tabular-nums text-slate-900' : 'mt-1 text-xl tabular-nums text-slate-700'} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function Meta({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-slate-900">{value}</dd>
    </div>
  );
}

/**
 * The PDF needs the session's token, so it is fetched and shown from an object URL (a plain
 * link or frame could not send the Authorization header).
 */
function PdfCard({ invoice }: { invoice: Invoice }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [showPreview, setShowPreview] = useState(false);
  const version = `${invoice.id}:${invoice.updated_at}`;

  // A newer PDF (stamped PAID or VOID) replaces the one shown.
  useEffect(() => {
    setUrl(null);
  }, [version]);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);

  const load = async (): Promise<string | null> => {
    if (url) return url;
    setBusy(true);
    setFailure(null);
    try {
      const fresh = await fetchPdf(invoice);
      setUrl(fresh);
      return fresh;
    } catch (error) {
      setFailure(error);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    const href = await load();
    if (!href) return;
    const link = document.createElement('a');
    link.href = href;
    link.download = `${invoice.number ?? 'invoice'}.pdf`;
    link.click();
  };

  return (
    <Card
      title="PDF"
      actions={
        <div className="flex gap-2">
          <Button size="sm" onClick={() => { setShowPreview((shown) => !shown); void load(); }} aria-expanded={showPreview}>
            {showPreview ? 'Hide preview' : 'Preview'}
          </Button>
          <Button size="sm" onClick={() => void download()} busy={busy && !showPreview}>Download</Button>
        </div>
      }
    >
      {failure !== null && <ErrorPanel error={failure} onRetry={() => void load()} retrying={busy} />}
      {showPreview ? (
        url ? (
          <iframe title={`PDF of ${invoice.number ?? 'the invoice'}`} src={url} className="h-[70vh] w-full rounded-lg border border-slate-200" />
        ) : (
          busy && <Loading label="Loading the PDF…" />
        )
      ) : (
        <p className="text-sm text-slate-600">The invoice as your client received it{invoice.status === 'paid' ? ', stamped PAID' : invoice.status === 'void' ? ', stamped VOID' : ''}.</p>
      )}
    </Card>
  );
}

/** A line's or an adjustment's tax as a person reads it: `19 %`, `Reverse charge`, `No tax`. */
function rateText(tax: AppliedTax): string {
  if (tax.category === 'S' || tax.category === 'Z') return `${tax.percent} %`;
  if (tax.category === 'O' && tax.exemption_reason === 'Not subject to tax') return 'No tax';
  return categoryLabel(tax.category);
}

function discountText(item: LineItem, currency: string): string {
  if (!item.discount) return '';
  return 'percent' in item.discount ? `−${item.discount.percent} %` : `−${formatMoney(item.discount.amount, currency)}`;
}

function LineTable({ invoice }: { invoice: Invoice }) {
  const c = invoice.currency;
  const anyDiscount = invoice.items.some((item) => item.discount);
  return (
    <div className="-mx-4 overflow-x-auto sm:-mx-5">
      <table className="w-full text-sm" data-testid="invoice-lines">
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 pb-2 sm:px-5">Description</th>
            <th scope="col" className="hidden px-2 pb-2 text-right sm:table-cell">Qty</th>
            <th scope="col" className="hidden px-2 pb-2 text-right sm:table-cell">Unit price</th>
            {anyDiscount && <th scope="col" className="hidden px-2 pb-2 text-right md:table-cell">Discount</th>}
            <th scope="col" className="hidden px-2 pb-2 text-right sm:table-cell">Tax</th>
            <th scope="col" className="px-4 pb-2 text-right sm:px-5">Net</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {invoice.items.map((item, index) => {
            const price = formatPrice(priceText(item, c), c);
            const quantity = `${item.quantity} ${unitName(item.unit, item.quantity)}`;
            return (
              <tr key={index}>
                <td className="px-4 py-2.5 text-slate-900 sm:px-5">
                  {item.description}
                  {item.period && <span className="block text-xs text-slate-500">{formatDay(item.period.start)} – {formatDay(item.period.end)}</span>}
                  <span className="block text-xs tabular-nums text-slate-500 sm:hidden">
                    {quantity} × {price}{item.discount ? ` ${discountText(item, c)}` : ''} · {rateText(item.tax)}
                  </span>
                </td>
                <td className="hidden whitespace-nowrap px-2 py-2.5 text-right tabular-nums text-slate-600 sm:table-cell">{quantity}</td>
                <td className="hidden px-2 py-2.5 text-right tabular-nums text-slate-600 sm:table-cell">{price}</td>
                {anyDiscount && <td className="hidden px-2 py-2.5 text-right tabular-nums text-slate-600 md:table-cell">{discountText(item, c)}</td>}
                <td className="hidden px-2 py-2.5 text-right text-slate-600 sm:table-cell">{rateText(item.tax)}</td>
                <td className="px-4 py-2.5 text-right font-medium tabular-nums text-slate-900 sm:px-5" data-testid="line-net">{formatMoney(item.amount, c)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Who the invoice is for: on a sent invoice the customer as it was when sent (the snapshot the
 * invoice keeps); on a draft the customer as it is now.
 */
function BuyerCard({ invoice }: { invoice: Invoice }) {
  const current = useCustomer(invoice.buyer ? '' : invoice.customer_id);
  const source = (invoice.buyer ?? current.data ?? null) as Record<string, unknown> | null;
  const buyer = readBuyer(source, invoice.client_name, invoice.client_email);
  const address = buyer.address;
  return (
    <Card title="Billed to">
      <div className="space-y-1 text-sm text-slate-700" data-testid="buyer">
        <p className="font-medium text-slate-900">{buyer.name}</p>
        {address && (
          <p className="whitespace-pre-line">
            {[...(address.lines ?? []), [address.postal_code, address.city].filter(Boolean).join(' '), address.region, countryName(address.country)]
              .filter(Boolean)
              .join('\n')}
          </p>
        )}
        {buyer.taxId && <p>{taxIdKindName(buyer.taxId.kind)}: {buyer.taxId.value}</p>}
        <p>{buyer.emails.join(', ')}</p>
        {buyer.language && <p className="text-xs text-slate-500">Written in {languageName(buyer.language)}</p>}
        <p className="pt-1 text-xs text-slate-500">
          {invoice.buyer ? 'As the customer was when the invoice was sent.' : 'The customer as it is now; the invoice keeps these details once sent.'}{' '}
          <Link to={`/customers/${invoice.customer_id}`} className="font-medium text-brand-700 underline">Customer</Link>
        </p>
      </div>
    </Card>
  );
}
