//! The small vocabulary both syntaxes are written in: elements opened and closed by name,
//! leaves with text, and optional leaves that vanish when the field is empty. quick-xml does
//! the writing and escapes every text and attribute value; the output is UTF-8 with the XML
//! declaration, no BOM, indented by two spaces, so the same invoice always gives the same bytes.

use chrono::NaiveDate;
use quick_xml::{
    Writer,
    events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event},
};
use rust_decimal::Decimal;

use crate::model::Contact;

/// An XML document being written into memory.
pub(crate) struct XmlWriter {
    inner: Writer<Vec<u8>>,
}

/// Writing into a `Vec` cannot fail; quick-xml's `io::Result` is for other sinks.
const IN_MEMORY: &str = "writing XML into memory cannot fail";

impl XmlWriter {
    pub(crate) fn new() -> Self {
        let mut inner = Writer::new_with_indent(Vec::new(), b' ', 2);
        inner
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .expect(IN_MEMORY);
        Self { inner }
    }

    /// Opens `name` with its attributes.
    pub(crate) fn start(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let start = BytesStart::new(name).with_attributes(attributes.iter().copied());
        self.inner
            .write_event(Event::Start(start))
            .expect(IN_MEMORY);
    }

    pub(crate) fn end(&mut self, name: &str) {
        self.inner
            .write_event(Event::End(BytesEnd::new(name)))
            .expect(IN_MEMORY);
    }

    /// `<name>…</name>` around whatever `body` writes.
    pub(crate) fn group(&mut self, name: &str, body: impl FnOnce(&mut Self)) {
        self.start(name, &[]);
        body(self);
        self.end(name);
    }

    /// `<name attributes>text</name>`.
    pub(crate) fn leaf_with(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.inner
            .create_element(name)
            .with_attributes(attributes.iter().copied())
            .write_text_content(BytesText::new(text))
            .expect(IN_MEMORY);
    }

    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    /// An optional field: no element at all when it is blank (see [`given`]).
    pub(crate) fn opt_leaf(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = given(text) {
            self.leaf(name, text);
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        let mut bytes = self.inner.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

/// An optional text that is there and not blank. Blank optional values are left out rather
/// than written as empty elements, which Peppol and XRechnung refuse (PEPPOL-EN16931-R008);
/// the business rules read presence the same way (`rules::filled`).
pub(crate) fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|text| !text.trim().is_empty())
}

/// A contact is written when one of its fields is [`given`]; an empty contact element would
/// be an empty element too.
pub(crate) fn contact_given(contact: &Contact) -> bool {
    [&contact.name, &contact.phone, &contact.email]
        .iter()
        .any(|field| given(field.as_deref()).is_some())
}

/// A decimal with exactly the places it holds (`12.50` stays `12.50`, `1250` JPY stays `1250`):
/// EN 16931 leaves precision to the data, and BR-DEC limits currency amounts to two places,
/// which the business rules check rather than the writer hiding it by rounding.
///
/// Zero is written without a sign: `-0.00` (which decimal arithmetic can leave) is a valid
/// `xs:decimal`, but Saxon, which runs the official schematrons, compares it as unequal to 0
/// (`xs:untypedAtomic('-0.00') = 0` is false), and CII's BR-S-08 then fails.
pub(crate) fn decimal(mut value: Decimal) -> String {
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    value.to_string()
}

/// CII's `udt:DateTimeString format="102"`.
pub(crate) fn date_102(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// UBL's `xsd:date` without a time zone.
pub(crate) fn date_iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut xml = XmlWriter::new();
        xml.leaf_with("a", &[("b", "\"<&>'")], "Müller & Söhne <GmbH>");
        let text = String::from_utf8(xml.finish()).unwrap();
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(text.contains("Müller &amp; Söhne &lt;GmbH&gt;"), "{text}");
        assert!(text.contains("b=\"&quot;&lt;&amp;&gt;&apos;\""), "{text}");
    }

    #[test]
    fn empty_optional_fields_leave_no_element() {
        let mut xml = XmlWriter::new();
        xml.opt_leaf("a", None);
        xml.opt_leaf("b", Some(""));
        xml.opt_leaf("c", Some("x"));
        xml.opt_leaf("d", Some(" \n\t"));
        let text = String::from_utf8(xml.finish()).unwrap();
        assert!(!text.contains("<a") && !text.contains("<b"), "{text}");
        assert!(!text.contains("<d"), "{text}");
        assert!(text.contains("<c>x</c>"), "{text}");
    }

    #[test]
    fn decimals_keep_their_places() {
        assert_eq!(decimal(Decimal::new(1250, 2)), "12.50");
        assert_eq!(decimal(Decimal::new(1250, 0)), "1250");
        assert_eq!(decimal(Decimal::new(-5, 1)), "-0.5");
        let zero = Decimal::new(5, 2) - Decimal::new(5, 2);
        assert_eq!(decimal(-zero), "0.00");
    }
}
