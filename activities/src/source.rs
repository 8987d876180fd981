//! An invoice as its documents show it: the stored invoice, the seller's profile, bank account
//! and logo as they are now, the buyer as the invoice was sent to it. The PDF, the e-mails and
//! the e-invoice all start here; a statement of account starts from the same account
//! ([`account`]).

use crate::{
    email::Seller,
    failure,
    pdf::{
        self, AccountNumber, DocumentBuyer, DocumentKind, DocumentLine, DocumentSeller,
        InvoiceDocument, Mark, Supply, TaxKind,
    },
    storage::DocumentStore,
};
use invoicing_store::{
    bank_accounts,
    invoices::{self, Invoice},
    logos, sellers, users,
};
use invoicing_workflows::{
    contracts::DocumentMark,
    domain::{
        AccountDetails, BankAccount, Currency, Language, SellerProfile, bank::printed_sort_code,
        logo::LogoFormat,
    },
};
use sqlx::PgPool;
use temporalio_sdk::activities::ActivityError;
use uuid::Uuid;

/// The invoice and its seller as they are now; a missing one is a permanent failure. The logo
/// is read from `documents` when given (the PDF prints it; the e-invoice does not).
pub(crate) async fn load(
    pool: &PgPool,
    documents: Option<&DocumentStore>,
    invoice_id: Uuid,
) -> Result<(Invoice, Account), ActivityError> {
    let invoice = invoices::get(pool, invoice_id)
        .await
        .map_err(failure::store)?
        .ok_or_else(|| failure::store(invoicing_store::StoreError::NotFound("invoice")))?;
    let seller = account(
        pool,
        documents,
        invoice.summary.user_id,
        Some(invoice.summary.currency),
    )
    .await?;
    Ok((invoice, seller))
}

/// The account `user_id` as its documents show it now: its profile, the bank account kept for
/// `currency` (none without one), and its logo, read from `documents` when given.
pub(crate) async fn account(
    pool: &PgPool,
    documents: Option<&DocumentStore>,
    user_id: Uuid,
    currency: Option<Currency>,
) -> Result<Account, ActivityError> {
    let seller = users::find(pool, user_id)
        .await
        .map_err(failure::store)?
        .ok_or_else(|| failure::store(invoicing_store::StoreError::NotFound("account")))?;
    let profile = sellers::profile(pool, seller.id)
        .await
        .map_err(failure::store)?;
    let bank_account = match currency {
        Some(currency) => bank_accounts::for_invoice(pool, seller.id, currency)
            .await
            .map_err(failure::store)?,
        None => None,
    };
    let stored_logo = match documents {
        Some(_) => logos::logo(pool, seller.id).await.map_err(failure::store)?,
        None => None,
    };
    let logo = match stored_logo.zip(documents) {
        None => None,
        Some((stored, documents)) => Some(pdf::Logo {
            bytes: documents
                .logo(&stored.storage_key)
                .await
                .map_err(failure::retry)?,
            format: match stored.format {
                LogoFormat::Png => pdf::LogoFormat::Png,
                LogoFormat::Jpeg => pdf::LogoFormat::Jpeg,
            },
        }),
    };
    Ok(Account {
        email: seller.email,
        profile,
        bank_account,
        logo,
    })
}

/// The account an invoice is from, with what its documents print of it.
pub(crate) struct Account {
    pub(crate) email: String,
    pub(crate) profile: Option<SellerProfile>,
    /// The bank account shown for the invoice's currency.
    pub(crate) bank_account: Option<BankAccount>,
    pub(crate) logo: Option<pdf::Logo>,
}

impl Account {
    /// The seller as its documents print it: the profile's names, address, tax ids,
    /// registration and contact (the account's own e-mail without a profile's), the bank
    /// account and the logo.
    pub(crate) fn document_seller(&self) -> DocumentSeller {
        let profile = self.profile.as_ref();
        DocumentSeller {
            name: profile.map(|p| p.display_name.clone()),
            legal_name: profile.and_then(|p| p.legal_name.clone()),
            address: profile.and_then(|p| p.address.clone()),
            address_lines: profile
                .filter(|p| p.address.is_none())
                .map(SellerProfile::address_lines)
                .unwrap_or_default(),
            tax_ids: profile.map(|p| p.tax_ids.clone()).unwrap_or_default(),
            registration: profile.and_then(|p| p.registration.clone()),
            email: profile
                .and_then(|p| p.email.as_ref().map(|e| e.as_str().to_owned()))
                .unwrap_or_else(|| self.email.clone()),
            phone: profile.and_then(|p| p.phone.clone()),
            bank_account: self.bank_account.clone().map(|account| pdf::BankAccount {
                holder: account.holder,
                bank_name: account.bank_name,
                number: match account.details {
                    AccountDetails::Iban { iban, bic } => AccountNumber::Iban {
                        iban: iban.electronic().to_owned(),
                        bic: bic.map(|bic| bic.as_str().to_owned()),
                    },
                    AccountDetails::UsDomestic {
                        account_number,
                        routing_number,
                    } => AccountNumber::Domestic {
                        account: account_number,
                        routing: Some(routing_number),
                    },
                    AccountDetails::UkDomestic {
                        account_number,
                        sort_code,
                    } => AccountNumber::Domestic {
                        account: account_number,
                        routing: Some(printed_sort_code(&sort_code)),
                    },
                },
            }),
            payment_instructions: profile.and_then(|p| p.payment_instructions.clone()),
            logo: self.logo.clone(),
        }
    }

