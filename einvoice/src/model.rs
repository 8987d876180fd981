//! The EN 16931-1 semantic model: one field per business term the product fills, named after
//! it (the BT/BG number is in each field's comment). Amounts are decimals in the currency's
//! major unit at its own precision (`12.50` EUR, `1250` JPY); quantities and prices keep the
//! precision they were entered with. Codes are the standard's code lists (UNTDID 1001, 4461,
//! 5305, UN/ECE Rec 20, ISO 3166-1, ISO 4217, ISO 6523 / Peppol EAS).
//!
//! Nothing here checks anything: [`crate::Invoice`] can hold a broken invoice, so that the
//! business rules can say what is wrong with it by rule id.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An invoice or a credit note (BT-3 says which).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invoice {
    /// BT-1 Invoice number.
    pub number: String,
    /// BT-2 Invoice issue date.
    pub issue_date: NaiveDate,
    /// BT-3 Invoice type code (UNTDID 1001).
    pub type_code: TypeCode,
    /// BT-5 Invoice currency code (ISO 4217).
    pub currency: String,
    /// BT-6 VAT accounting currency code, with BT-111 its VAT total, when the seller accounts
    /// VAT in a currency other than the invoice's.
    pub tax_currency: Option<TaxCurrency>,
    /// BT-9 Payment due date.
    pub due_date: Option<NaiveDate>,
    /// BT-10 Buyer reference (in Germany, the public buyer's Leitweg-ID).
    pub buyer_reference: Option<String>,
    /// BT-13 Purchase order reference.
    pub order_reference: Option<String>,
    /// BG-1 Invoice notes (BT-22 each).
    pub notes: Vec<String>,
    /// BG-3 Preceding invoice references (a credit note names the invoice it corrects).
    pub preceding: Vec<PrecedingInvoice>,
    /// BG-4 Seller.
    pub seller: Seller,
    /// BG-7 Buyer.
    pub buyer: Buyer,
    /// BG-13 Delivery information: BT-72 Actual delivery date.
    pub delivery_date: Option<NaiveDate>,
    /// BG-15 Deliver to address (BT-75..80), which an intra-community supply must state, its
    /// country at least (BR-IC-12; XRechnung also wants its city and post code).
    pub delivery_address: Option<PostalAddress>,
    /// BG-14 Invoicing period.
    pub period: Option<Period>,
    /// BG-16 Payment instructions.
    pub payment: Option<PaymentInstructions>,
    /// BT-20 Payment terms.
    pub payment_terms: Option<String>,
    /// BG-20 Document level allowances and BG-21 document level charges, in order.
    pub allowances_charges: Vec<AllowanceCharge>,
    /// BG-22 Document totals.
    pub totals: DocumentTotals,
    /// BG-23 VAT breakdown.
    pub vat_breakdown: Vec<VatBreakdown>,
    /// BG-25 Invoice lines.
    pub lines: Vec<Line>,
}

/// BT-3, the codes the product issues.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TypeCode {
    /// `380` Commercial invoice.
    Invoice,
    /// `381` Credit note.
    CreditNote,
}

impl TypeCode {
    pub fn code(self) -> &'static str {
        match self {
            TypeCode::Invoice => "380",
            TypeCode::CreditNote => "381",
        }
    }
}

/// BT-6 and BT-111.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaxCurrency {
    /// BT-6 (ISO 4217).
    pub code: String,
    /// BT-111 Invoice total VAT amount in accounting currency.
    pub tax_total: Decimal,
}

/// BG-3.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrecedingInvoice {
    /// BT-25.
    pub number: String,
    /// BT-26.
    pub issue_date: Option<NaiveDate>,
}

/// BG-4.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Seller {
    /// BT-27 Seller name (the registered name).
    pub name: String,
    /// BT-28 Seller trading name, when it differs.
    pub trading_name: Option<String>,
    /// BT-30 Seller legal registration identifier (e.g. "HRB 12345").
    pub legal_registration: Option<String>,
    /// BT-31 Seller VAT identifier, with its country prefix.
    pub vat_id: Option<String>,
    /// BT-32 Seller tax registration identifier (a local tax number, "FC" scheme).
    pub tax_registration: Option<String>,
    /// BT-33 Seller additional legal information.
    pub legal_info: Option<String>,
    /// BT-34 Seller electronic address.
    pub endpoint: Option<Endpoint>,
    /// BG-5 Seller postal address.
    pub address: PostalAddress,
    /// BG-6 Seller contact.
    pub contact: Option<Contact>,
}

