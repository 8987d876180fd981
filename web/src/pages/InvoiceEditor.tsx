import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useFieldArray, useForm, useWatch, type Control } from 'react-hook-form';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { LIMITS } from '../api/limits';
import { useCreateDraft, useInvoice, useUpdateDraft } from '../api/queries';
import type { Invoice } from '../api/types';
import { ErrorPanel, Loading } from '../components/feedback';
import { DeleteDialog } from '../components/InvoiceActions';
import { Button, Card, Field, Input, PageHeader, Select, TextArea } from '../components/ui';
import { applyFieldErrors } from '../lib/forms';
import { useIdempotencyKey } from '../lib/idempotency';
import { CURRENCIES, formatMoney, toDecimalString } from '../lib/money';
import { addDays, todayUtc } from '../lib/dates';
import { draftSchema, liveTotals, toDraftInput, type DraftForm } from '../lib/validation';

const TERMS = [7, 14, 30, 60];

function emptyDraft(today: string): DraftForm {
  return {
    client_name: '',
    client_email: '',
    currency: 'USD',
    issue_date: today,
    due_date: addDays(today, 30),
    notes: '',
    items: [{ description: '', quantity: '1', unit_price: '' }],
  };
}

function fromInvoice(invoice: Invoice): DraftForm {
  return {
    client_name: invoice.client_name,
    client_email: invoice.client_email,
    currency: invoice.currency,
    issue_date: invoice.issue_date,
    due_date: invoice.due_date,
    notes: invoice.notes ?? '',
    items: invoice.items.map((item) => ({
      description: item.description,
      quantity: String(item.quantity),
      unit_price: toDecimalString(item.unit_amount, invoice.currency),
    })),
  };
}

