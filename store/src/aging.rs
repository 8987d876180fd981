//! Receivables aging (`GET /api/reports/aging`): what an account's customers owed it at the end
//! of a day, per currency and customer, in buckets by how many days past its due date each
//! invoice was then; and the invoices behind a figure.
//!
//! An invoice is **receivable** at the end of day D (UTC) when it was sent on or before D
//! (`sent_at`, not the issue date, which the seller chooses and may backdate: an aging as of a
//! past day shows what the books held that day), not voided on or before D, and not written off
//! as uncollectible on or before D (`uncollectible_on`: from that day on its amount due is a
//! bad debt, not a receivable, even if a payment later recovers some of it). Its **open
//! amount** then is its total less what **settled** it by the end of D:
//! - its payments recorded on or before D, net of what was refunded on them. The payments
//!   table keeps each payment's cumulative refund but not when it was given, so a refund
//!   counts as of its payment's day, as the dashboard counts it; an aging as of a day before
//!   such a refund therefore shows it already given back. A refund made by a credit note is
//!   dated (`credit_note_refunds`): it is left out of its payment's refund here and counts
//!   with its note, on the note's issue date;
//! - its credit notes issued on or before D (`issue_date`), each by its gross total less its
//!   excess (what it took beyond the amount due then). The excess lowers nothing that was
//!   owed: it went back to the customer, on the invoice's payments (the refunds just left out
//!   of the payments, so the two cancel out) or to their credit balance (`amount_to_balance`).
//!
//! As of today, the open amount is therefore `invoices.amount_due`
//! (`total − amount_paid − amount_credited + amount_to_balance`), and the buckets add up to the
//! dashboard's outstanding amount. A fully credited invoice (`credited`) needs no condition of
//! its own: its open amount is zero from its last note's day on, so it leaves the receivables
//! then, as a paid invoice leaves them on the day of its last payment.
//!
//! Both queries compute the open amounts in PostgreSQL from the same two CTEs, `receivable`
//! and `adjusted`; a change to one query's CTEs must be made to the other's (the aging tests
//! compare the summary with its drill-down). `receivable` starts from what the invoice row
//! says now, `total − amount_paid` (a deferred trigger holds `amount_paid` to the sum of the
//! payments net of their refunds), and `adjusted` corrects it back to the end of the day with
//! the few rows that differ: the payments recorded after it, the credit-note refunds on the
//! payments recorded by then (in `amount_paid`'s refunds, counted with their notes instead),
//! the refunds paid out of the customer's credit balance (in `amount_paid`'s refunds too, but
//! the money had left the invoice with a credit note: they reopen nothing) and the credit
//! notes issued by then. As of today the first branch is empty, and the query
//! is one pass over the account's invoices instead of a join of all their payments (the
//! benchmark's Aging scenario measures it: `bench/README.md`).
//! - a document or row that lowers what is owed is one more `UNION ALL` branch of `adjusted`,
//!   dated like the credit-note branch;
//! - a state that takes an invoice out of the receivables is one more condition of
//!   `receivable`, dated like `voided_at` and `uncollectible_on`.

use crate::StoreError;
use chrono::{NaiveDate, NaiveTime};
use invoicing_workflows::domain::Currency;
use sqlx::PgExecutor;
use strum::{Display, EnumString, IntoStaticStr, VariantNames};
use uuid::Uuid;

/// How long past its due date an invoice was: `current` (not yet due: due on the day or later),
/// `days_1_30`, `days_31_60`, `days_61_90` or `over_90` days past due.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Display, EnumString, IntoStaticStr, VariantNames,
)]
#[strum(
    serialize_all = "snake_case",
    parse_err_ty = UnknownBucket,
    parse_err_fn = UnknownBucket::from
)]
pub enum Bucket {
    Current,
    #[strum(serialize = "days_1_30")]
    Days1To30,
    #[strum(serialize = "days_31_60")]
    Days31To60,
    #[strum(serialize = "days_61_90")]
    Days61To90,
    #[strum(serialize = "over_90")]
    Over90,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::Current,
        Bucket::Days1To30,
        Bucket::Days31To60,
        Bucket::Days61To90,
        Bucket::Over90,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The days past due the bucket holds, inclusive (`None`: unbounded on that side).
    pub fn days(self) -> (Option<i32>, Option<i32>) {
        match self {
            Bucket::Current => (None, Some(0)),
            Bucket::Days1To30 => (Some(1), Some(30)),
            Bucket::Days31To60 => (Some(31), Some(60)),
            Bucket::Days61To90 => (Some(61), Some(90)),
            Bucket::Over90 => (Some(91), None),
        }
    }

