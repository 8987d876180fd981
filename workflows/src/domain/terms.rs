//! Payment terms: which due dates are acceptable and the moment an invoice falls overdue.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};

/// Payment terms longer than five years are a typo, not a contract.
const MAX_TERM: Months = Months::new(60);

/// The longest default payment terms, in days (a customer's, an account's): a year. A due
/// date set by hand may lie further out, up to five years after the issue date.
pub const MAX_TERMS_DAYS: u32 = 365;

/// A due date must fall on or after the issue date and within five years of it.
pub fn check_due_date(issue_date: NaiveDate, due_date: NaiveDate) -> Result<(), String> {
    if due_date < issue_date {
        return Err(format!("must be on or after the issue date ({issue_date})"));
    }
    match issue_date.checked_add_months(MAX_TERM) {
        Some(latest) if due_date <= latest => Ok(()),
        _ => Err("must be within five years of the issue date".to_owned()),
    }
}

/// An invoice is payable through the whole of its due date (UTC) and overdue from the first
/// instant of the next day.
pub fn overdue_at(due_date: NaiveDate) -> DateTime<Utc> {
    let next_day = due_date
        .checked_add_days(Days::new(1))
        .unwrap_or(NaiveDate::MAX);
    next_day.and_time(chrono::NaiveTime::MIN).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn overdue_from_midnight_after_the_due_date() {
        assert_eq!(
            overdue_at(date(2026, 12, 31)).to_rfc3339(),
            "2027-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn default_terms_give_an_acceptable_due_date() {
        let issued = date(2028, 2, 29);
        let due = issued + Days::new(u64::from(MAX_TERMS_DAYS));
        assert!(check_due_date(issued, due).is_ok());
    }

    #[test]
    fn due_dates_stay_within_the_terms() {
        let issued = date(2026, 11, 24);
        assert!(check_due_date(issued, issued).is_ok());
        assert!(check_due_date(issued, date(2031, 11, 24)).is_ok());
        assert!(check_due_date(issued, date(2031, 11, 25)).is_err());
        assert!(check_due_date(issued, date(2026, 11, 23)).is_err());
    }
}
