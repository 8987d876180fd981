// The aging report's buckets as people read them. The buckets themselves, and their order, are
// the API's (AGING_BUCKETS, from its OpenAPI document).

import type { AgingBucket } from '../api/types';

/** A bucket's name in a table's header or a chart's axis. */
export const BUCKET_LABELS: Record<AgingBucket, string> = {
  current: 'Current',
  days_1_30: '1–30 days',
  days_31_60: '31–60 days',
  days_61_90: '61–90 days',
  over_90: 'Over 90 days',
};

/** A bucket in a sentence: "not yet due", "1–30 days past due". */
export function bucketPhrase(bucket: AgingBucket): string {
  return bucket === 'current' ? 'not yet due' : `${BUCKET_LABELS[bucket].toLowerCase()} past due`;
}

/** An invoice's `days_past_due` for a person: "Not yet due" (zero or less), "1 day", "45 days". */
export function daysPastDue(days: number): string {
  if (days <= 0) return 'Not yet due';
  return days === 1 ? '1 day' : `${days} days`;
}
