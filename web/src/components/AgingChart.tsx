import type { AgingBuckets } from '../api/types';
import { AGING_BUCKETS } from '../api/types';
import { BUCKET_LABELS } from '../lib/aging';
import { formatCompact, formatMoney } from '../lib/money';

/**
 * One currency's receivables by bucket as bars drawn in SVG (five bars need no chart library).
 * The figures are in its label for screen readers, and in the table the page shows beside it,
 * which is what they read.
 */
export function AgingChart({ totals, currency, asOf }: { totals: AgingBuckets; currency: string; asOf: string }) {
  const max = Math.max(1, ...AGING_BUCKETS.map((bucket) => totals[bucket]));
  const width = 420;
  const height = 200;
  const top = 22;
  const bottom = 26;
  const plot = height - top - bottom;
  const slot = width / AGING_BUCKETS.length;
  const bar = Math.min(44, slot * 0.6);
  const y = (value: number) => top + plot - (Math.max(0, value) / max) * plot;
  const label = `Receivables in ${currency} as of ${asOf}: ${AGING_BUCKETS.map((bucket) => `${BUCKET_LABELS[bucket]} ${formatMoney(totals[bucket], currency)}`).join(', ')}; total ${formatMoney(totals.total, currency)}`;

  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="img" aria-label={label}>
      <line x1={0} x2={width} y1={top + plot} y2={top + plot} className="stroke-slate-300" />
      {AGING_BUCKETS.map((bucket, index) => {
        const x = slot * index + slot / 2;
        const value = totals[bucket];
        return (
          <g key={bucket}>
            <rect
              x={x - bar / 2}
              y={y(value)}
              width={bar}
              height={Math.max(0, top + plot - y(value))}
              rx="3"
              className={bucket === 'current' ? 'fill-brand-500' : bucket === 'days_1_30' ? 'fill-amber-400' : 'fill-amber-600'}
            />
            <text x={x} y={y(value) - 6} textAnchor="middle" className="fill-slate-700 text-[11px]">
              {formatCompact(value, currency)}
            </text>
            <text x={x} y={height - 8} textAnchor="middle" className="fill-slate-600 text-[11px]">
              {BUCKET_LABELS[bucket]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
