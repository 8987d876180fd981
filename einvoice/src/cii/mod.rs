//! UN/CEFACT Cross Industry Invoice D16B, as Factur-X 1.07 / ZUGFeRD 2.3 (profile EN 16931)
//! and XRechnung 3.0 CII read it. Elements follow the schema's sequence (the Factur-X
//! EN16931 XSD); the business terms map as the EN 16931-3-3 syntax binding says.

mod settlement;

use crate::{
    Format, Invoice,
    model::{AllowanceCharge, Buyer, Contact, Endpoint, Line, Period, PostalAddress, Seller},
    xml::{XmlWriter, contact_given, date_102, decimal, given},
};

const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
const RAM: &str =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";

/// The business process XRechnung's CII declares (BT-23), the same as Peppol's.
pub const BUSINESS_PROCESS: &str = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

/// The invoice as CII. `format` must be one written in CII ([`Format::FacturX`],
/// [`Format::XrechnungCii`]).
pub fn write(invoice: &Invoice, format: Format) -> Vec<u8> {
    assert_eq!(
        format.syntax(),
        crate::Syntax::Cii,
        "{format} is not written in CII"
    );
    let mut xml = XmlWriter::new();
    xml.start(
        "rsm:CrossIndustryInvoice",
        &[
            ("xmlns:rsm", RSM),
            ("xmlns:qdt", QDT),
            ("xmlns:ram", RAM),
            ("xmlns:udt", UDT),
        ],
    );
    xml.group("rsm:ExchangedDocumentContext", |xml| {
        if format == Format::XrechnungCii {
            xml.group(
                "ram:BusinessProcessSpecifiedDocumentContextParameter",
                |xml| {
                    xml.leaf("ram:ID", BUSINESS_PROCESS);
                },
            );
        }
        xml.group("ram:GuidelineSpecifiedDocumentContextParameter", |xml| {
            xml.leaf("ram:ID", format.specification());
        });
    });
    xml.group("rsm:ExchangedDocument", |xml| {
        xml.leaf("ram:ID", &invoice.number);
        xml.leaf("ram:TypeCode", invoice.type_code.code());
        date_time(xml, "ram:IssueDateTime", invoice.issue_date);
        for note in invoice.notes.iter().filter_map(|note| given(Some(note))) {
            xml.group("ram:IncludedNote", |xml| xml.leaf("ram:Content", note));
        }
    });
    xml.group("rsm:SupplyChainTradeTransaction", |xml| {
        for line in &invoice.lines {
            write_line(xml, line);
        }
        write_agreement(xml, invoice);
        write_delivery(xml, invoice);
        settlement::write(xml, invoice);
    });
    xml.end("rsm:CrossIndustryInvoice");
    xml.finish()
}

/// `<name><udt:DateTimeString format="102">YYYYMMDD</…></name>`.
pub(crate) fn date_time(xml: &mut XmlWriter, name: &str, date: chrono::NaiveDate) {
    xml.group(name, |xml| {
        xml.leaf_with("udt:DateTimeString", &[("format", "102")], &date_102(date));
    });
}

pub(crate) fn period(xml: &mut XmlWriter, period: &Period) {
    xml.group("ram:BillingSpecifiedPeriod", |xml| {
        date_time(xml, "ram:StartDateTime", period.start);
        date_time(xml, "ram:EndDateTime", period.end);
    });
}

/// `ram:ApplicableTradeTax` or `ram:CategoryTradeTax` of a line or an allowance: category
/// and rate, no rate for category `O` (BR-O-5..7), which the model holds as `None`.
pub(crate) fn category_tax(xml: &mut XmlWriter, name: &str, vat: &crate::model::VatRate) {
    xml.group(name, |xml| {
        xml.leaf("ram:TypeCode", "VAT");
        xml.leaf("ram:CategoryCode", &vat.category);
        if let Some(percent) = vat.percent {
            xml.leaf("ram:RateApplicablePercent", &decimal(percent));
        }
    });
}

