//! Payment reminders: when an account's clients are reminded of an unpaid invoice.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// Reminders go out at this time of day (UTC) on their day: business hours in Europe, the
/// early morning in the Americas.
pub const REMINDER_HOUR_UTC: u32 = 9;
/// A schedule holds at most this many reminders.
pub const MAX_REMINDERS: usize = 10;
/// Reminders fall between two months before and a year after the due date.
pub const EARLIEST_DAY: i32 = -60;
pub const LATEST_DAY: i32 = 365;

/// Days relative to the due date on which a reminder is sent (negative: before it). Sorted,
/// without duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<i32>", into = "Vec<i32>")]
pub struct ReminderPolicy(Vec<i32>);

impl Default for ReminderPolicy {
    /// Three days before, on the due date, and one, seven and fourteen days after.
    fn default() -> Self {
        Self(vec![-3, 0, 1, 7, 14])
    }
}

impl ReminderPolicy {
    /// Checks the schedule; `Err` carries the message for the field.
    pub fn parse(mut days: Vec<i32>) -> Result<Self, String> {
        if days.len() > MAX_REMINDERS {
            return Err(format!("at most {MAX_REMINDERS} reminders"));
        }
        if let Some(day) = days
            .iter()
            .find(|day| !(EARLIEST_DAY..=LATEST_DAY).contains(*day))
        {
            return Err(format!(
                "{day} is outside {EARLIEST_DAY}..={LATEST_DAY} days from the due date"
            ));
        }
        days.sort_unstable();
        let before = days.len();
        days.dedup();
        if days.len() != before {
            return Err("each day may appear once".to_owned());
        }
        Ok(Self(days))
    }

    pub fn days(&self) -> &[i32] {
        &self.0
    }
}

impl TryFrom<Vec<i32>> for ReminderPolicy {
    type Error = String;
    fn try_from(days: Vec<i32>) -> Result<Self, Self::Error> {
        Self::parse(days)
    }
}

impl From<ReminderPolicy> for Vec<i32> {
    fn from(policy: ReminderPolicy) -> Self {
        policy.0
    }
}

/// The reminders of one sent invoice: its account's schedule as it was when the invoice was
/// sent, and the reminders already sent or skipped. Each goes out at most once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSchedule {
    pub days: Vec<i32>,
    pub done: Vec<i32>,
}

impl ReminderSchedule {
    pub fn new(policy: &ReminderPolicy) -> Self {
        Self {
            days: policy.days().to_vec(),
            done: Vec::new(),
        }
    }

    fn pending(&self) -> impl Iterator<Item = i32> + '_ {
        self.days
            .iter()
            .copied()
            .filter(|day| !self.done.contains(day))
    }

    /// Sets aside the pending reminders due before `instant` without sending them: an invoice
    /// sent, or given a new due date, after a reminder's moment does not get that reminder late.
    pub fn skip_before(&mut self, due_date: NaiveDate, instant: DateTime<Utc>) {
        let missed: Vec<i32> = self
            .pending()
            .filter(|day| reminder_at(due_date, *day) < instant)
            .collect();
        self.done.extend(missed);
    }

    /// The next pending reminder and its moment.
    pub fn next(&self, due_date: NaiveDate) -> Option<(i32, DateTime<Utc>)> {
        self.pending()
            .map(|day| (day, reminder_at(due_date, day)))
            .min_by_key(|(_, at)| *at)
    }

    /// The earliest pending reminder due by `now`, now marked done.
    pub fn take_due(&mut self, due_date: NaiveDate, now: DateTime<Utc>) -> Option<i32> {
        let (day, at) = self.next(due_date)?;
        if at > now {
            return None;
        }
        self.done.push(day);
        Some(day)
    }
}

/// When the reminder `days` from `due_date` is sent.
pub fn reminder_at(due_date: NaiveDate, days: i32) -> DateTime<Utc> {
    let day = if days >= 0 {
        due_date.checked_add_days(Days::new(days.unsigned_abs().into()))
    } else {
        due_date.checked_sub_days(Days::new(days.unsigned_abs().into()))
    }
    .unwrap_or(due_date);
    day.and_time(NaiveTime::from_hms_opt(REMINDER_HOUR_UTC, 0, 0).unwrap_or(NaiveTime::MIN))
        .and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_names_five_days_around_the_due_date() {
        assert_eq!(ReminderPolicy::default().days(), [-3, 0, 1, 7, 14]);
    }

    #[test]
    fn parsing_sorts_and_refuses_duplicates_and_far_days() {
        assert_eq!(
            ReminderPolicy::parse(vec![7, -1, 0]).unwrap().days(),
            [-1, 0, 7]
        );
        assert!(ReminderPolicy::parse(vec![1, 1]).is_err());
        assert!(ReminderPolicy::parse(vec![-61]).is_err());
        assert!(ReminderPolicy::parse(vec![366]).is_err());
        assert!(ReminderPolicy::parse((0..11).collect()).is_err());
        assert_eq!(
            ReminderPolicy::parse(vec![]).unwrap().days(),
            [] as [i32; 0]
        );
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_schedule_hands_out_each_reminder_once_in_order() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let mut schedule = ReminderSchedule::new(&ReminderPolicy::default());
        assert_eq!(schedule.take_due(due, at("2026-12-07T08:59:59Z")), None);
        assert_eq!(schedule.next(due), Some((-3, at("2026-12-07T09:00:00Z"))));
        assert_eq!(schedule.take_due(due, at("2026-12-10T10:00:00Z")), Some(-3));
        assert_eq!(schedule.take_due(due, at("2026-12-10T10:00:00Z")), Some(0));
        assert_eq!(schedule.take_due(due, at("2026-12-10T10:00:00Z")), None);
        assert_eq!(schedule.next(due).map(|(day, _)| day), Some(1));
    }

    #[test]
    fn reminders_already_past_are_skipped_not_sent_late() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        let mut schedule = ReminderSchedule::new(&ReminderPolicy::default());
        schedule.skip_before(due, at("2026-12-11T12:00:00Z"));
        assert_eq!(schedule.done, [-3, 0, 1]);
        assert_eq!(schedule.next(due).map(|(day, _)| day), Some(7));
        // The due date moves a month later: the remaining reminders follow it.
        let later = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        assert_eq!(schedule.next(later), Some((7, at("2027-01-17T09:00:00Z"))));
    }

    #[test]
    fn reminders_go_out_at_nine_utc_on_their_day() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
        assert_eq!(
            reminder_at(due, -3).to_rfc3339(),
            "2026-12-07T09:00:00+00:00"
        );
        assert_eq!(
            reminder_at(due, 0).to_rfc3339(),
            "2026-12-10T09:00:00+00:00"
        );
        assert_eq!(
            reminder_at(due, 14).to_rfc3339(),
            "2026-12-24T09:00:00+00:00"
        );
    }
}
