//! A property of the books: over random sequences of payments (recorded offline, reported by
//! Stripe, or applied from the customer's credit balance, which all the invoices share), refunds
//! Stripe reports and credit notes (of lines, of amounts per VAT category, of the rest) on
//! random invoices, every step leaves the amount due equal to
//! `total − payments + refunds − credit notes + what went to the customer's credit balance`,
//! computed from the rows; never negative; the status consistent with it; the API, PostgreSQL
//! and the workflow's own state in agreement; Stripe holding the refunds the books say; and the
//! customer's credit balance never below zero, whatever the invoices take from it at once.
//! A step the product refuses must be refused rightly (a 4xx problem, a flagged payment) and
//! change nothing.
//!
//! The seed is printed with a log of every step; `CREDIT_PROPERTIES_SEED=<n>` replays a run,
//! and `CREDIT_PROPERTIES_INVOICES`, `CREDIT_PROPERTIES_STEPS` make it longer.

use crate::support::{Response, Stack, TestApp, TestUser, eventually, id, today};
use futures::StreamExt;
use invoicing_workflows::InvoiceView;
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::{collections::BTreeSet, time::Duration};
use uuid::Uuid;

/// The seed of a run unless `CREDIT_PROPERTIES_SEED` names another.
const SEED: u64 = 20_261_209;
/// Invoices and steps per invoice, unless the environment says otherwise.
const INVOICES: usize = 16;
const STEPS: usize = 10;
/// Invoices worked on at once (each with its own random stream, so a run replays alike).
const CONCURRENCY: usize = 4;
/// How long an asynchronous step (a webhook, a refund at Stripe) may take to show.
const SETTLE: Duration = Duration::from_secs(30);
const METHODS: [&str; 3] = ["bank_transfer", "cash", "check"];

fn setting(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(text) => text
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text} is not a number")),
        Err(_) => default,
    }
}

/// Says how to replay the run when the test fails (printed last, under the panic's message).
struct Replay(u64);

impl Drop for Replay {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "credit_properties failed with seed {0}: CREDIT_PROPERTIES_SEED={0} replays it \
                 (the step log is above)",
                self.0
            );
        }
    }
}

#[tokio::test]
async fn the_books_add_up_after_every_payment_refund_and_credit_note() {
    let seed = setting("CREDIT_PROPERTIES_SEED", SEED);
    let invoices = usize::try_from(setting("CREDIT_PROPERTIES_INVOICES", INVOICES as u64))
        .expect("a count of invoices");
    let steps = usize::try_from(setting("CREDIT_PROPERTIES_STEPS", STEPS as u64))
        .expect("a count of steps");
    println!("seed {seed} (CREDIT_PROPERTIES_SEED={seed} replays this run)");
    let _replay = Replay(seed);
    // The checks poll the API while webhooks are applied, many invoices at once: far more than
    // one person's requests a minute.
    let mut rate_limit = Stack::default_rate_limits();
    rate_limit.user_requests = 1_000_000;
    let app = TestApp::spawn_with(Stack {
        rate_limit,
        ..Stack::default()
    })
    .await;
    let user = app.user().await;
    let rates = tax_rates(&app, &user).await;

    let runs = futures::stream::iter(0..invoices)
        .map(|index| {
            // A stream per invoice, the same however the invoices interleave.
            let rng =
                StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index as u64);
            let (app, user, rates) = (&app, &user, &rates);
            async move {
                let mut case = Case::sent(app, user, rates, index, rng).await;
                for step in 1..=steps {
                    case.step(step).await;
                }
                case.expected
            }
        })
        .buffer_unordered(CONCURRENCY);
    let outcomes: Vec<Expected> = runs.collect().await;

    // Across the account: the credit notes' own series has no gap, and the customer's credit
    // balance is what the invoices moved to it.
    let numbers: Vec<String> = sqlx::query_scalar(
        "SELECT number_text FROM credit_notes WHERE user_id = $1 ORDER BY number",
    )
    .bind(user.id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let gapless: Vec<String> = (1..=numbers.len()).map(|n| format!("CN-{n:06}")).collect();
    assert_eq!(numbers, gapless, "credit notes are numbered without gaps");
    let balance = customer_balance(&app, &user).await;
    let (moved, applied): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(c.amount) FILTER (WHERE c.applied_payment_id IS NULL
                    AND (n.excess_to IS NULL OR n.excess_to = 'credit_balance')), 0)::int8,
                COALESCE(-SUM(c.amount) FILTER (WHERE c.applied_payment_id IS NOT NULL), 0)::int8
         FROM customer_credits c LEFT JOIN credit_notes n ON n.id = c.credit_note_id
         WHERE c.user_id = $1",
    )
    .bind(user.id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        moved,
        outcomes
            .iter()
            .map(|expected| expected.to_balance)
            .sum::<i64>(),
        "the customer's credit balance holds what the credit notes moved to it, less what \
         refunds paid out of it"
    );
    assert_eq!(
        applied,
        outcomes
            .iter()
            .map(|expected| expected.applied)
            .sum::<i64>(),
        "the credit applied to invoices is what their payments from it say"
    );
    assert_aging_is_amount_due(&app, &user).await;
    println!(
        "{} invoices, {} credit notes, {applied} of credit applied, {balance} on the customer's \
         credit balance",
        outcomes.len(),
        numbers.len()
    );
}

