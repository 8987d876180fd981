//! The official e-invoicing artefacts as the referee of our XML: `scripts/einvoice-referee.py`
//! (the XSDs, CEN's EN 16931 schematron, XRechnung's and Peppol's, drafthorse for Factur-X),
//! run once for a whole set of documents. A test module other tests include with
//! `mod referee;` (from `einvoice/tests/`) or `#[path = …]`.
//!
//! It needs `REFEREE_PYTHON` and `REFEREE_SITE`, which `scripts/test` exports; by hand:
//! `source scripts/lib.sh && ensure_einvoice_referees`. Without them it fails, never skips:
//! a referee that silently stays home passes everything.

#![allow(dead_code)] // each test binary uses its own part of this module

use invoicing_einvoice::Format;
use serde::Deserialize;
use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

/// One document to judge.
pub struct Document {
    pub name: String,
    pub format: Format,
    pub xml: Vec<u8>,
}

/// The referee's verdict on one document.
#[derive(Debug, Deserialize)]
pub struct Verdict {
    pub path: PathBuf,
    pub format: Format,
    pub xsd: Vec<XsdError>,
    pub findings: Vec<Finding>,
    pub parse: Vec<ParseError>,
}

#[derive(Debug, Deserialize)]
pub struct XsdError {
    pub schema: String,
    pub message: String,
    pub line: Option<u64>,
}

/// An SVRL failed assertion or successful report.
#[derive(Debug, Deserialize)]
pub struct Finding {
    pub schematron: String,
    pub kind: String,
    pub id: String,
    pub flag: String,
    pub text: String,
    pub location: String,
}

#[derive(Debug, Deserialize)]
pub struct ParseError {
    pub parser: String,
    pub message: String,
}

impl Finding {
    /// A rule without a flag counts as fatal: the schematron did not say it may be ignored.
    pub fn is_fatal(&self) -> bool {
        matches!(self.flag.as_str(), "fatal" | "error" | "")
    }
}

impl Verdict {
    pub fn fatal(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|finding| finding.is_fatal())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.flag == "warning")
    }

    /// Fatal rule ids, sorted and unique.
    pub fn fatal_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.fatal().map(|finding| finding.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Valid against the schemas, no fatal rule, read back by the independent parser.
    pub fn passes(&self) -> bool {
        self.xsd.is_empty() && self.parse.is_empty() && self.fatal().next().is_none()
    }

    /// Like [`Verdict::report`], with each rule once (how often, and its first location):
    /// for failure messages over many documents.
    pub fn brief(&self) -> String {
        let mut report = format!("{} ({}):\n", self.path.display(), self.format);
        for error in &self.xsd {
            report += &format!("  XSD {}: {}\n", error.schema, error.message);
        }
        for error in &self.parse {
            report += &format!("  {} cannot read it: {}\n", error.parser, error.message);
        }
        let mut seen: Vec<(&Finding, usize)> = Vec::new();
        for finding in &self.findings {
            match seen.iter_mut().find(|(first, _)| first.id == finding.id) {
                Some((_, count)) => *count += 1,
                None => seen.push((finding, 1)),
            }
        }
        for (finding, count) in seen {
            report += &format!(
                "  [{}] {} ×{count} ({}), first at {}: {}\n",
                finding.flag, finding.id, finding.schematron, finding.location, finding.text
            );
        }
        report
    }

    /// What a person needs to look into a failure: the file, then each problem.
    pub fn report(&self) -> String {
        let mut report = format!("{} ({}):\n", self.path.display(), self.format);
        for error in &self.xsd {
            let line = error
                .line
                .map(|line| format!(" line {line}"))
                .unwrap_or_default();
            report += &format!("  XSD {}{line}: {}\n", error.schema, error.message);
        }
        for error in &self.parse {
            report += &format!("  {} cannot read it: {}\n", error.parser, error.message);
        }
        for finding in &self.findings {
            report += &format!(
                "  [{}] {} ({}, {}) at {}: {}\n",
                finding.flag,
                finding.id,
                finding.schematron,
                finding.kind,
                finding.location,
                finding.text
            );
        }
        report
    }
}

/// The workspace's root (this crate's parent).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate sits in the workspace")
        .to_path_buf()
}

/// `target/<folder>`, where a person can open what was judged.
pub fn output_dir(folder: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                workspace().join(dir)
            }
        })
        .unwrap_or_else(|| workspace().join("target"));
    target.join(folder)
}

/// Writes each document to `target/<folder>/<name>.<format>.xml` (the folder emptied first, so
/// what is there is what was judged) and judges them all in one run of the referee; the
/// verdicts come back in the same order.
pub fn judge(folder: &str, documents: &[Document]) -> Vec<Verdict> {
    let python = std::env::var_os("REFEREE_PYTHON").unwrap_or_else(|| {
        panic!(
            "REFEREE_PYTHON is not set: the official e-invoicing referees are not installed. \
             Run the tests through scripts/test, or `source scripts/lib.sh && \
             ensure_einvoice_referees` in this shell first (it exports REFEREE_PYTHON and \
             REFEREE_SITE)."
        )
    });
    assert!(
        std::env::var_os("REFEREE_SITE").is_some(),
        "REFEREE_SITE is not set: `source scripts/lib.sh && ensure_einvoice_referees`"
    );
    let dir = output_dir(folder);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("empty the output folder");
    }
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let jobs: Vec<serde_json::Value> = documents
        .iter()
        .map(|document| {
            let path = dir.join(format!("{}.{}.xml", document.name, document.format));
            std::fs::write(&path, &document.xml).expect("write the XML");
            serde_json::json!({ "path": path, "format": document.format })
        })
        .collect();
    let mut child = Command::new(&python)
        .arg(workspace().join("scripts/einvoice-referee.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", python.to_string_lossy()));
    let input = serde_json::to_vec(&jobs).expect("jobs as JSON");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(&input)
        .expect("send the jobs to the referee");
    let output = child.wait_with_output().expect("the referee ran");
    assert!(
        output.status.success(),
        "the referee failed ({}); its error output is above",
        output.status
    );
    let verdicts: Vec<Verdict> =
        serde_json::from_slice(&output.stdout).expect("the referee's verdicts as JSON");
    assert_eq!(verdicts.len(), documents.len(), "one verdict per document");
    verdicts
}
