//! CSV files streamed from PostgreSQL: RFC 4180 (comma-separated, CRLF line ends, a field
//! quoted when it holds a comma, a quote, CR or LF, quotes doubled), UTF-8 without a byte order
//! mark, a header line first.
//!
//! Rows are read from the database one at a time and written into a small buffer, which is
//! sent whenever it holds [`CHUNK_BYTES`]: however many rows an export has, only a chunk or
//! two of it is in memory. The query runs on a task of its own, feeding the response body
//! through a channel of [`CHANNEL_CHUNKS`] chunks: a client that reads slowly holds the query
//! back rather than filling memory, and one that goes away ends it.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a
//! formula (CSV injection); text from users is written with a leading `'` there, as OWASP
//! advises ([`Record::text`]). Numbers the API writes itself (amounts, quantities, rates) are
//! written as they are, negative ones included, so that they import as numbers.

use crate::error::ApiError;
use axum::{
    body::{Body, Bytes},
    http::{HeaderValue, header},
    response::Response,
};
use futures::{StreamExt, stream::BoxStream};
use invoicing_store::StoreError;
use invoicing_workflows::domain::Currency;
use rust_decimal::Decimal;
use sqlx::PgPool;
use std::{borrow::Cow, fmt::Display};
use tokio::sync::mpsc;

/// How much of a file is written before it is sent.
const CHUNK_BYTES: usize = 32 * 1024;
/// How many chunks wait for the client at most.
const CHANNEL_CHUNKS: usize = 4;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell a spreadsheet shows as text: with a leading `'` when it starts like a
/// formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `minor` units of `currency` as a decimal in major units with a dot and no grouping:
/// `123456` USD is `1234.56`, `1234` JPY is `1234`, `-5` EUR is `-0.05`.
pub fn major_units(minor: i64, currency: Currency) -> String {
    Decimal::new(minor, currency.exponent()).to_string()
}

/// One line of a file, its fields in the order of the header.
#[derive(Default)]
pub struct Record {
    fields: Vec<String>,
}

impl Record {
    /// Text a user gave (names, descriptions, references, numbers in the account's format):
    /// neutralised against formulas. `None` is an empty field.
    pub fn text(&mut self, value: Option<&str>) -> &mut Self {
        self.fields.push(
            value
                .map(|text| neutralise(text).into_owned())
                .unwrap_or_default(),
        );
        self
    }

    /// A value the API itself writes (a date, a status, a code, a number): as it displays.
    pub fn value(&mut self, value: impl Display) -> &mut Self {
        self.fields.push(value.to_string());
        self
    }

    /// An optional value the API writes; `None` is an empty field.
    pub fn optional(&mut self, value: Option<impl Display>) -> &mut Self {
        self.fields
            .push(value.map(|value| value.to_string()).unwrap_or_default());
        self
    }

    /// An amount in minor units of `currency`, in major units ([`major_units`]).
    pub fn money(&mut self, minor: i64, currency: Currency) -> &mut Self {
        self.fields.push(major_units(minor, currency));
        self
    }

    /// A decimal without trailing zeros (`2.5`, `19`).
    pub fn decimal(&mut self, value: Decimal) -> &mut Self {
        self.fields.push(value.normalize().to_string());
        self
    }

    fn clear(&mut self) {
        self.fields.clear();
    }
}

/// Writes records into a buffer, RFC 4180's way.
struct Encoder {
    writer: csv::Writer<Vec<u8>>,
}

impl Encoder {
    fn new() -> Self {
        Self {
            writer: Self::writer(),
        }
    }

    fn writer() -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::with_capacity(CHUNK_BYTES + 4096))
    }

    fn write<I, F>(&mut self, fields: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = F>,
        F: AsRef<[u8]>,
    {
        self.writer.write_record(fields)
    }

    /// What was written since the last take.
    fn take(&mut self) -> Result<Bytes, ApiError> {
        let writer = std::mem::replace(&mut self.writer, Self::writer());
        let buffer = writer
            .into_inner()
            .map_err(|error| ApiError::internal(anyhow::anyhow!("{}", error.error())))?;
        Ok(Bytes::from(buffer))
    }

    /// How much was written since the last take, as far as it reached the buffer.
    fn pending(&self) -> usize {
        self.writer.get_ref().len()
    }
}

/// A CSV file to stream: its name, its header and how each row becomes a record.
pub struct CsvFile<T> {
    /// The name a browser saves it as (ASCII letters, digits, `-`, `.`).
    pub name: String,
    pub header: &'static [&'static str],
    pub write: fn(&T, &mut Record),
}

