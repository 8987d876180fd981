//! Opaque pagination cursors: where the next page of a list starts. Newest-first lists carry
//! the last row's creation time and id; the invoice list, which has several orders, also
//! carries the order its key belongs to.

use crate::error::ApiError;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDate, Utc};
use invoicing_store::{
    customers::NameKey,
    invoice_list::{Position, Sort},
    invoices::PageKey,
};
use serde::Serialize;
use utoipa::ToSchema;
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

/// Encodes where the invoice list continues, in its order: `{sort}:{key}:{id}`.
pub fn encode_position(position: Position) -> Option<String> {
    let text = match position {
        Position::Newest(Some((created_at, id))) | Position::Oldest(Some((created_at, id))) => {
            format!("{}:{}:{id}", position.sort(), created_at.timestamp_micros())
        }
        Position::DueDate(Some((due_date, id))) => format!("{}:{due_date}:{id}", position.sort()),
        Position::AmountDue(Some((amount_due, id))) => {
            format!("{}:{amount_due}:{id}", position.sort())
        }
        // The top of a list needs no cursor.
        Position::Newest(None)
        | Position::Oldest(None)
        | Position::DueDate(None)
        | Position::AmountDue(None) => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(text))
}

/// Decodes a cursor from [`encode_position`]; `None` for anything else. A cursor of the
/// newest-first list made before the list had other orders (`{micros}:{id}`, as [`encode`]
/// makes) still reads as one of the newest-first order, so a client paging through the list
/// while the API is upgraded is not refused.
pub fn decode_position(cursor: &str) -> Option<Position> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.splitn(3, ':');
    let (sort, key, id) = match (parts.next(), parts.next(), parts.next()) {
        (Some(sort), Some(key), Some(id)) => (sort.parse::<Sort>().ok()?, key, id),
        (Some(micros), Some(id), None) => (Sort::Newest, micros, id),
        _ => return None,
    };
    let id = Uuid::parse_str(id).ok()?;
    let created_at = || DateTime::<Utc>::from_timestamp_micros(key.parse().ok()?);
    Some(match sort {
        Sort::Newest => Position::Newest(Some((created_at()?, id))),
        Sort::Oldest => Position::Oldest(Some((created_at()?, id))),
        Sort::DueDate => Position::DueDate(Some((key.parse::<NaiveDate>().ok()?, id))),
        Sort::AmountDue => Position::AmountDue(Some((key.parse::<i64>().ok()?, id))),
    })
}

/// Encodes where a list ordered by name (customers, tax rates) continues: `{id}:{name}` (the
/// id first, as a name may hold a `:`).
pub fn encode_name_key(key: &NameKey) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", key.id, key.name))
}

/// Decodes a cursor from [`encode_name_key`]; `None` for anything else, a name no record can
/// have included (control characters, which PostgreSQL refuses in text, or a length beyond any
/// name's).
pub fn decode_name_key(cursor: &str) -> Option<NameKey> {
    const MAX_NAME_CHARS: usize = 1_000;
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, name) = text.split_once(':')?;
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return None;
    }
    Some(NameKey {
        name: name.to_owned(),
        id: Uuid::parse_str(id).ok()?,
    })
}

/// A page of a list ordered by name, from `limit` and `cursor` query parameters (empty means
/// absent).
#[derive(Clone, Debug)]
pub struct NamePage {
    pub limit: i64,
    pub after: Option<NameKey>,
}

impl NamePage {
    pub fn parse(limit: Option<&str>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = parse_limit(limit)?;
        let after = cursor
            .filter(|cursor| !cursor.is_empty())
            .map(|raw| decode_name_key(raw).ok_or_else(not_ours))
            .transpose()?;
        Ok(Self { limit, after })
    }

    /// Rows to ask the database for: one more than a page, to tell whether another follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts `rows` (fetched with [`NamePage::fetch`]) to the page and returns the next page's
    /// cursor, if there is one.
    pub fn finish<T>(&self, rows: &mut Vec<T>, key: impl Fn(&T) -> NameKey) -> Option<String> {
        cut(self.limit, rows, |last| Some(encode_name_key(&key(last))))
    }
}

const DEFAULT_PAGE_SIZE: i64 = 20;
pub(crate) const MAX_PAGE_SIZE: i64 = 100;

