// Settings → Your business: how the account presents itself on invoices (names, a structured
// address, tax ids, the company registration, contact details, payment instructions), its
// default payment terms, the invoice number format and the credit notes' own format, each with
// a live preview of the next number it gives (from where the API says the series stand), and
// its electronic address for e-invoices.

import { forwardRef, useEffect, useMemo, useState, type ComponentProps } from 'react';
import { useFieldArray, useForm, useWatch } from 'react-hook-form';
import { useReplaceSeller, useSeller } from '../../api/queries';
import type { Seller, SellerProfileFields, SequencePlaces, SequenceReset, TaxIdKind } from '../../api/types';
import { ElectronicAddressInputs } from '../../components/ElectronicAddressInputs';
import { ErrorPanel, Loading } from '../../components/feedback';
import { Button, Card, Field, Input, Select, TextArea } from '../../components/ui';
import { countries, TAX_ID_KINDS } from '../../lib/countries';
import { addressFields, addressForm, checkAddress, eInvoicingPath, type AddressForm } from '../../lib/eInvoicing';
import { applyFieldErrors } from '../../lib/forms';
import { checkNumberFormat, type FormatCheck } from '../../lib/numberFormat';

const MAX_TAX_IDS = 3;

interface SellerForm extends AddressForm {
  display_name: string;
  legal_name: string;
  address_lines: string;
  postal_code: string;
  city: string;
  region: string;
  country: string;
  tax_ids: { kind: TaxIdKind; value: string }[];
  registration: string;
  email: string;
  phone: string;
  website: string;
  payment_instructions: string;
  payment_terms_days: string;
  pattern: string;
  reset: SequenceReset;
  credit_note_pattern: string;
  credit_note_reset: SequenceReset;
}

export function sellerForm(seller: Seller): SellerForm {
  return {
    display_name: seller.display_name ?? '',
    legal_name: seller.legal_name ?? '',
    address_lines: seller.address?.lines?.join('\n') ?? seller.legacy_address ?? '',
    postal_code: seller.address?.postal_code ?? '',
    city: seller.address?.city ?? '',
    region: seller.address?.region ?? '',
    country: seller.address?.country ?? '',
    tax_ids: seller.tax_ids.map((id) => ({ kind: id.kind, value: id.value })),
    registration: seller.registration ?? '',
    email: seller.email ?? '',
    phone: seller.phone ?? '',
    website: seller.website ?? '',
    payment_instructions: seller.payment_instructions ?? '',
    payment_terms_days: String(seller.payment_terms_days),
    pattern: seller.number_format.pattern,
    reset: seller.number_format.reset ?? 'never',
    credit_note_pattern: seller.credit_note_format.pattern,
    credit_note_reset: seller.credit_note_format.reset ?? 'never',
    ...addressForm(seller.electronic_address),
  };
}

const optional = (text: string) => (text.trim() ? text.trim() : null);

export function sellerFields(form: SellerForm): SellerProfileFields {
  return {
    display_name: form.display_name.trim(),
    legal_name: optional(form.legal_name),
    address: {
      lines: form.address_lines.split('\n').map((line) => line.trim()).filter(Boolean),
      postal_code: optional(form.postal_code),
      city: optional(form.city),
      region: optional(form.region),
      country: form.country,
    },
    tax_ids: form.tax_ids.filter((id) => id.value.trim()).map((id) => ({ kind: id.kind, value: id.value.trim() })),
    registration: optional(form.registration),
    email: optional(form.email),
    phone: optional(form.phone),
    website: optional(form.website),
    payment_instructions: optional(form.payment_instructions),
    payment_terms_days: Number(form.payment_terms_days),
    number_format: { pattern: form.pattern.trim(), reset: form.reset },
    credit_note_format: { pattern: form.credit_note_pattern.trim(), reset: form.credit_note_reset },
    electronic_address: addressFields(form),
  };
}

/** The API's field path as this form's (`address.lines[0]` → `address_lines`). */
export function sellerPath(apiPath: string): string | null {
  const path = apiPath.replace(/\[(\d+)\]/g, '.$1');
  if (path.startsWith('address.lines')) return 'address_lines';
  if (path === 'address') return 'country';
  if (path.startsWith('address.')) return path.slice('address.'.length);
  if (/^tax_ids\.\d+(\.value|\.kind)?$/.test(path)) return path.endsWith('.kind') ? path : `${path.replace(/\.value$/, '')}.value`;
  if (path.startsWith('number_format')) return 'pattern';
  if (path.startsWith('credit_note_format')) return 'credit_note_pattern';
  const eInvoicing = eInvoicingPath(path);
  if (eInvoicing?.startsWith('endpoint_')) return eInvoicing;
  const known = ['display_name', 'legal_name', 'registration', 'email', 'phone', 'website', 'payment_instructions', 'payment_terms_days'];
  return known.includes(path) ? path : null;
}

