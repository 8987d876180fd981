//! Credit notes: issue one on a sent, overdue or paid invoice (a command to the invoice's
//! workflow, like a payment), preview what one would come to, and read them back.

use crate::{
    auth::AuthUser,
    commands::{self, Access, Command},
    error::ApiError,
    extract::{Json, Path},
    idempotency::Keyed,
    openapi::{
        BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized, Unavailable,
        UnsupportedMediaType, ValidationFailed,
    },
    state::AppState,
    stored_files::{self, Disposition},
    views::{self, InvoiceJson},
};
use axum::{extract::State, http::StatusCode, response::Response};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::credit_notes::{self, StoredCreditNote};
use invoicing_workflows::{
    InvoiceState, MAX_CREDIT_NOTE_REASON_CHARS,
    contracts::{CreditNoteRequest, ExcessTo},
    domain::{
        FieldErrors, InvoiceStatus, VatCategory,
        credit::{AmountCredit, CreditBasis, CreditNote, CreditScope, CreditSource, LineCredit},
        draft::DecimalText,
    },
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(issue, list))
        .routes(routes!(preview))
        .routes(routes!(get))
        .routes(routes!(pdf))
}

/// A credit note as asked for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = IssueCreditNote)]
struct IssueBody {
    /// Why the invoice is credited; printed on the credit note.
    #[schema(example = "Two licences were returned.")]
    reason: String,
    scope: ScopeBody,
    /// Where what the note takes beyond the amount due goes (the invoice was paid): the
    /// customer's credit balance (default), or back on the invoice's payments.
    #[serde(default)]
    excess_to: ExcessTo,
}

/// What to credit: everything not credited yet (cancelling the invoice), quantities of its
/// lines, or amounts of its VAT categories and rates.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[schema(as = CreditScope)]
enum ScopeBody {
    Remaining,
    Lines { lines: Vec<LineBody> },
    Amounts { amounts: Vec<AmountBody> },
}

/// `quantity` units of the invoice's line at index `line` (0-based, as `items` lists them).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = LineCredit)]
struct LineBody {
    line: usize,
    /// Above 0, up to what is left of the line; a JSON number or a string.
    #[schema(value_type = String, example = "1.5")]
    quantity: DecimalText,
}

/// `amount` minor units (in the invoice's price basis) of one of the invoice's VAT
/// categories and rates.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = AmountCredit)]
struct AmountBody {
    category: VatCategory,
    #[schema(value_type = String, example = "19")]
    percent: DecimalText,
    amount: i64,
}

impl ScopeBody {
    /// The scope in the domain's terms: quantities parsed, each amount's rate the invoice's own.
    fn parse(self, basis: &CreditBasis) -> Result<CreditScope, FieldErrors> {
        let mut errors = FieldErrors::default();
        let scope = match self {
            ScopeBody::Remaining => CreditScope::Remaining,
            ScopeBody::Lines { lines } => CreditScope::Lines {
                lines: lines
                    .into_iter()
                    .enumerate()
                    .filter_map(|(position, line)| match line.quantity.parse() {
                        Ok(quantity) => Some(LineCredit {
                            line: line.line,
                            quantity,
                        }),
                        Err(message) => {
                            errors.add(format!("lines[{position}].quantity"), message);
                            None
                        }
                    })
                    .collect(),
            },
            ScopeBody::Amounts { amounts } => CreditScope::Amounts {
                amounts: amounts
                    .into_iter()
                    .enumerate()
                    .filter_map(|(position, amount)| {
                        let percent = match amount.percent.parse() {
                            Ok(percent) => percent,
                            Err(message) => {
                                errors.add(format!("amounts[{position}].percent"), message);
                                return None;
                            }
                        };
                        let rate = basis
                            .lines
                            .iter()
                            .map(|line| &line.rate)
                            .chain(basis.adjustments.iter().map(|adjustment| &adjustment.rate))
                            .find(|rate| {
                                rate.category() == amount.category
                                    && rate.percent().normalize() == percent
                            });
                        let Some(rate) = rate else {
                            errors.add(
                                format!("amounts[{position}].category"),
                                "is not a VAT category and rate of the invoice",
                            );
                            return None;
                        };
                        Some(AmountCredit {
                            rate: rate.clone(),
                            amount: amount.amount,
                        })
                    })
                    .collect(),
            },
        };
        errors.into_result()?;
        Ok(scope)
    }
}

