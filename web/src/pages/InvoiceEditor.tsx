import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch, type FieldErrors as FormErrors, type Resolver } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useCreateDraft, useInvoice, useSeller, useTaxRates, useUpdateDraft } from '../api/queries';
import type { Customer, Invoice } from '../api/types';
import { CustomerForm } from '../components/CustomerForm';
import { CustomerPicker } from '../components/CustomerPicker';
import { Adjustments, LineItems } from '../components/editor/Lines';
import { LiveTotals } from '../components/editor/Totals';
import { Dialog, ErrorPanel, Loading } from '../components/feedback';
import { DeleteDialog } from '../components/InvoiceActions';
import { Button, Card, Field, Input, PageHeader, Select, TextArea } from '../components/ui';
import { addDays, todayUtc } from '../lib/dates';
import { checkDraft, emptyDraft, formPath, fromInvoice, ratesFor, type DraftForm, type Rates } from '../lib/draft';
import { applyFieldErrors } from '../lib/forms';
import { useIdempotencyKey } from '../lib/idempotency';
import { CURRENCIES } from '../lib/money';

const TERMS = [7, 14, 30, 60];

export function InvoiceEditor() {
  const { id } = useParams();
  const existing = useInvoice(id ?? '');
  const rates = useTaxRates();
  const title = id ? 'Edit invoice' : 'New invoice';
  if ((id && existing.isPending) || rates.isPending) return <><PageHeader title={title} /><Loading /></>;
  const failed = id && existing.isError ? existing : rates.isError ? rates : null;
  if (failed) {
    return (
      <>
        <PageHeader title={title} />
        <ErrorPanel error={failed.error} onRetry={() => void failed.refetch()} retrying={failed.isFetching} />
      </>
    );
  }
  if (id && existing.data && existing.data.status !== 'draft') {
    return (
      <>
        <PageHeader title="Edit invoice" />
        <p className="text-sm text-slate-700">
          Only drafts can be edited; this invoice was sent.{' '}
          <Link to={`/invoices/${id}`} className="font-medium text-brand-700 underline">Back to the invoice</Link>
        </p>
      </>
    );
  }
  return <Editor invoice={id ? existing.data : undefined} />;
}

