//! The statement-of-account activities (`StatementWorkflow`): render a customer's statement to
//! PDF in the customer's language and store it (`statement.render`), and e-mail it to the
//! customer and record that it went (`statement.email`).
//!
//! The e-mail is sent once per statement: its row in `statement_emails` records each attempt
//! before SES is called and SES's answer after, so a retried activity finds an answered
//! statement answered and returns that answer. The one window left is the invoice e-mails'
//! one: a worker killed between SES accepting the message and the answer being recorded.

use crate::{
    email::{Attachment, Delivery, Letters, Mailer, StatementLetter},
    failure,
    pdf::{
        DocumentBuyer,
        statement::{self, StatementCurrency, StatementDocument, StatementLine},
    },
    source::{self, Account},
    storage::DocumentStore,
};
use invoicing_store::{
    StoreError,
    customers::{self, StoredCustomer},
    statement_emails::{self, Answer, Delivery as Recorded, NewStatementEmail},
};
use invoicing_workflows::contracts::{
    ClosingBalance, EmailStatementInput, RenderStatementInput, RenderedStatement,
    StatementEmailOutcome, activity, failures, statement_key,
};
use sqlx::PgPool;
use std::sync::Arc;
use temporalio_macros::activities;
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use uuid::Uuid;

/// Statements of account, with what they need.
pub struct Statements {
    pool: PgPool,
    documents: DocumentStore,
    mailer: Mailer,
    letters: Letters,
    /// Shown after the seller in the sender's name.
    platform_name: String,
}

impl Statements {
    pub fn new(
        pool: PgPool,
        documents: DocumentStore,
        mailer: Mailer,
        platform_name: String,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            pool,
            documents,
            mailer,
            letters: Letters::new()?,
            platform_name,
        })
    }
}

#[activities]
impl Statements {
    /// Renders the customer's statement as it stands now and stores it.
    #[activity(definition = activity::RenderStatement)]
    pub async fn render_statement(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RenderStatementInput,
    ) -> Result<RenderedStatement, ActivityError> {
        self.render(input).await
    }

    /// E-mails the stored statement to the customer, once, and records it.
    #[activity(definition = activity::EmailStatement)]
    pub async fn email_statement(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: EmailStatementInput,
    ) -> Result<StatementEmailOutcome, ActivityError> {
        self.email(input).await
    }
}

impl Statements {
    async fn render(
        &self,
        input: RenderStatementInput,
    ) -> Result<RenderedStatement, ActivityError> {
        let customer = self.customer(input.account_id, input.customer_id).await?;
        let seller =
            source::account(&self.pool, Some(&self.documents), input.account_id, None).await?;
        let sheets = invoicing_store::statements::statement(
            &self.pool,
            input.account_id,
            input.customer_id,
            input.from,
            input.to,
        )
        .await
        .map_err(failure::store)?;
        let credit = invoicing_store::statements::credit_balance(
            &self.pool,
            input.account_id,
            input.customer_id,
            input.to,
        )
        .await
        .map_err(failure::store)?;
        let language = customer.customer.language;
        let balances = sheets
            .iter()
            .map(|sheet| ClosingBalance {
                currency: sheet.currency,
                amount: sheet.closing,
            })
            .collect();
        let document = StatementDocument {
            language,
            seller: seller.document_seller(),
            customer: buyer(&customer),
            from: input.from,
            to: input.to,
            date: input.made_at.date_naive(),
            currencies: invoicing_store::statements::with_credit(sheets, credit)
                .into_iter()
                .map(|(sheet, credit_balance)| StatementCurrency {
                    currency: sheet.currency,
                    opening: sheet.opening,
                    closing: sheet.closing,
                    credited: sheet.credited(),
                    credit_balance,
                    lines: sheet
                        .lines
                        .into_iter()
                        .map(|(movement, balance)| StatementLine {
                            date: movement.day,
                            kind: movement.kind.as_str().to_owned(),
                            number: movement.number,
                            amount: movement.amount,
                            balance,
                        })
                        .collect(),
                })
                .collect(),
        };
        let pdf = tokio::task::spawn_blocking(move || {
            statement::render(&document)
                .map_err(|error| failure::permanent(failures::RENDER_FAILED, error.into()))
        })
        .await
        .map_err(|error| failure::retry(error.into()))??;
        let key = statement_key(input.customer_id, input.statement_id, input.kept);
        let file_name = statement::file_name(language, input.from, input.to);
        let size_bytes = pdf.len() as u64;
        self.documents
            .put_pdf(&key, pdf, &file_name)
            .await
            .map_err(failure::retry)?;
        Ok(RenderedStatement {
            key,
            file_name,
            language,
            size_bytes,
            balances,
        })
    }

