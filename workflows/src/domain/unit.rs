//! Units of measure of invoice lines, by their UN/ECE Recommendation 20 codes (the code list
//! EN 16931 prescribes for BT-130), limited to those a service or small goods business bills in.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

/// A unit of measure. The JSON and the database hold the Recommendation 20 code (`HUR`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
pub enum Unit {
    /// `C62`: one (a unit without a dimension; the default).
    #[default]
    #[serde(rename = "C62")]
    #[strum(serialize = "C62")]
    One,
    /// `H87`: piece.
    #[serde(rename = "H87")]
    #[strum(serialize = "H87")]
    Piece,
    /// `SET`: set.
    #[serde(rename = "SET")]
    #[strum(serialize = "SET")]
    Set,
    /// `LS`: lump sum.
    #[serde(rename = "LS")]
    #[strum(serialize = "LS")]
    LumpSum,
    /// `MIN`: minute.
    #[serde(rename = "MIN")]
    #[strum(serialize = "MIN")]
    Minute,
    /// `HUR`: hour.
    #[serde(rename = "HUR")]
    #[strum(serialize = "HUR")]
    Hour,
    /// `DAY`: day.
    #[serde(rename = "DAY")]
    #[strum(serialize = "DAY")]
    Day,
    /// `WEE`: week.
    #[serde(rename = "WEE")]
    #[strum(serialize = "WEE")]
    Week,
    /// `MON`: month.
    #[serde(rename = "MON")]
    #[strum(serialize = "MON")]
    Month,
    /// `ANN`: year.
    #[serde(rename = "ANN")]
    #[strum(serialize = "ANN")]
    Year,
    /// `KGM`: kilogram.
    #[serde(rename = "KGM")]
    #[strum(serialize = "KGM")]
    Kilogram,
    /// `GRM`: gram.
    #[serde(rename = "GRM")]
    #[strum(serialize = "GRM")]
    Gram,
    /// `TNE`: tonne.
    #[serde(rename = "TNE")]
    #[strum(serialize = "TNE")]
    Tonne,
    /// `MTR`: metre.
    #[serde(rename = "MTR")]
    #[strum(serialize = "MTR")]
    Metre,
    /// `KMT`: kilometre.
    #[serde(rename = "KMT")]
    #[strum(serialize = "KMT")]
    Kilometre,
    /// `MTK`: square metre.
    #[serde(rename = "MTK")]
    #[strum(serialize = "MTK")]
    SquareMetre,
    /// `MTQ`: cubic metre.
    #[serde(rename = "MTQ")]
    #[strum(serialize = "MTQ")]
    CubicMetre,
    /// `LTR`: litre.
    #[serde(rename = "LTR")]
    #[strum(serialize = "LTR")]
    Litre,
    /// `KWH`: kilowatt hour.
    #[serde(rename = "KWH")]
    #[strum(serialize = "KWH")]
    KilowattHour,
    /// `E48`: service unit.
    #[serde(rename = "E48")]
    #[strum(serialize = "E48")]
    ServiceUnit,
}

impl Unit {
    /// The Recommendation 20 code (`HUR`).
    pub fn code(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_and_write_their_codes() {
        for unit in Unit::VARIANTS {
            assert_eq!(unit.code().parse::<Unit>().unwrap(), *unit);
            let json = serde_json::to_string(unit).unwrap();
            assert_eq!(json, format!("\"{}\"", unit.code()));
        }
        assert!("hour".parse::<Unit>().is_err());
        assert_eq!(Unit::default(), Unit::One);
    }
}
