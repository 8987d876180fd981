//! Opaque pagination cursors: where the next page of a newest-first list starts.

use crate::error::ApiError;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use invoicing_store::invoices::PageKey;
use uuid::Uuid;

/// Encodes the last row of a page; clients pass it back unchanged as `cursor`.
pub fn encode(key: PageKey) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", key.created_at.timestamp_micros(), key.id))
}

/// Decodes a cursor from [`encode`]; `None` for anything else.
pub fn decode(cursor: &str) -> Option<PageKey> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (micros, id) = text.split_once(':')?;
    Some(PageKey {
        created_at: DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?,
        id: Uuid::parse_str(id).ok()?,
    })
}

const DEFAULT_PAGE_SIZE: i64 = 20;
const MAX_PAGE_SIZE: i64 = 100;

/// A page request from `limit` and `cursor` query parameters (empty means absent).
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub limit: i64,
    pub after: Option<PageKey>,
}

impl Page {
    pub fn parse(limit: Option<&str>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = match limit {
            None | Some("") => DEFAULT_PAGE_SIZE,
            Some(raw) => raw
                .parse::<i64>()
                .ok()
                .filter(|limit| (1..=MAX_PAGE_SIZE).contains(limit))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "limit must be a whole number from 1 to {MAX_PAGE_SIZE}"
                    ))
                })?,
        };
        let after = cursor
            .filter(|cursor| !cursor.is_empty())
            .map(|raw| {
                decode(raw).ok_or_else(|| {
                    ApiError::BadRequest("cursor is not one this API returned".to_owned())
                })
            })
            .transpose()?;
        Ok(Self { limit, after })
    }

    /// Rows to ask the database for: one more than a page, to tell whether another follows.
    pub fn fetch(self) -> i64 {
        self.limit + 1
    }

    /// Cuts `rows` (fetched with [`Page::fetch`]) to the page and returns the next page's
    /// cursor, if there is one.
    pub fn finish<T>(self, rows: &mut Vec<T>, key: impl Fn(&T) -> PageKey) -> Option<String> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() <= limit {
            return None;
        }
        rows.truncate(limit);
        rows.last().map(|last| encode(key(last)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_to_the_microsecond() {
        let key = PageKey {
            created_at: DateTime::<Utc>::from_timestamp_micros(1_795_000_000_123_456).unwrap(),
            id: Uuid::new_v4(),
        };
        assert_eq!(decode(&encode(key)), Some(key));
    }

    #[test]
    fn refuses_what_it_did_not_make() {
        for cursor in ["", "abc", "!!", &URL_SAFE_NO_PAD.encode("12:not-a-uuid")] {
            assert_eq!(decode(cursor), None, "{cursor}");
        }
    }
}