    async fn email(
        &self,
        input: EmailStatementInput,
    ) -> Result<StatementEmailOutcome, ActivityError> {
        let recorded = statement_emails::get(&self.pool, input.statement_id)
            .await
            .map_err(failure::store)?;
        if let Some(outcome) = recorded
            .as_ref()
            .and_then(|email| answered(&email.delivery))
        {
            // SES answered an earlier attempt: that answer, and no second e-mail.
            return Ok(outcome);
        }
        if recorded.as_ref().is_some_and(|email| email.possibly_sent()) {
            // A worker died between an attempt's call to SES and its answer. Nobody can tell
            // whether it went; it goes again.
            metrics::counter!("emails_possibly_sent_twice_total").increment(1);
            tracing::warn!(statement_id = %input.statement_id, "an earlier attempt of this statement's e-mail has no recorded answer; sending again");
        }
        let customer = self.customer(input.account_id, input.customer_id).await?;
        let seller = source::account(&self.pool, None, input.account_id, None).await?;
        let mut letter = self.letter(&input, &customer, &seller)?;
        letter.attachments.push(Attachment {
            filename: input.document.file_name.clone(),
            content_type: "application/pdf",
            bytes: self
                .documents
                .get(&input.document.key)
                .await
                .map_err(failure::retry)?,
        });
        statement_emails::begin_attempt(
            &self.pool,
            &NewStatementEmail {
                id: input.statement_id,
                user_id: input.account_id,
                customer_id: input.customer_id,
                from: input.from,
                to: input.to,
                recipient: &letter.to,
                cc: &letter.cc,
                language: input.document.language,
                storage_key: &input.document.key,
                requested_at: input.requested_at,
            },
        )
        .await
        .map_err(failure::store)?;
        let outcome = match self.mailer.send(&letter).await {
            Ok(Delivery::Sent { message_id }) => StatementEmailOutcome::Sent { message_id },
            Ok(Delivery::Refused { reason }) => StatementEmailOutcome::Refused { reason },
            Err(error) => {
                let error = format!("{error:#}");
                statement_emails::answer(
                    &self.pool,
                    input.statement_id,
                    Answer::Failed { error: &error },
                )
                .await
                .map_err(failure::store)?;
                return Err(failure::retry(anyhow::anyhow!(
                    "sending a statement: {error}"
                )));
            }
        };
        let answer = match &outcome {
            StatementEmailOutcome::Sent { message_id } => Answer::Accepted { message_id },
            StatementEmailOutcome::Refused { reason } => Answer::Refused { reason },
        };
        statement_emails::answer(&self.pool, input.statement_id, answer)
            .await
            .map_err(failure::store)?;
        Ok(outcome)
    }

    /// The customer, as it is now; one deleted since the statement was asked for fails the
    /// statement for good.
    async fn customer(
        &self,
        account_id: Uuid,
        customer_id: Uuid,
    ) -> Result<StoredCustomer, ActivityError> {
        customers::get(&self.pool, account_id, customer_id)
            .await
            .map_err(failure::store)?
            .ok_or_else(|| {
                failure::permanent(
                    failures::CUSTOMER_NOT_FOUND,
                    StoreError::NotFound("customer").into(),
                )
            })
    }

    /// The e-mail: to the customer's first address, a copy to its other addresses and to its
    /// cc addresses.
    fn letter(
        &self,
        input: &EmailStatementInput,
        customer: &StoredCustomer,
        seller: &Account,
    ) -> Result<crate::email::Letter, ActivityError> {
        let details = &customer.customer;
        let mut addresses = details.emails.iter().map(|email| email.as_str().to_owned());
        let to = addresses.next().ok_or_else(|| {
            failure::permanent(
                failures::NO_RECIPIENT,
                anyhow::anyhow!("the customer has no e-mail address"),
            )
        })?;
        let cc = addresses
            .chain(
                details
                    .cc_emails
                    .iter()
                    .map(|email| email.as_str().to_owned()),
            )
            .collect();
        self.letters
            .statement(
                &StatementLetter {
                    customer: &details.display_name,
                    to: &to,
                    cc,
                    from: input.from,
                    to_day: input.to,
                    balances: input
                        .document
                        .balances
                        .iter()
                        .map(|balance| (balance.currency, balance.amount))
                        .collect(),
                    language: input.document.language,
                },
                seller.as_sender(),
                &self.platform_name,
            )
            .map_err(|error| failure::permanent(failures::TEMPLATE_FAILED, error.into()))
    }
}

/// The outcome SES gave, once it answered.
fn answered(delivery: &Recorded) -> Option<StatementEmailOutcome> {
    match delivery {
        Recorded::Accepted { message_id, .. } => Some(StatementEmailOutcome::Sent {
            message_id: message_id.clone(),
        }),
        Recorded::Refused { reason, .. } => Some(StatementEmailOutcome::Refused {
            reason: reason.clone(),
        }),
        Recorded::Pending { .. } => None,
    }
}

/// The customer as the statement shows it: its names, address, tax id and first address.
fn buyer(customer: &StoredCustomer) -> DocumentBuyer {
    let details = &customer.customer;
    DocumentBuyer {
        name: details.display_name.clone(),
        legal_name: details.legal_name.clone(),
        address: details.address.clone(),
        tax_id: details.tax_id.clone(),
        email: details
            .emails
            .first()
            .map(|email| email.as_str().to_owned()),
    }
}
