//! UBL's `cac:AccountingSupplierParty` (BG-4) and `cac:AccountingCustomerParty` (BG-7).

use crate::{
    model::{Buyer, Contact, Endpoint, PostalAddress, Seller},
    xml::{XmlWriter, contact_given, given},
};

pub(super) fn seller(xml: &mut XmlWriter, seller: &Seller) {
    xml.group("cac:AccountingSupplierParty", |xml| {
        xml.group("cac:Party", |xml| {
            endpoint(xml, seller.endpoint.as_ref());
            party_name(xml, seller.trading_name.as_deref());
            address(xml, "cac:PostalAddress", &seller.address);
            party_tax_scheme(xml, seller.vat_id.as_deref(), "VAT");
            // BT-32, a local tax number: any tax scheme but VAT marks it (EN 16931-3-2).
            party_tax_scheme(xml, seller.tax_registration.as_deref(), "FC");
            xml.group("cac:PartyLegalEntity", |xml| {
                xml.leaf("cbc:RegistrationName", &seller.name);
                xml.opt_leaf("cbc:CompanyID", seller.legal_registration.as_deref());
                xml.opt_leaf("cbc:CompanyLegalForm", seller.legal_info.as_deref());
            });
            contact(xml, seller.contact.as_ref());
        });
    });
}

pub(super) fn buyer(xml: &mut XmlWriter, buyer: &Buyer) {
    xml.group("cac:AccountingCustomerParty", |xml| {
        xml.group("cac:Party", |xml| {
            endpoint(xml, buyer.endpoint.as_ref());
            party_name(xml, buyer.trading_name.as_deref());
            address(xml, "cac:PostalAddress", &buyer.address);
            party_tax_scheme(xml, buyer.vat_id.as_deref(), "VAT");
            xml.group("cac:PartyLegalEntity", |xml| {
                xml.leaf("cbc:RegistrationName", &buyer.name);
                xml.opt_leaf("cbc:CompanyID", buyer.legal_registration.as_deref());
            });
            contact(xml, buyer.contact.as_ref());
        });
    });
}

fn endpoint(xml: &mut XmlWriter, endpoint: Option<&Endpoint>) {
    if let Some(endpoint) = endpoint {
        xml.leaf_with(
            "cbc:EndpointID",
            &[("schemeID", &endpoint.scheme)],
            &endpoint.id,
        );
    }
}

fn party_name(xml: &mut XmlWriter, trading_name: Option<&str>) {
    if let Some(name) = given(trading_name) {
        xml.group("cac:PartyName", |xml| xml.leaf("cbc:Name", name));
    }
}

/// `cac:PostalAddress` of a party, `cac:Address` of a delivery.
pub(super) fn address(xml: &mut XmlWriter, name: &str, address: &PostalAddress) {
    xml.group(name, |xml| {
        let mut lines = address
            .lines
            .iter()
            .filter_map(|line| given(Some(line.as_str())));
        xml.opt_leaf("cbc:StreetName", lines.next());
        xml.opt_leaf("cbc:AdditionalStreetName", lines.next());
        xml.opt_leaf("cbc:CityName", address.city.as_deref());
        xml.opt_leaf("cbc:PostalZone", address.postal_code.as_deref());
        xml.opt_leaf("cbc:CountrySubentity", address.subdivision.as_deref());
        if let Some(third) = lines.next() {
            xml.group("cac:AddressLine", |xml| xml.leaf("cbc:Line", third));
        }
        xml.group("cac:Country", |xml| {
            xml.leaf("cbc:IdentificationCode", &address.country);
        });
    });
}

fn party_tax_scheme(xml: &mut XmlWriter, id: Option<&str>, scheme: &str) {
    if let Some(id) = given(id) {
        xml.group("cac:PartyTaxScheme", |xml| {
            xml.leaf("cbc:CompanyID", id);
            xml.group("cac:TaxScheme", |xml| xml.leaf("cbc:ID", scheme));
        });
    }
}

fn contact(xml: &mut XmlWriter, contact: Option<&Contact>) {
    let Some(contact) = contact.filter(|contact| contact_given(contact)) else {
        return;
    };
    xml.group("cac:Contact", |xml| {
        xml.opt_leaf("cbc:Name", contact.name.as_deref());
        xml.opt_leaf("cbc:Telephone", contact.phone.as_deref());
        xml.opt_leaf("cbc:ElectronicMail", contact.email.as_deref());
    });
}
