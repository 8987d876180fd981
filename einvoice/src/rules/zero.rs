//! VAT category `Z`, zero rated (BR-Z-01 … BR-Z-10).

use super::vat_category::{Category, Parties, Rate};

pub(super) const CATEGORY: Category = Category {
    code: "Z",
    ids: [
        "BR-Z-01", "BR-Z-02", "BR-Z-03", "BR-Z-04", "BR-Z-05", "BR-Z-06", "BR-Z-07", "BR-Z-08",
        "BR-Z-09", "BR-Z-10",
    ],
    parties: Parties::SellerTaxId,
    rate: Rate::Zero,
    exemption: false,
    per_rate: false,
};
