//! Opaque pagination cursors: where the next page of a newest-first list starts.

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
