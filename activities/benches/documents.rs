//! Rendering throughput (PDFs per second for a 1-item and a 200-item invoice) and rendering's
//! share of sending an invoice: render, store in S3, e-mail with the PDF attached, publish the
//! event, against the local AWS endpoint. Every number is measured in this run; the share is a
//! ratio of two of them, so it means the same on a loaded machine.
//!
//! Also writes sample PDFs (plain, PAID, VOID) for a person to look at.
//!
//! `cargo bench -p invoicing-activities --bench documents` (scripts/test runs it). The AWS
//! endpoint is `TEST_AWS_ENDPOINT`, else `APP_AWS__ENDPOINT_URL`, else http://127.0.0.1:4566;
//! samples go to `SAMPLES_DIR`, else `.artifacts/pdf/`.

use chrono::Utc;
use invoicing_activities::{
    email::{Attachment, Letters, Mailer, Seller},
    events::{EventSettings, Publisher},
    pdf::{self, InvoiceDocument, Mark},
    provision,
    storage::DocumentStore,
};
use invoicing_platform::aws::{self, AwsSettings, DocumentSettings};
use invoicing_store::invoices::InvoiceSummary;
use invoicing_workflows::{
    contracts::{EmailKind, LifecycleEvent, LifecycleEventType},
    domain::{Currency, InvoiceNumber, InvoiceStatus},
};
use std::{
    path::PathBuf,
    time::{Duration, Instant},
};
use uuid::Uuid;

/// Renders `document` for at least `budget`; returns PDFs per second.
fn throughput(document: &InvoiceDocument, budget: Duration) -> (f64, usize) {
    for _ in 0..3 {
        pdf::render(document).expect("the sample renders");
    }
    let started = Instant::now();
    let mut rendered = 0usize;
    while started.elapsed() < budget || rendered < 10 {
        pdf::render(document).expect("the sample renders");
        rendered += 1;
    }
    (rendered as f64 / started.elapsed().as_secs_f64(), rendered)
}

fn samples_dir() -> PathBuf {
    std::env::var_os("SAMPLES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.artifacts/pdf")))
}

fn write_samples() -> anyhow::Result<PathBuf> {
    let dir = samples_dir();
    std::fs::create_dir_all(&dir)?;
    let samples = [
        ("invoice-3-items.pdf", 3, None),
        ("invoice-60-items.pdf", 60, None),
        ("invoice-paid.pdf", 12, Some(Mark::Paid)),
        ("invoice-void.pdf", 5, Some(Mark::Void)),
    ];
    for (name, items, mark) in samples {
        let mut document = pdf::sample_document(items);
        // As the product stamps them: paid in full, or cancelled with nothing owed.
        match mark {
            Some(Mark::Paid) => document.amount_paid = document.total,
            Some(Mark::Void) => document.amount_paid = 0,
            None => {}
        }
        if mark.is_some() {
            document.amount_due = 0;
        }
        document.mark = mark;
        std::fs::write(dir.join(name), pdf::render(&document)?)?;
    }
    // A currency without minor units: amounts print as whole yen.
    let mut yen = pdf::sample_document(4);
    yen.currency = "JPY".to_owned();
    yen.currency_exponent = 0;
    std::fs::write(dir.join("invoice-jpy.pdf"), pdf::render(&yen)?)?;
    Ok(dir)
}

/// The AWS side of sending, set up on the local endpoint.
struct Pipeline {
    store: DocumentStore,
    mailer: Mailer,
    letters: Letters,
    publisher: Publisher,
}

impl Pipeline {
    async fn connect() -> anyhow::Result<Self> {
        let endpoint = std::env::var("TEST_AWS_ENDPOINT")
            .or_else(|_| std::env::var("APP_AWS__ENDPOINT_URL"))
            .unwrap_or_else(|_| AwsSettings::LOCAL_ENDPOINT.to_owned());
        let settings = AwsSettings {
            region: "us-east-1".to_owned(),
            endpoint_url: Some(endpoint),
        };
        let config = aws::sdk_config(&settings, 1).await;
        let s3 = aws::s3_client(&config, &settings);
        let sqs = aws_sdk_sqs::Client::new(&config);
        let ses = aws_sdk_sesv2::Client::new(&config);
        let suffix = &Uuid::new_v4().simple().to_string()[..8];
        let documents = DocumentSettings {
            bucket: format!("invoicing-bench-{suffix}"),
        };
        let events = EventSettings {
            queue_name: format!("invoice-events-bench-{suffix}.fifo"),
            dead_letter_queue_name: format!("invoice-events-bench-dlq-{suffix}.fifo"),
            max_receive_count: 5,
        };
        let sender = "billing@invoicing.local";
        provision::local_resources(&s3, &sqs, &ses, &documents, &events, sender).await?;
        Ok(Self {
            store: DocumentStore::new(s3, documents.bucket),
            mailer: Mailer::new(ses, sender.to_owned()),
            letters: Letters::new()?,
            publisher: Publisher::connect(sqs, &events.queue_name).await?,
        })
    }