impl<T: Send + 'static> CsvFile<T> {
    /// Streams `rows` (a query on `pool`) as this file. The query's first row (or its end) is
    /// awaited before answering, so a database that cannot answer is a problem (503), not a
    /// cut-off file; an error later ends the body early, which the client sees as a broken
    /// download, never as a complete file.
    pub async fn respond<Q>(self, pool: PgPool, rows: Q) -> Result<Response, ApiError>
    where
        Q: for<'a> FnOnce(&'a PgPool) -> BoxStream<'a, Result<T, StoreError>> + Send + 'static,
    {
        let (sender, mut receiver) = mpsc::channel::<Result<Bytes, ApiError>>(CHANNEL_CHUNKS);
        let CsvFile {
            name,
            header,
            write,
        } = self;
        tokio::spawn(async move {
            let mut rows = rows(&pool);
            let mut encoder = Encoder::new();
            let mut record = Record::default();
            let mut first = true;
            let outcome: Result<(), ApiError> = async {
                encoder.write(header).map_err(ApiError::internal)?;
                while let Some(row) = rows.next().await {
                    record.clear();
                    write(&row?, &mut record);
                    encoder.write(&record.fields).map_err(ApiError::internal)?;
                    if first || encoder.pending() >= CHUNK_BYTES {
                        first = false;
                        let chunk = encoder.take()?;
                        if sender.send(Ok(chunk)).await.is_err() {
                            // The client went away: so does the query.
                            return Ok(());
                        }
                    }
                }
                let rest = encoder.take()?;
                let _ = sender.send(Ok(rest)).await;
                Ok(())
            }
            .await;
            if let Err(error) = outcome {
                let _ = sender.send(Err(error)).await;
            }
        });
        let first = match receiver.recv().await {
            Some(Ok(chunk)) => chunk,
            Some(Err(error)) => return Err(error),
            None => {
                return Err(ApiError::internal(anyhow::anyhow!(
                    "the export's task ended without a word"
                )));
            }
        };
        let rest = futures::stream::unfold(receiver, |mut receiver| async move {
            let item = receiver.recv().await?;
            let item = item.map_err(|error| {
                tracing::error!(error = ?error, "an export failed while streaming");
                std::io::Error::other("the export failed")
            });
            Some((item, receiver))
        });
        let body = futures::stream::once(async move { Ok::<_, std::io::Error>(first) }).chain(rest);
        let mut response = Response::new(Body::from_stream(body));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
        );
        if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        {
            headers.insert(header::CONTENT_DISPOSITION, disposition);
        }
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(rows: &[Vec<&str>]) -> String {
        let mut encoder = Encoder::new();
        for row in rows {
            encoder.write(row).unwrap();
        }
        String::from_utf8(encoder.take().unwrap().to_vec()).unwrap()
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        let text = encode(&[
            vec!["number", "name"],
            vec!["INV-1", "Acme, Ltd"],
            vec!["INV-2", "The \"best\" shop"],
            vec!["INV-3", "two\nlines"],
            vec!["INV-4", "carriage\rreturn"],
            vec!["INV-5", ""],
            vec!["INV-6", "Zoë 東京"],
        ]);
        assert_eq!(
            text,
            "number,name\r\nINV-1,\"Acme, Ltd\"\r\nINV-2,\"The \"\"best\"\" shop\"\r\n\
             INV-3,\"two\nlines\"\r\nINV-4,\"carriage\rreturn\"\r\nINV-5,\r\nINV-6,Zoë 東京\r\n"
        );
    }

    #[test]
    fn text_that_starts_like_a_formula_is_neutralised() {
        for (text, cell) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("\rCR", "'\rCR"),
            ("Acme = good", "Acme = good"),
            ("", ""),
            ("'quoted", "'quoted"),
        ] {
            assert_eq!(neutralise(text), cell, "{text:?}");
        }
        let mut record = Record::default();
        record
            .text(Some("=1+2"))
            .text(None)
            .value(-3)
            .money(-5, Currency::parse("EUR").unwrap());
        assert_eq!(record.fields, ["'=1+2", "", "-3", "-0.05"]);
    }

    #[test]
    fn amounts_are_in_major_units_with_a_dot() {
        let currency = |code| Currency::parse(code).unwrap();
        assert_eq!(major_units(123_456, currency("USD")), "1234.56");
        assert_eq!(major_units(1_234, currency("JPY")), "1234");
        assert_eq!(major_units(-5, currency("EUR")), "-0.05");
        assert_eq!(major_units(0, currency("EUR")), "0.00");
        assert_eq!(major_units(1_250, currency("BHD")), "1.250");
        assert_eq!(
            major_units(999_999_999_999_999, currency("USD")),
            "9999999999999.99"
        );
        let mut record = Record::default();
        record
            .decimal(Decimal::new(2_5000, 4))
            .decimal(Decimal::new(19_0000, 4));
        assert_eq!(record.fields, ["2.5", "19"]);
    }
}
