//! The XMP packet of the hybrid (ISO 19005-3 §6.6): the PDF/A-3b identification, the metadata
//! the Info dictionary repeats, and the Factur-X properties with the PDF/A extension schema
//! that declares them, as in the Factur-X 1.07 specification's sample (PDF/A accepts a property
//! outside the predefined schemas only when the packet describes it).

use std::borrow::Cow;

/// The Factur-X namespace; ZUGFeRD 2.x uses the same one.
const FX_NAMESPACE: &str = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

/// The xpacket header's byte order mark (XMP Part 1, §7.3.2): UTF-8 is told by it.
const BOM: char = '\u{FEFF}';

/// What the packet says about the document. The same values go into the Info dictionary, which
/// PDF/A requires to agree with the XMP.
pub(super) struct Described<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub creator_tool: &'a str,
    pub producer: &'a str,
    /// ISO 8601, as XMP dates are written.
    pub date: &'a str,
    /// The Factur-X properties.
    pub file_name: &'a str,
    pub conformance_level: &'a str,
}

/// The packet, with its `<?xpacket?>` wrapper, to be stored uncompressed.
pub(super) fn packet(d: &Described) -> String {
    let title = text(d.title);
    let author = text(d.author);
    let subject = text(d.subject);
    let creator_tool = text(d.creator_tool);
    let producer = text(d.producer);
    let file_name = text(d.file_name);
    let level = text(d.conformance_level);
    let date = text(d.date);
    format!(
        r#"<?xpacket begin="{BOM}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>{creator_tool}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:fx="{FX_NAMESPACE}">
   <fx:DocumentType>INVOICE</fx:DocumentType>
   <fx:DocumentFileName>{file_name}</fx:DocumentFileName>
   <fx:Version>1.0</fx:Version>
   <fx:ConformanceLevel>{level}</fx:ConformanceLevel>
  </rdf:Description>
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>{FX_NAMESPACE}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>fx</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
{properties}       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        properties = FX_PROPERTIES
            .iter()
            .map(|(name, description)| property(name, description))
            .collect::<String>(),
    )
}

/// The Factur-X properties and their descriptions, as the specification's extension schema
/// declares them.
const FX_PROPERTIES: &[(&str, &str)] = &[
    ("DocumentFileName", "name of the embedded XML invoice file"),
    ("DocumentType", "INVOICE"),
    ("Version", "The actual version of the Factur-X XML schema"),
    (
        "ConformanceLevel",
        "The conformance level of the embedded Factur-X data",
    ),
];

fn property(name: &str, description: &str) -> String {
    format!(
        r#"        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>{name}</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>{description}</pdfaProperty:description>
        </rdf:li>
"#
    )
}

/// Element text: control characters, which XML 1.0 cannot carry, are dropped, and markup is
/// escaped.
fn text(value: &str) -> Cow<'_, str> {
    if value.chars().any(char::is_control) {
        let kept: String = value.chars().filter(|c| !c.is_control()).collect();
        Cow::Owned(quick_xml::escape::escape(&kept).into_owned())
    } else {
        quick_xml::escape::escape(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_control_characters_dropped() {
        let packet = packet(&Described {
            title: "Invoice <A&B>",
            author: "Smith & Søn\u{7}",
            subject: "",
            creator_tool: "",
            producer: "",
            date: "2026-03-01T00:00:00+00:00",
            file_name: "factur-x.xml",
            conformance_level: "EN 16931",
        });
        assert!(packet.contains("Invoice &lt;A&amp;B&gt;"), "{packet}");
        assert!(
            packet.contains("<rdf:li>Smith &amp; Søn</rdf:li>"),
            "{packet}"
        );
        assert!(packet.starts_with("<?xpacket begin=\"\u{FEFF}\""));
        assert!(packet.ends_with("<?xpacket end=\"w\"?>"));
    }
}
