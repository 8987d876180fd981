//! PEPPOL-EN16931-R008, "Document MUST not contain empty elements" (Peppol BIS; KoSIT merges it
//! into both XRechnung syntaxes). The writers leave blank optional values out (`xml::given`),
//! so an empty element comes from a value the syntax requires and the model holds blank: a
//! country code, a name, a line id, an endpoint. Which elements those are is the written
//! document's business, so this rule reads the document the way the schematron does: every
//! element without child elements whose text is blank (`//*[not(*) and not(normalize-space())]`),
//! less what the format's file exempts. The rule is alone in its schematron pattern in all
//! three files, so it shadows no other rule and none shadows it.

use quick_xml::{Reader, events::Event};

use super::Rules;
use crate::{Format, write};

const RULE: &str = "PEPPOL-EN16931-R008";

pub(super) fn check(r: &mut Rules) {
    // (element, parent) pairs the file's context or assert lets through.
    let exempt: &[(&str, Option<&str>)] = match r.format {
        // Required, and empty when nothing about the delivery is known (cii/mod.rs).
        Format::XrechnungCii => &[("ram:ApplicableHeaderTradeDelivery", None)],
        Format::XrechnungUbl => &[("cbc:ID", Some("cac:OrderReference"))],
        Format::PeppolUbl => &[],
        // Not a rule of EN 16931 alone.
        Format::FacturX => return,
    };
    for (element, parent) in empty_leaves(&write(r.inv, r.format)) {
        let let_through = exempt.iter().any(|&(name, under)| {
            name == element && under.is_none_or(|under| Some(under) == parent.as_deref())
        });
        if !let_through {
            let at = match parent {
                Some(parent) => format!("{parent}/{element}"),
                None => element,
            };
            r.fail(RULE, None, Some(at));
        }
    }
}

/// Every element without child elements and without text other than XML white space (what
/// `normalize-space()` removes), by name, with its parent's name.
fn empty_leaves(xml: &[u8]) -> Vec<(String, Option<String>)> {
    struct Open {
        name: String,
        children: bool,
        text: bool,
    }
    let mut reader = Reader::from_reader(xml);
    let mut open: Vec<Open> = Vec::new();
    let mut empty = Vec::new();
    loop {
        let event = reader
            .read_event()
            .expect("the writers write well-formed XML");
        if let Event::Start(_) | Event::Empty(_) = event
            && let Some(parent) = open.last_mut()
        {
            parent.children = true;
        }
        match event {
            Event::Start(start) => open.push(Open {
                name: start.name().as_ref().to_owned(),
                children: false,
                text: false,
            }),
            Event::Empty(element) => {
                let parent = open.last().map(|parent| parent.name.clone());
                empty.push((element.name().as_ref().to_owned(), parent));
            }
            Event::Text(text) => {
                let blank = text
                    .as_ref()
                    .chars()
                    .all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
                if let Some(element) = open.last_mut().filter(|_| !blank) {
                    element.text = true;
                }
            }
            // An escaped character (`&amp;`) or a CDATA section is text.
            Event::GeneralRef(_) | Event::CData(_) => {
                if let Some(element) = open.last_mut() {
                    element.text = true;
                }
            }
            Event::End(_) => {
                let element = open.pop().expect("an end tag closes an element");
                if !element.children && !element.text {
                    let parent = open.last().map(|parent| parent.name.clone());
                    empty.push((element.name, parent));
                }
            }
            Event::Eof => return empty,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::empty_leaves;

    #[test]
    fn finds_leaves_with_only_white_space() {
        let xml = b"<a><b> \n </b><c>x</c><d><e/></d><f>&amp;</f><g></g></a>";
        let found: Vec<_> = empty_leaves(xml)
            .into_iter()
            .map(|(name, parent)| (name, parent.unwrap_or_default()))
            .collect();
        let expected = [("b", "a"), ("e", "d"), ("g", "a")]
            .map(|(name, parent)| (name.to_owned(), parent.to_owned()));
        assert_eq!(found, expected);
    }
}
