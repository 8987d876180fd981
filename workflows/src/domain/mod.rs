//! The invoice domain: values that are valid by construction and the rules between them.

pub mod bank;
pub mod credit;
pub mod customer;
pub mod draft;
pub mod e_invoicing;
pub mod email;
pub mod event;
pub mod ledger;
pub mod logo;
pub mod money;
pub mod named_rate;
pub mod number;
pub mod number_format;
pub mod party;
pub mod payment;
pub mod refusal;
pub mod reminders;
pub mod seller;
pub mod status;
pub mod tax;
pub mod terms;
pub mod totals;
pub mod unit;
pub mod validation;

pub use bank::{AccountDetails, BankAccount, BankAccountFields, Bic, Iban};
pub use customer::{Customer, CustomerFields};
pub use draft::{Draft, DraftFields, LineItem, LineItemFields};
pub use e_invoicing::{EInvoiceFormat, ElectronicAddress, ElectronicAddressFields};
pub use email::Email;
pub use event::EventKind;
pub use ledger::{DiscrepancyKind, Ledger, StripeChange, payment_id_for};
pub use logo::{LogoFormat, LogoImage};
pub use money::{Currency, MAX_AMOUNT, Money, format_minor};
pub use named_rate::{NamedTaxRate, PercentText, TaxRateFields};
pub use number::InvoiceNumber;
pub use number_format::{NumberFormat, NumberFormatFields, ReadNumber, SequenceReset};
pub use party::{Address, AddressFields, Country, Language, TaxId, TaxIdFields, TaxIdKind};
pub use payment::PaymentMethod;
pub use refusal::{Refusal, RefusalKind};
pub use reminders::{ReminderPolicy, ReminderSchedule};
pub use seller::{SellerProfile, SellerProfileFields};
pub use status::{Action, InvoiceStatus};
pub use tax::{Exemption, TaxRate, VatCategory};
pub use totals::{
    Adjustment, AdjustmentKind, Discount, PriceBasis, PricedLine, TaxSubtotal, Totals,
};
pub use unit::Unit;
pub use validation::FieldErrors;
