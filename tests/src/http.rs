//! Responses, read whole, with assertions for the API's answers.

use reqwest::StatusCode;
use serde_json::Value;

/// A response, read whole.
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Response {
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("reading the response body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Self {
            status,
            content_type,
            headers,
            body,
        }
    }

    /// A header's value as text ("" when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }

    /// Asserts the status and returns the response.
    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "unexpected answer: {:#}", self.body);
        self
    }

    /// Asserts an RFC 9457 problem with this status; returns its body.
    #[track_caller]
    pub fn problem(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "unexpected answer: {:#}", self.body);
        assert_eq!(
            self.content_type, "application/problem+json",
            "problems are problem+json"
        );
        assert_eq!(self.body["status"], status.as_u16(), "{:#}", self.body);
        assert!(self.body["type"].as_str().is_some(), "{:#}", self.body);
        assert!(self.body["title"].as_str().is_some(), "{:#}", self.body);
        assert!(
            self.body["detail"]
                .as_str()
                .is_some_and(|detail| !detail.is_empty()),
            "{:#}",
            self.body
        );
        self.body
    }
}
