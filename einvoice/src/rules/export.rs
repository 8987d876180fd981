//! VAT category `G`, export outside the EU (BR-G-01 … BR-G-10).

use super::vat_category::{Category, Parties, Rate};

pub(super) const CATEGORY: Category = Category {
    code: "G",
    ids: [
        "BR-G-01", "BR-G-02", "BR-G-03", "BR-G-04", "BR-G-05", "BR-G-06", "BR-G-07", "BR-G-08",
        "BR-G-09", "BR-G-10",
    ],
    parties: Parties::SellerVat,
    rate: Rate::Zero,
    exemption: true,
    per_rate: false,
};
