// The customer's fields, for the Customers page and the invoice editor's "New customer" dialog:
// names, billing e-mails, a structured address with a country select, the tax id by kind, what
// new invoices to the customer start from (currency, language, time zone, terms), and the
// e-invoice it receives (format, buyer reference, electronic address).

import { useMemo, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useCreateCustomer, useReplaceCustomer } from '../api/queries';
import type { Customer } from '../api/types';
import { countries, LANGUAGES, TAX_ID_KINDS, timeZones } from '../lib/countries';
import { checkCustomer, customerFields, customerForm, customerPath, emptyCustomer, type CustomerForm as Form } from '../lib/customer';
import { FORMAT_OPTIONS } from '../lib/eInvoicing';
import { applyFieldErrors } from '../lib/forms';
import { useIdempotencyKey } from '../lib/idempotency';
import { CURRENCIES } from '../lib/money';
import { ElectronicAddressInputs } from './ElectronicAddressInputs';
import { ErrorPanel } from './feedback';
import { Button, Field, Input, Select, TextArea } from './ui';

interface Props {
  customer?: Customer;
  /** Called with the customer as the API stored it. */
  onSaved: (customer: Customer) => void;
  onCancel?: () => void;
  submitLabel?: string;
  /** Fewer rows (the editor's dialog): no notes. */
  compact?: boolean;
}

