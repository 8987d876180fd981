//! The larger pieces the golden corpus varies: parties abroad, a Belgian seller, multilingual
//! texts, a long invoice.

use super::build::{Sample, With, allowance, base, date, endpoint, line, percent, s};
use crate::model::{
    CreditTransfer, Invoice, PaymentInstructions, PaymentMeans, Period, PostalAddress,
};
pub(super) fn two_rates(number: &str) -> Sample {
    base(number).lines(vec![
        line("Training day", "2", "DAY", "890.00", s("19")),
        line("Course book", "12", "C62", "24.90", s("7")),
    ])
}

pub fn february() -> Period {
    Period {
        start: date("2026-02-01"),
        end: date("2026-02-28"),
    }
}

fn foreign_buyer(invoice: &mut Invoice, name: &str, vat_id: Option<&str>, address: PostalAddress) {
    invoice.buyer.name = name.to_owned();
    invoice.buyer.vat_id = vat_id.map(str::to_owned);
    invoice.buyer.address = address;
    invoice.buyer_reference = Some("PO-77-2026".to_owned());
}

fn address(line: &str, city: &str, postal_code: &str, country: &str) -> PostalAddress {
    PostalAddress {
        lines: vec![line.to_owned()],
        city: Some(city.to_owned()),
        postal_code: Some(postal_code.to_owned()),
        subdivision: None,
        country: country.to_owned(),
    }
}

pub fn buyer_in_austria(invoice: &mut Invoice) {
    let at = address("Mariahilfer Straße 12", "Wien", "1060", "AT");
    foreign_buyer(invoice, "Alpenbau GmbH", Some("ATU12345678"), at);
    invoice.buyer.endpoint = Some(endpoint("9914", "ATU12345678"));
}

pub fn buyer_in_france(invoice: &mut Invoice) {
    let fr = address("12 rue de la Paix", "Paris", "75002", "FR");
    foreign_buyer(
        invoice,
        "Capteurs de France SARL",
        Some("FR32123456789"),
        fr,
    );
    invoice.buyer.endpoint = Some(endpoint("9957", "FR32123456789"));
    let site = address("Zone industrielle, bâtiment 4", "Lyon", "69007", "FR");
    invoice.delivery_address = Some(site);
}

pub fn buyer_in_the_us(invoice: &mut Invoice) {
    let us = address("500 Market Street", "San Francisco", "94105", "US");
    foreign_buyer(invoice, "Pacific Machines Inc.", None, us);
    invoice.buyer.endpoint = Some(endpoint("0060", "123456789"));
    invoice.buyer.address.subdivision = Some("CA".to_owned());
}

pub fn belgian_seller(number: &str) -> Sample {
    base(number)
        .with(|invoice| {
            let seller = &mut invoice.seller;
            seller.name = "Brusselse Bouwmaterialen NV".to_owned();
            seller.vat_id = Some("BE0403170701".to_owned());
            seller.legal_registration = Some("0403170701".to_owned());
            seller.legal_info = None;
            seller.endpoint = Some(endpoint("0208", "0403170701"));
            seller.address = address("Wetstraat 16", "Brussel", "1000", "BE");
            invoice.buyer.vat_id = Some("DE987654321".to_owned());
            invoice.payment = Some(PaymentInstructions {
                means: PaymentMeans::SepaCreditTransfer,
                remittance: Some(number.to_owned()),
                transfer: Some(CreditTransfer {
                    account_id: "BE68539007547034".to_owned(),
                    account_name: None,
                    bic: Some("GKCCBEBB".to_owned()),
                }),
                card: None,
            });
        })
        .lines(vec![
            line("Bricks, pallet", "6", "C62", "312.00", s("21")),
            line("Renovation works", "10", "HUR", "48.00", s("6")),
        ])
}

/// Long texts in several scripts, with an emoji, in notes, names and descriptions.
pub fn non_latin(number: &str) -> Sample {
    let long = "Ελληνικά: Η παράδοση έγινε σύμφωνα με τη σύμβαση. \
        Русский: Поставка выполнена в соответствии с договором. \
        中文：货物已按照合同交付。日本語：契約に従って納品しました。한국어: 계약에 따라 납품되었습니다. \
        العربية: تم التسليم وفقًا للعقد. עברית: המשלוח בוצע בהתאם לחוזה. "
        .repeat(6);
    base(number)
        .with(|invoice| {
            invoice.notes = vec![
                long.trim_end().to_owned(),
                "Thank you for your order! 🎉📦 Merci, Danke, Спасибо, 谢谢, شكرا".to_owned(),
            ];
            invoice.buyer.name = "Ελληνική Εταιρεία Λογισμικού Α.Ε.".to_owned();
            invoice.buyer.address = address("Οδός Ερμού 25", "Αθήνα", "10563", "GR");
            invoice.buyer_reference = Some("Παραγγελία-42".to_owned());
        })
        .lines(vec![
            line(
                "Программное обеспечение «Бухгалтерия»",
                "1",
                "C62",
                "800.00",
                s("19"),
            )
            .with(|line| line.item_description = Some("年度许可证，含更新与支持服务。".to_owned())),
            line("دعم فني", "5", "HUR", "60.00", s("19"))
                .with(|line| line.note = Some("🛠️ Remote support, Ω-level SLA".to_owned())),
        ])
}

/// Twenty-five lines over two rates, quantities with decimals, an allowance on some.
pub(super) fn many_lines(number: &str) -> Sample {
    let lines = (1..=25)
        .map(|n| {
            let vat = if n % 4 == 0 { s("7") } else { s("19") };
            let quantity = format!("{}.{}", n % 7 + 1, n % 10);
            let price = format!("{}.{:02}", 3 * n + 1, (n * 37) % 100);
            line(&format!("Article {n:02}"), &quantity, "KGM", &price, vat).with(|line| {
                if n % 5 == 0 {
                    line.allowances_charges
                        .push(percent(allowance("0", "Quantity discount", "95"), "2"));
                }
            })
        })
        .collect();
    base(number).lines(lines).with(|invoice| {
        invoice.period = Some(february());
        invoice.payment = Some(PaymentInstructions {
            means: PaymentMeans::SepaCreditTransfer,
            remittance: Some(number.to_owned()),
            transfer: Some(CreditTransfer {
                account_id: "DE02120300000000202051".to_owned(),
                account_name: Some("Nordlicht Software GmbH".to_owned()),
                bic: None,
            }),
            card: None,
        });
    })
}