/// The receivables aging as of today lists each invoice with something due for exactly its
/// amount due, and no other: the aging computes what was open from the payments, refunds,
/// credit notes and credit-balance movements, the invoice row keeps `amount_due`, and after any
/// sequence of them the two agree.
async fn assert_aging_is_amount_due(app: &TestApp, user: &TestUser) {
    let due: BTreeSet<(Uuid, i64)> =
        sqlx::query_as("SELECT id, amount_due FROM invoices WHERE user_id = $1 AND amount_due > 0")
            .bind(user.id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
            .into_iter()
            .collect();
    let path = format!("/api/reports/aging/invoices?as_of={}", today());
    let aged: BTreeSet<(Uuid, i64)> = app
        .all_pages(user, &path, 100)
        .await
        .iter()
        .map(|invoice| {
            let id: Uuid = invoice["id"].as_str().unwrap().parse().unwrap();
            (id, amount(invoice, "open_amount"))
        })
        .collect();
    assert_eq!(
        aged, due,
        "the aging as of today lists every invoice with an amount due, for that amount"
    );
}

/// The customer's credit balance summed from its rows, never below zero. Called while the other
/// invoices fill and spend it: one read, so a consistent one.
async fn balance_never_negative(app: &TestApp, user: &TestUser) -> (Uuid, i64) {
    let (customer_id, balance): (Uuid, i64) = sqlx::query_as(
        "SELECT customer_id, SUM(amount)::int8 FROM customer_credits WHERE user_id = $1
         GROUP BY customer_id",
    )
    .bind(user.id)
    .fetch_optional(&app.db.pool)
    .await
    .unwrap()
    .unwrap_or((Uuid::nil(), 0));
    assert!(balance >= 0, "the customer's credit balance is {balance}");
    (customer_id, balance)
}

/// The customer's credit balance, never below zero and what the statement shows. Only once
/// every invoice is done: the rows and the statement are two reads, which another invoice
/// taking credit in between would set apart.
async fn customer_balance(app: &TestApp, user: &TestUser) -> i64 {
    let (customer_id, balance) = balance_never_negative(app, user).await;
    if !customer_id.is_nil() {
        let statement = app
            .get(
                &format!("/api/customers/{customer_id}/statement"),
                &user.token,
            )
            .await
            .expect(StatusCode::OK)
            .body;
        let shown: i64 = statement["currencies"]
            .as_array()
            .expect("currencies")
            .iter()
            .map(|currency| amount(currency, "credit_balance"))
            .sum();
        assert_eq!(shown, balance, "the statement shows the credit balance");
    }
    balance
}

/// The account's tax rates the invoices draw from (an invoice without them is untaxed, `O`).
async fn tax_rates(app: &TestApp, user: &TestUser) -> Vec<String> {
    let bodies = [
        json!({ "name": "VAT 19 %", "percent": "19", "category": "S" }),
        json!({ "name": "VAT 7 %", "percent": "7", "category": "S" }),
        json!({ "name": "Zero rate", "percent": "0", "category": "Z" }),
        json!({
            "name": "Exempt",
            "percent": "0",
            "category": "E",
            "exemption_reason": "Exempt under Article 135(1) of the VAT Directive"
        }),
    ];
    let mut ids = Vec::new();
    for body in bodies {
        let created = app
            .post("/api/tax-rates", &user.token, &body)
            .await
            .expect(StatusCode::CREATED)
            .body;
        ids.push(id(&created));
    }
    ids
}

/// A quantity in halves as the API takes it: 5 → "2.5".
fn quantity(halves: i64) -> String {
    if halves % 2 == 0 {
        (halves / 2).to_string()
    } else {
        format!("{}.5", halves / 2)
    }
}

/// A quantity the API shows ("2.5", "3") in halves.
fn halves(text: &str) -> i64 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let whole: i64 = whole.parse().expect("a decimal quantity");
    match fraction {
        "0" => 2 * whole,
        "5" => 2 * whole + 1,
        _ => panic!("{text} is not in halves"),
    }
}

fn amount(value: &Value, field: &str) -> i64 {
    value[field]
        .as_i64()
        .unwrap_or_else(|| panic!("{field} is an amount: {value:#}"))
}

/// What the steps alone say the invoice's amounts are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Expected {
    total: i64,
    /// Paid, less what was refunded.
    paid: i64,
    credited: i64,
    /// What went to the customer's credit balance from this invoice's credit notes, less
    /// what refunds of its payments paid out of it.
    to_balance: i64,
    /// What the customer's credit balance paid of this invoice.
    applied: i64,
}

impl Expected {
    fn due(self) -> i64 {
        self.total - self.paid - self.credited + self.to_balance
    }

    /// Settled and fully credited, settled, or open (a fully credited invoice owes again when
    /// a refund pays out credit that was spent).
    fn status(self) -> &'static str {
        match (self.due(), self.credited == self.total) {
            (0, true) => "credited",
            (0, false) => "paid",
            _ => "sent",
        }
    }

    /// Takes payments (paid and credited invoices take none).
    fn payable(self) -> bool {
        self.status() == "sent"
    }
}

/// A payment row, with what credit notes gave back on it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
struct PaymentRow {
    id: Uuid,
    transaction_id: Option<String>,
    amount: i64,
    amount_refunded: i64,
    by_notes: i64,
}