/** The number a format being edited gives the series' next document issued on `asOf`: its
 *  place in the sequence the reset rule picks, as the API counts it. */
export function nextNumber(format: FormatCheck, reset: SequenceReset, places: SequencePlaces, asOf: string): string | null {
  return format.ok ? format.render(asOf, places[reset]) : null;
}

/** A number series' reset rule (the ref reaches the select, for the form's `register`). */
const ResetSelect = forwardRef<HTMLSelectElement, ComponentProps<typeof Select>>(function ResetSelect(props, ref) {
  return (
    <Select ref={ref} {...props}>
      <option value="never">One sequence, never restarts</option>
      <option value="yearly">Restarts every year</option>
    </Select>
  );
});

/** The number a format being edited gives next, or a dash while the format is wrong. */
function NextNumberLine({ label, testId, number }: { label: string; testId: string; number: string | null }) {
  return (
    <p className="text-sm text-slate-700" aria-live="polite">
      {label}: <strong className="font-mono" data-testid={testId}>{number ?? '—'}</strong>
    </p>
  );
}

export function SellerDetails() {
  const seller = useSeller();
  return (
    <Card title="Your business">
      {seller.isPending ? (
        <Loading />
      ) : seller.isError ? (
        <ErrorPanel error={seller.error} onRetry={() => void seller.refetch()} retrying={seller.isFetching} />
      ) : (
        <SellerEditor seller={seller.data} />
      )}
    </Card>
  );
}