/// BG-20/21 and BG-27/28: the same element, with a VAT category on document level only.
pub(crate) fn allowance_charge(xml: &mut XmlWriter, item: &AllowanceCharge) {
    xml.group("ram:SpecifiedTradeAllowanceCharge", |xml| {
        xml.group("ram:ChargeIndicator", |xml| {
            xml.leaf(
                "udt:Indicator",
                if item.is_charge { "true" } else { "false" },
            );
        });
        if let Some(percent) = item.percent {
            xml.leaf("ram:CalculationPercent", &decimal(percent));
        }
        if let Some(base) = item.base_amount {
            xml.leaf("ram:BasisAmount", &decimal(base));
        }
        xml.leaf("ram:ActualAmount", &decimal(item.amount));
        xml.opt_leaf("ram:ReasonCode", item.reason_code.as_deref());
        xml.opt_leaf("ram:Reason", item.reason.as_deref());
        if let Some(vat) = &item.vat {
            category_tax(xml, "ram:CategoryTradeTax", vat);
        }
    });
}

fn write_line(xml: &mut XmlWriter, line: &Line) {
    xml.group("ram:IncludedSupplyChainTradeLineItem", |xml| {
        xml.group("ram:AssociatedDocumentLineDocument", |xml| {
            xml.leaf("ram:LineID", &line.id);
            if let Some(note) = given(line.note.as_deref()) {
                xml.group("ram:IncludedNote", |xml| xml.leaf("ram:Content", note));
            }
        });
        xml.group("ram:SpecifiedTradeProduct", |xml| {
            xml.leaf("ram:Name", &line.item_name);
            xml.opt_leaf("ram:Description", line.item_description.as_deref());
        });
        let base_quantity = |xml: &mut XmlWriter| {
            if let Some(base) = line.price.base_quantity {
                xml.leaf_with(
                    "ram:BasisQuantity",
                    &[("unitCode", &line.unit)],
                    &decimal(base),
                );
            }
        };
        xml.group("ram:SpecifiedLineTradeAgreement", |xml| {
            if let Some(gross) = line.price.gross {
                xml.group("ram:GrossPriceProductTradePrice", |xml| {
                    xml.leaf("ram:ChargeAmount", &decimal(gross));
                    base_quantity(xml);
                    if let Some(discount) = line.price.discount {
                        xml.group("ram:AppliedTradeAllowanceCharge", |xml| {
                            xml.group("ram:ChargeIndicator", |xml| {
                                xml.leaf("udt:Indicator", "false");
                            });
                            xml.leaf("ram:ActualAmount", &decimal(discount));
                        });
                    }
                });
            }
            xml.group("ram:NetPriceProductTradePrice", |xml| {
                xml.leaf("ram:ChargeAmount", &decimal(line.price.net));
                base_quantity(xml);
            });
        });
        xml.group("ram:SpecifiedLineTradeDelivery", |xml| {
            xml.leaf_with(
                "ram:BilledQuantity",
                &[("unitCode", &line.unit)],
                &decimal(line.quantity),
            );
        });
        xml.group("ram:SpecifiedLineTradeSettlement", |xml| {
            category_tax(xml, "ram:ApplicableTradeTax", &line.vat);
            if let Some(line_period) = &line.period {
                period(xml, line_period);
            }
            for item in &line.allowances_charges {
                allowance_charge(xml, item);
            }
            xml.group("ram:SpecifiedTradeSettlementLineMonetarySummation", |xml| {
                xml.leaf("ram:LineTotalAmount", &decimal(line.net_amount));
            });
        });
    });
}

fn write_agreement(xml: &mut XmlWriter, invoice: &Invoice) {
    xml.group("ram:ApplicableHeaderTradeAgreement", |xml| {
        xml.opt_leaf("ram:BuyerReference", invoice.buyer_reference.as_deref());
        write_seller(xml, &invoice.seller);
        write_buyer(xml, &invoice.buyer);
        if let Some(order) = given(invoice.order_reference.as_deref()) {
            xml.group("ram:BuyerOrderReferencedDocument", |xml| {
                xml.leaf("ram:IssuerAssignedID", order);
            });
        }
    });
}

fn write_seller(xml: &mut XmlWriter, seller: &Seller) {
    xml.group("ram:SellerTradeParty", |xml| {
        xml.leaf("ram:Name", &seller.name);
        xml.opt_leaf("ram:Description", seller.legal_info.as_deref());
        legal_organization(
            xml,
            seller.legal_registration.as_deref(),
            seller.trading_name.as_deref(),
        );
        if let Some(contact) = &seller.contact {
            trade_contact(xml, contact);
        }
        address(xml, "ram:PostalTradeAddress", &seller.address);
        if let Some(endpoint) = &seller.endpoint {
            uri_communication(xml, endpoint);
        }
        tax_registration(xml, "VA", seller.vat_id.as_deref());
        tax_registration(xml, "FC", seller.tax_registration.as_deref());
    });
}