impl IssueBody {
    fn parse(
        self,
        credit_note_id: Uuid,
        basis: &CreditBasis,
    ) -> Result<CreditNoteRequest, FieldErrors> {
        let reason = self.reason.trim().to_owned();
        let mut errors = FieldErrors::default();
        if reason.is_empty() {
            errors.add("reason", "must say why the invoice is credited");
        } else if reason.chars().count() > MAX_CREDIT_NOTE_REASON_CHARS {
            errors.add(
                "reason",
                format!("must be at most {MAX_CREDIT_NOTE_REASON_CHARS} characters"),
            );
        }
        let scope = self.scope.parse(basis);
        if let Err(scope) = &scope {
            errors.extend(scope.clone());
        }
        errors.into_result()?;
        Ok(CreditNoteRequest {
            credit_note_id,
            reason,
            scope: scope?,
            excess_to: self.excess_to,
        })
    }
}

/// Field errors of the domain's credit arithmetic, under the request's names.
fn in_request(errors: FieldErrors) -> FieldErrors {
    errors.renamed(|field| match field {
        "reason" => "reason".to_owned(),
        "scope" => "scope".to_owned(),
        // The request names an amount's rate by its category and percent.
        other => format!("scope.{}", other.replace(".rate", ".category")),
    })
}

/// One line of a credit note.
#[derive(Serialize, ToSchema)]
#[schema(as = CreditNoteLine)]
struct LineJson {
    /// The invoice line it credits (0-based), or `null` for an amount credited by VAT
    /// category and rate.
    #[schema(required = true)]
    invoice_line: Option<usize>,
    #[schema(example = "1.5")]
    quantity: String,
    category: VatCategory,
    #[schema(example = "19")]
    percent: String,
    /// Net of tax, minor units.
    amount: i64,
}

/// One row of a credit note's tax breakdown.
#[derive(Serialize, ToSchema)]
#[schema(as = CreditNoteTaxSubtotal)]
struct SubtotalJson {
    category: VatCategory,
    #[schema(example = "19")]
    percent: String,
    taxable_amount: i64,
    tax_amount: i64,
}

/// What a credit note takes back (every amount positive, minor units).
#[derive(Serialize, ToSchema)]
#[schema(as = CreditNoteFigures)]
struct FiguresJson {
    lines: Vec<LineJson>,
    breakdown: Vec<SubtotalJson>,
    line_total: i64,
    allowance_total: i64,
    charge_total: i64,
    net_total: i64,
    tax_total: i64,
    gross_total: i64,
}

impl From<&CreditNote> for FiguresJson {
    fn from(note: &CreditNote) -> Self {
        Self {
            lines: note
                .lines
                .iter()
                .map(|line| LineJson {
                    invoice_line: match line.source {
                        CreditSource::Line(index) => Some(index),
                        CreditSource::Amount => None,
                    },
                    quantity: line.quantity.normalize().to_string(),
                    category: line.rate.category(),
                    percent: line.rate.percent().normalize().to_string(),
                    amount: line.amount,
                })
                .collect(),
            breakdown: note
                .breakdown
                .iter()
                .map(|row| SubtotalJson {
                    category: row.category,
                    percent: row.percent.normalize().to_string(),
                    taxable_amount: row.base,
                    tax_amount: row.tax,
                })
                .collect(),
            line_total: note.line_total,
            allowance_total: note.allowance_total,
            charge_total: note.charge_total,
            net_total: note.net_total,
            tax_total: note.tax_total,
            gross_total: note.gross_total,
        }
    }
}

/// Money a credit note's excess gave back on one payment.
#[derive(Serialize, ToSchema)]
#[schema(as = CreditNoteRefund)]
struct RefundJson {
    payment_id: Uuid,
    amount: i64,
    /// Made at Stripe (the payment came through Stripe).
    stripe: bool,
}

/// A credit note as issued.
#[derive(Serialize, ToSchema)]
#[schema(as = CreditNote)]
struct CreditNoteJson {
    id: Uuid,
    invoice_id: Uuid,
    /// In the account's credit-note series (`CN-000001`), gapless.
    #[schema(example = "CN-000001")]
    number: String,
    issue_date: NaiveDate,
    reason: String,
    #[schema(example = "EUR")]
    currency: String,
    #[serde(flatten)]
    figures: FiguresJson,
    /// What it took beyond the invoice's amount due, and where that went.
    excess: i64,
    #[schema(required = true)]
    excess_to: Option<ExcessTo>,
    refunds: Vec<RefundJson>,
    /// The credit note's PDF, once rendered (moments after it is issued).
    #[schema(
        required = true,
        example = "/api/credit-notes/0b6d2e8a-3f55-4a0e-9d43-7d1c2a3e9f10/pdf"
    )]
    pdf_url: Option<String>,
    issued_at: DateTime<Utc>,
}