/// A credit note row, with where its excess went.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
struct NoteRow {
    number_text: String,
    gross_total: i64,
    excess: i64,
    excess_to: Option<String>,
    refunded: i64,
    to_balance: i64,
    /// What it gave back on payments made from the credit balance (back into the balance).
    refunded_to_credit: i64,
}

/// The invoice as PostgreSQL holds it: its row and the rows its amounts come from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Books {
    status: String,
    total: i64,
    amount_paid: i64,
    amount_credited: i64,
    amount_to_balance: i64,
    amount_due: i64,
    payments: Vec<PaymentRow>,
    notes: Vec<NoteRow>,
    /// What the invoice's money on the customer's credit balance adds up to: what its notes
    /// moved there as excess, less what refunds took back out of it (not what the balance paid
    /// of it, nor what notes gave back there on such payments).
    on_balance: i64,
    /// What the customer's credit balance paid of it.
    applied: i64,
}

impl Books {
    /// One snapshot: the invoice row and the rows its amounts come from are read in one
    /// repeatable-read transaction, so a write committed between two of the reads (a refund
    /// updates the payment and the invoice at once) is seen whole or not at all.
    async fn read(app: &TestApp, invoice_id: Uuid) -> Self {
        let mut tx = app.db.pool.begin().await.unwrap();
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .unwrap();
        let (status, total, amount_paid, amount_credited, amount_to_balance, amount_due) =
            sqlx::query_as::<_, (String, i64, i64, i64, i64, i64)>(
                "SELECT status, total, amount_paid, amount_credited, amount_to_balance, amount_due
                 FROM invoices WHERE id = $1",
            )
            .bind(invoice_id)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let payments = sqlx::query_as::<_, PaymentRow>(
            "SELECT p.id, p.transaction_id, p.amount, p.amount_refunded,
                    COALESCE((SELECT SUM(r.amount) FROM credit_note_refunds r
                              WHERE r.payment_id = p.id), 0)::int8 AS by_notes
             FROM payments p WHERE p.invoice_id = $1 ORDER BY p.recorded_at, p.id",
        )
        .bind(invoice_id)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        let notes = sqlx::query_as::<_, NoteRow>(
            "SELECT n.number_text, n.gross_total, n.excess, n.excess_to,
                    COALESCE((SELECT SUM(r.amount) FROM credit_note_refunds r
                              WHERE r.credit_note_id = n.id), 0)::int8 AS refunded,
                    COALESCE((SELECT SUM(c.amount) FROM customer_credits c
                              WHERE c.credit_note_id = n.id), 0)::int8 AS to_balance,
                    COALESCE((SELECT SUM(r.amount) FROM credit_note_refunds r
                              JOIN payments p ON p.id = r.payment_id
                              WHERE r.credit_note_id = n.id AND p.method = 'credit_balance'),
                             0)::int8 AS refunded_to_credit
             FROM credit_notes n WHERE n.invoice_id = $1 ORDER BY n.number",
        )
        .bind(invoice_id)
        .fetch_all(&mut *tx)
        .await
        .unwrap();
        let (on_balance, applied): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(c.amount) FILTER (WHERE c.applied_payment_id IS NULL
                        AND (n.excess_to IS NULL OR n.excess_to = 'credit_balance')), 0)::int8,
                    COALESCE(-SUM(c.amount) FILTER (WHERE c.applied_payment_id IS NOT NULL),
                             0)::int8
             FROM customer_credits c LEFT JOIN credit_notes n ON n.id = c.credit_note_id
             WHERE c.invoice_id = $1",
        )
        .bind(invoice_id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        Self {
            status,
            total,
            amount_paid,
            amount_credited,
            amount_to_balance,
            amount_due,
            payments,
            notes,
            on_balance,
            applied,
        }
    }

    /// Everything that does not add up, against the API's invoice, the workflow's view and
    /// what the steps expect. Empty when the books are right.
    fn problems(&self, api: &Value, view: &InvoiceView, expected: Expected) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |ok: bool, problem: String| {
            if !ok {
                problems.push(problem);
            }
        };
        let paid_in: i64 = self.payments.iter().map(|p| p.amount).sum();
        let refunded: i64 = self.payments.iter().map(|p| p.amount_refunded).sum();
        let credited: i64 = self.notes.iter().map(|n| n.gross_total).sum();
        let to_balance = self.on_balance;
        let due = self.total - paid_in + refunded - credited + to_balance;
        check(
            self.amount_due == due,
            format!(
                "amount_due {} ≠ total {} − payments {paid_in} + refunds {refunded} − credit \
                 notes {credited} + credit balance {to_balance} = {due}",
                self.amount_due, self.total
            ),
        );
        check(
            self.amount_due >= 0,
            format!("amount_due {} is negative", self.amount_due),
        );
        check(
            self.amount_paid == paid_in - refunded,
            format!(
                "amount_paid {} ≠ payments {paid_in} − refunds {refunded}",
                self.amount_paid
            ),
        );
        check(
            self.amount_credited == credited,
            format!(
                "amount_credited {} ≠ the credit notes' gross totals {credited}",
                self.amount_credited
            ),
        );
        check(
            self.amount_to_balance == to_balance,
            format!(
                "amount_to_balance {} ≠ the invoice's customer credits {to_balance}",
                self.amount_to_balance
            ),
        );
        check(
            0 <= self.amount_to_balance && self.amount_to_balance <= self.amount_credited,
            format!(
                "amount_to_balance {} outside 0 ..= amount_credited {}",
                self.amount_to_balance, self.amount_credited
            ),
        );
        check(
            credited <= self.total,
            format!("credited {credited} > total {}", self.total),
        );
        for p in &self.payments {
            check(
                0 <= p.by_notes && p.by_notes <= p.amount_refunded && p.amount_refunded <= p.amount,
                format!("payment {p:?}: refunds out of bounds"),
            );
        }
        for n in &self.notes {
            let (refund, balance) = match n.excess_to.as_deref() {
                None => (0, 0),
                Some("refund") => (n.excess, n.refunded_to_credit),
                Some("credit_balance") => (0, n.excess),
                // Nowhere the product knows: never matches.
                Some(_) => (-1, -1),
            };
            check(
                0 <= n.excess
                    && n.excess <= n.gross_total
                    && (n.excess == 0) == n.excess_to.is_none()
                    && n.refunded == refund
                    && n.to_balance == balance,
                format!("credit note {n:?}: its excess is not where it says"),
            );
        }
        let fully_credited = self.amount_credited == self.total;
        let status = match (self.amount_due, fully_credited) {
            (0, true) => "credited",
            (0, false) => "paid",
            _ => "sent",
        };
        check(
            self.status == status,
            format!(
                "status {} with {} due and {} of {} credited",
                self.status, self.amount_due, self.amount_credited, self.total
            ),
        );
        check(
            ["sent", "paid", "credited"].contains(&self.status.as_str()),
            format!("status {}", self.status),
        );
        // The API shows what is stored.
        let shown = (
            api["status"].as_str().unwrap_or_default(),
            api["total"].as_i64(),
            api["amount_paid"].as_i64(),
            api["amount_credited"].as_i64(),
            api["amount_due"].as_i64(),
        );
        let stored = (
            self.status.as_str(),
            Some(self.total),
            Some(self.amount_paid),
            Some(self.amount_credited),
            Some(self.amount_due),
        );
        check(
            shown == stored,
            format!("the API shows {shown:?}, PostgreSQL holds {stored:?}"),
        );
        // The workflow's state is PostgreSQL's.
        let state = (
            view.status.as_str(),
            Some(view.total),
            Some(view.amount_paid),
            Some(view.amount_credited),
            Some(view.amount_due),
        );
        check(
            state == stored,
            format!("the workflow holds {state:?}, PostgreSQL {stored:?}"),
        );
        // And both are what the steps made of it.
        let steps = (
            expected.status(),
            Some(expected.total),
            Some(expected.paid),
            Some(expected.credited),
            Some(expected.due()),
        );
        check(
            steps == stored
                && expected.to_balance == self.amount_to_balance
                && expected.applied == self.applied,
            format!(
                "the steps make {steps:?} with {} on the credit balance and {} paid from it, \
                 PostgreSQL holds {stored:?} with {} and {}",
                expected.to_balance, expected.applied, self.amount_to_balance, self.applied
            ),
        );
        problems
    }
}