/// BG-7.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Buyer {
    /// BT-44 Buyer name.
    pub name: String,
    /// BT-45 Buyer trading name.
    pub trading_name: Option<String>,
    /// BT-47 Buyer legal registration identifier.
    pub legal_registration: Option<String>,
    /// BT-48 Buyer VAT identifier.
    pub vat_id: Option<String>,
    /// BT-49 Buyer electronic address.
    pub endpoint: Option<Endpoint>,
    /// BG-8 Buyer postal address.
    pub address: PostalAddress,
    /// BG-9 Buyer contact.
    pub contact: Option<Contact>,
}

/// BT-34 / BT-49: an electronic address and its scheme (Peppol EAS: `0088` GLN, `0208`
/// Belgian enterprise number, `9930` German VAT, `EM` e-mail, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub id: String,
    pub scheme: String,
}

/// BG-5 / BG-8.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct PostalAddress {
    /// BT-35/36/162 (seller), BT-50/51/163 (buyer): up to three lines.
    pub lines: Vec<String>,
    /// BT-37 / BT-52 City.
    pub city: Option<String>,
    /// BT-38 / BT-53 Post code.
    pub postal_code: Option<String>,
    /// BT-39 / BT-54 Country subdivision.
    pub subdivision: Option<String>,
    /// BT-40 / BT-55 Country code (ISO 3166-1 alpha-2). Empty when unknown, which the rules
    /// report (BR-9, BR-11).
    pub country: String,
}

/// BG-6 / BG-9.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// BT-41 / BT-56 Contact point.
    pub name: Option<String>,
    /// BT-42 / BT-57 Telephone.
    pub phone: Option<String>,
    /// BT-43 / BT-58 E-mail address.
    pub email: Option<String>,
}

/// BG-14.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// BT-73 / BT-134 start date.
    pub start: NaiveDate,
    /// BT-74 / BT-135 end date.
    pub end: NaiveDate,
}

/// BG-16.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentInstructions {
    /// BT-81 Payment means type code (UNTDID 4461).
    pub means: PaymentMeans,
    /// BT-83 Remittance information (what the payer quotes, usually the invoice number).
    pub remittance: Option<String>,
    /// BG-17 Credit transfer.
    pub transfer: Option<CreditTransfer>,
    /// BG-18 Payment card information.
    pub card: Option<PaymentCard>,
}

/// BT-81, the means the product offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentMeans {
    /// `30` Credit transfer (non-SEPA).
    CreditTransfer,
    /// `58` SEPA credit transfer.
    SepaCreditTransfer,
    /// `48` Bank card.
    Card,
    /// `68` Online payment service: a pay link the buyer pays through (by card or otherwise),
    /// with no card of the buyer's to name (BG-18).
    OnlinePaymentService,
    /// `1` Instrument not defined.
    NotDefined,
}

impl PaymentMeans {
    pub fn code(self) -> &'static str {
        match self {
            PaymentMeans::CreditTransfer => "30",
            PaymentMeans::SepaCreditTransfer => "58",
            PaymentMeans::Card => "48",
            PaymentMeans::OnlinePaymentService => "68",
            PaymentMeans::NotDefined => "1",
        }
    }
}

/// BG-17.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditTransfer {
    /// BT-84 Payment account identifier (an IBAN for SEPA).
    pub account_id: String,
    /// BT-85 Payment account name.
    pub account_name: Option<String>,
    /// BT-86 Payment service provider identifier (BIC).
    pub bic: Option<String>,
}

/// BG-18.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentCard {
    /// BT-87 Payment card primary account number: at most its last 4 to 6 digits.
    pub last_digits: String,
    /// BT-88 Payment card holder name.
    pub holder: Option<String>,
}

