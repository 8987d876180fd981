//! VAT category `AE`, reverse charge (BR-AE-01 … BR-AE-10): the buyer accounts for the VAT, so it must be identified.

use super::vat_category::{Category, Parties, Rate};

pub(super) const CATEGORY: Category = Category {
    code: "AE",
    ids: [
        "BR-AE-01", "BR-AE-02", "BR-AE-03", "BR-AE-04", "BR-AE-05", "BR-AE-06", "BR-AE-07",
        "BR-AE-08", "BR-AE-09", "BR-AE-10",
    ],
    parties: Parties::SellerTaxIdAndBuyerId,
    rate: Rate::Zero,
    exemption: true,
    per_rate: false,
};