/// One of the invoice's VAT categories and rates, as its breakdown shows it.
#[derive(Clone, Debug)]
struct Category {
    category: String,
    percent: String,
    /// What the category comes to in the invoice's price basis (the most an amount credit of
    /// it can be).
    most: i64,
}

/// How a step that the product may refuse must come out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Accepted,
    Conflict,
    Invalid,
    /// Accepted, or refused as invalid: whether earlier credits leave room for it is the
    /// credit arithmetic's to say.
    Either,
}

/// One random invoice and the test's account of it.
struct Case<'a> {
    app: &'a TestApp,
    user: &'a TestUser,
    index: usize,
    rng: StdRng,
    invoice_id: String,
    /// What is left to credit of each line, in halves.
    lines_left: Vec<i64>,
    categories: Vec<Category>,
    /// The categories some credit note has credited part of (`category percent`).
    touched: BTreeSet<String>,
    /// Some credit note credited amounts by category.
    by_amount: bool,
    expected: Expected,
    /// The PaymentIntents recorded as payments of the invoice.
    intents: Vec<String>,
}

impl<'a> Case<'a> {
    fn log(&self, line: impl AsRef<str>) {
        println!("[invoice {:>2}] {}", self.index, line.as_ref());
    }

    fn uuid(&self) -> Uuid {
        self.invoice_id.parse().expect("an invoice id")
    }

