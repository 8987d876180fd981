import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError } from '../api/client';
import { LIMITS } from '../api/limits';
import { useChangePassword, useMe, useReminders, useReplaceReminders } from '../api/queries';
import { useAuth } from '../auth/AuthProvider';
import { ErrorPanel, Loading } from '../components/feedback';
import { Button, Card, Field, Input, PageHeader } from '../components/ui';
import { formatInstant } from '../lib/dates';
import { applyFieldErrors } from '../lib/forms';
import { parseReminderDays, passwordChangeSchema } from '../lib/validation';
import { BankAccounts } from './settings/BankAccounts';
import { LogoSettings } from './settings/Logo';
import { SellerDetails } from './settings/SellerDetails';
import { TaxRates } from './settings/TaxRates';

export function Settings() {
  return (
    <div>
      <PageHeader title="Settings" />
      <div className="space-y-6">
        <SellerDetails />
        <LogoSettings />
        <BankAccounts />
        <TaxRates />
        <ReminderSettings />
        <AccountSettings />
      </div>
    </div>
  );
}

function describeDay(day: number): string {
  if (day === 0) return 'on the due date';
  const days = Math.abs(day) === 1 ? '1 day' : `${Math.abs(day)} days`;
  return day < 0 ? `${days} before` : `${days} after`;
}

function ReminderSettings() {
  const reminders = useReminders();
  const replace = useReplaceReminders();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (reminders.data) setText(reminders.data.days_from_due_date.join(', '));
  }, [reminders.data]);

  const parsed = parseReminderDays(text);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!parsed.ok) return setError(parsed.error);
    setError(undefined);
    replace.mutate(parsed.days, {
      onSuccess: () => setSaved(true),
      onError: (failure) => {
        const messages = failure instanceof ApiError ? Object.values(failure.fieldErrors).flat() : [];
        if (messages.length > 0) setError(messages.join('; '));
      },
    });
  };

  return (
    <Card title="Reminders">
      {reminders.isPending ? (
        <Loading />
      ) : reminders.isError ? (
        <ErrorPanel error={reminders.error} onRetry={() => void reminders.refetch()} retrying={reminders.isFetching} />
      ) : (
        <form onSubmit={submit} noValidate className="space-y-4">
          <p className="text-sm text-slate-600">
            Clients with an unpaid invoice are e-mailed a reminder at 09:00 UTC on these days, counted from the due date (negative: before it).
            {reminders.data.custom ? '' : ' You are using the default schedule.'} Changes apply to invoices sent from now on.
          </p>
          <Field label="Days from the due date" error={error} hint={`Up to ${LIMITS.reminders}, from ${String(LIMITS.reminderEarliest).replace('-', '−')} to ${LIMITS.reminderLatest}, separated by commas. Leave empty to send no reminders.`}>
            {(props) => <Input value={text} onChange={(event) => { setText(event.target.value); setSaved(false); }} placeholder="-3, 0, 7, 14" {...props} />}
          </Field>
          {parsed.ok && (
            <ul className="flex flex-wrap gap-2" aria-label="Schedule">
              {parsed.days.length === 0 ? (
                <li className="text-sm text-slate-600">No reminders.</li>
              ) : (
                parsed.days.map((day) => (
                  <li key={day} className="rounded-full bg-brand-50 px-2.5 py-1 text-xs font-medium text-brand-800 ring-1 ring-inset ring-brand-200">{describeDay(day)}</li>
                ))
              )}
            </ul>
          )}
          {replace.isError && !error && <ErrorPanel error={replace.error} onRetry={() => replace.mutate(parsed.ok ? parsed.days : [])} retrying={replace.isPending} />}
          <div className="flex items-center gap-3">
            <Button type="submit" variant="primary" busy={replace.isPending}>Save reminders</Button>
            {saved && <p role="status" className="text-sm text-emerald-700">Saved.</p>}
          </div>
        </form>
      )}
    </Card>
  );
}

function AccountSettings() {
  const me = useMe();
  const { signOut } = useAuth();
  const change = useChangePassword();
  const [done, setDone] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const form = useForm<{ current_password: string; new_password: string }>({
    resolver: zodResolver(passwordChangeSchema),
    defaultValues: { current_password: '', new_password: '' },
  });
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    setDone(false);
    setFailure(null);
    try {
      await change.mutateAsync(values);
      form.reset();
      setDone(true);
    } catch (error) {
      if (!applyFieldErrors(error, form.setError)) setFailure(error);
    }
  });

  return (
    <Card title="Account">
      <dl className="mb-6 grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
        <div><dt className="text-slate-500">E-mail</dt><dd className="font-medium text-slate-900">{me.data?.email ?? '…'}</dd></div>
        <div><dt className="text-slate-500">Role</dt><dd className="font-medium text-slate-900">{me.data?.role === 'admin' ? 'Administrator' : 'User'}</dd></div>
        <div><dt className="text-slate-500">Member since</dt><dd className="font-medium text-slate-900">{me.data ? formatInstant(me.data.created_at) : '…'}</dd></div>
      </dl>
      <form onSubmit={submit} noValidate className="space-y-4 border-t border-slate-100 pt-5">
        <h3 className="text-sm font-semibold text-slate-900">Change password</h3>
        <input type="text" autoComplete="username" value={me.data?.email ?? ''} readOnly hidden />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field label="Current password" error={errors.current_password?.message}>
            {(props) => <Input type="password" autoComplete="current-password" {...props} {...form.register('current_password')} />}
          </Field>
          <Field label="New password" error={errors.new_password?.message} hint={`At least ${LIMITS.passwordMin} characters. Your other sessions are signed out.`}>
            {(props) => <Input type="password" autoComplete="new-password" {...props} {...form.register('new_password')} />}
          </Field>
        </div>
        {failure !== null && <ErrorPanel error={failure} onRetry={() => void submit()} retrying={change.isPending} />}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" busy={form.formState.isSubmitting}>Change password</Button>
          {done && <p role="status" className="text-sm text-emerald-700">Password changed; other sessions were signed out.</p>}
        </div>
      </form>
      <div className="mt-6 flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-5">
        <p className="text-sm text-slate-600">Lost a device? Sign out of every session, including this one.</p>
        <Button onClick={() => void signOut(true)}>Sign out everywhere</Button>
      </div>
    </Card>
  );
}
