// Settings → Bank accounts: where customers transfer the money, printed on invoices with the
// payment instructions (IBAN and BIC, or a US account and routing number, or a UK account and
// sort code). IBANs are shown in groups of four.

import { useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { useBankAccounts, useDeleteBankAccount, useSaveBankAccount } from '../../api/queries';
import type { BankAccount, BankAccountFields } from '../../api/types';
import { Dialog, ErrorPanel, Loading } from '../../components/feedback';
import { Button, Card, EmptyState, Field, Input, Select } from '../../components/ui';
import { applyFieldErrors } from '../../lib/forms';
import { useIdempotencyKey } from '../../lib/idempotency';
import { compactIban, groupIban, ibanChecks } from '../../lib/iban';
import { CURRENCIES } from '../../lib/money';

const MAX_ACCOUNTS = 5;

type Method = 'iban' | 'us' | 'uk';

export interface AccountForm {
  holder: string;
  bank_name: string;
  currency: string;
  is_default: boolean;
  method: Method;
  iban: string;
  bic: string;
  account_number: string;
  routing_number: string;
  sort_code: string;
}

export function accountForm(account?: BankAccount): AccountForm {
  return {
    holder: account?.holder ?? '',
    bank_name: account?.bank_name ?? '',
    currency: account?.currency ?? '',
    is_default: account?.is_default ?? false,
    method: account?.routing_number ? 'us' : account?.sort_code ? 'uk' : 'iban',
    iban: account?.iban ? groupIban(account.iban) : '',
    bic: account?.bic ?? '',
    account_number: account?.account_number ?? '',
    routing_number: account?.routing_number ?? '',
    sort_code: account?.sort_code ?? '',
  };
}

/** The form as the API's JSON, or the problems the API would find. */
export function accountFields(form: AccountForm): { fields: BankAccountFields | null; errors: Partial<Record<keyof AccountForm, string>> } {
  const errors: Partial<Record<keyof AccountForm, string>> = {};
  if (!form.holder.trim()) errors.holder = 'Enter the account holder’s name';
  if (form.method === 'iban') {
    if (!ibanChecks(form.iban)) errors.iban = 'Not a valid IBAN: check the digits';
    if (form.bic.trim() && !/^[A-Za-z0-9]{8}([A-Za-z0-9]{3})?$/.test(form.bic.trim())) errors.bic = '8 or 11 letters and digits';
  } else {
    if (!form.account_number.trim()) errors.account_number = 'Enter the account number';
    if (form.method === 'us' && !/^\d{9}$/.test(form.routing_number.trim())) errors.routing_number = '9 digits';
    if (form.method === 'uk' && !/^\d{6}$/.test(form.sort_code.replace(/[\s-]/g, ''))) errors.sort_code = '6 digits, e.g. 12-34-56';
  }
  if (Object.keys(errors).length > 0) return { fields: null, errors };
  const optional = (text: string) => (text.trim() ? text.trim() : null);
  return {
    errors,
    fields: {
      holder: form.holder.trim(),
      bank_name: optional(form.bank_name),
      currency: optional(form.currency),
      is_default: form.is_default,
      iban: form.method === 'iban' ? compactIban(form.iban) : null,
      bic: form.method === 'iban' ? optional(form.bic.toUpperCase()) : null,
      account_number: form.method === 'iban' ? null : form.account_number.trim(),
      routing_number: form.method === 'us' ? form.routing_number.trim() : null,
      sort_code: form.method === 'uk' ? form.sort_code.replace(/[\s-]/g, '') : null,
    },
  };
}

function details(account: BankAccount): string {
  if (account.iban) return `IBAN ${account.iban_printed ?? groupIban(account.iban)}${account.bic ? ` · BIC ${account.bic}` : ''}`;
  if (account.routing_number) return `Account ${account.account_number} · Routing ${account.routing_number}`;
  const code = account.sort_code ?? '';
  return `Account ${account.account_number} · Sort code ${code.replace(/(\d{2})(?=\d)/g, '$1-')}`;
}

export function BankAccounts() {
  const accounts = useBankAccounts();
  const remove = useDeleteBankAccount();
  const [editing, setEditing] = useState<BankAccount | 'new' | null>(null);
  const count = accounts.data?.length ?? 0;
  return (
    <Card
      title="Bank accounts"
      actions={<Button size="sm" variant="primary" disabled={count >= MAX_ACCOUNTS} onClick={() => setEditing('new')}>Add bank account</Button>}
    >
      {remove.isError && <div className="mb-3"><ErrorPanel error={remove.error} /></div>}
      {accounts.isPending ? (
        <Loading />
      ) : accounts.isError ? (
        <ErrorPanel error={accounts.error} onRetry={() => void accounts.refetch()} retrying={accounts.isFetching} />
      ) : accounts.data.length === 0 ? (
        <EmptyState title="No bank accounts yet">Invoices show how to pay by transfer once you add one.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Bank accounts">
          {accounts.data.map((account) => (
            <li key={account.id} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {account.holder}
                  {account.bank_name ? <span className="font-normal text-slate-600"> · {account.bank_name}</span> : null}
                  {account.is_default && <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-semibold text-brand-800 ring-1 ring-inset ring-brand-200">Default</span>}
                </p>
                <p className="font-mono text-sm text-slate-700" data-testid="bank-details">{details(account)}</p>
                <p className="text-xs text-slate-500">{account.currency ? `For ${account.currency} invoices` : 'For invoices in any currency'}</p>
              </div>
              <div className="flex shrink-0 gap-2">
                <Button size="sm" onClick={() => setEditing(account)} aria-label={`Edit the account of ${account.holder}`}>Edit</Button>
                <Button size="sm" variant="ghost" className="text-red-700 hover:bg-red-50" busy={remove.isPending && remove.variables === account.id} onClick={() => remove.mutate(account.id)} aria-label={`Delete the account of ${account.holder}`}>
                  Delete
                </Button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && <AccountDialog account={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function AccountDialog({ account, onClose }: { account?: BankAccount; onClose: () => void }) {
  const save = useSaveBankAccount();
  const keyFor = useIdempotencyKey();
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<AccountForm>({ defaultValues: accountForm(account) });
  const errors = form.formState.errors;
  const method = form.watch('method');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    form.clearErrors();
    const { fields, errors: problems } = accountFields(form.getValues());
    if (!fields) {
      (Object.keys(problems) as (keyof AccountForm)[]).forEach((path, index) =>
        form.setError(path, { type: 'client', message: problems[path] }, { shouldFocus: index === 0 }),
      );
      return;
    }
    try {
      await save.mutateAsync({ id: account?.id, account: fields, key: keyFor(fields) });
      onClose();
    } catch (error) {
      if (!applyFieldErrors(error, form.setError)) setFailure(error);
    }
  };

  return (
    <Dialog open title={account ? 'Edit bank account' : 'Add bank account'} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate className="space-y-4">
        {failure !== null && <ErrorPanel error={failure} />}
        <Field label="Account holder" error={errors.holder?.message}>
          {(props) => <Input {...props} {...form.register('holder')} />}
        </Field>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="Bank (optional)" error={errors.bank_name?.message}>
            {(props) => <Input {...props} {...form.register('bank_name')} />}
          </Field>
          <Field label="For invoices in" error={errors.currency?.message}>
            {(props) => (
              <Select {...props} {...form.register('currency')}>
                <option value="">Any currency</option>
                {CURRENCIES.map((code) => <option key={code}>{code}</option>)}
              </Select>
            )}
          </Field>
        </div>
        <Field label="Account details">
          {(props) => (
            <Select {...props} {...form.register('method')}>
              <option value="iban">IBAN (and BIC)</option>
              <option value="us">US account and routing number</option>
              <option value="uk">UK account and sort code</option>
            </Select>
          )}
        </Field>
        {method === 'iban' ? (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-[2fr_1fr]">
            <Field label="IBAN" error={errors.iban?.message}>
              {(props) => (
                <Input
                  spellCheck={false}
                  className="font-mono"
                  {...props}
                  {...form.register('iban', { onBlur: (event) => form.setValue('iban', groupIban(event.target.value)) })}
                />
              )}
            </Field>
            <Field label="BIC (optional)" error={errors.bic?.message}>
              {(props) => <Input spellCheck={false} className="font-mono" {...props} {...form.register('bic')} />}
            </Field>
          </div>
        ) : (
          <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
            <Field label="Account number" error={errors.account_number?.message}>
              {(props) => <Input inputMode="numeric" {...props} {...form.register('account_number')} />}
            </Field>
            {method === 'us' ? (
              <Field label="Routing number" error={errors.routing_number?.message}>
                {(props) => <Input inputMode="numeric" {...props} {...form.register('routing_number')} />}
              </Field>
            ) : (
              <Field label="Sort code" error={errors.sort_code?.message}>
                {(props) => <Input inputMode="numeric" {...props} {...form.register('sort_code')} />}
              </Field>
            )}
          </div>
        )}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register('is_default')} />
          Show this account when no account matches the invoice’s currency
        </label>
        <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={save.isPending}>{account ? 'Save' : 'Add account'}</Button>
        </div>
      </form>
    </Dialog>
  );
}
