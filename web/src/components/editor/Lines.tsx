// The editor's lines (description, quantity, unit, unit price, discount, tax rate, optional
// period) and its invoice-level allowances and charges, each with its net amount from the live
// totals.

import { useFieldArray, useWatch, type UseFormReturn } from 'react-hook-form';
import type { TaxRate as AccountRate } from '../../api/types';
import { emptyAdjustment, emptyItem, type DraftForm } from '../../lib/draft';
import { formatMoney } from '../../lib/money';
import type { Outcome } from '../../lib/totals';
import { UNITS, unitLabel } from '../../lib/units';
import { Button, Field, Input, Select } from '../ui';

/** The most lines and adjustments the API takes. */
export const MAX_LINES = 500;
export const MAX_ADJUSTMENTS = 20;

interface Props {
  form: UseFormReturn<DraftForm>;
  outcome: Outcome | null;
  /** Active rates, and the archived ones this draft still names (id → label). */
  rates: readonly AccountRate[];
  extraRates: ReadonlyMap<string, string>;
}

function RateOptions({ rates, extra }: { rates: readonly AccountRate[]; extra: ReadonlyMap<string, string> }) {
  return (
    <>
      <option value="">No tax</option>
      {rates.map((rate) => <option key={rate.id} value={rate.id}>{rate.name}</option>)}
      {[...extra].map(([id, label]) => <option key={id} value={id}>{label} (archived)</option>)}
    </>
  );
}

function Amount({ value, currency }: { value: number | undefined; currency: string }) {
  return <span className="tabular-nums">{value === undefined ? '—' : formatMoney(value, currency)}</span>;
}

