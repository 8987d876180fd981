//! VAT category `E`, exempt from VAT (BR-E-01 … BR-E-10).

use super::vat_category::{Category, Parties, Rate};

pub(super) const CATEGORY: Category = Category {
    code: "E",
    ids: [
        "BR-E-01", "BR-E-02", "BR-E-03", "BR-E-04", "BR-E-05", "BR-E-06", "BR-E-07", "BR-E-08",
        "BR-E-09", "BR-E-10",
    ],
    parties: Parties::SellerTaxId,
    rate: Rate::Zero,
    exemption: true,
    per_rate: false,
};
