//! Who the invoice is between and how it is paid: the parties each VAT category needs, and
//! the payment means the product offers with what XRechnung asks of each.

use super::texts;
use invoicing_einvoice::{
    Invoice,
    model::{
        Contact, CreditTransfer, PaymentCard, PaymentInstructions, PaymentMeans, PostalAddress,
        VatRate,
    },
    samples::{
        build::endpoint,
        presets::{buyer_in_austria, buyer_in_france, buyer_in_the_us},
    },
};
use rand::{Rng, seq::SliceRandom};

/// IBANs with valid check digits (KoSIT's `xr:checkIBAN`, BR-DE-19).
const IBANS: [&str; 5] = [
    "DE89370400440532013000",
    "DE02120300000000202051",
    "BE68539007547034",
    "FR1420041010050500013M02606",
    "AT611904300234573201",
];
/// GS1 numbers with valid check digits (PEPPOL-COMMON-R040).
const GLNS: [&str; 3] = ["4012345000016", "4000000001232", "5901234123457"];

/// Seller and buyer as the categories need them: `AE` a buyer VAT id (BR-AE-02), `K` both VAT
/// ids and a deliver-to address (BR-IC-02, BR-IC-12), `O` neither VAT id (BR-O-02).
pub(super) fn parties(
    rng: &mut impl Rng,
    invoice: &mut Invoice,
    rates: &[VatRate],
    features: &mut Vec<String>,
) {
    let has = |category: &str| rates.iter().any(|rate| rate.category == category);
    if has("K") || has("AE") {
        if has("K") && rng.gen_bool(0.5) || rng.gen_bool(0.5) {
            buyer_in_france(invoice);
        } else {
            buyer_in_austria(invoice);
        }
    } else if has("G") && rng.gen_bool(0.6) || has("O") && rng.gen_bool(0.3) {
        buyer_in_the_us(invoice);
    } else if rng.gen_bool(0.15) {
        buyer_in_austria(invoice);
    }
    if has("K") && invoice.delivery_address.is_none() || rng.gen_bool(0.1) {
        features.push("deliver-to address".to_owned());
        // XRechnung wants its city and post code too (BR-DE-10, BR-DE-11).
        invoice.delivery_address = Some(PostalAddress {
            lines: vec![texts::text(rng)],
            city: Some("Wien".to_owned()),
            postal_code: Some("1100".to_owned()),
            subdivision: None,
            country: invoice.buyer.address.country.clone(),
        });
    }
    if has("O") {
        invoice.seller.vat_id = None;
        invoice.seller.tax_registration = Some("22/815/08150".to_owned());
        invoice.buyer.vat_id = None;
        if invoice
            .seller
            .endpoint
            .as_ref()
            .is_some_and(|e| e.scheme == "9930")
        {
            invoice.seller.endpoint = Some(endpoint("0088", GLNS[1]));
        }
    } else if rng.gen_bool(0.2) {
        invoice.seller.tax_registration = Some("22/815/08150".to_owned());
    }
    if rng.gen_bool(0.2) {
        invoice.seller.endpoint = Some(endpoint("0088", GLNS[0]));
    }
    if rng.gen_bool(0.2) {
        invoice.buyer.endpoint = Some(endpoint("0088", GLNS[2]));
    }
    if rng.gen_bool(0.2) {
        invoice.seller.trading_name = Some(texts::text(rng));
    }
    if rng.gen_bool(0.2) {
        invoice.buyer.trading_name = Some(texts::text(rng));
    }
    if rng.gen_bool(0.2) {
        invoice.buyer.legal_registration = Some(format!("REG-{}", rng.gen_range(100..999)));
    }
    if rng.gen_bool(0.3) {
        invoice.buyer.contact = Some(Contact {
            name: Some(texts::text(rng)),
            phone: rng.gen_bool(0.5).then(|| "+43 1 234 5678".to_owned()),
            email: rng
                .gen_bool(0.5)
                .then(|| "einkauf@buyer.example".to_owned()),
        });
    }
    // What XRechnung only warns about (BR-DE-27, BR-DE-28): valid, and both sides must say so.
    let contact = invoice
        .seller
        .contact
        .as_mut()
        .expect("the base seller has a contact");
    if rng.gen_bool(0.03) {
        features.push("warning: phone without digits".to_owned());
        contact.phone = Some("on request".to_owned());
    }
    if rng.gen_bool(0.03) {
        features.push("warning: malformed e-mail".to_owned());
        contact.email = Some("billing(at)nordlicht.example".to_owned());
    }
    let address = &mut invoice.seller.address;
    for _ in 0..rng.gen_range(0..=2) {
        address.lines.push(texts::text(rng));
    }
    if rng.gen_bool(0.2) {
        address.subdivision = Some(texts::text(rng));
    }
}

/// Credit transfer (SEPA with an IBAN, or an account number and BIC abroad) or card; what
/// XRechnung asks of each (BR-DE-23, BR-DE-24).
pub(super) fn payment(
    rng: &mut impl Rng,
    number: &str,
    features: &mut Vec<String>,
) -> PaymentInstructions {
    let remittance = rng.gen_bool(0.8).then(|| number.to_owned());
    let (means, transfer, card) = match rng.gen_range(0..10) {
        0..6 => {
            let iban = if rng.gen_bool(0.05) {
                // A wrong check digit, which XRechnung only warns about (BR-DE-19).
                features.push("warning: IBAN check digits".to_owned());
                "DE89370400440532013001"
            } else {
                IBANS.choose(rng).expect("IBANs")
            };
            let transfer = CreditTransfer {
                account_id: iban.to_owned(),
                account_name: rng.gen_bool(0.5).then(|| texts::text(rng)),
                bic: rng.gen_bool(0.5).then(|| "COBADEFFXXX".to_owned()),
            };
            (PaymentMeans::SepaCreditTransfer, Some(transfer), None)
        }
        6..8 => {
            let transfer = CreditTransfer {
                account_id: format!("{:012}", rng.gen_range(0..1_000_000_000_000u64)),
                account_name: rng.gen_bool(0.5).then(|| texts::text(rng)),
                bic: Some("CHASUS33XXX".to_owned()),
            };
            (PaymentMeans::CreditTransfer, Some(transfer), None)
        }
        _ => {
            let digits = rng.gen_range(4..=6);
            let card = PaymentCard {
                last_digits: (0..digits)
                    .map(|_| rng.gen_range(0..10).to_string())
                    .collect(),
                holder: rng.gen_bool(0.5).then(|| texts::text(rng)),
            };
            (PaymentMeans::Card, None, Some(card))
        }
    };
    features.push(format!("payment {}", means.code()));
    PaymentInstructions {
        means,
        remittance,
        transfer,
        card,
    }
}
