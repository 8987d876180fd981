//! The invariants: what the clients were told, set against what the product recorded. Money
//! is recorded exactly once whatever crashed: no invoice or payment the clients were told about
//! is missing, none is recorded twice or recorded though it was refused, every invoice's
//! `amount_paid` is the sum of its payments (less refunds), every status is what the answers
//! imply, numbers are gapless per account, and every sent invoice has its PDF in S3.

use crate::{
    evidence::{Evidence, InvoiceRow, PaymentRow},
    workload::{InvoiceRun, Plan, Told},
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One invariant and every violation of it found.
#[derive(Debug, Serialize)]
pub struct Check {
    pub name: &'static str,
    /// How many things were checked.
    pub checked: usize,
    pub violations: Vec<String>,
}

impl Check {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            checked: 0,
            violations: Vec::new(),
        }
    }

    pub fn passed(&self) -> bool {
        self.violations.is_empty()
    }
}

/// How an invoice of the workload is named in a message.
pub fn label(run: &InvoiceRun, row: Option<&InvoiceRow>) -> String {
    let number = row
        .and_then(|row| row.number)
        .map(|n| format!(" INV-{n:06}"))
        .unwrap_or_default();
    let id = run.id.map(|id| format!(" {id}")).unwrap_or_default();
    format!("invoice #{}{number}{id} ({:?})", run.index, run.plan)
}

/// What the client was told, in order: `create yes, send 409 /problems/..., ...`.
pub fn answers(run: &InvoiceRun) -> String {
    let mut told: Vec<String> = Vec::new();
    let mut add = |what: &str, answer: Option<&Told>| {
        if let Some(answer) = answer {
            told.push(format!("{what} {}", told_word(answer)));
        }
    };
    add("create", run.created.as_ref());
    add("send", run.sent.as_ref());
    for (n, payment) in run.payments.iter().enumerate() {
        add(&format!("payment {}", n + 1), Some(&payment.told));
    }
    add("Stripe payment", run.stripe.as_ref().map(|s| &s.told));
    add("void", run.void.as_ref());
    told.join(", ")
}

/// The state the answers imply: status and amount paid, when the answers determine them.
fn expected(run: &InvoiceRun) -> Option<(&'static str, i64)> {
    let total = run.total?;
    match run.sent.as_ref()? {
        Told::Yes => {}
        Told::Refused { .. } => return Some(("draft", 0)),
        Told::NoAnswer { .. } => return None,
    }
    match run.plan {
        Plan::TwoPayments => {
            let mut paid = 0;
            for payment in &run.payments {
                match payment.told {
                    Told::Yes => paid += payment.amount,
                    Told::Refused { .. } => {}
                    Told::NoAnswer { .. } => return None,
                }
            }
            Some((if paid == total { "paid" } else { "sent" }, paid))
        }
        Plan::Stripe => match run.stripe.as_ref()?.told {
            Told::Yes => Some(("paid", total)),
            _ => None,
        },
        Plan::Void => match run.void.as_ref()? {
            Told::Yes => Some(("void", 0)),
            Told::Refused { .. } => Some(("sent", 0)),
            Told::NoAnswer { .. } => None,
        },
        Plan::LeaveSent => Some(("sent", 0)),
    }
}

pub fn run(runs: &[InvoiceRun], evidence: &Evidence) -> Vec<Check> {
    let invoices: HashMap<_, _> = evidence.invoices.iter().map(|row| (row.id, row)).collect();
    let mut lost = Check::new("invoices lost");
    let mut status = Check::new("status and amount paid as the answers imply");
    for run in runs {
        let Some(id) = run.id else { continue };
        lost.checked += 1;
        let Some(row) = invoices.get(&id) else {
            lost.violations.push(format!(
                "{}: created (201) but not in the invoices table",
                label(run, None)
            ));
            continue;
        };
        let Some((want, paid)) = expected(run) else {
            continue;
        };
        status.checked += 1;
        if row.status != want || row.amount_paid != paid {
            status.violations.push(format!(
                "{}: the answers ({}) imply {want} with {paid} paid; it is {} with {} paid (total {})",
                label(run, Some(row)),
                answers(run),
                row.status,
                row.amount_paid,
                row.total
            ));
        }
    }
    let mut checks = vec![lost];
    checks.extend(payments(runs, evidence, &invoices));
    checks.push(status);
    checks.push(amounts(evidence));
    checks.push(numbers(evidence));
    checks.push(documents(evidence));
    checks
}

