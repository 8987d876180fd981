// An electronic address's inputs (the EAS scheme, a code typed by hand for "Other", the
// identifier), for the customer form and Settings → Your business: both forms hold the
// address as the fields of `AddressForm`.

import type { FieldErrors, FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { OTHER_SCHEME, SCHEMES, type AddressForm } from '../lib/eInvoicing';
import { Field, Input, Select } from './ui';

interface Props<T extends FieldValues & AddressForm> {
  form: UseFormReturn<T>;
  /** Says what the address is for, under the scheme select. */
  hint: string;
}

export function ElectronicAddressInputs<T extends FieldValues & AddressForm>({ form, hint }: Props<T>) {
  const name = (field: keyof AddressForm) => field as Path<T>;
  const errors = form.formState.errors as FieldErrors<AddressForm>;
  const scheme = form.watch(name('endpoint_scheme')) as string;
  const known = SCHEMES.find((entry) => entry.code === scheme);
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-[minmax(0,18rem)_minmax(0,8rem)_1fr]">
      <Field label="Electronic address scheme" error={errors.endpoint_scheme?.message} hint={hint}>
        {(props) => (
          <Select {...props} {...form.register(name('endpoint_scheme'))}>
            <option value="">None</option>
            {SCHEMES.map((entry) => <option key={entry.code} value={entry.code}>{entry.code} {entry.name}</option>)}
            <option value={OTHER_SCHEME}>Other (EAS code)</option>
          </Select>
        )}
      </Field>
      {scheme === OTHER_SCHEME ? (
        <Field label="EAS code" error={errors.endpoint_other?.message} hint="e.g. 0151">
          {(props) => <Input autoComplete="off" spellCheck={false} {...props} {...form.register(name('endpoint_other'))} />}
        </Field>
      ) : (
        <div aria-hidden="true" className="hidden sm:block" />
      )}
      <Field label="Electronic address" error={errors.endpoint_id?.message} hint={known ? `e.g. ${known.example}` : scheme ? undefined : 'Choose its scheme first.'}>
        {(props) => <Input autoComplete="off" spellCheck={false} disabled={!scheme} {...props} {...form.register(name('endpoint_id'))} />}
      </Field>
    </div>
  );
}