function SellerEditor({ seller }: { seller: Seller }) {
  const replace = useReplaceSeller();
  const [saved, setSaved] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<SellerForm>({ defaultValues: sellerForm(seller) });
  const taxIds = useFieldArray({ control: form.control, name: 'tax_ids' });
  const countryOptions = useMemo(countries, []);
  useEffect(() => form.reset(sellerForm(seller)), [seller, form]);
  const errors = form.formState.errors;

  const [pattern, reset] = useWatch({ control: form.control, name: ['pattern', 'reset'] });
  const format = checkNumberFormat(pattern, reset);
  const places = seller.next_places;
  const next = nextNumber(format, reset, places.invoices, places.as_of);
  const [creditNotePattern, creditNoteReset] = useWatch({ control: form.control, name: ['credit_note_pattern', 'credit_note_reset'] });
  const creditNoteFormat = checkNumberFormat(creditNotePattern, creditNoteReset);
  // The server proves the two series never print the same number; the same pattern is the
  // mistake worth catching before saving.
  const creditNoteError = !creditNoteFormat.ok
    ? creditNoteFormat.error
    : creditNotePattern.trim() === pattern.trim()
      ? 'Must differ from the invoice number format, e.g. CN-{SEQ:6}'
      : undefined;
  const nextCreditNote = creditNoteError ? null : nextNumber(creditNoteFormat, creditNoteReset, places.credit_notes, places.as_of);

  const submit = form.handleSubmit(async (values) => {
    setSaved(false);
    setFailure(null);
    let problems = false;
    const fail = (path: keyof SellerForm, message: string) => {
      form.setError(path, { type: 'client', message }, { shouldFocus: !problems });
      problems = true;
    };
    if (!values.display_name.trim()) fail('display_name', 'Enter your business’s name');
    if (!values.address_lines.trim()) fail('address_lines', 'Enter the street and number');
    if (!values.country) fail('country', 'Choose the country');
    if (!/^\d+$/.test(values.payment_terms_days.trim()) || Number(values.payment_terms_days) > 365) fail('payment_terms_days', 'From 0 to 365 days');
    if (!format.ok) fail('pattern', format.error);
    if (creditNoteError) fail('credit_note_pattern', creditNoteError);
    for (const [path, message] of Object.entries(checkAddress(values))) fail(path as keyof SellerForm, message);
    if (problems) return;
    try {
      await replace.mutateAsync(sellerFields(values));
      setSaved(true);
    } catch (error) {
      if (!applyFieldErrors(error, form.setError, sellerPath)) setFailure(error);
    }
  });

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="space-y-5">
      <p className="text-sm text-slate-600">Shown on your invoices and as the sender of your e-mails.</p>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field label="Business name" error={errors.display_name?.message}>
          {(props) => <Input autoComplete="organization" {...props} {...form.register('display_name')} />}
        </Field>
        <Field label="Legal name (optional)" error={errors.legal_name?.message} hint="The registered name, e.g. … GmbH.">
          {(props) => <Input {...props} {...form.register('legal_name')} />}
        </Field>
      </div>

      <fieldset className="space-y-4">
        <legend className="text-sm font-semibold text-slate-900">Address</legend>
        <Field label="Street and number" error={errors.address_lines?.message} hint={seller.legacy_address && !seller.address ? 'Your earlier address is filled in: check its parts below and save.' : 'Up to three lines.'}>
          {(props) => <TextArea rows={2} autoComplete="street-address" {...props} {...form.register('address_lines')} />}
        </Field>
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Field label="Postal code" error={errors.postal_code?.message}>
            {(props) => <Input autoComplete="postal-code" {...props} {...form.register('postal_code')} />}
          </Field>
          <Field label="City" error={errors.city?.message}>
            {(props) => <Input autoComplete="address-level2" {...props} {...form.register('city')} />}
          </Field>
          <Field label="Region" error={errors.region?.message}>
            {(props) => <Input autoComplete="address-level1" {...props} {...form.register('region')} />}
          </Field>
          <Field label="Country" error={errors.country?.message}>
            {(props) => (
              <Select {...props} {...form.register('country')}>
                <option value="">Choose…</option>
                {countryOptions.map((country) => <option key={country.code} value={country.code}>{country.name}</option>)}
              </Select>
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Tax IDs</legend>
        {taxIds.fields.length === 0 && <p className="text-sm text-slate-600">None yet: add your VAT number or tax number.</p>}
        {taxIds.fields.map((field, index) => (
          <div key={field.id} className="grid grid-cols-1 gap-3 sm:grid-cols-[14rem_1fr_auto] sm:items-start">
            <Field label={`Tax ID ${index + 1} type`}>
              {(props) => (
                <Select {...props} {...form.register(`tax_ids.${index}.kind`)}>
                  {TAX_ID_KINDS.map((kind) => <option key={kind.code} value={kind.code}>{kind.name}</option>)}
                </Select>
              )}
            </Field>
            <Field label={`Tax ID ${index + 1}`} error={errors.tax_ids?.[index]?.value?.message}>
              {(props) => <Input {...props} {...form.register(`tax_ids.${index}.value`)} />}
            </Field>
            <Button size="sm" variant="ghost" className="sm:mt-7" onClick={() => taxIds.remove(index)}>Remove</Button>
          </div>
        ))}
        <Button size="sm" disabled={taxIds.fields.length >= MAX_TAX_IDS} onClick={() => taxIds.append({ kind: 'eu_vat', value: '' })}>Add tax ID</Button>
      </fieldset>

      <Field label="Company registration (optional)" error={errors.registration?.message} hint="Register court and number, directors: up to 3 lines, printed in the footer.">
        {(props) => <TextArea rows={2} {...props} {...form.register('registration')} />}
      </Field>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field label="Contact e-mail (optional)" error={errors.email?.message}>
          {(props) => <Input type="email" {...props} {...form.register('email')} />}
        </Field>
        <Field label="Phone (optional)" error={errors.phone?.message}>
          {(props) => <Input type="tel" {...props} {...form.register('phone')} />}
        </Field>
        <Field label="Website (optional)" error={errors.website?.message}>
          {(props) => <Input {...props} {...form.register('website')} />}
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">E-invoicing</legend>
        <ElectronicAddressInputs form={form} hint="Where your customers’ e-invoicing systems reach you, e.g. your Peppol ID. XRechnung and Peppol BIS put it on every e-invoice." />
      </fieldset>

      <Field label="Payment instructions (optional)" error={errors.payment_instructions?.message} hint="Printed above your bank details.">
        {(props) => <TextArea rows={2} {...props} {...form.register('payment_instructions')} />}
      </Field>

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field label="Default payment terms (days)" error={errors.payment_terms_days?.message} hint="A new invoice is due this many days after its issue date.">
          {(props) => <Input inputMode="numeric" {...props} {...form.register('payment_terms_days')} />}
        </Field>
        <Field label="Number format" error={errors.pattern?.message ?? (format.ok ? undefined : format.error)} hint="{YYYY}, {YY}, {MM} and {SEQ:n} (n digits).">
          {(props) => <Input spellCheck={false} {...props} {...form.register('pattern')} />}
        </Field>
        <Field label="Sequence" error={errors.reset?.message}>
          {(props) => <ResetSelect {...props} {...form.register('reset')} />}
        </Field>
      </div>
      <NextNumberLine label="Next invoice number" testId="next-number" number={next} />

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field label="Credit note number format" error={errors.credit_note_pattern?.message ?? creditNoteError} hint="Credit notes have their own series; it must not give an invoice’s number.">
          {(props) => <Input spellCheck={false} {...props} {...form.register('credit_note_pattern')} />}
        </Field>
        <Field label="Credit note sequence" error={errors.credit_note_reset?.message}>
          {(props) => <ResetSelect {...props} {...form.register('credit_note_reset')} />}
        </Field>
      </div>
      <NextNumberLine label="Next credit note number" testId="next-credit-note-number" number={nextCreditNote} />

      {failure !== null && <ErrorPanel error={failure} onRetry={() => void submit()} retrying={replace.isPending} />}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" busy={replace.isPending}>Save</Button>
        {saved && <p role="status" className="text-sm text-emerald-700">Saved.</p>}
      </div>
    </form>
  );
}