    /// A random invoice, sent: a few lines of different quantities, prices and tax rates,
    /// sometimes an allowance or a charge, sometimes prices inclusive of tax.
    async fn sent(
        app: &'a TestApp,
        user: &'a TestUser,
        rates: &[String],
        index: usize,
        mut rng: StdRng,
    ) -> Self {
        let taxed = rng.gen_bool(0.8);
        let inclusive = rng.gen_bool(0.3);
        let count = rng.gen_range(1..=4);
        let mut items = Vec::new();
        let mut lines = Vec::new();
        for line in 0..count {
            let halves = rng.gen_range(1..=10);
            let unit = rng.gen_range(100..=40_000);
            let rate = taxed.then(|| rates.choose(&mut rng).expect("rates").clone());
            let mut item = json!({
                "description": format!("Line {line}"),
                "quantity": quantity(halves),
                "unit_amount": unit,
            });
            if let Some(rate) = &rate {
                item["tax_rate_id"] = json!(rate);
            }
            items.push(item);
            lines.push((halves, unit, rate));
        }
        let mut adjustments = Vec::new();
        if rng.gen_bool(0.35) {
            // At most a fifth of one line, in that line's rate: an allowance never exceeds
            // its category.
            let (halves, unit, rate) = lines.choose(&mut rng).expect("lines").clone();
            let most = (halves * unit / 2 / 5).max(1);
            let kind = if rng.gen_bool(0.5) {
                "allowance"
            } else {
                "charge"
            };
            let mut adjustment = json!({
                "kind": kind,
                "reason": if kind == "allowance" { "Loyalty discount" } else { "Shipping" },
                "amount": rng.gen_range(1..=most),
            });
            if let Some(rate) = rate {
                adjustment["tax_rate_id"] = json!(rate);
            }
            adjustments.push(adjustment);
        }
        let draft = json!({
            "client_name": "Acme Ltd",
            "client_email": "ap@acme.example",
            "currency": "EUR",
            "due_date": (today() + chrono::Days::new(30)).to_string(),
            "price_basis": if inclusive { "inclusive" } else { "exclusive" },
            "items": items,
            "adjustments": adjustments,
        });
        let sent = app.sent_invoice(user, &draft).await;
        let categories = sent["tax_breakdown"]
            .as_array()
            .expect("a tax breakdown")
            .iter()
            .map(|row| Category {
                category: row["category"].as_str().expect("a category").to_owned(),
                percent: row["percent"].as_str().expect("a percent").to_owned(),
                most: amount(row, "base") + if inclusive { amount(row, "tax") } else { 0 },
            })
            .collect();
        let case = Self {
            app,
            user,
            index,
            rng,
            invoice_id: id(&sent),
            lines_left: lines.iter().map(|(halves, _, _)| *halves).collect(),
            categories,
            touched: BTreeSet::new(),
            by_amount: false,
            expected: Expected {
                total: amount(&sent, "total"),
                ..Expected::default()
            },
            intents: Vec::new(),
        };
        case.log(format!(
            "{} sent: {}, {} prices, total {}, draft {draft}",
            case.invoice_id,
            sent["number"],
            if inclusive { "gross" } else { "net" },
            case.expected.total
        ));
        case.verify("sent").await;
        case
    }

    async fn step(&mut self, step: usize) {
        let refundable = self.refundable();
        // A credited invoice takes nothing more but refusals; what can still happen to it is
        // Stripe refunding what its payments hold.
        if self.expected.status() == "credited" && !refundable.is_empty() && self.rng.gen_bool(0.5)
        {
            return self.stripe_refund(step, refundable).await;
        }
        match self.rng.gen_range(0..100) {
            0..18 => self.offline_payment(step).await,
            18..25 => self.apply_credit(step).await,
            25..45 => self.stripe_payment(step).await,
            45..60 if !refundable.is_empty() => self.stripe_refund(step, refundable).await,
            45..60 => self.offline_payment(step).await,
            60..80 => self.credit_lines(step).await,
            80..92 => self.credit_amounts(step).await,
            _ => self.credit_remaining(step).await,
        }
    }

    async fn observe(&self) -> (Books, Value, InvoiceView) {
        let books = Books::read(self.app, self.uuid()).await;
        let api = self.app.invoice(self.user, &self.invoice_id).await;
        let view = self.app.workflow_view(&self.invoice_id).await;
        (books, api, view)
    }

    /// What Stripe's charges say was refunded that the books do not (a credit note's refund
    /// at Stripe is made after the note is stored).
    fn stripe_problems(&self, books: &Books) -> Vec<String> {
        books
            .payments
            .iter()
            .filter_map(|payment| {
                let intent = payment.transaction_id.as_deref()?;
                let charge = self.app.stripe.charge(intent);
                let at_stripe = amount(&charge, "amount_refunded");
                (at_stripe != payment.amount_refunded).then(|| {
                    format!(
                        "Stripe refunded {at_stripe} of {intent}, the books {}",
                        payment.amount_refunded
                    )
                })
            })
            .collect()
    }

    /// The books add up now (after a command the API answered: it answers once the change is
    /// stored), and Stripe catches up with them.
    async fn verify(&self, what: &str) -> Books {
        let (books, api, view) = self.observe().await;
        let problems = books.problems(&api, &view, self.expected);
        assert!(
            problems.is_empty(),
            "invoice {} {} after {what}: {problems:#?}\n{books:#?}",
            self.index,
            self.invoice_id
        );
        self.stripe_settled(what).await;
        books
    }

    async fn stripe_settled(&self, what: &str) {
        let last = std::cell::RefCell::new(Vec::new());
        eventually(
            &format!(
                "Stripe to hold the refunds of invoice {} after {what}",
                self.index
            ),
            SETTLE,
            || async {
                let books = Books::read(self.app, self.uuid()).await;
                let problems = self.stripe_problems(&books);
                if problems.is_empty() {
                    return Some(());
                }
                if *last.borrow() != problems {
                    self.log(format!("  waiting for Stripe: {problems:?}"));
                    last.replace(problems);
                }
                None
            },
        )
        .await;
    }

