// CSV exports for accounting software (`GET /api/exports/{kind}.csv?from=&to=`). The files need
// the session's token, so each is fetched and saved from an object URL, as the PDF is. The days
// are checked here as the API checks them; what the API still refuses lands on the same fields.

import { useState } from 'react';
import { ApiError } from '../api/client';
import { fetchExport } from '../api/queries';
import type { ExportKind } from '../api/types';
import { ErrorPanel } from '../components/feedback';
import { Button, Card, Field, Input, PageHeader } from '../components/ui';
import { previousMonth, todayUtc } from '../lib/dates';
import { saveFile } from '../lib/download';
import { checkExportRange, MAX_EXPORT_DAYS } from '../lib/validation';

/** Every export the API serves, with what its file holds. */
const EXPORTS: Record<ExportKind, { name: string; holds: string }> = {
  invoices: {
    name: 'Invoices',
    holds: 'One row per invoice sent and issued in these days (voided ones with their status): the customer as invoiced, net, tax, gross, and what is paid, credited and due now.',
  },
  'invoice-lines': {
    name: 'Invoice lines',
    holds: 'One row per line of those invoices: description, quantity, unit, unit price, discount, VAT category and rate, and the line’s net amount.',
  },
  payments: {
    name: 'Payments',
    holds: 'One row per payment recorded in these days (UTC): its invoice, method, reference, amount, and what was refunded of it.',
  },
  'credit-notes': {
    name: 'Credit notes',
    holds: 'One row per credit note issued in these days: the invoice it credits, the customer, the reason, net, tax, gross, and what it took beyond the amount due (refunded or kept as the customer’s credit).',
  },
  'tax-report': {
    name: 'Tax report',
    holds: 'Net, tax and gross per month of issue, kind of document, currency, VAT category and rate, summed from the invoices’ and credit notes’ own tax breakdowns (credit notes negative, voided invoices left out).',
  },
};

type RangeErrors = { from?: string; to?: string };

export function Exports() {
  const initial = previousMonth(todayUtc());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [errors, setErrors] = useState<RangeErrors>({});
  const [failure, setFailure] = useState<{ kind: ExportKind; error: unknown } | null>(null);
  const [busy, setBusy] = useState<ExportKind | null>(null);

  const changed = (set: (day: string) => void) => (day: string) => {
    set(day);
    setErrors({});
    setFailure(null);
  };

  const download = async (kind: ExportKind) => {
    const problems = checkExportRange(from, to);
    setErrors(problems);
    setFailure(null);
    if (problems.from || problems.to) return;
    setBusy(kind);
    try {
      const file = await fetchExport(kind, from, to);
      saveFile(file);
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldErrors : {};
      if (fields.from || fields.to) setErrors({ from: fields.from?.join('; '), to: fields.to?.join('; ') });
      else setFailure({ kind, error });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <PageHeader title="Exports" subtitle="CSV files of your invoices, payments, credit notes and tax for accounting software." />
      <div className="space-y-6">
        <Card title="Days">
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:max-w-xl">
            <Field label="From" error={errors.from}>
              {(props) => <Input type="date" value={from} onChange={(event) => changed(setFrom)(event.target.value)} {...props} />}
            </Field>
            <Field label="To" error={errors.to}>
              {(props) => <Input type="date" value={to} onChange={(event) => changed(setTo)(event.target.value)} {...props} />}
            </Field>
          </div>
          <p className="mt-2 text-xs text-slate-500">
            Both days included, at most {MAX_EXPORT_DAYS} days. The files are UTF-8 with a header line; in Excel, open them with Data › From Text/CSV.
          </p>
        </Card>
        {failure && (
          <ErrorPanel error={failure.error} onRetry={() => void download(failure.kind)} retrying={busy === failure.kind} />
        )}
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          {(Object.entries(EXPORTS) as [ExportKind, (typeof EXPORTS)[ExportKind]][]).map(([kind, { name, holds }]) => (
            <li key={kind} className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-center sm:justify-between sm:px-5">
              <div className="min-w-0">
                <h2 className="font-medium text-slate-900">{name}</h2>
                <p className="mt-0.5 text-sm text-slate-600">{holds}</p>
              </div>
              <Button className="shrink-0" onClick={() => void download(kind)} busy={busy === kind} disabled={busy !== null && busy !== kind}>
                Download {name.toLowerCase()}
              </Button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