    /// One send: each step's duration.
    async fn send(&self, document: &InvoiceDocument) -> anyhow::Result<[Duration; 4]> {
        let invoice = summary(document);
        let started = Instant::now();
        let bytes = pdf::render(document)?;
        let rendered = started.elapsed();

        let started = Instant::now();
        let key = format!("invoices/{}/v1.pdf", invoice.id);
        self.store
            .put_pdf(&key, bytes, &format!("{}.pdf", document.number))
            .await?;
        let stored = started.elapsed();

        let started = Instant::now();
        let mut letter = self.letters.compose(
            &EmailKind::InvoiceSent {
                document_version: 1,
            },
            &invoice,
            Seller {
                name: document.seller_name.as_deref(),
                email: &document.seller_email,
            },
            "Invoicing",
        )?;
        letter.attachment = Some(Attachment {
            filename: format!("{}.pdf", document.number),
            content_type: "application/pdf",
            bytes: self.store.get(&key).await?,
        });
        self.mailer.send(&letter).await?;
        let emailed = started.elapsed();

        let started = Instant::now();
        self.publisher.publish(&event(&invoice)).await?;
        let published = started.elapsed();
        Ok([rendered, stored, emailed, published])
    }
}

/// The stored invoice the sample document shows.
fn summary(document: &InvoiceDocument) -> InvoiceSummary {
    InvoiceSummary {
        id: Uuid::new_v4(),
        user_id: Uuid::new_v4(),
        status: InvoiceStatus::Sent,
        number: Some(InvoiceNumber::new(1)),
        client_name: document.client_name.clone(),
        client_email: document.client_email.clone(),
        currency: Currency::parse(&document.currency).expect("the sample's currency"),
        issue_date: document.issue_date,
        due_date: document.due_date,
        notes: document.notes.clone(),
        subtotal: document.subtotal,
        total: document.total,
        amount_paid: document.amount_paid,
        version: 1,
        sent_at: Some(Utc::now()),
        paid_at: None,
        voided_at: None,
        void_reason: None,
        document_version: Some(1),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

fn event(invoice: &InvoiceSummary) -> LifecycleEvent {
    LifecycleEvent {
        event_id: Uuid::new_v4(),
        event_type: LifecycleEventType::Sent,
        occurred_at: Utc::now(),
        invoice_id: invoice.id,
        account_id: invoice.user_id,
        number: invoice.number.map(|n| n.to_string()),
        status: invoice.status,
        currency: invoice.currency,
        total: invoice.total,
        amount_paid: invoice.amount_paid,
        amount_due: invoice.amount_due(),
        data: serde_json::json!({}),
    }
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    println!("== PDF rendering throughput ==");
    let mut per_second = Vec::new();
    for items in [1, 200] {
        let document = pdf::sample_document(items);
        let (rate, rendered) = throughput(&document, Duration::from_secs(2));
        println!("{items:>4} item(s): {rate:>8.1} PDFs/s ({rendered} rendered)");
        per_second.push(rate);
    }
    println!(
        "  a 200-item invoice renders {:.1}x slower than a 1-item one",
        per_second[0] / per_second[1]
    );

    let dir = write_samples()?;
    println!("samples written to {}", dir.display());

    println!("\n== Rendering's share of sending an invoice (local AWS endpoint) ==");
    let pipeline = Pipeline::connect().await?;
    const ROUNDS: u32 = 15;
    for items in [1, 200] {
        let document = pdf::sample_document(items);
        pipeline.send(&document).await?; // warm-up: connections, font parsing
        let mut totals = [Duration::ZERO; 4];
        for _ in 0..ROUNDS {
            for (total, step) in totals.iter_mut().zip(pipeline.send(&document).await?) {
                *total += step;
            }
        }
        let [render, store, email, publish] = totals.map(|total| total / ROUNDS);
        let whole = render + store + email + publish;
        println!(
            "{items:>4} item(s): render {:>6.2} ms, store {:>6.2} ms, e-mail {:>6.2} ms, publish {:>6.2} ms; whole send {:>7.2} ms; rendering is {:>5.1}% of it",
            millis(render),
            millis(store),
            millis(email),
            millis(publish),
            millis(whole),
            100.0 * render.as_secs_f64() / whole.as_secs_f64()
        );
    }
    Ok(())
}