    /// Waits until an asynchronous step shows (`done`) and the books add up, then checks them.
    async fn settle(&self, what: &str, done: impl Fn(&Books) -> bool) -> Books {
        let last = std::cell::RefCell::new(Vec::new());
        eventually(
            &format!("invoice {} to add up after {what}", self.index),
            SETTLE,
            || async {
                let (books, api, view) = self.observe().await;
                let mut problems = books.problems(&api, &view, self.expected);
                if !done(&books) {
                    problems.push("the step has not shown yet".to_owned());
                }
                problems.extend(self.stripe_problems(&books));
                if problems.is_empty() {
                    return Some(());
                }
                if *last.borrow() != problems {
                    self.log(format!("  waiting: {problems:?}"));
                    last.replace(problems);
                }
                None
            },
        )
        .await;
        self.verify(what).await
    }

    /// A refused command: a 4xx problem of the right status, and nothing changed.
    async fn refused(&self, what: &str, response: Response, status: StatusCode, before: &Books) {
        let problem = response.problem(status);
        self.log(format!("  refused {status}: {}", problem["detail"]));
        let after = self.verify(what).await;
        assert_eq!(
            &after, before,
            "invoice {}: a refused {what} changed the books",
            self.index
        );
    }

    /// Stripe payments with something left to refund at Stripe, and how much.
    fn refundable(&self) -> Vec<(String, i64)> {
        self.intents
            .iter()
            .filter_map(|intent| {
                let charge = self.app.stripe.charge(intent);
                let left = amount(&charge, "amount") - amount(&charge, "amount_refunded");
                (left > 0).then(|| (intent.clone(), left))
            })
            .collect()
    }

    async fn offline_payment(&mut self, step: usize) {
        let due = self.expected.due();
        let method = *METHODS.choose(&mut self.rng).expect("methods");
        let (paid, outcome) = if !self.expected.payable() {
            (self.rng.gen_range(1..=10_000), Outcome::Conflict)
        } else if self.rng.gen_bool(0.15) {
            (due + self.rng.gen_range(1..=5_000), Outcome::Invalid)
        } else if self.rng.gen_bool(0.3) {
            (due, Outcome::Accepted)
        } else {
            (self.rng.gen_range(1..=due), Outcome::Accepted)
        };
        let what = format!("step {step}: {paid} paid by {method} ({due} due)");
        self.log(&what);
        let before = Books::read(self.app, self.uuid()).await;
        let response = self
            .app
            .pay(
                self.user,
                &self.invoice_id,
                json!({ "amount": paid, "method": method }),
            )
            .await;
        match outcome {
            Outcome::Accepted => {
                let body = response.expect(StatusCode::CREATED).body;
                assert_eq!(body["payment"]["amount"], paid, "{body:#}");
                self.expected.paid += paid;
                self.verify(&what).await;
            }
            Outcome::Conflict => {
                self.refused(&what, response, StatusCode::CONFLICT, &before)
                    .await;
            }
            Outcome::Invalid | Outcome::Either => {
                self.refused(&what, response, StatusCode::UNPROCESSABLE_ENTITY, &before)
                    .await;
            }
        }
    }

    /// A payment Stripe reports (a PaymentIntent paid outside any pay link): applied when it
    /// fits the amount due, else flagged for inspection and applied to nothing.
    async fn stripe_payment(&mut self, step: usize) {
        let due = self.expected.due();
        let (paid, applied) = if !self.expected.payable() {
            (self.rng.gen_range(1..=10_000), false)
        } else if self.rng.gen_bool(0.1) {
            (due + self.rng.gen_range(1..=5_000), false)
        } else if self.rng.gen_bool(0.3) {
            (due, true)
        } else {
            (self.rng.gen_range(1..=due), true)
        };
        let intent = self.app.stripe.direct_payment(self.uuid(), paid, "eur");
        let intent_id = intent["id"].as_str().expect("an intent id").to_owned();
        let what = format!("step {step}: Stripe reports {paid} paid by {intent_id} ({due} due)");
        self.log(&what);
        let before = Books::read(self.app, self.uuid()).await;
        let event = self.app.stripe.event("payment_intent.succeeded", &intent);
        self.app.deliver(&event).await.expect(StatusCode::OK);
        if applied {
            self.expected.paid += paid;
            self.intents.push(intent_id.clone());
            self.settle(&what, |books| {
                books
                    .payments
                    .iter()
                    .any(|p| p.transaction_id.as_deref() == Some(intent_id.as_str()))
            })
            .await;
            return;
        }
        // Flagged: as an overpayment of a paid invoice, a payment for a credited one, or more
        // than is due.
        let kind = eventually(
            &format!("the payment of invoice {} to be flagged", self.index),
            SETTLE,
            || async {
                sqlx::query_scalar::<_, String>(
                    "SELECT kind FROM payment_discrepancies WHERE transaction_id = $1",
                )
                .bind(&intent_id)
                .fetch_optional(&self.app.db.pool)
                .await
                .unwrap()
            },
        )
        .await;
        let expected_kind = match self.expected.status() {
            "credited" => "not_payable",
            _ => "overpayment",
        };
        assert_eq!(kind, expected_kind, "invoice {}: {what}", self.index);
        self.log(format!("  flagged: {kind}"));
        let after = self.verify(&what).await;
        assert_eq!(
            after, before,
            "invoice {}: a flagged payment changed the books",
            self.index
        );
    }