/** `errors` by dotted path as react-hook-form's nested errors (`items.0.quantity`). */
function nested(errors: Record<string, string>): FormErrors<DraftForm> {
  const tree: Record<string, unknown> = {};
  for (const [path, message] of Object.entries(errors)) {
    // A list's own message sits at `root`, beside its elements' messages.
    const parts = path === 'items' || path === 'adjustments' ? [path, 'root'] : path.split('.');
    let node = tree;
    parts.forEach((part, index) => {
      if (index === parts.length - 1) {
        node[part] = { type: 'client', message };
      } else {
        node[part] ??= /^\d+$/.test(parts[index + 1] ?? '') ? [] : {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return tree as FormErrors<DraftForm>;
}

function draftResolver(rates: Rates, today: string): Resolver<DraftForm> {
  return (values) => {
    const { errors } = checkDraft(values, rates, today);
    return Object.keys(errors).length === 0 ? { values, errors: {} } : { values: {}, errors: nested(errors) };
  };
}

function Editor({ invoice }: { invoice?: Invoice }) {
  const navigate = useNavigate();
  const today = todayUtc();
  const activeRates = useTaxRates().data ?? [];
  const seller = useSeller();
  const rates = useMemo(() => ratesFor(activeRates, invoice), [activeRates, invoice]);
  // Rates a stored draft names that are no longer active (archived since).
  const extraRates = useMemo(() => {
    const extra = new Map<string, string>();
    for (const entry of [...(invoice?.items ?? []), ...(invoice?.adjustments ?? [])]) {
      if (entry.tax_rate_id && !activeRates.some((rate) => rate.id === entry.tax_rate_id)) {
        extra.set(entry.tax_rate_id, `${entry.tax.percent} %`);
      }
    }
    return extra;
  }, [activeRates, invoice]);
  const resolver = useMemo(() => draftResolver(rates, today), [rates, today]);
  const form = useForm<DraftForm>({
    resolver,
    defaultValues: invoice ? fromInvoice(invoice) : emptyDraft(today),
    mode: 'onTouched',
  });
  const create = useCreateDraft();
  const update = useUpdateDraft(invoice?.id ?? '');
  const keyFor = useIdempotencyKey();
  const [failure, setFailure] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [addingCustomer, setAddingCustomer] = useState(false);
  const { errors, isSubmitting } = form.formState;

  const values = useWatch({ control: form.control }) as DraftForm;
  const checked = useMemo(() => checkDraft(values, rates, today), [values, rates, today]);

  // A new invoice's due date follows the account's terms until a customer or a person says
  // otherwise.
  const sellerTerms = seller.data?.payment_terms_days;
  useEffect(() => {
    if (invoice || sellerTerms === undefined || form.getValues('customer_id') || form.getFieldState('due_date').isDirty) return;
    form.setValue('due_date', addDays(form.getValues('issue_date') || today, sellerTerms));
  }, [invoice, sellerTerms, form, today]);

  /** A picked customer: its currency and terms become the draft's. */
  const pick = (customer: Customer) => {
    form.setValue('customer_id', customer.id, { shouldValidate: true, shouldDirty: true });
    if (customer.currency) form.setValue('currency', customer.currency, { shouldDirty: true });
    const days = customer.payment_terms_days ?? sellerTerms ?? 30;
    form.setValue('due_date', addDays(form.getValues('issue_date') || today, days), { shouldValidate: true, shouldDirty: true });
  };

  const save = form.handleSubmit(async (typed) => {
    setFailure(null);
    const draft = checkDraft(typed, rates, today).body;
    if (!draft) return;
    try {
      const saved = invoice ? await update.mutateAsync(draft) : await create.mutateAsync({ draft, key: keyFor(draft) });
      navigate(`/invoices/${saved.id}`);
    } catch (error) {
      // Field problems go next to their fields; anything else shows above the form, which
      // keeps everything typed so that "Try again" sends the same thing.
      if (!applyFieldErrors(error, form.setError, formPath)) setFailure(error);
    }
  });

  const setTerms = (days: number) => {
    const issue = form.getValues('issue_date') || today;
    form.setValue('due_date', addDays(issue, days), { shouldValidate: true, shouldDirty: true });
  };

  const currency = values.currency;
  const dating = values.dating;
  const title = invoice ? 'Edit draft' : 'New invoice';
  return (
    <>
      <form onSubmit={save} noValidate>
        <PageHeader
          title={title}
          subtitle={invoice ? `${invoice.client_name} · draft` : 'Saved as a draft; you can send it from its page.'}
          actions={
            <>
              {invoice && (
                <Button variant="ghost" onClick={() => setConfirmDelete(true)} className="text-red-700 hover:bg-red-50">
                  Delete draft
                </Button>
              )}
              <Button onClick={() => navigate(invoice ? `/invoices/${invoice.id}` : '/invoices')}>Cancel</Button>
              <Button type="submit" variant="primary" busy={isSubmitting}>Save draft</Button>
            </>
          }
        />
        {failure !== null && (
          <div className="mb-6">
            <ErrorPanel error={failure} onRetry={() => void save()} retrying={isSubmitting} />
          </div>
        )}
        <div className="space-y-6">
          <Card title="Customer">
            <CustomerPicker value={values.customer_id} onSelect={pick} onCreate={() => setAddingCustomer(true)} error={errors.customer_id?.message} />
          </Card>

          <Card title="Terms">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
              <Field label="Currency" error={errors.currency?.message}>
                {(props) => (
                  <Select {...props} {...form.register('currency')}>
                    {[...new Set([...(invoice ? [invoice.currency] : []), currency, ...CURRENCIES])].map((code) => <option key={code}>{code}</option>)}
                  </Select>
                )}
              </Field>
              <Field label="Issue date" error={errors.issue_date?.message}>
                {(props) => <Input type="date" {...props} {...form.register('issue_date')} />}
              </Field>
              <Field label="Due date" error={errors.due_date?.message}>
                {(props) => <Input type="date" {...props} {...form.register('due_date')} />}
              </Field>
            </div>
            <div className="mt-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
              <span id="terms-label">Payment terms:</span>
              {TERMS.map((days) => (
                <Button key={days} size="sm" variant="ghost" className="ring-1 ring-inset ring-slate-200" onClick={() => setTerms(days)} aria-describedby="terms-label">
                  Net {days}
                </Button>
              ))}
            </div>
            <div className="mt-5 grid grid-cols-1 gap-4 border-t border-slate-100 pt-4 sm:grid-cols-3">
              <Field label="Date of supply" hint="When the goods or services were supplied.">
                {(props) => (
                  <Select {...props} {...form.register('dating')}>
                    <option value="issue">Same as the issue date</option>
                    <option value="supply">On a date of its own</option>
                    <option value="period">Over a service period</option>
                  </Select>
                )}
              </Field>
              {dating === 'supply' && (
                <Field label="Supplied on" error={errors.supply_date?.message}>
                  {(props) => <Input type="date" {...props} {...form.register('supply_date')} />}
                </Field>
              )}
              {dating === 'period' && (
                <>
                  <Field label="Service from" error={errors.period_start?.message}>
                    {(props) => <Input type="date" {...props} {...form.register('period_start')} />}
                  </Field>
                  <Field label="Service to" error={errors.period_end?.message}>
                    {(props) => <Input type="date" {...props} {...form.register('period_end')} />}
                  </Field>
                </>
              )}
            </div>
          </Card>

          <Card title="Line items">
            <fieldset className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
              <legend className="sr-only">Prices</legend>
              <label className="flex items-center gap-1.5 text-slate-700">
                <input type="radio" value="exclusive" {...form.register('price_basis')} /> Prices exclude tax
              </label>
              <label className="flex items-center gap-1.5 text-slate-700">
                <input type="radio" value="inclusive" {...form.register('price_basis')} /> Prices include tax
              </label>
            </fieldset>
            <LineItems form={form} outcome={checked.totals} rates={activeRates} extraRates={extraRates} />
          </Card>

          <Card title="Discounts and charges on the whole invoice">
            <Adjustments form={form} outcome={checked.totals} rates={activeRates} extraRates={extraRates} />
          </Card>

          <Card title="Totals">
            <LiveTotals outcome={checked.totals} currency={currency} rates={activeRates} inclusive={values.price_basis === 'inclusive'} />
          </Card>

          <Card title="Notes">
            <Field label="Notes for the client" error={errors.notes?.message} hint="Shown on the invoice: thanks, a PO number." hideLabel>
              {(props) => <TextArea rows={3} {...props} {...form.register('notes')} />}
            </Field>
          </Card>
          <div className="flex justify-end gap-2">
            <Button type="submit" variant="primary" busy={isSubmitting}>Save draft</Button>
          </div>
        </div>
      </form>

      <Dialog open={addingCustomer} title="New customer" onClose={() => setAddingCustomer(false)} wide>
        <CustomerForm
          compact
          submitLabel="Create customer"
          onCancel={() => setAddingCustomer(false)}
          onSaved={(customer) => {
            pick(customer);
            setAddingCustomer(false);
          }}
        />
      </Dialog>
      {confirmDelete && invoice && <DeleteDialog invoice={invoice} onClose={() => setConfirmDelete(false)} />}
    </>
  );
}