    /// The bucket of an invoice `days` past due (zero or less: not yet due).
    pub fn of(days: i32) -> Self {
        match days {
            ..=0 => Bucket::Current,
            1..=30 => Bucket::Days1To30,
            31..=60 => Bucket::Days31To60,
            61..=90 => Bucket::Days61To90,
            _ => Bucket::Over90,
        }
    }

    /// The due dates of the invoices in this bucket as of `as_of`, inclusive.
    pub fn due_dates(self, as_of: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let (fewest, most) = self.days();
        let back = |days: i32| as_of.checked_sub_signed(chrono::Duration::days(i64::from(days)));
        (most.and_then(back), fewest.and_then(back))
    }
}

/// A `bucket` that is none of [`Bucket::ALL`]; says which ones there are.
#[derive(Debug, thiserror::Error)]
#[error(
    "bucket must be one of {expected} (not '{0}')",
    expected = Bucket::VARIANTS.join(", ")
)]
pub struct UnknownBucket(pub String);

impl From<&str> for UnknownBucket {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

/// Open amounts in each bucket, in minor units, and how many invoices they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Buckets {
    pub current: i64,
    pub days_1_30: i64,
    pub days_31_60: i64,
    pub days_61_90: i64,
    pub over_90: i64,
    pub invoices: i64,
}

impl Buckets {
    /// Every bucket together: the open amount.
    pub fn total(&self) -> i64 {
        self.current + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.over_90
    }
}

/// One line of the aging: a customer's open amounts in one currency, or (`customer` `None`)
/// the currency's totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgingLine {
    pub currency: Currency,
    /// The customer's id and display name (as it is now).
    pub customer: Option<(Uuid, String)>,
    pub buckets: Buckets,
}

/// The first instant after `day` (UTC): what happened before it happened on or before `day`.
fn end_of(day: NaiveDate) -> Option<chrono::DateTime<chrono::Utc>> {
    Some(day.succ_opt()?.and_time(NaiveTime::MIN).and_utc())
}

