//! The type names of the failures activities report as non-retryable `ApplicationFailure`s.
//!
//! An activity names its failure with one of these; a workflow's retry policy lists the same
//! names among its non-retryable error types, so both sides read them from here.

/// The invoice (or its account) is not in PostgreSQL: deleted, or never stored.
pub const INVOICE_NOT_FOUND: &str = "InvoiceNotFound";
/// A stored row holds a value no domain type accepts.
pub const INVOICE_STATE_INVALID: &str = "InvoiceStateInvalid";
/// Stripe answered a request with a 4xx: sending it again gets the same answer.
pub const STRIPE_REQUEST_REFUSED: &str = "StripeRequestRefused";
/// Online payments are off (no Stripe secret key is configured).
pub const STRIPE_NOT_CONFIGURED: &str = "StripeNotConfigured";
/// The PDF could not be laid out from the stored invoice.
pub const RENDER_FAILED: &str = "RenderFailed";
/// An e-mail template could not be rendered.
pub const TEMPLATE_FAILED: &str = "TemplateFailed";
/// A stored side-effect record cannot be read back.
pub const SIDE_EFFECT_RECORD_INVALID: &str = "SideEffectRecordInvalid";
/// The e-invoice generated at render breaks fatal rules of its format: storing or sending it
/// would put an invalid invoice on record (the gate at send lets none through, so this is a
/// change after sending, e.g. to the seller's profile, that the operator must look at).
pub const E_INVOICE_INVALID: &str = "EInvoiceInvalid";
/// The customer of a statement is not in PostgreSQL (deleted since it was asked for).
pub const CUSTOMER_NOT_FOUND: &str = "CustomerNotFound";
/// A statement's customer has no e-mail address to send it to.
pub const NO_RECIPIENT: &str = "NoRecipient";