    pub(crate) fn as_sender(&self) -> Seller<'_> {
        Seller {
            name: self.profile.as_ref().map(|p| p.display_name.as_str()),
            email: &self.email,
        }
    }
}

/// The language an invoice's documents and e-mails are written in: its customer's as it was
/// when it was sent (English before).
pub(crate) fn language(invoice: &Invoice) -> Language {
    invoice
        .details
        .buyer()
        .map(|buyer| buyer.language())
        .unwrap_or_default()
}

/// The invoice as its PDF shows it: the seller's profile, bank account and logo as they are
/// now, the buyer as the invoice was sent to it, and every amount as stored (nothing is
/// recomputed here).
pub(crate) fn document(
    invoice: &Invoice,
    seller: &Account,
    mark: Option<DocumentMark>,
) -> InvoiceDocument {
    let summary = &invoice.summary;
    let details = &invoice.details;
    let profile = seller.profile.as_ref();
    let buyer = details.buyer();
    let buyer_address = buyer.as_ref().and_then(|b| b.address());
    // A US seller charges its state's sales tax, not VAT; invoices word it that way.
    let seller_country = profile.and_then(|p| p.address.as_ref().map(|a| a.country.code()));
    let tax_kind = if seller_country == Some("US") {
        TaxKind::SalesTax
    } else {
        TaxKind::Vat
    };
    InvoiceDocument {
        kind: DocumentKind::Invoice,
        language: buyer.as_ref().map(|b| b.language()).unwrap_or_default(),
        tax_kind,
        currency: summary.currency,
        seller: seller.document_seller(),
        buyer: DocumentBuyer {
            name: buyer
                .as_ref()
                .map(|b| b.display_name.clone())
                .unwrap_or_else(|| summary.client_name.clone()),
            legal_name: buyer.as_ref().and_then(|b| b.legal_name.clone()),
            address: buyer_address,
            tax_id: buyer.as_ref().and_then(|b| b.tax_id()),
            email: Some(summary.client_email.clone()),
        },
        number: summary
            .number_text
            .clone()
            .unwrap_or_else(|| "DRAFT".to_owned()),
        mark: mark.map(|mark| match mark {
            DocumentMark::Paid => Mark::Paid,
            DocumentMark::Void => Mark::Void,
        }),
        issue_date: summary.issue_date,
        supply: match (details.supply_date, details.service_period) {
            (_, Some(period)) => Some(Supply::Period {
                from: period.start,
                to: period.end,
            }),
            (Some(date), None) if date != summary.issue_date => Some(Supply::Date(date)),
            _ => None,
        },
        due_date: summary.due_date,
        terms_days: u32::try_from((summary.due_date - summary.issue_date).num_days()).ok(),
        price_basis: details.price_basis,
        lines: invoice
            .items
            .iter()
            .map(|item| DocumentLine {
                description: item.description.clone(),
                quantity: item.quantity,
                unit: item.unit,
                unit_price: item.unit_price,
                discount: item.discount,
                rate: item.rate.clone(),
                period: item.period.map(|p| (p.start, p.end)),
            })
            .collect(),
        adjustments: details
            .adjustments
            .iter()
            .map(|adjustment| pdf::DocumentAdjustment {
                kind: adjustment.kind,
                reason: adjustment.reason.clone(),
                rate: adjustment.rate.clone(),
            })
            .collect(),
        totals: details.totals.clone(),
        amount_paid: summary.amount_paid,
        // A voided invoice is cancelled: nothing is owed on it any more.
        amount_due: if mark == Some(DocumentMark::Void) {
            0
        } else {
            summary.amount_due()
        },
        notes: summary.notes.clone(),
    }
}