    /// Part (or the rest) of a Stripe payment refunded at Stripe, and Stripe's report of it.
    async fn stripe_refund(&mut self, step: usize, refundable: Vec<(String, i64)>) {
        let (intent_id, left) = refundable.choose(&mut self.rng).expect("a payment").clone();
        let refund = if self.rng.gen_bool(0.3) {
            left
        } else {
            self.rng.gen_range(1..=left)
        };
        let what = format!("step {step}: Stripe refunds {refund} of {intent_id} ({left} left)");
        self.log(&what);
        let charge = self.app.stripe.refund(&intent_id, refund);
        let event = self.app.stripe.event("charge.refunded", &charge);
        self.app.deliver(&event).await.expect(StatusCode::OK);
        // The money left the invoice's payments: the amount paid falls by it (Stripe has done
        // it; the books cannot refuse it). What the customer's credit balance held of this
        // invoice's money goes back first out of the balance; the rest is due again (on a
        // credited invoice there is no rest: its payments all went to the balance).
        // (How much the balance still holds is up to the other invoices, which spend it too:
        // the books say what it paid, and it is at most what it held of this invoice's money.)
        let wanted = refund.min(self.expected.to_balance);
        let total = amount(&charge, "amount_refunded");
        let books = eventually(
            &format!("invoice {} to take the refund", self.index),
            SETTLE,
            || async {
                let books = Books::read(self.app, self.uuid()).await;
                books
                    .payments
                    .iter()
                    .any(|p| {
                        p.transaction_id.as_deref() == Some(intent_id.as_str())
                            && p.amount_refunded == total
                    })
                    .then_some(books)
            },
        )
        .await;
        let from_balance = self.expected.to_balance - books.amount_to_balance;
        assert!(
            (0..=wanted).contains(&from_balance),
            "invoice {}: the balance paid {from_balance} of a refund of {refund}, with {wanted} \
             of the invoice's money in it",
            self.index
        );
        self.log(format!("  {from_balance} of it out of the credit balance"));
        self.expected.to_balance -= from_balance;
        self.expected.paid -= refund;
        self.settle(&what, |_| true).await;
        balance_never_negative(self.app, self.user).await;
    }