fn write_buyer(xml: &mut XmlWriter, buyer: &Buyer) {
    xml.group("ram:BuyerTradeParty", |xml| {
        xml.leaf("ram:Name", &buyer.name);
        legal_organization(
            xml,
            buyer.legal_registration.as_deref(),
            buyer.trading_name.as_deref(),
        );
        if let Some(contact) = &buyer.contact {
            trade_contact(xml, contact);
        }
        address(xml, "ram:PostalTradeAddress", &buyer.address);
        if let Some(endpoint) = &buyer.endpoint {
            uri_communication(xml, endpoint);
        }
        tax_registration(xml, "VA", buyer.vat_id.as_deref());
    });
}

/// BT-30/47 (the registration) and BT-28/45 (the trading name) share one element.
fn legal_organization(xml: &mut XmlWriter, id: Option<&str>, trading_name: Option<&str>) {
    let (id, trading_name) = (given(id), given(trading_name));
    if id.is_none() && trading_name.is_none() {
        return;
    }
    xml.group("ram:SpecifiedLegalOrganization", |xml| {
        xml.opt_leaf("ram:ID", id);
        xml.opt_leaf("ram:TradingBusinessName", trading_name);
    });
}

fn trade_contact(xml: &mut XmlWriter, contact: &Contact) {
    if !contact_given(contact) {
        return;
    }
    xml.group("ram:DefinedTradeContact", |xml| {
        xml.opt_leaf("ram:PersonName", contact.name.as_deref());
        if let Some(phone) = given(contact.phone.as_deref()) {
            xml.group("ram:TelephoneUniversalCommunication", |xml| {
                xml.leaf("ram:CompleteNumber", phone);
            });
        }
        if let Some(email) = given(contact.email.as_deref()) {
            xml.group("ram:EmailURIUniversalCommunication", |xml| {
                xml.leaf("ram:URIID", email);
            });
        }
    });
}

pub(crate) fn address(xml: &mut XmlWriter, name: &str, address: &PostalAddress) {
    xml.group(name, |xml| {
        xml.opt_leaf("ram:PostcodeCode", address.postal_code.as_deref());
        for (line, element) in
            address
                .lines
                .iter()
                .zip(["ram:LineOne", "ram:LineTwo", "ram:LineThree"])
        {
            xml.opt_leaf(element, Some(line));
        }
        xml.opt_leaf("ram:CityName", address.city.as_deref());
        xml.leaf("ram:CountryID", &address.country);
        xml.opt_leaf("ram:CountrySubDivisionName", address.subdivision.as_deref());
    });
}

fn uri_communication(xml: &mut XmlWriter, endpoint: &Endpoint) {
    xml.group("ram:URIUniversalCommunication", |xml| {
        xml.leaf_with("ram:URIID", &[("schemeID", &endpoint.scheme)], &endpoint.id);
    });
}

/// `VA`: a VAT identifier (BT-31/48); `FC`: a local tax number (BT-32).
fn tax_registration(xml: &mut XmlWriter, scheme: &str, id: Option<&str>) {
    if let Some(id) = given(id) {
        xml.group("ram:SpecifiedTaxRegistration", |xml| {
            xml.leaf_with("ram:ID", &[("schemeID", scheme)], id);
        });
    }
}

fn write_delivery(xml: &mut XmlWriter, invoice: &Invoice) {
    // The element is required even when nothing about delivery is known.
    xml.group("ram:ApplicableHeaderTradeDelivery", |xml| {
        if let Some(delivery_address) = &invoice.delivery_address {
            xml.group("ram:ShipToTradeParty", |xml| {
                address(xml, "ram:PostalTradeAddress", delivery_address);
            });
        }
        if let Some(date) = invoice.delivery_date {
            xml.group("ram:ActualDeliverySupplyChainEvent", |xml| {
                date_time(xml, "ram:OccurrenceDateTime", date);
            });
        }
    });
}