/// BG-20 / BG-21 (and, on a line, BG-27 / BG-28).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllowanceCharge {
    /// `false` for an allowance, `true` for a charge.
    pub is_charge: bool,
    /// BT-92 / BT-99 (line: BT-136 / BT-141) amount, without VAT.
    pub amount: Decimal,
    /// BT-93 / BT-100 (line: BT-137 / BT-142) base amount, with `percent`.
    pub base_amount: Option<Decimal>,
    /// BT-94 / BT-101 (line: BT-138 / BT-143) percentage.
    pub percent: Option<Decimal>,
    /// BT-95 / BT-102 VAT category; `None` on a line's allowance or charge, which takes the
    /// line's.
    pub vat: Option<VatRate>,
    /// BT-97 / BT-104 (line: BT-139 / BT-144) reason.
    pub reason: Option<String>,
    /// BT-98 / BT-105 (line: BT-140 / BT-145) reason code (UNTDID 5189 for allowances,
    /// 7161 for charges).
    pub reason_code: Option<String>,
}

/// A VAT category and its rate, as a line, an allowance or a charge carries it
/// (BT-151/152, BT-95/96, BT-102/103).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct VatRate {
    /// UNTDID 5305: `S`, `Z`, `E`, `AE`, `K`, `G`, `O`, `L`, `M`.
    pub category: String,
    /// `None` for category `O`, which carries no rate (BR-O-5).
    pub percent: Option<Decimal>,
}

/// BG-22.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct DocumentTotals {
    /// BT-106 Sum of Invoice line net amount.
    pub line_total: Decimal,
    /// BT-107 Sum of allowances on document level.
    pub allowance_total: Option<Decimal>,
    /// BT-108 Sum of charges on document level.
    pub charge_total: Option<Decimal>,
    /// BT-109 Invoice total amount without VAT.
    pub tax_exclusive: Decimal,
    /// BT-110 Invoice total VAT amount (absent only when no VAT applies at all).
    pub tax_total: Option<Decimal>,
    /// BT-112 Invoice total amount with VAT.
    pub tax_inclusive: Decimal,
    /// BT-113 Paid amount.
    pub prepaid: Option<Decimal>,
    /// BT-114 Rounding amount.
    pub rounding: Option<Decimal>,
    /// BT-115 Amount due for payment.
    pub payable: Decimal,
}

/// BG-23.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VatBreakdown {
    /// BT-116 VAT category taxable amount.
    pub taxable: Decimal,
    /// BT-117 VAT category tax amount.
    pub tax: Decimal,
    /// BT-118 / BT-119.
    pub rate: VatRate,
    /// BT-120 VAT exemption reason text.
    pub exemption_reason: Option<String>,
    /// BT-121 VAT exemption reason code (VATEX).
    pub exemption_code: Option<String>,
}

/// BG-25.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// BT-126 Invoice line identifier.
    pub id: String,
    /// BT-127 Invoice line note.
    pub note: Option<String>,
    /// BT-129 Invoiced quantity.
    pub quantity: Decimal,
    /// BT-130 Invoiced quantity unit of measure code (UN/ECE Rec 20).
    pub unit: String,
    /// BT-131 Invoice line net amount.
    pub net_amount: Decimal,
    /// BG-26 Invoice line period.
    pub period: Option<Period>,
    /// BG-27 / BG-28 line allowances and charges (`vat` is `None` on these).
    pub allowances_charges: Vec<AllowanceCharge>,
    /// BG-29 Price details.
    pub price: Price,
    /// BT-151 / BT-152 Invoiced item VAT category and rate.
    pub vat: VatRate,
    /// BT-153 Item name.
    pub item_name: String,
    /// BT-154 Item description.
    pub item_description: Option<String>,
}

/// BG-29.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// BT-146 Item net price (never negative, BR-27).
    pub net: Decimal,
    /// BT-147 Item price discount, with BT-148.
    pub discount: Option<Decimal>,
    /// BT-148 Item gross price.
    pub gross: Option<Decimal>,
    /// BT-149 Item price base quantity (with BT-150, the unit of BT-130).
    pub base_quantity: Option<Decimal>,
}