/// The account's receivables at the end of `as_of`, by currency: the currency's totals first,
/// then each customer owed anything in it, by name (case-insensitively). Currencies and
/// customers with nothing open are left out.
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %as_of))]
pub async fn summary(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    as_of: NaiveDate,
) -> Result<Vec<AgingLine>, StoreError> {
    let Some(end) = end_of(as_of) else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query!(
        r#"
        WITH receivable AS (
            -- Sent by the end of the day, and neither void nor written off by then; what is
            -- unpaid of it now.
            SELECT id, currency, customer_id, due_date, total - amount_paid AS unpaid
            FROM invoices
            WHERE user_id = $1 AND sent_at < $2
              AND (voided_at IS NULL OR voided_at >= $2)
              AND (uncollectible_on IS NULL OR uncollectible_on > $3)
        ),
        adjusted AS (
            -- What the end of the day owed more (+) or less (−) than `unpaid`, one branch per
            -- kind of row, each read by account through an index: `receivable` is then used
            -- once and planned inline with its statistics.
            -- Payments recorded after the day: not yet paid then.
            SELECT p.invoice_id, p.amount - p.amount_refunded AS amount
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            WHERE i.user_id = $1 AND p.recorded_at >= $2
            UNION ALL
            -- Refunds made by a credit note on payments recorded by then: they count with
            -- their note (next branch), on its issue date, not as of their payment's day.
            SELECT p.invoice_id, -cr.amount
            FROM credit_note_refunds cr
            JOIN credit_notes n ON n.id = cr.credit_note_id
            JOIN payments p ON p.id = cr.payment_id
            WHERE n.user_id = $1 AND p.recorded_at < $2
            UNION ALL
            -- Refunds paid out of the customer's credit balance (money a credit note had
            -- moved there): in `amount_paid`'s refunds, but they reopen nothing. Dated like
            -- the refund, as of its payment's day.
            SELECT cc.invoice_id, cc.amount
            FROM customer_credits cc
            JOIN payments p ON p.id = cc.payment_id
            WHERE cc.user_id = $1 AND cc.payment_id IS NOT NULL AND p.recorded_at < $2
            UNION ALL
            -- Credit notes, less their excess (refunded or moved to the credit balance).
            SELECT n.invoice_id, -(n.gross_total - n.excess)
            FROM credit_notes n
            WHERE n.user_id = $1 AND n.issue_date <= $3
        ),
        open_items AS (
            SELECT r.currency, r.customer_id, $3::date - r.due_date AS days,
                   r.unpaid + COALESCE(a.amount, 0) AS open
            FROM receivable r
            LEFT JOIN (
                SELECT invoice_id, SUM(amount)::int8 AS amount FROM adjusted GROUP BY invoice_id
            ) a ON a.invoice_id = r.id
            WHERE r.unpaid + COALESCE(a.amount, 0) > 0
        ),
        per_customer AS (
            -- Each customer's buckets first: the grouping sets below then work on a row per
            -- customer and currency, not on every invoice.
            SELECT currency, customer_id,
                   SUM(open) FILTER (WHERE days <= 0) AS not_due,
                   SUM(open) FILTER (WHERE days BETWEEN 1 AND 30) AS days_1_30,
                   SUM(open) FILTER (WHERE days BETWEEN 31 AND 60) AS days_31_60,
                   SUM(open) FILTER (WHERE days BETWEEN 61 AND 90) AS days_61_90,
                   SUM(open) FILTER (WHERE days > 90) AS over_90,
                   COUNT(*) AS invoices
            FROM open_items
            GROUP BY currency, customer_id
        )
        SELECT o.currency AS "currency!",
               o.customer_id AS "customer_id?",
               c.display_name AS "display_name?",
               COALESCE(SUM(o.not_due), 0)::int8 AS "current!",
               COALESCE(SUM(o.days_1_30), 0)::int8 AS "days_1_30!",
               COALESCE(SUM(o.days_31_60), 0)::int8 AS "days_31_60!",
               COALESCE(SUM(o.days_61_90), 0)::int8 AS "days_61_90!",
               COALESCE(SUM(o.over_90), 0)::int8 AS "over_90!",
               SUM(o.invoices)::int8 AS "invoices!"
        FROM per_customer o
        JOIN customers c ON c.id = o.customer_id
        GROUP BY GROUPING SETS ((o.currency), (o.currency, o.customer_id, c.display_name))
        ORDER BY o.currency, GROUPING(o.customer_id) DESC, lower(c.display_name), o.customer_id
        "#,
        user_id,
        end,
        as_of,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(AgingLine {
                currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                customer: row
                    .customer_id
                    .map(|id| (id, row.display_name.unwrap_or_default())),
                buckets: Buckets {
                    current: row.current,
                    days_1_30: row.days_1_30,
                    days_31_60: row.days_31_60,
                    days_61_90: row.days_61_90,
                    over_90: row.over_90,
                    invoices: row.invoices,
                },
            })
        })
        .collect()
}

/// Which open invoices to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub currency: Option<Currency>,
    pub customer_id: Option<Uuid>,
    pub bucket: Option<Bucket>,
}

/// An invoice open at the end of the day, with how much of it was open and how late it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenInvoice {
    pub id: Uuid,
    pub number: Option<String>,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Days past its due date as of the day (zero or less: not yet due).
    pub days_past_due: i32,
    pub open: i64,
}

