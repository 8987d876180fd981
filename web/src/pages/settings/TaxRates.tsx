// Settings → Tax rates: the account's rates by name, created with their EN 16931 category (and,
// where the category needs one, the exemption reason and its VATEX code), renamed, archived
// and brought back. A rate's percentage and category never change once created: drafts name
// rates by id.

import { useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { LIMITS } from '../../api/limits';
import { useArchiveTaxRate, useCreateTaxRate, useReviseTaxRate, useTaxRates } from '../../api/queries';
import type { TaxRate, TaxRateFields, VatCategory } from '../../api/types';
import { Dialog, ErrorPanel, Loading } from '../../components/feedback';
import { Button, Card, EmptyState, Field, Input, Select } from '../../components/ui';
import { applyFieldErrors } from '../../lib/forms';
import { useIdempotencyKey } from '../../lib/idempotency';
import { CATEGORIES, categoryLabel, describeRate, needsExemption, VATEX } from '../../lib/vat';

export function TaxRates() {
  const [archived, setArchived] = useState(false);
  const rates = useTaxRates(archived);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<TaxRate | null>(null);
  const archive = useArchiveTaxRate();

  return (
    <Card
      title="Tax rates"
      actions={<Button size="sm" variant="primary" onClick={() => setCreating(true)}>New tax rate</Button>}
    >
      <div className="mb-3 flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600">Each invoice line carries one of these, or no tax.</p>
        <label className="flex shrink-0 items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={archived} onChange={(event) => setArchived(event.target.checked)} className="h-4 w-4 rounded border-slate-300" />
          Show archived
        </label>
      </div>
      {archive.isError && <div className="mb-3"><ErrorPanel error={archive.error} /></div>}
      {rates.isPending ? (
        <Loading />
      ) : rates.isError ? (
        <ErrorPanel error={rates.error} onRetry={() => void rates.refetch()} retrying={rates.isFetching} />
      ) : rates.data.length === 0 ? (
        <EmptyState title={archived ? 'No archived tax rates' : 'No tax rates yet'}>
          {archived ? null : 'Add the rates you charge, e.g. VAT 19 % and 7 %, or a reverse charge.'}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Tax rates">
          {rates.data.map((rate) => (
            <li key={rate.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">{rate.name} <span className="ml-1 font-normal tabular-nums text-slate-600">{describeRate(rate)}</span></p>
                <p className="text-xs text-slate-600">
                  {categoryLabel(rate.category)} ({rate.category})
                  {rate.exemption_reason ? ` · ${rate.exemption_reason}` : ''}
                  {rate.exemption_code ? ` · ${rate.exemption_code}` : ''}
                  {rate.description ? ` · ${rate.description}` : ''}
                </p>
              </div>
              <div className="flex shrink-0 gap-2">
                <Button size="sm" onClick={() => setRenaming(rate)} aria-label={`Rename ${rate.name}`}>Rename</Button>
                <Button
                  size="sm"
                  busy={archive.isPending && archive.variables?.id === rate.id}
                  onClick={() => archive.mutate({ id: rate.id, archive: !rate.archived_at })}
                  aria-label={`${rate.archived_at ? 'Unarchive' : 'Archive'} ${rate.name}`}
                >
                  {rate.archived_at ? 'Unarchive' : 'Archive'}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {creating && <NewRateDialog onClose={() => setCreating(false)} />}
      {renaming && <RenameDialog rate={renaming} onClose={() => setRenaming(null)} />}
    </Card>
  );
}

export interface RateForm {
  name: string;
  description: string;
  category: VatCategory;
  percent: string;
  exemption_reason: string;
  exemption_code: string;
}

/** The form as the API's JSON; `null` with the problems the API would find. */
export function rateFields(form: RateForm): { fields: TaxRateFields | null; errors: Partial<Record<keyof RateForm, string>> } {
  const errors: Partial<Record<keyof RateForm, string>> = {};
  if (!form.name.trim()) errors.name = 'Name the rate, e.g. VAT 19 %';
  else if (form.name.trim().length > LIMITS.taxRateName) errors.name = `At most ${LIMITS.taxRateName} characters`;
  if (form.description.trim().length > LIMITS.taxRateDescription) errors.description = `At most ${LIMITS.taxRateDescription} characters`;
  const percent = form.category === 'S' ? form.percent.trim().replace(',', '.').replace(/\s*%$/, '') : '0';
  const match = /^(\d{1,3})(?:\.(\d+))?$/.exec(percent);
  if (!match) errors.percent = 'Enter a percentage like 19 or 8.875';
  else if ((match[2] ?? '').length > 4) errors.percent = 'At most 4 decimal places';
  else if (Number(percent) > 100) errors.percent = 'At most 100 %';
  else if (form.category === 'S' && Number(percent) === 0) errors.percent = 'A standard rate is above 0 %; use “Zero rated” for 0 %';
  const exempt = needsExemption(form.category);
  if (exempt && !form.exemption_reason.trim()) errors.exemption_reason = 'Say why the supply is not taxed';
  if (exempt && form.exemption_code.trim() && !/^VATEX-[A-Z0-9-]+$/i.test(form.exemption_code.trim())) {
    errors.exemption_code = 'A VATEX code such as VATEX-EU-AE';
  }
  if (Object.keys(errors).length > 0) return { fields: null, errors };
  return {
    errors,
    fields: {
      name: form.name.trim(),
      description: form.description.trim() || null,
      percent,
      category: form.category,
      exemption_reason: exempt ? form.exemption_reason.trim() : null,
      exemption_code: exempt && form.exemption_code.trim() ? form.exemption_code.trim().toUpperCase() : null,
    },
  };
}

function NewRateDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateTaxRate();
  const keyFor = useIdempotencyKey();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<RateForm>({
    defaultValues: { name: '', description: '', category: 'S', percent: '', exemption_reason: '', exemption_code: '' },
  });
  const errors = form.formState.errors;
  const category = form.watch('category');
  const standard = VATEX[category] ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    form.clearErrors();
    const { fields, errors: problems } = rateFields(form.getValues());
    if (!fields) {
      (Object.keys(problems) as (keyof RateForm)[]).forEach((path, index) =>
        form.setError(path, { type: 'client', message: problems[path] }, { shouldFocus: index === 0 }),
      );
      return;
    }
    try {
      await create.mutateAsync({ rate: fields, key: keyFor(fields) });
      onClose();
    } catch (error) {
      if (!applyFieldErrors(error, form.setError)) setFailure(error);
    }
  };

  return (
    <Dialog open title="New tax rate" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate className="space-y-4">
        {failure !== null && <ErrorPanel error={failure} />}
        <Field label="Name" error={errors.name?.message} hint="What the editor lists, e.g. VAT 19 %.">
          {(props) => <Input {...props} {...form.register('name')} />}
        </Field>
        <Field label="Category" error={errors.category?.message} hint={CATEGORIES.find((entry) => entry.code === category)?.hint}>
          {(props) => (
            <Select
              {...props}
              {...form.register('category', {
                onChange: (event) => {
                  const next = event.target.value as VatCategory;
                  const first = VATEX[next]?.[0];
                  form.setValue('exemption_reason', first?.reason ?? '');
                  form.setValue('exemption_code', first?.code ?? '');
                  if (next !== 'S') form.setValue('percent', '0');
                  else if (form.getValues('percent') === '0') form.setValue('percent', '');
                },
              })}
            >
              {CATEGORIES.map((entry) => <option key={entry.code} value={entry.code}>{entry.label} ({entry.code})</option>)}
            </Select>
          )}
        </Field>
        <Field label="Rate (%)" error={errors.percent?.message} hint={category === 'S' ? 'Up to 4 decimal places, e.g. 8.875.' : 'Always 0 % in this category.'}>
          {(props) => <Input inputMode="decimal" disabled={category !== 'S'} {...props} {...form.register('percent')} />}
        </Field>
        {needsExemption(category) && (
          <>
            {standard.length > 0 && (
              <Field label="Standard reason" hint="Fills in the reason and its VATEX code.">
                {(props) => (
                  <Select
                    {...props}
                    value={standard.find((entry) => entry.code === form.watch('exemption_code'))?.code ?? ''}
                    onChange={(event) => {
                      const entry = standard.find((candidate) => candidate.code === event.target.value);
                      form.setValue('exemption_code', entry?.code ?? '');
                      if (entry) form.setValue('exemption_reason', entry.reason);
                    }}
                  >
                    <option value="">Other (type it below)</option>
                    {standard.map((entry) => <option key={entry.code} value={entry.code}>{entry.code}: {entry.reason}</option>)}
                  </Select>
                )}
              </Field>
            )}
            <Field label="Exemption reason" error={errors.exemption_reason?.message} hint="Printed on the invoice, in the customer’s language where it is a standard one.">
              {(props) => <Input {...props} {...form.register('exemption_reason')} />}
            </Field>
            <Field label="VATEX code (optional)" error={errors.exemption_code?.message}>
              {(props) => <Input {...props} {...form.register('exemption_code')} />}
            </Field>
          </>
        )}
        <Field label="Description (optional)" error={errors.description?.message}>
          {(props) => <Input {...props} {...form.register('description')} />}
        </Field>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>Create tax rate</Button>
        </div>
      </form>
    </Dialog>
  );
}

function RenameDialog({ rate, onClose }: { rate: TaxRate; onClose: () => void }) {
  const revise = useReviseTaxRate(rate.id);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm({ defaultValues: { name: rate.name, description: rate.description ?? '' } });
  const errors = form.formState.errors;
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    if (!values.name.trim()) return form.setError('name', { type: 'client', message: 'Name the rate' });
    try {
      await revise.mutateAsync({ name: values.name.trim(), description: values.description.trim() || null });
      onClose();
    } catch (error) {
      if (!applyFieldErrors(error, form.setError)) setFailure(error);
    }
  });
  return (
    <Dialog open title={`Rename ${rate.name}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate className="space-y-4">
        {failure !== null && <ErrorPanel error={failure} />}
        <p className="text-sm text-slate-600">The rate ({describeRate(rate)}) stays as it is; to charge another, archive this one and create a new rate.</p>
        <Field label="Name" error={errors.name?.message}>
          {(props) => <Input {...props} {...form.register('name')} />}
        </Field>
        <Field label="Description (optional)" error={errors.description?.message}>
          {(props) => <Input {...props} {...form.register('description')} />}
        </Field>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={revise.isPending}>Save</Button>
        </div>
      </form>
    </Dialog>
  );
}
