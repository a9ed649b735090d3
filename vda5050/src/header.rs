//! The header every VDA 5050 message opens with, and its timestamp.
//!
//! `order`, `instantActions`, `state` and `connection` require all five header fields and carry
//! a [`Header`]; `visualization` and `factsheet` make some of them optional and spell them out.
//! `headerId` counts per topic and per sender: it is the sender's job to increment it by one for
//! every message sent on that topic.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The protocol version this crate speaks, as written in every header's `version`.
pub const PROTOCOL_VERSION: &str = "2.1.0";

/// The header fields shared by `order`, `instantActions`, `state` and `connection`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// Counter of the messages sent on this topic by this sender, incremented by one each time.
    pub header_id: u32,
    /// When the message was sent.
    pub timestamp: Timestamp,
    /// Protocol version, `major.minor.patch`.
    pub version: String,
    /// Manufacturer of the AGV the message is from or for.
    pub manufacturer: String,
    /// Serial number of the AGV the message is from or for.
    pub serial_number: String,
}

impl Header {
    /// A header for protocol [`PROTOCOL_VERSION`].
    pub fn new(
        header_id: u32,
        timestamp: Timestamp,
        manufacturer: impl Into<String>,
        serial_number: impl Into<String>,
    ) -> Self {
        Self {
            header_id,
            timestamp,
            version: PROTOCOL_VERSION.to_owned(),
            manufacturer: manufacturer.into(),
            serial_number: serial_number.into(),
        }
    }
}

/// An ISO 8601 UTC timestamp as VDA 5050 writes it, e.g. `2026-03-11T11:40:03.120Z`.
///
/// Kept as the text that went over the wire: the fleet manager orders events by its own clock,
/// not by the vehicles' timestamps, so nothing here needs calendar arithmetic. Nor is it
/// ordered: texts in other zones or precisions do not sort by time. Parsing does not check the
/// format (a vehicle with a sloppy clock format is still heard); the schema tests check the
/// timestamps this crate writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

/// The last millisecond that RFC 3339 can write with a four-digit year.
const MAX_UNIX_MILLIS: u64 = 253_402_300_799_999;

impl Timestamp {
    /// Wraps a timestamp text as it is, without checking it.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// Writes milliseconds since 1970-01-01T00:00:00Z as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    ///
    /// Times after 9999-12-31T23:59:59.999Z, which RFC 3339 cannot write, are clamped to it.
    ///
    /// # Examples
    /// ```
    /// use vda5050::Timestamp;
    /// let t = Timestamp::from_unix_millis(1_772_451_603_120);
    /// assert_eq!(t.as_str(), "2026-03-02T11:40:03.120Z");
    /// ```
    pub fn from_unix_millis(unix_millis: u64) -> Self {
        let unix_millis = unix_millis.min(MAX_UNIX_MILLIS);
        let (days, millis_of_day) = (unix_millis / 86_400_000, unix_millis % 86_400_000);
        let (year, month, day) = civil_from_days(days);
        let seconds = millis_of_day / 1000;
        Self(format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60,
            millis_of_day % 1000,
        ))
    }

    /// The timestamp's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The proleptic Gregorian date `days` after 1970-01-01, as (year, month, day).
///
/// Counts in 400-year eras starting on a 1 March, so that the leap day is the last day of a
/// year and every era has the same 146,097 days.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    const DAYS_0000_03_01_TO_1970_01_01: u64 = 719_468;
    let since_origin = days + DAYS_0000_03_01_TO_1970_01_01;
    let (era, day_of_era) = (since_origin / 146_097, since_origin % 146_097);

    // year of the era: drop the leap days of the 4-, 100- and 400-year cycles before dividing
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);

    // months from March, whose lengths repeat 31 30 31 30 31 every five months (153 days)
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_epoch_is_written_in_full() {
        assert_eq!(
            Timestamp::from_unix_millis(0).as_str(),
            "1970-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn leap_days_and_year_ends_fall_on_the_right_date() {
        // 2024-02-29T23:59:59.999Z and the millisecond after it
        assert_eq!(
            Timestamp::from_unix_millis(1_709_251_199_999).as_str(),
            "2024-02-29T23:59:59.999Z"
        );
        assert_eq!(
            Timestamp::from_unix_millis(1_709_251_200_000).as_str(),
            "2024-03-01T00:00:00.000Z"
        );
        // 2000 is a leap year (divisible by 400); 2100 is not
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(47_540), (2100, 2, 28));
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
        assert_eq!(civil_from_days(20_453), (2025, 12, 31));
    }

    #[test]
    fn times_past_year_9999_are_clamped() {
        assert_eq!(
            Timestamp::from_unix_millis(u64::MAX).as_str(),
            "9999-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn header_speaks_protocol_2_1() {
        let header = Header::new(7, Timestamp::from_unix_millis(0), "gatefleet", "agv-01");
        assert_eq!(header.version, "2.1.0");
    }
}