impl From<StoredCreditNote> for CreditNoteJson {
    fn from(stored: StoredCreditNote) -> Self {
        Self {
            id: stored.id,
            invoice_id: stored.invoice_id,
            number: stored.number,
            issue_date: stored.issue_date,
            reason: stored.reason,
            currency: stored.currency.code().to_owned(),
            figures: FiguresJson::from(&stored.note),
            excess: stored.excess,
            excess_to: stored.excess_to,
            refunds: stored
                .refunds
                .into_iter()
                .map(|refund| RefundJson {
                    payment_id: refund.payment_id,
                    amount: refund.amount,
                    stripe: refund.intent_id.is_some(),
                })
                .collect(),
            pdf_url: stored
                .pdf_key
                .as_ref()
                .map(|_| format!("/api/credit-notes/{}/pdf", stored.id)),
            issued_at: stored.issued_at,
        }
    }
}

/// A credit note just issued, and the invoice after it.
#[derive(Serialize, ToSchema)]
#[schema(as = IssuedCreditNote)]
struct Issued {
    credit_note: CreditNoteJson,
    invoice: InvoiceJson,
}

/// Issues a credit note
///
/// Takes back part or all of a sent, overdue or paid invoice: everything not credited yet,
/// quantities of its lines, or amounts of its VAT categories and rates, with a reason. The
/// note gets the next number of the account's credit-note series, its PDF and e-invoice (type
/// 381, naming the invoice) go to the client, and `credit_note.issued` is published. It lowers
/// the amount due; what it takes beyond it goes to the customer's credit balance or back on
/// the invoice's payments (at Stripe for a Stripe payment). Crediting everything closes the
/// invoice (`credited`). More than is left to credit is refused (422); so is a draft, void,
/// uncollectible or credited invoice (409). With an `Idempotency-Key`, a retry issues one note.
#[utoipa::path(
    post,
    path = "/invoices/{id}/credit-notes",
    operation_id = "issue_credit_note",
    tag = "credit notes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body = IssueBody,
    responses(
        (status = 201, description = "The credit note was issued.", body = Issued),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn issue(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Keyed(key): Keyed,
    Json(body): Json<IssueBody>,
) -> Result<(StatusCode, axum::Json<Issued>), ApiError> {
    let invoice = commands::load_summary(&state, caller, id, Access::Change).await?;
    invoice
        .status
        .check(invoicing_workflows::domain::Action::IssueCreditNote)?;
    let basis = load_basis(&state, id).await?;
    let credit_note_id = key
        .as_ref()
        .map_or_else(Uuid::new_v4, |key| key.id("credit-note"));
    let request = body.parse(credit_note_id, &basis).map_err(in_request)?;
    let stored = match credit_notes::get(&state.db, credit_note_id).await? {
        Some(stored) if stored.invoice_id == id => stored,
        Some(_) => {
            return Err(ApiError::internal(anyhow::anyhow!(
                "credit note {credit_note_id} belongs to another invoice"
            )));
        }
        None => {
            commands::run(&state, id, Command::IssueCreditNote(request), key.as_ref())
                .await
                .map_err(|error| match error {
                    ApiError::Validation(errors) => ApiError::Validation(in_request(errors)),
                    other => other,
                })?;
            credit_notes::get(&state.db, credit_note_id)
                .await?
                .ok_or_else(|| {
                    ApiError::internal(anyhow::anyhow!(
                        "credit note {credit_note_id} was not stored"
                    ))
                })?
        }
    };
    let axum::Json(invoice) = views::stored_invoice(&state.db, id).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Issued {
            credit_note: stored.into(),
            invoice,
        }),
    ))
}

async fn load_basis(state: &AppState, invoice_id: Uuid) -> Result<CreditBasis, ApiError> {
    let mut conn = state.db.acquire().await.map_err(ApiError::internal)?;
    Ok(credit_notes::basis(&mut conn, invoice_id).await?)
}

/// What a credit note would come to, and the invoice after it.
#[derive(Serialize, ToSchema)]
#[schema(as = CreditNotePreview)]
struct Preview {
    #[serde(flatten)]
    figures: FiguresJson,
    /// What it would take beyond the amount due now.
    excess: i64,
    /// The invoice's amount due and status after it.
    amount_due: i64,
    status: InvoiceStatus,
}

