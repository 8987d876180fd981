import type { DashboardMonth } from '../api/types';
import { formatMonth } from '../lib/dates';
import { formatCompact, formatMoney } from '../lib/money';

/**
 * Invoiced vs paid per month, as grouped bars drawn in SVG (no chart library: six months by two
 * series needs none). The same figures are in a table for screen readers.
 */
export function MonthlyChart({ months, currency }: { months: DashboardMonth[]; currency: string }) {
  const rows = months.filter((month) => month.currency === currency);
  const max = Math.max(1, ...rows.flatMap((row) => [row.invoiced, row.paid]));
  const year = new Date().getUTCFullYear();
  const width = 600;
  const height = 220;
  const top = 12;
  const bottom = 28;
  const left = 56;
  const plot = height - top - bottom;
  const slot = (width - left) / Math.max(rows.length, 1);
  const bar = Math.min(26, slot / 3);
  const ticks = [0, 0.5, 1].map((share) => Math.round(max * share));
  const y = (value: number) => top + plot - (value / max) * plot;

  return (
    <figure>
      <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-labelledby="chart-title">
        <title id="chart-title">{`Invoiced and paid per month, ${currency}`}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={left} x2={width} y1={y(tick)} y2={y(tick)} className="stroke-slate-200" strokeDasharray={tick === 0 ? undefined : '4 4'} />
            <text x={left - 8} y={y(tick) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {formatCompact(tick, currency)}
            </text>
          </g>
        ))}
        {rows.map((row, index) => {
          const x = left + slot * index + slot / 2;
          return (
            <g key={row.month}>
              <rect x={x - bar - 2} y={y(row.invoiced)} width={bar} height={Math.max(0, top + plot - y(row.invoiced))} rx="3" className="fill-brand-500" />
              <rect x={x + 2} y={y(row.paid)} width={bar} height={Math.max(0, top + plot - y(row.paid))} rx="3" className="fill-emerald-500" />
              <text x={x} y={height - 8} textAnchor="middle" className="fill-slate-600 text-[12px]">
                {formatMonth(row.month, year)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-2 flex gap-4 text-xs text-slate-600">
        <span className="flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-brand-500" aria-hidden="true" />Invoiced</span>
        <span className="flex items-center gap-1.5"><span className="h-2.5 w-2.5 rounded-sm bg-emerald-500" aria-hidden="true" />Paid</span>
      </figcaption>
      <table className="sr-only">
        <caption>Invoiced and paid per month in {currency}</caption>
        <thead>
          <tr><th scope="col">Month</th><th scope="col">Invoiced</th><th scope="col">Paid</th></tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.month}>
              <th scope="row">{row.month}</th>
              <td>{formatMoney(row.invoiced, currency)}</td>
              <td>{formatMoney(row.paid, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
