//! Files the API hands out from the document store (an invoice's PDF, its e-invoice): streamed
//! from S3 as they were stored, with the headers a browser needs to show or save them.

use crate::{error::ApiError, state::AppState};
use axum::{
    body::Body,
    http::{HeaderValue, header},
    response::Response,
};
use invoicing_store::invoices::InvoiceSummary;

/// Whether the browser shows the file (a PDF opened in a tab) or saves it (an XML).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    Inline,
    Attachment,
}

/// A stored object's bytes, streamed, and its length when S3 says it. `what` names the file
/// in the error when the store cannot be read.
pub async fn stream(
    state: &AppState,
    key: &str,
    what: &'static str,
) -> Result<(Body, Option<i64>), ApiError> {
    let object = state
        .documents
        .s3
        .get_object()
        .bucket(&state.documents.bucket)
        .key(key)
        .send()
        .await
        .map_err(|error| {
            ApiError::Unavailable(
                anyhow::Error::new(error).context(format!("reading {what} from S3")),
            )
        })?;
    let length = object.content_length();
    let stream = futures::stream::unfold(object.body, |mut body| async move {
        body.next().await.map(|chunk| (chunk, body))
    });
    Ok((Body::from_stream(stream), length))
}

/// The response carrying a file: its type, length, name, and `private, no-store` (an invoice
/// is nobody's to cache).
pub fn response(
    body: Body,
    length: Option<i64>,
    content_type: &'static str,
    disposition: Disposition,
    filename: &str,
) -> Response {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(length) = length.and_then(|length| HeaderValue::from_str(&length.to_string()).ok())
    {
        headers.insert(header::CONTENT_LENGTH, length);
    }
    let disposition = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    if let Ok(value) = HeaderValue::from_str(&format!("{disposition}; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The number as it was issued, in the account's format then (`RE-00001`); older invoices
/// kept only the sequence number. `None` for a draft.
pub fn issued_number(invoice: &InvoiceSummary) -> Option<String> {
    invoice
        .number_text
        .clone()
        .or_else(|| invoice.number.map(|number| number.to_string()))
}