    /// Part or all of the amount due paid from the customer's credit balance, which the other
    /// invoices fill and spend at the same time: taken whole when the balance holds it, else
    /// refused (409) and nothing changes.
    async fn apply_credit(&mut self, step: usize) {
        let due = self.expected.due();
        let (paid, payable) = if self.expected.payable() {
            (self.rng.gen_range(1..=due), true)
        } else {
            (self.rng.gen_range(1..=10_000), false)
        };
        let what = format!("step {step}: {paid} paid from the credit balance ({due} due)");
        self.log(&what);
        let before = Books::read(self.app, self.uuid()).await;
        let mut attempts = 0;
        let response = loop {
            let response = self
                .app
                .pay(
                    self.user,
                    &self.invoice_id,
                    json!({ "amount": paid, "method": "credit_balance" }),
                )
                .await;
            // A Stripe report still being applied to the invoice: asked again in a moment, as
            // the refusal says.
            attempts += 1;
            if response.body["type"] != "/problems/busy" || attempts == 50 {
                break response;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        if !payable {
            return self
                .refused(&what, response, StatusCode::CONFLICT, &before)
                .await;
        }
        if response.status == StatusCode::CONFLICT {
            let problem = &response.body;
            assert_eq!(
                problem["type"], "/problems/insufficient-credit",
                "{what}: {problem:#}"
            );
            self.refused(&what, response, StatusCode::CONFLICT, &before)
                .await;
        } else {
            let body = response.expect(StatusCode::CREATED).body;
            assert_eq!(body["payment"]["method"], "credit_balance", "{body:#}");
            self.expected.paid += paid;
            self.expected.applied += paid;
            self.verify(&what).await;
        }
        balance_never_negative(self.app, self.user).await;
    }

    /// Where the note's excess goes: the customer's credit balance (also when not said), or
    /// back on the payments.
    fn excess_to(&mut self) -> Option<&'static str> {
        match self.rng.gen_range(0..5) {
            0 => None,
            1 | 2 => Some("credit_balance"),
            _ => Some("refund"),
        }
    }

    async fn credit_lines(&mut self, step: usize) {
        let count = self.rng.gen_range(1..=self.lines_left.len().min(2));
        let mut chosen: Vec<usize> = (0..self.lines_left.len()).collect();
        chosen.shuffle(&mut self.rng);
        chosen.truncate(count);
        let mut over = false;
        let mut lines = Vec::new();
        for line in chosen {
            let left = self.lines_left[line];
            let halves = if left == 0 || self.rng.gen_bool(0.1) {
                over = true;
                left + self.rng.gen_range(1..=2)
            } else {
                self.rng.gen_range(1..=left)
            };
            lines.push(json!({ "line": line, "quantity": quantity(halves) }));
        }
        let outcome = if self.expected.status() == "credited" {
            Outcome::Conflict
        } else if over {
            Outcome::Invalid
        } else if self.by_amount {
            Outcome::Either
        } else {
            Outcome::Accepted
        };
        let scope = json!({ "kind": "lines", "lines": lines });
        self.credit(step, scope, outcome).await;
    }

    async fn credit_amounts(&mut self, step: usize) {
        let category = self
            .categories
            .choose(&mut self.rng)
            .expect("a category")
            .clone();
        let key = format!("{} {}", category.category, category.percent);
        let (credit, outcome) = if self.rng.gen_bool(0.15) {
            (2 * category.most + 1, Outcome::Invalid)
        } else if !self.touched.contains(&key) {
            (
                self.rng.gen_range(1..=(category.most * 9 / 10).max(1)),
                Outcome::Accepted,
            )
        } else {
            (
                self.rng.gen_range(1..=(category.most / 2).max(1)),
                Outcome::Either,
            )
        };
        let outcome = if self.expected.status() == "credited" {
            Outcome::Conflict
        } else {
            outcome
        };
        let scope = json!({
            "kind": "amounts",
            "amounts": [{
                "category": category.category,
                "percent": category.percent,
                "amount": credit,
            }],
        });
        self.credit(step, scope, outcome).await;
    }

    async fn credit_remaining(&mut self, step: usize) {
        let outcome = if self.expected.status() == "credited" {
            Outcome::Conflict
        } else {
            Outcome::Accepted
        };
        self.credit(step, json!({ "kind": "remaining" }), outcome)
            .await;
    }

    async fn credit(&mut self, step: usize, scope: Value, outcome: Outcome) {
        let excess_to = self.excess_to();
        let mut body = json!({ "reason": format!("Property step {step}."), "scope": scope });
        if let Some(excess_to) = excess_to {
            body["excess_to"] = json!(excess_to);
        }
        let due = self.expected.due();
        let what = format!(
            "step {step}: credit note {scope}, excess to {} ({due} due, {} credited, {:?} \
             left of the lines), expecting {outcome:?}",
            excess_to.unwrap_or("(default)"),
            self.expected.credited,
            self.lines_left,
        );
        self.log(&what);
        let before = Books::read(self.app, self.uuid()).await;
        let response = self
            .app
            .post(
                &format!("/api/invoices/{}/credit-notes", self.invoice_id),
                &self.user.token,
                &body,
            )
            .await;
        let issued = match (outcome, response.status) {
            (Outcome::Accepted | Outcome::Either, StatusCode::CREATED) => response.body,
            (Outcome::Conflict, _) => {
                return self
                    .refused(&what, response, StatusCode::CONFLICT, &before)
                    .await;
            }
            (Outcome::Invalid | Outcome::Either, _) => {
                return self
                    .refused(&what, response, StatusCode::UNPROCESSABLE_ENTITY, &before)
                    .await;
            }
            // Refused (or failed): this fails with the answer.
            (Outcome::Accepted, _) => response.expect(StatusCode::CREATED).body,
        };
        let note = &issued["credit_note"];
        let gross = amount(note, "gross_total");
        let excess = (gross - due).max(0);
        self.log(format!(
            "  issued {}: gross {gross}, excess {} to {}, refunds {}",
            note["number"], note["excess"], note["excess_to"], note["refunds"]
        ));
        assert_eq!(amount(note, "excess"), excess, "{what}: {note:#}");
        let went = (excess > 0).then(|| excess_to.unwrap_or("credit_balance"));
        assert_eq!(note["excess_to"], json!(went), "{what}: {note:#}");
        let refunds = note["refunds"].as_array().expect("refunds");
        let refunded: i64 = refunds.iter().map(|r| amount(r, "amount")).sum();
        assert_eq!(
            refunded,
            if went == Some("refund") { excess } else { 0 },
            "{what}: {note:#}"
        );
        if body["scope"]["kind"] == "remaining" {
            assert_eq!(
                gross,
                self.expected.total - self.expected.credited,
                "{what}: crediting the rest credits exactly what was left"
            );
        }
        self.expected.credited += gross;
        match went {
            Some("refund") => self.expected.paid -= excess,
            Some(_) => self.expected.to_balance += excess,
            None => {}
        }
        // What is left to credit now.
        match body["scope"]["kind"].as_str() {
            Some("remaining") => self.lines_left.iter_mut().for_each(|left| *left = 0),
            Some("amounts") => self.by_amount = true,
            _ => {}
        }
        for line in note["lines"].as_array().expect("lines") {
            if let Some(index) = line["invoice_line"].as_u64() {
                let index = usize::try_from(index).expect("an index");
                if body["scope"]["kind"] != "remaining" {
                    self.lines_left[index] -=
                        halves(line["quantity"].as_str().expect("a quantity"));
                }
            }
        }
        for row in note["breakdown"].as_array().expect("a breakdown") {
            self.touched.insert(format!(
                "{} {}",
                row["category"].as_str().unwrap_or_default(),
                row["percent"].as_str().unwrap_or_default()
            ));
        }
        assert!(
            self.lines_left.iter().all(|left| *left >= 0),
            "{what}: credited more of a line than it has: {:?}",
            self.lines_left
        );
        // Every line credited in full, nothing by amount: all of the invoice, to the minor
        // unit, however it was credited in pieces.
        if !self.by_amount && self.lines_left.iter().all(|left| *left == 0) {
            assert_eq!(
                self.expected.credited, self.expected.total,
                "{what}: the pieces add up to the invoice"
            );
        }
        self.verify(&what).await;
    }
}