export function CustomerForm({ customer, onSaved, onCancel, submitLabel = 'Save customer', compact }: Props) {
  const form = useForm<Form>({ defaultValues: customer ? customerForm(customer) : emptyCustomer() });
  const create = useCreateCustomer();
  const replace = useReplaceCustomer(customer?.id ?? '');
  const keyFor = useIdempotencyKey();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = form.formState.errors;
  const countryOptions = useMemo(countries, []);
  const zones = useMemo(timeZones, []);
  const taxKind = form.watch('tax_id_kind');

  const submit = async () => {
    setFailure(null);
    form.clearErrors();
    const values = form.getValues();
    const problems = checkCustomer(values);
    const paths = Object.keys(problems);
    if (paths.length > 0) {
      paths.forEach((path, index) => form.setError(path as keyof Form, { type: 'client', message: problems[path] }, { shouldFocus: index === 0 }));
      return;
    }
    const fields = customerFields(values);
    setBusy(true);
    try {
      const saved = customer ? await replace.mutateAsync(fields) : await create.mutateAsync({ customer: fields, key: keyFor(fields) });
      onSaved(saved);
    } catch (error) {
      if (!applyFieldErrors(error, form.setError, customerPath)) setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  // In the editor's dialog this form is rendered inside the invoice form's React tree, where a
  // submit event would bubble on to the invoice form: it stops here.
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    void submit();
  };

  const kind = TAX_ID_KINDS.find((entry) => entry.code === taxKind);
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {failure !== null && <ErrorPanel error={failure} onRetry={() => void submit()} retrying={busy} />}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label="Customer name" error={errors.display_name?.message} hint="How you find the customer in lists.">
          {(props) => <Input autoComplete="off" {...props} {...form.register('display_name')} />}
        </Field>
        <Field label="Legal name (optional)" error={errors.legal_name?.message} hint="Printed on invoices when set.">
          {(props) => <Input autoComplete="off" {...props} {...form.register('legal_name')} />}
        </Field>
        <Field label="Billing e-mails" error={errors.emails?.message} hint="Invoices go to these; separate several with commas.">
          {(props) => <Input type="text" inputMode="email" autoComplete="off" {...props} {...form.register('emails')} />}
        </Field>
        <Field label="Copy to (optional)" error={errors.cc_emails?.message} hint="Cc: up to 5 addresses.">
          {(props) => <Input type="text" inputMode="email" autoComplete="off" {...props} {...form.register('cc_emails')} />}
        </Field>
      </div>

      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">Billing address</legend>
        <Field label="Street and number" error={errors.address_lines?.message} hint="Up to three lines.">
          {(props) => <TextArea rows={compact ? 2 : 3} autoComplete="off" {...props} {...form.register('address_lines')} />}
        </Field>
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Field label="Postal code" error={errors.postal_code?.message}>
            {(props) => <Input autoComplete="off" {...props} {...form.register('postal_code')} />}
          </Field>
          <Field label="City" error={errors.city?.message}>
            {(props) => <Input autoComplete="off" {...props} {...form.register('city')} />}
          </Field>
          <Field label="Region" error={errors.region?.message} hint="State, province">
            {(props) => <Input autoComplete="off" {...props} {...form.register('region')} />}
          </Field>
          <Field label="Country" error={errors.country?.message}>
            {(props) => (
              <Select {...props} {...form.register('country')}>
                <option value="">No address</option>
                {countryOptions.map((country) => <option key={country.code} value={country.code}>{country.name}</option>)}
              </Select>
            )}
          </Field>
        </div>
      </fieldset>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label="Tax ID type" error={undefined}>
          {(props) => (
            <Select {...props} {...form.register('tax_id_kind')}>
              <option value="">None</option>
              {TAX_ID_KINDS.map((entry) => <option key={entry.code} value={entry.code}>{entry.name}</option>)}
            </Select>
          )}
        </Field>
        <Field label="Tax ID" error={errors.tax_id_value?.message} hint={kind ? `e.g. ${kind.example}` : 'Choose its type first.'}>
          {(props) => <Input autoComplete="off" disabled={!taxKind} {...props} {...form.register('tax_id_value')} />}
        </Field>
      </div>

      <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Field label="Currency" error={errors.currency?.message}>
          {(props) => (
            <Select {...props} {...form.register('currency')}>
              <option value="">Any</option>
              {[...new Set([...(customer?.currency ? [customer.currency] : []), ...CURRENCIES])].map((code) => <option key={code}>{code}</option>)}
            </Select>
          )}
        </Field>
        <Field label="Language" error={errors.language?.message}>
          {(props) => (
            <Select {...props} {...form.register('language')}>
              {LANGUAGES.map((language) => <option key={language.code} value={language.code}>{language.name}</option>)}
            </Select>
          )}
        </Field>
        <Field label="Time zone" error={errors.time_zone?.message}>
          {(props) => (
            <Select {...props} {...form.register('time_zone')}>
              {[...new Set([...(customer ? [customer.time_zone] : []), ...zones])].map((zone) => <option key={zone}>{zone}</option>)}
            </Select>
          )}
        </Field>
        <Field label="Payment terms (days)" error={errors.payment_terms_days?.message} hint="Empty: your default.">
          {(props) => <Input inputMode="numeric" className="text-right" {...props} {...form.register('payment_terms_days')} />}
        </Field>
      </div>

      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">E-invoicing</legend>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="E-invoice format" error={errors.e_invoice_format?.message} hint="Sent with each invoice, beside the PDF.">
            {(props) => (
              <Select {...props} {...form.register('e_invoice_format')}>
                {FORMAT_OPTIONS.map((option) => <option key={option.value} value={option.value}>{option.label}</option>)}
              </Select>
            )}
          </Field>
          <Field
            label="Buyer reference (Leitweg-ID)"
            error={errors.buyer_reference?.message}
            hint="The reference the customer asked invoices to quote. German public buyers give a Leitweg-ID (e.g. 04011000-12345-03), which XRechnung requires."
          >
            {(props) => <Input autoComplete="off" spellCheck={false} {...props} {...form.register('buyer_reference')} />}
          </Field>
        </div>
        <ElectronicAddressInputs form={form} hint="Where e-invoices reach the customer, e.g. its Peppol ID; Peppol BIS needs it." />
      </fieldset>

      {!compact && (
        <Field label="Notes (only for you)" error={errors.notes?.message}>
          {(props) => <TextArea rows={3} {...props} {...form.register('notes')} />}
        </Field>
      )}

      <div className="flex justify-end gap-2">
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
        <Button type="submit" variant="primary" busy={busy}>{submitLabel}</Button>
      </div>
    </form>
  );
}
