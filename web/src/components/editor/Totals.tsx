// The editor's live totals: the amounts totals.ts computes from what is typed, exactly as the
// server will (line nets, allowances and charges, the tax breakdown per rate, net, tax, gross).

import type { TaxRate as AccountRate } from '../../api/types';
import { UNTAXED } from '../../lib/draft';
import { formatMoney } from '../../lib/money';
import type { Outcome, TaxSubtotal } from '../../lib/totals';
import { describeRate } from '../../lib/vat';

/** The name of the account's rate a breakdown row is for, else the rate itself (`19 %`). */
function rowLabel(row: { category: string; percent: string; exemption_reason?: string | null }, rates: readonly AccountRate[]): string {
  const reason = row.exemption_reason ?? null;
  if (row.category === 'O' && Number(row.percent) === 0 && reason === UNTAXED.exemption?.reason) return 'No tax';
  const named = rates.find(
    (rate) => rate.category === row.category && Number(rate.percent) === Number(row.percent) && (rate.exemption_reason ?? null) === reason,
  );
  return named ? named.name : describeRate(row);
}

export function BreakdownTable({
  rows,
  currency,
  rates,
  caption,
}: {
  rows: readonly (Pick<TaxSubtotal, 'category' | 'percent' | 'base' | 'tax'> & { exemption_reason?: string | null })[];
  currency: string;
  rates: readonly AccountRate[];
  caption: string;
}) {
  return (
    <table className="w-full text-sm" data-testid="tax-breakdown">
      <caption className="sr-only">{caption}</caption>
      <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
        <tr>
          <th scope="col" className="pb-1">Rate</th>
          <th scope="col" className="pb-1 text-right">Base</th>
          <th scope="col" className="pb-1 text-right">Tax</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={`${row.category} ${row.percent} ${row.exemption_reason ?? ''}`} data-testid="tax-row" data-rate={`${row.category} ${row.percent}`}>
            <th scope="row" className="py-1 pr-2 text-left font-normal text-slate-700">
              {rowLabel(row, rates)}
              {row.category !== 'S' && row.exemption_reason && <span className="block text-xs text-slate-500">{row.exemption_reason}</span>}
            </th>
            <td className="py-1 text-right tabular-nums text-slate-700" data-testid="tax-base">{formatMoney(row.base, currency)}</td>
            <td className="py-1 pl-2 text-right tabular-nums text-slate-900" data-testid="tax-amount">{formatMoney(row.tax, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface TotalsFigures {
  line_total: number;
  allowance_total: number;
  charge_total: number;
  net_total: number;
  tax_total: number;
  gross_total: number;
}

/** Net, allowances, charges, tax and gross, as a definition list (shared with the invoice page). */
export function TotalsList({ totals, currency, inclusive }: { totals: TotalsFigures | null; currency: string; inclusive?: boolean }) {
  const money = (value: number | undefined) => (totals === null || value === undefined ? '—' : formatMoney(value, currency));
  const row = (label: string, value: string, testId: string, strong = false) => (
    <div className={strong ? 'flex justify-between border-t border-slate-200 pt-2 text-base font-semibold text-slate-900' : 'flex justify-between text-slate-600'}>
      <dt>{label}</dt>
      <dd className="tabular-nums" data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <dl className="space-y-1.5 text-sm">
      {totals !== null && (totals.allowance_total > 0 || totals.charge_total > 0) && row('Lines', money(totals.line_total), 'line-total')}
      {totals !== null && totals.allowance_total > 0 && row('Discounts', `−${money(totals.allowance_total)}`, 'allowance-total')}
      {totals !== null && totals.charge_total > 0 && row('Charges', money(totals.charge_total), 'charge-total')}
      {row('Net', money(totals?.net_total), 'net-total')}
      {row('Tax', money(totals?.tax_total), 'tax-total')}
      {row(inclusive ? 'Total (tax included)' : 'Total', money(totals?.gross_total), 'invoice-total', true)}
    </dl>
  );
}

export function LiveTotals({ outcome, currency, rates, inclusive }: { outcome: Outcome | null; currency: string; rates: readonly AccountRate[]; inclusive: boolean }) {
  const totals = outcome?.ok ? outcome.totals : null;
  return (
    <div className="ml-auto w-full max-w-sm space-y-4" aria-live="polite">
      {totals && totals.breakdown.length > 0 && (
        <BreakdownTable
          rows={totals.breakdown.map((row) => ({ ...row, exemption_reason: row.exemption?.reason ?? null }))}
          currency={currency}
          rates={rates}
          caption="Tax per rate"
        />
      )}
      <TotalsList totals={totals} currency={currency} inclusive={inclusive} />
      {outcome === null && <p className="text-xs text-slate-500">The totals appear once every line has a quantity and a price.</p>}
    </div>
  );
}