/// Lost, doubled, refused-but-recorded and unexplained payments.
fn payments(
    runs: &[InvoiceRun],
    evidence: &Evidence,
    invoices: &HashMap<uuid::Uuid, &InvoiceRow>,
) -> Vec<Check> {
    let mut by_reference: HashMap<&str, Vec<&PaymentRow>> = HashMap::new();
    let mut by_transaction: HashMap<&str, Vec<&PaymentRow>> = HashMap::new();
    for payment in &evidence.payments {
        if let Some(transaction) = payment.transaction_id.as_deref() {
            by_transaction.entry(transaction).or_default().push(payment);
        } else if let Some(reference) = payment.reference.as_deref() {
            by_reference.entry(reference).or_default().push(payment);
        }
    }
    let mut lost = Check::new("payments lost");
    let mut doubled = Check::new("payments recorded twice");
    let mut refused = Check::new("payments recorded though refused");
    let mut explained: HashSet<uuid::Uuid> = HashSet::new();
    for run in runs {
        let row = run.id.and_then(|id| invoices.get(&id).copied());
        let asked = run
            .payments
            .iter()
            .map(|p| (p.reference.as_str(), p.amount, &p.told, &by_reference))
            .chain(
                run.stripe
                    .iter()
                    .map(|s| (s.intent_id.as_str(), s.amount, &s.told, &by_transaction)),
            );
        for (key, amount, told, rows) in asked {
            let rows = rows.get(key).map(Vec::as_slice).unwrap_or_default();
            explained.extend(rows.iter().map(|row| row.id));
            let what = format!("{}: payment {key} of {amount}", label(run, row));
            lost.checked += 1;
            doubled.checked += 1;
            refused.checked += 1;
            match told {
                Told::Yes if rows.is_empty() => {
                    lost.violations
                        .push(format!("{what}: told recorded, no row"));
                }
                Told::Refused { status, problem } if !rows.is_empty() => {
                    refused.violations.push(format!(
                        "{what}: told {status} {problem}, yet {} row(s)",
                        rows.len()
                    ));
                }
                _ => {}
            }
            if rows.len() > 1 {
                doubled.violations.push(format!(
                    "{what}: {} rows (told: {})",
                    rows.len(),
                    told_word(told)
                ));
            }
        }
    }
    let mut unexplained = Check::new("payments nobody made");
    unexplained.checked = evidence.payments.len();
    for payment in &evidence.payments {
        if !explained.contains(&payment.id) {
            unexplained.violations.push(format!(
                "payment {} of {} on invoice {} (reference {:?}, transaction {:?})",
                payment.id,
                payment.amount,
                payment.invoice_id,
                payment.reference,
                payment.transaction_id
            ));
        }
    }
    vec![lost, doubled, refused, unexplained]
}

fn told_word(told: &Told) -> String {
    match told {
        Told::Yes => "done".to_owned(),
        Told::Refused { status, problem } => format!("{status} {problem}"),
        Told::NoAnswer { .. } => "no answer".to_owned(),
    }
}

/// `amount_paid` is the sum of the invoice's payments less their refunds.
fn amounts(evidence: &Evidence) -> Check {
    let mut check = Check::new("amount_paid = payments - refunds");
    let mut sums: HashMap<uuid::Uuid, i64> = HashMap::new();
    for payment in &evidence.payments {
        *sums.entry(payment.invoice_id).or_default() += payment.amount - payment.amount_refunded;
    }
    for invoice in &evidence.invoices {
        check.checked += 1;
        let sum = sums.get(&invoice.id).copied().unwrap_or(0);
        if sum != invoice.amount_paid {
            check.violations.push(format!(
                "invoice {}: amount_paid {} but its payments come to {sum}",
                invoice.id, invoice.amount_paid
            ));
        }
    }
    check
}

