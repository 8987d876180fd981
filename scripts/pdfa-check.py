#!/usr/bin/env python3
"""Structural checks of a Factur-X invoice: a PDF/A-3b file that embeds its CII XML.

veraPDF (the reference PDF/A validator) needs a JVM and is not installable here, so this
asserts, with pikepdf (libqpdf) and the PyPI factur-x and drafthorse readers, the points of
ISO 19005-3 (PDF/A-3) and Factur-X 1.07 that the product's writer is responsible for. Run it
with the referee venv's Python (scripts/lib.sh, ensure_einvoice_referees):

    pdfa-check.py INVOICE.pdf EXPECTED.xml [--level "EN 16931"]

Prints a JSON verdict on stdout, {"passed": bool, "failed": [{"check", "detail"}], "checks"},
and exits 1 when a check failed (2 when the arguments are wrong).

Checks, by name:
  syntax                qpdf's --check finds nothing (pikepdf's check_pdf_syntax, and the
                        qpdf command too when it is installed)
  not_encrypted         no encryption (§6.1.3)
  header                version 1.7 or later on the first line and a binary comment of four
                        bytes above 127 on the second (§6.1.2)
  trailer_id            the trailer's /ID: two strings (§6.1.3)
  fonts_embedded        every font of every page, form XObject and annotation appearance, the
                        descendants of Type0 fonts included, has its FontFile, FontFile2 or
                        FontFile3 (§6.2.11.4); Type3 fonts are drawn by the file itself
  no_javascript         no JavaScript action or name tree (§6.6.1)
  output_intent         one /GTS_PDFA1 output intent whose DestOutputProfile has N 3 (§6.2.3)
  icc_profile           that profile is an ICC v2 or v4 RGB display or output profile that
                        LittleCMS (Pillow) opens and that maps colours as LittleCMS's own sRGB
  xmp_packet            the catalog's metadata stream is unfiltered and has its xpacket wrapper
  xmp_pdfa              pdfaid:part 3, pdfaid:conformance B
  xmp_facturx           fx:DocumentType INVOICE, fx:DocumentFileName factur-x.xml, fx:Version
                        1.0, fx:ConformanceLevel as --level
  xmp_extension_schema  the pdfaExtension description of the fx namespace and its four
                        properties (§6.6.2.3.3)
  info_matches_xmp      each Info entry agrees with its XMP counterpart (§6.6.2.3.1)
  attachment            factur-x.xml in the EmbeddedFiles name tree: a Filespec with /F and
                        /UF, /AFRelationship /Data, an EmbeddedFile of /Subtype text/xml with
                        /Params /ModDate and /Size (and /CheckSum, when present, the MD5)
  catalog_af            the catalog's /AF array holds that file specification (§6.8)
  xml_equal             the embedded bytes are EXPECTED.xml's
  facturx_reader        factur-x's get_xml_from_pdf finds factur-x.xml with those bytes
  facturx_xsd           factur-x's xml_check_xsd accepts them (the Factur-X XSD of their level)
  drafthorse_parse      drafthorse parses them
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import sys

import pikepdf
from lxml import etree

FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {
    "rdf": RDF_NS,
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
FILE_NAME = "factur-x.xml"
FX_PROPERTIES = ("DocumentFileName", "DocumentType", "Version", "ConformanceLevel")


class Verdict:
    def __init__(self) -> None:
        self.checks: list[str] = []
        self.failed: list[dict[str, str]] = []

    def check(self, name: str, problems: list[str]) -> bool:
        self.checks.append(name)
        if problems:
            self.failed.append({"check": name, "detail": "; ".join(problems)})
        return not problems


def syntax(path: str, pdf: pikepdf.Pdf) -> list[str]:
    problems = [p for p in pdf.check_pdf_syntax() if p]
    qpdf = shutil.which("qpdf")
    if qpdf:
        run = subprocess.run([qpdf, "--check", path], capture_output=True, text=True)
        if run.returncode != 0:
            problems.append(f"qpdf --check exited {run.returncode}: {run.stdout}{run.stderr}")
    return problems


def header(raw: bytes) -> list[str]:
    lines = raw.split(b"\n", 2)
    problems = []
    if not lines[0].startswith(b"%PDF-"):
        return [f"first line is {lines[0][:16]!r}"]
    try:
        version = tuple(int(n) for n in lines[0][5:].strip().split(b"."))
    except ValueError:
        return [f"first line is {lines[0][:16]!r}"]
    if version < (1, 7):
        problems.append(f"version {lines[0][5:].decode(errors='replace')} is before 1.7")
    comment = lines[1].rstrip(b"\r") if len(lines) > 1 else b""
    if not (comment.startswith(b"%") and len(comment) >= 5 and all(b > 127 for b in comment[1:5])):
        problems.append(f"second line {comment[:8]!r} is not a binary comment")
    return problems


def trailer_id(pdf: pikepdf.Pdf) -> list[str]:
    ids = pdf.trailer.get("/ID")
    if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
        return [f"/ID is {ids!r}"]
    if not all(isinstance(i, pikepdf.String) and len(bytes(i)) > 0 for i in ids):
        return ["/ID holds something other than two non-empty strings"]
    return []


def _font_problems(name: str, font: pikepdf.Dictionary) -> list[str]:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return []
    if subtype == "/Type0":
        problems = []
        for descendant in font.get("/DescendantFonts", []):
            problems += _font_problems(f"{name} (descendant)", descendant)
        if not font.get("/DescendantFonts"):
            problems.append(f"{name}: Type0 font without DescendantFonts")
        return problems
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return [f"{name}: {font.get('/BaseFont')} has no FontDescriptor (not embedded)"]
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return [f"{name}: {font.get('/BaseFont')} has no FontFile, FontFile2 or FontFile3"]
    return []


def _resources_fonts(resources, where: str, seen: set, problems: list[str]) -> int:
    """Checks the fonts of a resource dictionary and of the form XObjects it uses."""
    if resources is None or resources.objgen in seen and resources.objgen != (0, 0):
        return 0
    seen.add(resources.objgen)
    count = 0
    for name, font in (resources.get("/Font") or {}).items():
        count += 1
        problems += _font_problems(f"{where} {name}", font)
    for name, xobject in (resources.get("/XObject") or {}).items():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            count += _resources_fonts(xobject.get("/Resources"), f"{where} {name}", seen, problems)
    return count


def fonts_embedded(pdf: pikepdf.Pdf) -> list[str]:
    problems: list[str] = []
    seen: set = set()
    count = 0
    for number, page in enumerate(pdf.pages, start=1):
        count += _resources_fonts(page.obj.get("/Resources"), f"page {number}", seen, problems)
        for annot in page.obj.get("/Annots", []):
            for appearance in (annot.get("/AP") or {}).values():
                streams = appearance.values() if isinstance(appearance, pikepdf.Dictionary) else [appearance]
                for stream in streams:
                    if isinstance(stream, pikepdf.Stream):
                        count += _resources_fonts(stream.get("/Resources"), f"page {number} annotation", seen, problems)
    if count == 0:
        problems.append("no font at all: the invoice's text is missing")
    return problems


def no_javascript(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        problems.append("the catalog's name tree has /JavaScript")
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            if obj.get("/S") == "/JavaScript" or "/JS" in obj:
                problems.append(f"object {obj.objgen} is a JavaScript action")
    return problems


def output_profile(pdf: pikepdf.Pdf, verdict: Verdict) -> pikepdf.Stream | None:
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array):
        verdict.check("output_intent", ["the catalog has no /OutputIntents"])
        return None
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    problems = []
    if not pdfa:
        problems.append("no output intent with /S /GTS_PDFA1")
    profiles = {i.DestOutputProfile.objgen for i in intents if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        problems.append("output intents with different profiles")
    profile = pdfa[0].get("/DestOutputProfile") if pdfa else None
    if pdfa and not isinstance(profile, pikepdf.Stream):
        problems.append("the PDF/A output intent has no DestOutputProfile stream")
        profile = None
    if profile is not None and profile.get("/N") != 3:
        problems.append(f"DestOutputProfile /N is {profile.get('/N')}, not 3 (RGB)")
    if pdfa and "/OutputConditionIdentifier" not in pdfa[0]:
        problems.append("no /OutputConditionIdentifier")
    verdict.check("output_intent", problems)
    return profile


def icc_profile(data: bytes) -> list[str]:
    from PIL import Image, ImageCms

    problems = []
    if len(data) < 128 or data[36:40] != b"acsp":
        return ["not an ICC profile (no acsp signature)"]
    if data[8] not in (2, 4):
        problems.append(f"ICC version {data[8]}.{data[9] >> 4} (PDF 1.7 reads v2 and v4)")
    if data[12:16] not in (b"mntr", b"prtr"):
        problems.append(f"device class {data[12:16]!r}, not a display or output profile")
    if data[16:20] != b"RGB ":
        problems.append(f"colour space {data[16:20]!r}, not RGB")
    try:
        embedded = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (ImageCms.PyCMSError, OSError) as error:
        return problems + [f"LittleCMS cannot open it: {error}"]
    # The same colours through the embedded profile and through LittleCMS's sRGB, to Lab.
    swatch = Image.new("RGB", (8, 1))
    swatch.putdata([(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255),
                    (0, 0, 0), (128, 128, 128), (200, 120, 40), (30, 160, 220)])
    lab = ImageCms.createProfile("LAB")
    reference = ImageCms.createProfile("sRGB")
    ours = ImageCms.applyTransform(swatch, ImageCms.buildTransform(embedded, lab, "RGB", "LAB"))
    theirs = ImageCms.applyTransform(swatch, ImageCms.buildTransform(reference, lab, "RGB", "LAB"))
    for a, b in zip(ours.getdata(), theirs.getdata()):
        if max(abs(x - y) for x, y in zip(a, b)) > 2:
            problems.append(f"maps a colour to Lab {a} where sRGB gives {b}")
            break
    return problems


def _xmp_dates_equal(pdf_date: str, xmp_date: str) -> bool:
    try:
        from pikepdf.models.metadata import decode_pdf_date

        left = decode_pdf_date(pdf_date)
        right = dt.datetime.fromisoformat(xmp_date.replace("Z", "+00:00"))
    except (ValueError, ImportError):
        return False
    if (left.tzinfo is None) != (right.tzinfo is None):
        return False
    return left == right


def xmp_checks(pdf: pikepdf.Pdf, verdict: Verdict, level: str) -> None:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        for name in ("xmp_packet", "xmp_pdfa", "xmp_facturx", "xmp_extension_schema", "info_matches_xmp"):
            verdict.check(name, ["the catalog has no /Metadata stream"])
        return
    raw = stream.read_bytes()
    problems = []
    if "/Filter" in stream:
        problems.append(f"the metadata stream is filtered ({stream.Filter})")
    text = raw.decode("utf-8", errors="replace")
    if "<?xpacket begin=" not in text or "<?xpacket end=" not in text:
        problems.append("no <?xpacket?> wrapper")
    verdict.check("xmp_packet", problems)

    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False, strict=True)
    problems = []
    if meta.get(f"{{{PDFAID_NS}}}part") != "3":
        problems.append(f"pdfaid:part is {meta.get(f'{{{PDFAID_NS}}}part')!r}")
    if meta.get(f"{{{PDFAID_NS}}}conformance") != "B":
        problems.append(f"pdfaid:conformance is {meta.get(f'{{{PDFAID_NS}}}conformance')!r}")
    verdict.check("xmp_pdfa", problems)

    expected = {"DocumentType": "INVOICE", "DocumentFileName": FILE_NAME, "Version": "1.0",
                "ConformanceLevel": level}
    problems = [f"fx:{k} is {meta.get(f'{{{FX_NS}}}{k}')!r}, not {v!r}"
                for k, v in expected.items() if meta.get(f"{{{FX_NS}}}{k}") != v]
    verdict.check("xmp_facturx", problems)

    root = etree.fromstring(raw)
    problems = []
    schemas = [li for li in root.iterfind(".//pdfaExtension:schemas/rdf:Bag/rdf:li", NS)
               if li.findtext("pdfaSchema:namespaceURI", namespaces=NS) == FX_NS]
    if not schemas:
        problems.append("no pdfaExtension schema for the fx namespace")
    else:
        schema = schemas[0]
        if schema.findtext("pdfaSchema:prefix", namespaces=NS) != "fx":
            problems.append("the schema's prefix is not fx")
        declared = {}
        for prop in schema.iterfind("pdfaSchema:property/rdf:Seq/rdf:li", NS):
            declared[prop.findtext("pdfaProperty:name", namespaces=NS)] = (
                prop.findtext("pdfaProperty:valueType", namespaces=NS),
                prop.findtext("pdfaProperty:category", namespaces=NS),
                prop.findtext("pdfaProperty:description", namespaces=NS),
            )
        for name in FX_PROPERTIES:
            if name not in declared:
                problems.append(f"fx:{name} is not declared")
            elif declared[name][0] != "Text" or declared[name][1] != "external" or not declared[name][2]:
                problems.append(f"fx:{name} is declared as {declared[name]}")
    verdict.check("xmp_extension_schema", problems)

    problems = []
    info = pdf.trailer.get("/Info") or pikepdf.Dictionary()
    pairs = {
        "/Title": lambda: root.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=NS),
        "/Author": lambda: root.findtext(".//dc:creator/rdf:Seq/rdf:li", namespaces=NS),
        "/Subject": lambda: root.findtext(".//dc:description/rdf:Alt/rdf:li", namespaces=NS),
        "/Creator": lambda: root.findtext(".//xmp:CreatorTool", namespaces=NS),
        "/Producer": lambda: root.findtext(".//pdf:Producer", namespaces=NS),
        "/Keywords": lambda: root.findtext(".//pdf:Keywords", namespaces=NS),
    }
    for key, xmp_value in pairs.items():
        if key in info and str(info[key]) != (xmp_value() or ""):
            problems.append(f"Info {key} {str(info[key])!r} but XMP {xmp_value()!r}")
    for key, path in (("/CreationDate", ".//xmp:CreateDate"), ("/ModDate", ".//xmp:ModifyDate")):
        if key in info and not _xmp_dates_equal(str(info[key]), root.findtext(path, namespaces=NS) or ""):
            problems.append(f"Info {key} {str(info[key])!r} but XMP {root.findtext(path, namespaces=NS)!r}")
    for key in info.keys():
        if key not in pairs and key not in ("/CreationDate", "/ModDate", "/Trapped"):
            problems.append(f"Info {key} has no XMP counterpart here")
    verdict.check("info_matches_xmp", problems)


def attachment(pdf: pikepdf.Pdf, verdict: Verdict) -> bytes | None:
    problems: list[str] = []
    names = pdf.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if names is not None else None
    spec = None
    if tree is None:
        problems.append("the catalog has no EmbeddedFiles name tree")
    else:
        specs = dict(pikepdf.NameTree(tree).items())
        spec = specs.get(FILE_NAME)
        if spec is None:
            problems.append(f"no {FILE_NAME} in the EmbeddedFiles name tree (has {sorted(specs)})")
    data = None
    if spec is not None:
        if spec.get("/Type") != "/Filespec":
            problems.append(f"/Type is {spec.get('/Type')}")
        for key in ("/F", "/UF"):
            if str(spec.get(key, "")) != FILE_NAME:
                problems.append(f"{key} is {spec.get(key)!r}")
        if spec.get("/AFRelationship") != "/Data":
            problems.append(f"/AFRelationship is {spec.get('/AFRelationship')}")
        stream = (spec.get("/EF") or {}).get("/F")
        if not isinstance(stream, pikepdf.Stream):
            problems.append("no /EF /F embedded file stream")
        else:
            data = stream.read_bytes()
            if stream.get("/Subtype") != pikepdf.Name("/text/xml"):
                problems.append(f"/Subtype is {stream.get('/Subtype')}, not text/xml")
            params = stream.get("/Params") or {}
            if "/ModDate" not in params:
                problems.append("/Params has no /ModDate")
            if params.get("/Size") != len(data):
                problems.append(f"/Params /Size {params.get('/Size')} but {len(data)} bytes")
            if "/CheckSum" in params and bytes(params["/CheckSum"]) != hashlib.md5(data).digest():
                problems.append("/Params /CheckSum is not the MD5 of the file")
    verdict.check("attachment", problems)

    problems = []
    af = pdf.Root.get("/AF")
    if not isinstance(af, pikepdf.Array):
        problems.append("the catalog has no /AF array")
    elif spec is not None and spec.objgen not in {a.objgen for a in af}:
        problems.append(f"/AF does not reference the file specification of {FILE_NAME}")
    verdict.check("catalog_af", problems)
    return data


def readers(raw: bytes, expected: bytes, verdict: Verdict) -> None:
    import logging

    import facturx
    from drafthorse.models.document import Document

    logging.getLogger("factur-x").setLevel(logging.ERROR)
    name, found = facturx.get_xml_from_pdf(raw, check_xsd=False)
    problems = []
    if name != FILE_NAME:
        problems.append(f"found {name!r}")
    elif found != expected:
        problems.append("found other bytes than the expected XML")
    verdict.check("facturx_reader", problems)

    problems = []
    if found:
        try:
            facturx.xml_check_xsd(found)
        except Exception as error:  # factur-x raises a bare Exception with the XSD's message
            problems.append(str(error)[:2000])
    else:
        problems.append("no XML to check")
    verdict.check("facturx_xsd", problems)

    problems = []
    if found:
        try:
            Document.parse(found)
        except Exception as error:  # drafthorse raises what lxml or its models raise
            problems.append(f"{type(error).__name__}: {error}"[:2000])
    else:
        problems.append("no XML to parse")
    verdict.check("drafthorse_parse", problems)


def run(path: str, expected: bytes, level: str) -> Verdict:
    verdict = Verdict()
    with open(path, "rb") as f:
        raw = f.read()
    verdict.check("header", header(raw))
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as error:
        verdict.check("syntax", [f"pikepdf cannot open it: {error}"])
        return verdict
    with pdf:
        verdict.check("syntax", syntax(path, pdf))
        verdict.check("not_encrypted",
                      ["the file is encrypted"] if pdf.is_encrypted or "/Encrypt" in pdf.trailer else [])
        verdict.check("trailer_id", trailer_id(pdf))
        verdict.check("fonts_embedded", fonts_embedded(pdf))
        verdict.check("no_javascript", no_javascript(pdf))
        profile = output_profile(pdf, verdict)
        verdict.check("icc_profile", icc_profile(profile.read_bytes()) if profile is not None
                      else ["no output profile"])
        xmp_checks(pdf, verdict, level)
        data = attachment(pdf, verdict)
        verdict.check("xml_equal", [] if data == expected else
                      ["no embedded XML" if data is None else "the embedded XML differs from the expected"])
    readers(raw, expected, verdict)
    return verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf")
    parser.add_argument("expected_xml")
    parser.add_argument("--level", default="EN 16931", help="the expected fx:ConformanceLevel")
    args = parser.parse_args()
    with open(args.expected_xml, "rb") as f:
        expected = f.read()
    verdict = run(args.pdf, expected, args.level)
    print(json.dumps({"pdf": args.pdf, "passed": not verdict.failed, "failed": verdict.failed,
                      "checks": verdict.checks}, indent=2))
    return 1 if verdict.failed else 0


if __name__ == "__main__":
    sys.exit(main())