/// A page of the invoices behind [`summary`]'s figures, the longest past due first (by due
/// date, then id), after `after` (a due date and an id) if given. Asks for `limit` rows.
#[tracing::instrument(skip_all, fields(owner_id = %user_id, %as_of))]
pub async fn invoices(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    as_of: NaiveDate,
    filter: &Filter,
    after: Option<(NaiveDate, Uuid)>,
    limit: i64,
) -> Result<Vec<OpenInvoice>, StoreError> {
    let Some(end) = end_of(as_of) else {
        return Ok(Vec::new());
    };
    let (due_from, due_to) = filter
        .bucket
        .map(|bucket| bucket.due_dates(as_of))
        .unwrap_or_default();
    let rows = sqlx::query!(
        r#"
        WITH receivable AS (
            -- As in `summary`.
            SELECT id, currency, customer_id, due_date, total - amount_paid AS unpaid
            FROM invoices
            WHERE user_id = $1 AND sent_at < $2
              AND (voided_at IS NULL OR voided_at >= $2)
              AND (uncollectible_on IS NULL OR uncollectible_on > $3)
        ),
        adjusted AS (
            -- As in `summary`.
            SELECT p.invoice_id, p.amount - p.amount_refunded AS amount
            FROM payments p
            JOIN invoices i ON i.id = p.invoice_id
            WHERE i.user_id = $1 AND p.recorded_at >= $2
            UNION ALL
            SELECT p.invoice_id, -cr.amount
            FROM credit_note_refunds cr
            JOIN credit_notes n ON n.id = cr.credit_note_id
            JOIN payments p ON p.id = cr.payment_id
            WHERE n.user_id = $1 AND p.recorded_at < $2
            UNION ALL
            SELECT cc.invoice_id, cc.amount
            FROM customer_credits cc
            JOIN payments p ON p.id = cc.payment_id
            WHERE cc.user_id = $1 AND cc.payment_id IS NOT NULL AND p.recorded_at < $2
            UNION ALL
            SELECT n.invoice_id, -(n.gross_total - n.excess)
            FROM credit_notes n
            WHERE n.user_id = $1 AND n.issue_date <= $3
        ),
        open_items AS (
            SELECT r.id, r.currency, r.customer_id, r.due_date,
                   r.unpaid + COALESCE(a.amount, 0) AS open
            FROM receivable r
            LEFT JOIN (
                SELECT invoice_id, SUM(amount)::int8 AS amount FROM adjusted GROUP BY invoice_id
            ) a ON a.invoice_id = r.id
            WHERE r.unpaid + COALESCE(a.amount, 0) > 0
        )
        SELECT o.id AS "id!", i.number_text, o.customer_id AS "customer_id!",
               c.display_name AS "customer_name!", o.currency AS "currency!",
               i.issue_date AS "issue_date!", o.due_date AS "due_date!",
               ($3::date - o.due_date) AS "days_past_due!", o.open::int8 AS "open!"
        FROM open_items o
        JOIN invoices i ON i.id = o.id
        JOIN customers c ON c.id = o.customer_id
        WHERE ($4::text IS NULL OR o.currency = $4)
          AND ($5::uuid IS NULL OR o.customer_id = $5)
          AND ($6::date IS NULL OR o.due_date >= $6)
          AND ($7::date IS NULL OR o.due_date <= $7)
          AND ($8::date IS NULL OR (o.due_date, o.id) > ($8, $9))
        ORDER BY o.due_date, o.id
        LIMIT $10
        "#,
        user_id,
        end,
        as_of,
        filter.currency.map(Currency::code),
        filter.customer_id,
        due_from,
        due_to,
        after.map(|(due_date, _)| due_date),
        after.map(|(_, id)| id),
        limit,
    )
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(OpenInvoice {
                id: row.id,
                number: row.number_text,
                customer_id: row.customer_id,
                customer_name: row.customer_name,
                currency: Currency::parse(&row.currency).map_err(StoreError::corrupt)?,
                issue_date: row.issue_date,
                due_date: row.due_date,
                days_past_due: row.days_past_due,
                open: row.open,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn buckets_parse_from_their_names_and_hold_their_days() {
        let names: Vec<&str> = Bucket::ALL.into_iter().map(Bucket::as_str).collect();
        assert_eq!(
            names,
            [
                "current",
                "days_1_30",
                "days_31_60",
                "days_61_90",
                "over_90"
            ]
        );
        for bucket in Bucket::ALL {
            assert_eq!(bucket.as_str().parse::<Bucket>().unwrap(), bucket);
        }
        assert_eq!(
            "days_1_31".parse::<Bucket>().unwrap_err().to_string(),
            "bucket must be one of current, days_1_30, days_31_60, days_61_90, over_90 \
             (not 'days_1_31')"
        );
        for days in -400..400 {
            let bucket = Bucket::of(days);
            let (fewest, most) = bucket.days();
            assert!(fewest.is_none_or(|fewest| fewest <= days), "{days}");
            assert!(most.is_none_or(|most| days <= most), "{days}");
        }
        assert_eq!(Bucket::of(0), Bucket::Current);
        assert_eq!(Bucket::of(1), Bucket::Days1To30);
        assert_eq!(Bucket::of(30), Bucket::Days1To30);
        assert_eq!(Bucket::of(31), Bucket::Days31To60);
        assert_eq!(Bucket::of(90), Bucket::Days61To90);
        assert_eq!(Bucket::of(91), Bucket::Over90);
    }

    #[test]
    fn a_bucket_is_a_range_of_due_dates() {
        let as_of = day(2026, 12, 31);
        assert_eq!(Bucket::Current.due_dates(as_of), (Some(as_of), None));
        assert_eq!(
            Bucket::Days1To30.due_dates(as_of),
            (Some(day(2026, 12, 1)), Some(day(2026, 12, 30)))
        );
        assert_eq!(
            Bucket::Over90.due_dates(as_of),
            (None, Some(day(2026, 10, 1)))
        );
    }
}