/// Previews a credit note
///
/// What the credit note in the body would come to (its lines, tax breakdown and totals), what
/// it would take beyond the amount due, and the invoice's amount due and status after it, as
/// the invoice stands now. Nothing is stored; issuing it later may differ if a payment or
/// another note comes first. Refused like issuing it (409, 422).
#[utoipa::path(
    post,
    path = "/invoices/{id}/credit-notes/preview",
    operation_id = "preview_credit_note",
    tag = "credit notes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    request_body = IssueBody,
    responses(
        (status = 200, description = "What the credit note would come to.", body = Preview),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge,
        UnsupportedMediaType, ValidationFailed, Unavailable,
    ),
)]
async fn preview(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
    Json(body): Json<IssueBody>,
) -> Result<axum::Json<Preview>, ApiError> {
    let invoice = commands::load_summary(&state, caller, id, Access::Change).await?;
    invoice
        .status
        .check(invoicing_workflows::domain::Action::IssueCreditNote)?;
    let basis = load_basis(&state, id).await?;
    let request = body.parse(Uuid::nil(), &basis).map_err(in_request)?;
    let credited = credit_notes::credited(&state.db, id).await?;
    let note = basis
        .creditable()
        .credit(&credited, &request.scope)
        .map_err(in_request)?;
    // The workflow's own rule, on the invoice as it stands now.
    let mut after = InvoiceState {
        status: invoice.status,
        number: invoice.number,
        currency: invoice.currency,
        issue_date: invoice.issue_date,
        due_date: invoice.due_date,
        total: invoice.total,
        amount_paid: invoice.amount_paid,
        amount_credited: invoice.amount_credited,
        amount_to_balance: invoice.amount_to_balance,
    };
    let excess = after.credit(note.gross_total, request.excess_to);
    Ok(axum::Json(Preview {
        figures: FiguresJson::from(&note),
        excess,
        amount_due: after.amount_due(),
        status: after.status,
    }))
}

/// Lists an invoice's credit notes
///
/// Oldest first.
#[utoipa::path(
    get,
    path = "/invoices/{id}/credit-notes",
    operation_id = "list_credit_notes",
    tag = "credit notes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The invoice's id.")),
    responses(
        (status = 200, description = "The invoice's credit notes.", body = Vec<CreditNoteJson>),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<Vec<CreditNoteJson>>, ApiError> {
    commands::load_summary(&state, caller, id, Access::Read).await?;
    let notes = credit_notes::for_invoice(&state.db, id).await?;
    Ok(axum::Json(notes.into_iter().map(Into::into).collect()))
}

/// Gets a credit note
#[utoipa::path(
    get,
    path = "/credit-notes/{id}",
    operation_id = "get_credit_note",
    tag = "credit notes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The credit note's id.")),
    responses(
        (status = 200, description = "The credit note.", body = CreditNoteJson),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn get(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::Json<CreditNoteJson>, ApiError> {
    let stored = credit_notes::get(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound("credit note"))?;
    if !commands::may_read(stored.user_id, caller) {
        return Err(ApiError::NotFound("credit note"));
    }
    Ok(axum::Json(stored.into()))
}

/// Downloads a credit note's PDF
///
/// Only the invoice's owner may download it; it is rendered moments after the note is issued
/// (404 until then). For a Factur-X customer it carries the credit note's XML.
#[utoipa::path(
    get,
    path = "/credit-notes/{id}/pdf",
    operation_id = "credit_note_pdf",
    tag = "credit notes",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The credit note's id.")),
    responses(
        (
            status = 200,
            description = "The PDF, streamed.",
            content_type = "application/pdf",
            headers(
                ("Content-Disposition" = String, description = "`inline; filename=\"CN-000001.pdf\"`."),
                ("Cache-Control" = String, description = "`private, no-store`."),
            ),
        ),
        BadRequest, Unauthorized, NotFound, Unavailable,
    ),
)]
async fn pdf(
    State(state): State<AppState>,
    caller: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    let stored = credit_notes::get(&state.db, id)
        .await?
        .filter(|stored| stored.user_id == caller.id)
        .ok_or(ApiError::NotFound("credit note"))?;
    let key = stored.pdf_key.ok_or(ApiError::NotFound(
        "PDF (a credit note gets one moments after it is issued)",
    ))?;
    let (body, length) = stored_files::stream(&state, &key, "the PDF").await?;
    Ok(stored_files::response(
        body,
        length,
        "application/pdf",
        Disposition::Inline,
        &format!("{}.pdf", stored.number),
    ))
}