export function InvoiceEditor() {
  const { id } = useParams();
  const existing = useInvoice(id ?? '');
  if (!id) return <Editor />;
  if (existing.isPending) return <><PageHeader title="Edit invoice" /><Loading /></>;
  if (existing.isError) {
    return (
      <>
        <PageHeader title="Edit invoice" />
        <ErrorPanel error={existing.error} onRetry={() => void existing.refetch()} retrying={existing.isFetching} />
      </>
    );
  }
  if (existing.data.status !== 'draft') {
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
  return <Editor invoice={existing.data} />;
}

function Totals({ control }: { control: Control<DraftForm> }) {
  const items = useWatch({ control, name: 'items' });
  const currency = useWatch({ control, name: 'currency' });
  const totals = liveTotals(items ?? [], currency);
  return (
    <dl className="ml-auto w-full max-w-xs space-y-2 text-sm" aria-live="polite">
      <div className="flex justify-between text-slate-600">
        <dt>Subtotal</dt>
        <dd className="tabular-nums">{totals.total === null ? '—' : formatMoney(totals.total, currency)}</dd>
      </div>
      <div className="flex justify-between border-t border-slate-200 pt-2 text-base font-semibold text-slate-900">
        <dt>Total</dt>
        <dd className="tabular-nums" data-testid="invoice-total">{totals.total === null ? '—' : formatMoney(totals.total, currency)}</dd>
      </div>
    </dl>
  );
}

function LineAmount({ control, index }: { control: Control<DraftForm>; index: number }) {
  const item = useWatch({ control, name: `items.${index}` });
  const currency = useWatch({ control, name: 'currency' });
  const amount = item ? liveTotals([item], currency).lines[0] : null;
  return <span className="tabular-nums">{amount === null || amount === undefined ? '—' : formatMoney(amount, currency)}</span>;
}

function Editor({ invoice }: { invoice?: Invoice }) {
  const navigate = useNavigate();
  const today = todayUtc();
  const schema = useMemo(() => draftSchema(today), [today]);
  const form = useForm<DraftForm>({
    resolver: zodResolver(schema),
    defaultValues: invoice ? fromInvoice(invoice) : emptyDraft(today),
    mode: 'onTouched',
  });
  const items = useFieldArray({ control: form.control, name: 'items' });
  const create = useCreateDraft();
  const update = useUpdateDraft(invoice?.id ?? '');
  const keyFor = useIdempotencyKey();
  const [failure, setFailure] = useState<unknown>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { errors, isSubmitting } = form.formState;

  const save = form.handleSubmit(async (values) => {
    setFailure(null);
    const draft = toDraftInput(values);
    try {
      const saved = invoice ? await update.mutateAsync(draft) : await create.mutateAsync({ draft, key: keyFor(draft) });
      navigate(`/invoices/${saved.id}`);
    } catch (error) {
      // Field problems go next to their fields; anything else shows above the form, which
      // keeps everything typed so that "Try again" sends the same thing.
      if (!applyFieldErrors(error, form.setError)) setFailure(error);
    }
  });

  const setTerms = (days: number) => {
    const issue = form.getValues('issue_date') || today;
    form.setValue('due_date', addDays(issue, days), { shouldValidate: true, shouldDirty: true });
  };

  const title = invoice ? 'Edit draft' : 'New invoice';
  return (
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
        <Card title="Client">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field label="Client name" error={errors.client_name?.message}>
              {(props) => <Input autoComplete="organization" maxLength={LIMITS.clientName + 50} {...props} {...form.register('client_name')} />}
            </Field>
            <Field label="Client e-mail" error={errors.client_email?.message} hint="The invoice and reminders are sent here.">
              {(props) => <Input type="email" autoComplete="email" {...props} {...form.register('client_email')} />}
            </Field>
          </div>
        </Card>

        <Card title="Terms">
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
            <Field label="Currency" error={errors.currency?.message}>
              {(props) => (
                <Select {...props} {...form.register('currency')}>
                  {[...new Set([...(invoice ? [invoice.currency] : []), ...CURRENCIES])].map((code) => <option key={code}>{code}</option>)}
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
        </Card>

        <Card title="Line items">
          {errors.items?.root?.message || errors.items?.message ? (
            <p role="alert" className="mb-3 text-sm text-red-700">{errors.items?.root?.message ?? errors.items?.message}</p>
          ) : null}
          <ol className="space-y-4">
            {items.fields.map((field, index) => {
              const itemErrors = errors.items?.[index];
              return (
                <li key={field.id} className="rounded-lg border border-slate-200 p-3 sm:border-0 sm:p-0" aria-label={`Line ${index + 1}`}>
                  <div className="grid grid-cols-2 gap-3 sm:grid-cols-12 sm:items-start">
                    <Field label="Description" className="col-span-2 sm:col-span-5" error={itemErrors?.description?.message} hideLabel={index > 0}>
                      {(props) => <Input placeholder="What you did or sold" {...props} {...form.register(`items.${index}.description`)} />}
                    </Field>
                    <Field label="Quantity" className="sm:col-span-2" error={itemErrors?.quantity?.message} hideLabel={index > 0}>
                      {(props) => <Input inputMode="numeric" className="text-right" {...props} {...form.register(`items.${index}.quantity`)} />}
                    </Field>
                    <Field label="Unit price" className="sm:col-span-2" error={itemErrors?.unit_price?.message} hideLabel={index > 0}>
                      {(props) => <Input inputMode="decimal" placeholder="0.00" className="text-right" {...props} {...form.register(`items.${index}.unit_price`)} />}
                    </Field>
                    <div className={index === 0 ? 'col-span-2 flex items-center justify-between sm:col-span-3 sm:mt-7' : 'col-span-2 flex items-center justify-between sm:col-span-3 sm:mt-2'}>
                      <span className="text-sm font-medium text-slate-900">
                        <span className="sr-only">Amount: </span>
                        <LineAmount control={form.control} index={index} />
                      </span>
                      <span className="flex gap-0.5">
                        <IconButton label={`Move line ${index + 1} up`} disabled={index === 0} onClick={() => items.move(index, index - 1)} path="M12 19V5M5 12l7-7 7 7" />
                        <IconButton label={`Move line ${index + 1} down`} disabled={index === items.fields.length - 1} onClick={() => items.move(index, index + 1)} path="M12 5v14M19 12l-7 7-7-7" />
                        <IconButton label={`Remove line ${index + 1}`} disabled={items.fields.length === 1} onClick={() => items.remove(index)} path="M6 7h12M9 7V5h6v2M8 7l1 12h6l1-12" />
                      </span>
                    </div>
                  </div>
                </li>
              );
            })}
          </ol>
          <div className="mt-4 flex flex-col gap-4 border-t border-slate-100 pt-4 sm:flex-row sm:items-start sm:justify-between">
            <Button
              onClick={() => items.append({ description: '', quantity: '1', unit_price: '' }, { shouldFocus: true })}
              disabled={items.fields.length >= LIMITS.items}
            >
              Add line
            </Button>
            <Totals control={form.control} />
          </div>
        </Card>

        <Card title="Notes">
          <Field label="Notes for the client" error={errors.notes?.message} hint="Shown on the invoice: payment instructions, thanks, a PO number." hideLabel>
            {(props) => <TextArea rows={3} {...props} {...form.register('notes')} />}
          </Field>
        </Card>
        <div className="flex justify-end gap-2">
          <Button type="submit" variant="primary" busy={isSubmitting}>Save draft</Button>
        </div>
      </div>

      {confirmDelete && invoice && <DeleteDialog invoice={invoice} onClose={() => setConfirmDelete(false)} />}
    </form>
  );
}

function IconButton({ label, path, ...rest }: { label: string; path: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand-600 disabled:opacity-30 disabled:hover:bg-transparent"
      {...rest}
    >
      <svg viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d={path} />
      </svg>
    </button>
  );
}
