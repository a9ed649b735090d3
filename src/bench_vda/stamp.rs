//! Header timestamps with microsecond precision, written by the load process and read back
//! by the bench to time each state from its publication.
//!
//! VDA 5050 allows any ISO 8601 fraction of a second; [`vda5050::Timestamp`] writes
//! milliseconds, too coarse for latencies of a few hundred microseconds, so the load process
//! writes `YYYY-MM-DDTHH:MM:SS.ffffffZ`. Reading goes back to microseconds since the Unix
//! epoch, date included, so that a run across midnight UTC needs no special case.

use std::time::{SystemTime, UNIX_EPOCH};

use vda5050::Timestamp;

/// Microseconds since the Unix epoch of a wall-clock time (0 before the epoch).
pub fn unix_us(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

/// Writes microseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
pub fn timestamp(unix_us: u64) -> Timestamp {
    // the millisecond text carries the calendar; its three digits get three more
    let millis = Timestamp::from_unix_millis(unix_us / 1000);
    let text = millis.as_str();
    let stem = text.strip_suffix('Z').unwrap_or(text);
    Timestamp::new(format!("{stem}{:03}Z", unix_us % 1000))
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction]Z` back to microseconds since the Unix epoch;
/// `None` for any other form (another zone, no `Z`, a date before 1970).
pub fn parse(text: &str) -> Option<u64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date = date.splitn(3, '-').map(|p| p.parse::<u64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut clock = clock.splitn(3, ':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // the first six digits of the fraction, padded: "12" is 120,000 µs
    let micros = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(6)
        .fold(0, |n, b| n * 10 + u64::from(b - b'0'));
    let days = days_from_civil(year, month, day)?;
    Some(((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + micros)
}

/// Days from 1970-01-01 to a proleptic Gregorian date; `None` before 1970.
///
/// Counts in 400-year eras starting on a 1 March, as `vda5050`'s writer does the other way.
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let year = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let (era, year_of_era) = (year / 400, year % 400);
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsecond_stamps_read_back_exactly() {
        for unix_us in [
            0,
            1_709_251_199_999_999, // 2024-02-29T23:59:59.999999Z
            1_709_251_200_000_001, // a microsecond past midnight, a leap day behind
            1_772_451_603_120_456,
            4_102_444_800_000_000, // 2100-01-01
        ] {
            let stamp = timestamp(unix_us);
            assert_eq!(parse(stamp.as_str()), Some(unix_us), "{stamp}");
        }
        assert_eq!(
            timestamp(1_772_451_603_120_456).as_str(),
            "2026-03-02T11:40:03.120456Z"
        );
    }

    #[test]
    fn vehicle_stamps_in_milliseconds_read_too() {
        let stamp = Timestamp::from_unix_millis(1_772_451_603_120);
        assert_eq!(parse(stamp.as_str()), Some(1_772_451_603_120_000));
        assert_eq!(parse("2026-03-02T11:40:03Z"), Some(1_772_451_603_000_000));
    }

    #[test]
    fn other_forms_are_not_read() {
        for text in [
            "2026-03-02T11:40:03.120+07:00",
            "2026-03-02 11:40:03Z",
            "2026-13-02T11:40:03Z",
            "1969-12-31T23:59:59Z",
            "2026-03-02T11:40:03.1x0Z",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