/// Each account's numbers are 1..n, once each, and its counter says n.
fn numbers(evidence: &Evidence) -> Check {
    let mut check = Check::new("invoice numbers gapless per account");
    let mut numbers: BTreeMap<uuid::Uuid, Vec<i64>> = BTreeMap::new();
    for invoice in &evidence.invoices {
        if let Some(number) = invoice.number {
            numbers.entry(invoice.user_id).or_default().push(number);
        }
    }
    for account in &evidence.accounts {
        check.checked += 1;
        let mut have = numbers.remove(&account.id).unwrap_or_default();
        have.sort_unstable();
        let n = have.len() as i64;
        let want: Vec<i64> = (1..=n).collect();
        if have != want || account.last_invoice_number != n {
            check.violations.push(format!(
                "{}: numbers {} (counter at {})",
                account.email,
                ranges(&have),
                account.last_invoice_number
            ));
        }
    }
    check
}

/// `1-4, 6, 6, 9` for a sorted list.
fn ranges(numbers: &[i64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            numbers[i].to_string()
        } else {
            format!("{}-{}", numbers[i], numbers[j])
        });
        i = j + 1;
    }
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Every sent invoice has its PDF, each version's object exists, and a paid or void invoice's
/// latest version is stamped so.
fn documents(evidence: &Evidence) -> Check {
    let mut check = Check::new("a PDF in S3 per sent invoice");
    let mut versions: HashMap<uuid::Uuid, Vec<_>> = HashMap::new();
    for document in &evidence.documents {
        versions
            .entry(document.invoice_id)
            .or_default()
            .push(document);
    }
    for invoice in evidence.invoices.iter().filter(|i| i.number.is_some()) {
        check.checked += 1;
        let mut docs = versions.remove(&invoice.id).unwrap_or_default();
        docs.sort_by_key(|doc| doc.version);
        let Some(latest) = docs.last() else {
            check.violations.push(format!(
                "invoice {} ({}): no PDF",
                invoice.id, invoice.status
            ));
            continue;
        };
        for doc in &docs {
            if !evidence.objects.contains(&doc.storage_key) {
                check.violations.push(format!(
                    "invoice {}: PDF v{} is not in S3 ({})",
                    invoice.id, doc.version, doc.storage_key
                ));
            }
        }
        let stamp = matches!(invoice.status.as_str(), "paid" | "void");
        if stamp && latest.mark.as_deref() != Some(invoice.status.as_str()) {
            check.violations.push(format!(
                "invoice {} is {} but its latest PDF (v{}) is stamped {:?}",
                invoice.id, invoice.status, latest.version, latest.mark
            ));
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        evidence::{AccountRow, PaymentRow},
        workload::PaymentAsked,
    };
    use std::collections::{HashMap, HashSet};
    use uuid::Uuid;

    fn evidence(invoices: Vec<InvoiceRow>, payments: Vec<PaymentRow>) -> Evidence {
        Evidence {
            invoices,
            payments,
            documents: Vec::new(),
            accounts: Vec::new(),
            objects: HashSet::new(),
            emails: HashMap::new(),
            workflows: HashMap::new(),
        }
    }

    fn invoice(id: Uuid, status: &str, number: Option<i64>, amount_paid: i64) -> InvoiceRow {
        InvoiceRow {
            id,
            user_id: Uuid::nil(),
            status: status.to_owned(),
            number,
            client_email: "a@client.example".to_owned(),
            total: 1_000,
            amount_paid,
        }
    }

    fn payment(invoice_id: Uuid, reference: &str, amount: i64) -> PaymentRow {
        PaymentRow {
            id: Uuid::new_v4(),
            invoice_id,
            amount,
            amount_refunded: 0,
            reference: Some(reference.to_owned()),
            transaction_id: None,
        }
    }

    fn asked(reference: &str, amount: i64, told: Told) -> PaymentAsked {
        PaymentAsked {
            reference: reference.to_owned(),
            amount,
            told,
            payment_id: None,
        }
    }

    fn run(id: Uuid, sent: Told, payments: Vec<PaymentAsked>) -> InvoiceRun {
        InvoiceRun {
            index: 0,
            account: 0,
            plan: Plan::TwoPayments,
            client_email: "a@client.example".to_owned(),
            created: Some(Told::Yes),
            id: Some(id),
            total: Some(1_000),
            sent: Some(sent),
            payments,
            stripe: None,
            void: None,
        }
    }

    fn refused(status: u16) -> Told {
        Told::Refused {
            status,
            problem: "/problems/x".to_owned(),
        }
    }

    fn violations<'a>(checks: &'a [Check], name: &str) -> &'a [String] {
        &checks
            .iter()
            .find(|check| check.name == name)
            .expect("the check")
            .violations
    }

    #[test]
    fn a_payment_recorded_twice_is_caught_with_the_status_it_leaves() {
        let id = Uuid::new_v4();
        let runs = [run(
            id,
            Told::Yes,
            vec![asked("p1", 400, Told::Yes), asked("p2", 600, refused(422))],
        )];
        let found = evidence(
            vec![invoice(id, "sent", Some(1), 800)],
            vec![payment(id, "p1", 400), payment(id, "p1", 400)],
        );
        let checks = super::run(&runs, &found);
        assert_eq!(violations(&checks, "payments recorded twice").len(), 1);
        assert_eq!(violations(&checks, "payments lost").len(), 0);
        assert_eq!(
            violations(&checks, "amount_paid = payments - refunds").len(),
            0
        );
        let status = violations(&checks, "status and amount paid as the answers imply");
        assert!(status[0].contains("imply sent with 400 paid"), "{status:?}");
    }

    #[test]
    fn lost_refused_but_recorded_and_unexplained_payments_are_caught() {
        let id = Uuid::new_v4();
        let runs = [run(
            id,
            Told::Yes,
            vec![asked("p1", 400, Told::Yes), asked("p2", 600, refused(409))],
        )];
        let found = evidence(
            vec![invoice(id, "sent", Some(1), 900)],
            vec![payment(id, "p2", 600), payment(id, "stranger", 300)],
        );
        let checks = super::run(&runs, &found);
        assert_eq!(violations(&checks, "payments lost").len(), 1);
        assert_eq!(
            violations(&checks, "payments recorded though refused").len(),
            1
        );
        assert_eq!(violations(&checks, "payments nobody made").len(), 1);
        assert_eq!(violations(&checks, "payments recorded twice").len(), 0);
    }

    #[test]
    fn a_send_refused_means_a_draft_and_an_unanswered_one_means_nothing() {
        let (refused_id, unanswered_id) = (Uuid::new_v4(), Uuid::new_v4());
        let runs = [
            run(refused_id, refused(409), Vec::new()),
            run(
                unanswered_id,
                Told::NoAnswer {
                    reason: "timeout".to_owned(),
                },
                Vec::new(),
            ),
        ];
        let found = evidence(
            vec![
                invoice(refused_id, "sent", Some(1), 0),
                invoice(unanswered_id, "paid", Some(2), 0),
            ],
            Vec::new(),
        );
        let checks = super::run(&runs, &found);
        let status = violations(&checks, "status and amount paid as the answers imply");
        assert_eq!(status.len(), 1, "{status:?}");
        assert!(status[0].contains("imply draft"), "{status:?}");
    }

    #[test]
    fn numbers_must_run_from_one_without_gaps_and_match_the_counter() {
        let account = AccountRow {
            id: Uuid::nil(),
            email: "owner@example.com".to_owned(),
            last_invoice_number: 3,
        };
        let mut found = evidence(
            [1, 2, 4]
                .map(|n| invoice(Uuid::new_v4(), "sent", Some(n), 0))
                .to_vec(),
            Vec::new(),
        );
        found.accounts = vec![account];
        let check = numbers(&found);
        assert_eq!(check.violations.len(), 1);
        assert!(
            check.violations[0].contains("1-2, 4"),
            "{:?}",
            check.violations
        );
        found.invoices[2].number = Some(3);
        assert!(numbers(&found).passed());
    }
}