export function LineItems({ form, outcome, rates, extraRates }: Props) {
  const items = useFieldArray({ control: form.control, name: 'items' });
  const currency = useWatch({ control: form.control, name: 'currency' });
  const values = useWatch({ control: form.control, name: 'items' });
  const errors = form.formState.errors;
  const nets = outcome?.ok ? outcome.totals.lines : null;
  const rootError = errors.items?.root?.message ?? errors.items?.message;
  return (
    <>
      {rootError ? <p role="alert" className="mb-3 text-sm text-red-700">{rootError}</p> : null}
      <ol className="space-y-4">
        {items.fields.map((field, index) => {
          const itemErrors = errors.items?.[index];
          const item = values?.[index];
          const at = <K extends keyof DraftForm['items'][number]>(name: K) => `items.${index}.${name}` as const;
          return (
            <li key={field.id} className="rounded-lg border border-slate-200 p-3" aria-label={`Line ${index + 1}`}>
              <div className="grid grid-cols-2 gap-3 sm:grid-cols-12">
                <Field label="Description" className="col-span-2 sm:col-span-4" error={itemErrors?.description?.message}>
                  {(props) => <Input placeholder="What you did or sold" {...props} {...form.register(at('description'))} />}
                </Field>
                <Field label="Quantity" className="sm:col-span-2" error={itemErrors?.quantity?.message}>
                  {(props) => <Input inputMode="decimal" className="text-right" {...props} {...form.register(at('quantity'))} />}
                </Field>
                <Field label="Unit" className="sm:col-span-3" error={itemErrors?.unit?.message}>
                  {(props) => (
                    <Select {...props} {...form.register(at('unit'))}>
                      {UNITS.map((unit) => <option key={unit.code} value={unit.code}>{unitLabel(unit.code)}</option>)}
                    </Select>
                  )}
                </Field>
                <Field label="Unit price" className="col-span-2 sm:col-span-3" error={itemErrors?.unit_price?.message}>
                  {(props) => <Input inputMode="decimal" placeholder="0.00" className="text-right" {...props} {...form.register(at('unit_price'))} />}
                </Field>
                <Field label="Discount type" className="sm:col-span-2">
                  {(props) => (
                    <Select {...props} {...form.register(at('discount_kind'))}>
                      <option value="none">None</option>
                      <option value="percent">Percent</option>
                      <option value="amount">Amount</option>
                    </Select>
                  )}
                </Field>
                <Field
                  label={item?.discount_kind === 'amount' ? `Discount (${currency})` : 'Discount (%)'}
                  className="sm:col-span-2"
                  error={itemErrors?.discount?.message}
                >
                  {(props) => (
                    <Input
                      inputMode="decimal"
                      className="text-right"
                      disabled={item?.discount_kind === 'none'}
                      placeholder={item?.discount_kind === 'amount' ? '0.00' : '0'}
                      {...props}
                      {...form.register(at('discount'))}
                    />
                  )}
                </Field>
                <Field label="Tax rate" className="col-span-2 sm:col-span-3" error={itemErrors?.tax_rate_id?.message}>
                  {(props) => (
                    <Select {...props} {...form.register(at('tax_rate_id'))}>
                      <RateOptions rates={rates} extra={extraRates} />
                    </Select>
                  )}
                </Field>
                <div className="col-span-2 flex items-end sm:col-span-2">
                  <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
                    <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register(at('has_period'))} />
                    Service period
                  </label>
                </div>
                <div className="col-span-2 flex items-end justify-between sm:col-span-3">
                  <span className="pb-2 text-sm font-medium text-slate-900">
                    <span className="sr-only">Net amount: </span>
                    <span data-testid="line-net"><Amount value={nets?.[index]} currency={currency} /></span>
                  </span>
                  <span className="flex gap-0.5">
                    <IconButton label={`Move line ${index + 1} up`} disabled={index === 0} onClick={() => items.move(index, index - 1)} path="M12 19V5M5 12l7-7 7 7" />
                    <IconButton label={`Move line ${index + 1} down`} disabled={index === items.fields.length - 1} onClick={() => items.move(index, index + 1)} path="M12 5v14M19 12l-7 7-7-7" />
                    <IconButton label={`Remove line ${index + 1}`} disabled={items.fields.length === 1} onClick={() => items.remove(index)} path="M6 7h12M9 7V5h6v2M8 7l1 12h6l1-12" />
                  </span>
                </div>
                {item?.has_period && (
                  <>
                    <Field label="Period from" className="sm:col-span-3" error={itemErrors?.period_start?.message}>
                      {(props) => <Input type="date" {...props} {...form.register(at('period_start'))} />}
                    </Field>
                    <Field label="Period to" className="sm:col-span-3" error={itemErrors?.period_end?.message}>
                      {(props) => <Input type="date" {...props} {...form.register(at('period_end'))} />}
                    </Field>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ol>
      <div className="mt-4">
        <Button onClick={() => items.append(emptyItem(), { shouldFocus: true })} disabled={items.fields.length >= MAX_LINES}>
          Add line
        </Button>
      </div>
    </>
  );
}

export function Adjustments({ form, outcome, rates, extraRates }: Props) {
  const adjustments = useFieldArray({ control: form.control, name: 'adjustments' });
  const currency = useWatch({ control: form.control, name: 'currency' });
  const errors = form.formState.errors;
  const nets = outcome?.ok ? outcome.totals.adjustments : null;
  const rootError = errors.adjustments?.root?.message ?? errors.adjustments?.message;
  return (
    <>
      {rootError ? <p role="alert" className="mb-3 text-sm text-red-700">{rootError}</p> : null}
      {adjustments.fields.length === 0 ? (
        <p className="text-sm text-slate-600">A discount on the whole invoice, or a charge such as shipping, each under one tax rate.</p>
      ) : (
        <ol className="space-y-3">
          {adjustments.fields.map((field, index) => {
            const adjustmentErrors = errors.adjustments?.[index];
            const at = <K extends keyof DraftForm['adjustments'][number]>(name: K) => `adjustments.${index}.${name}` as const;
            return (
              <li key={field.id} className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 p-3 sm:grid-cols-12" aria-label={`Adjustment ${index + 1}`}>
                <Field label="Kind" className="sm:col-span-2">
                  {(props) => (
                    <Select {...props} {...form.register(at('kind'))}>
                      <option value="allowance">Discount</option>
                      <option value="charge">Charge</option>
                    </Select>
                  )}
                </Field>
                <Field label="Reason" className="sm:col-span-4" error={adjustmentErrors?.reason?.message}>
                  {(props) => <Input placeholder="Loyalty discount, shipping…" {...props} {...form.register(at('reason'))} />}
                </Field>
                <Field label={`Amount (${currency})`} className="sm:col-span-2" error={adjustmentErrors?.amount?.message}>
                  {(props) => <Input inputMode="decimal" className="text-right" {...props} {...form.register(at('amount'))} />}
                </Field>
                <Field label="Tax rate of the adjustment" className="sm:col-span-2" error={adjustmentErrors?.tax_rate_id?.message}>
                  {(props) => (
                    <Select {...props} {...form.register(at('tax_rate_id'))}>
                      <RateOptions rates={rates} extra={extraRates} />
                    </Select>
                  )}
                </Field>
                <div className="col-span-2 flex items-end justify-between sm:col-span-2">
                  <span className="pb-2 text-sm font-medium text-slate-900">
                    <span className="sr-only">Net amount: </span>
                    <Amount value={nets?.[index]} currency={currency} />
                  </span>
                  <IconButton label={`Remove adjustment ${index + 1}`} onClick={() => adjustments.remove(index)} path="M6 7h12M9 7V5h6v2M8 7l1 12h6l1-12" />
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <div className="mt-4 flex flex-wrap gap-2">
        <Button onClick={() => adjustments.append(emptyAdjustment('allowance'), { shouldFocus: true })} disabled={adjustments.fields.length >= MAX_ADJUSTMENTS}>
          Add discount
        </Button>
        <Button onClick={() => adjustments.append(emptyAdjustment('charge'), { shouldFocus: true })} disabled={adjustments.fields.length >= MAX_ADJUSTMENTS}>
          Add charge
        </Button>
      </div>
    </>
  );
}

export function IconButton({ label, path, ...rest }: { label: string; path: string; disabled?: boolean; onClick: () => void }) {
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