/// A page size from the `limit` query parameter (empty means absent).
pub fn parse_limit(limit: Option<&str>) -> Result<i64, ApiError> {
    match limit {
        None | Some("") => Ok(DEFAULT_PAGE_SIZE),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE_SIZE).contains(limit))
            .ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "limit must be a whole number from 1 to {MAX_PAGE_SIZE}"
                ))
            }),
    }
}

/// The refusal of a cursor this API did not make (or that was altered).
pub fn not_ours() -> ApiError {
    ApiError::BadRequest("cursor is not one this API returned".to_owned())
}

/// Cuts `rows`, fetched with one row more than `limit`, to the page; returns the cursor of
/// the next page (made by `cursor` from the page's last row), if there is one.
pub fn cut<T>(
    limit: i64,
    rows: &mut Vec<T>,
    cursor: impl Fn(&T) -> Option<String>,
) -> Option<String> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    rows.last().and_then(cursor)
}

/// A page of a list, in the list's order.
#[derive(Serialize, ToSchema)]
#[schema(as = Page)]
pub struct PageJson<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` (with the same filters and order) to get the next page; `null` on the
    /// last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// A page request from `limit` and `cursor` query parameters (empty means absent).
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub limit: i64,
    pub after: Option<PageKey>,
}

impl Page {
    pub fn parse(limit: Option<&str>, cursor: Option<&str>) -> Result<Self, ApiError> {
        let limit = parse_limit(limit)?;
        let after = cursor
            .filter(|cursor| !cursor.is_empty())
            .map(|raw| decode(raw).ok_or_else(not_ours))
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
        cut(self.limit, rows, |last| Some(encode(key(last))))
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
    fn name_keys_round_trip_whatever_the_name() {
        for name in ["Acme", "a:b:c", "", "Zoë 東京 🧾"] {
            let key = NameKey {
                name: name.to_owned(),
                id: Uuid::new_v4(),
            };
            assert_eq!(decode_name_key(&encode_name_key(&key)), Some(key));
        }
        let id = Uuid::new_v4();
        for text in [
            "Acme".to_owned(),
            "not-a-uuid:Acme".to_owned(),
            ":Acme".to_owned(),
            format!("{id}:Ac\u{0}me"),
            format!("{id}:{}", "a".repeat(1_001)),
        ] {
            assert_eq!(
                decode_name_key(&URL_SAFE_NO_PAD.encode(&text)),
                None,
                "{text}"
            );
        }
        assert_eq!(decode_name_key("not base64!"), None);
    }

    #[test]
    fn refuses_what_it_did_not_make() {
        for cursor in ["", "abc", "!!", &URL_SAFE_NO_PAD.encode("12:not-a-uuid")] {
            assert_eq!(decode(cursor), None, "{cursor}");
        }
    }

    #[test]
    fn invoice_list_positions_round_trip_with_their_order() {
        let id = Uuid::new_v4();
        let at = DateTime::<Utc>::from_timestamp_micros(1_795_000_000_123_456).unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        for position in [
            Position::Newest(Some((at, id))),
            Position::Oldest(Some((at, id))),
            Position::DueDate(Some((due, id))),
            Position::AmountDue(Some((38_499, id))),
            Position::AmountDue(Some((0, id))),
        ] {
            let cursor = encode_position(position).expect("a cursor");
            assert_eq!(decode_position(&cursor), Some(position), "{cursor}");
        }
        assert_eq!(encode_position(Position::start(Sort::DueDate)), None);
    }

    #[test]
    fn a_newest_first_cursor_of_before_the_orders_still_reads() {
        let key = PageKey {
            created_at: DateTime::<Utc>::from_timestamp_micros(1_795_000_000_123_456).unwrap(),
            id: Uuid::new_v4(),
        };
        assert_eq!(
            decode_position(&encode(key)),
            Some(Position::Newest(Some((key.created_at, key.id))))
        );
    }

    #[test]
    fn refuses_invoice_list_cursors_it_did_not_make() {
        let id = Uuid::new_v4();
        for text in [
            format!("cheapest:1:{id}"),
            format!("due_date:1795000000:{id}"),
            format!("amount_due:2026-12-31:{id}"),
            format!("oldest:soon:{id}"),
            "newest:1795000000:not-a-uuid".to_owned(),
            format!("newest:1795000000:{id}:extra"),
            "newest".to_owned(),
        ] {
            assert_eq!(
                decode_position(&URL_SAFE_NO_PAD.encode(&text)),
                None,
                "{text}"
            );
        }
        assert_eq!(decode_position("not base64!"), None);
    }
}
