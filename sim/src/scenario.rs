//! Scenarios: named situations at the lane over several days, as changes to a [`SimConfig`].
//!
//! - **day** (the default): one ordinary day, exactly the run without a scenario.
//! - **surge**, modelled on 22-31 May 2023 at Hữu Nghị (the durian season; 898 trucks were
//!   reported waiting on 28 May, congestion lasted more than a week) \[shape S, numbers A\]:
//!   on the first day exports run at 2.5x an ordinary day, 85 % of them refrigerated and 70 %
//!   arriving between 02:00 and 12:00 (the ordinary profile's shape kept within and outside
//!   that window); then 1.6x for six more days, with the ordinary shares. Imports stay
//!   ordinary. The export yard is bounded ([`YardBuffer::default`]) and trucks that find it
//!   full wait in staging yards.
//! - **shock**, modelled on December 2021 (4,550 trucks queued on 16 December, 1,500-1,700
//!   arriving a day against 300-400 cleared) \[shape S, numbers A\]: over seven days, on days
//!   2 to 4 the Chinese side accepts only a quarter of an ordinary day's exports while
//!   exports arrive at 1.3x; the export yard is bounded as in the surge. The backlog builds
//!   during the shock and drains after it.
//!
//! `[S]` sourced, `[D]` derived, `[A]` assumed, as in the border-gate brief; the surge and
//! shock shapes follow its "Events" section.

use std::fmt;
use std::str::FromStr;

use crate::config::SimConfig;
use crate::demand::{DayShape, EXPORT_PROFILE, HourlyProfile};
use crate::intake::{IntakeCap, YardBuffer};

/// Which scenario a run plays.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScenarioKind {
    /// One ordinary day.
    #[default]
    Day,
    /// A week of export surge with overflow to staging yards.
    Surge,
    /// A week with a three-day capacity shock on the far side.
    Shock,
}

impl ScenarioKind {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Surge => "surge",
            Self::Shock => "shock",
        }
    }
}

impl fmt::Display for ScenarioKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A scenario name that is not one of `day`, `surge`, `shock`.
#[derive(Debug, thiserror::Error)]
#[error("unknown scenario {0:?}: expected day, surge or shock")]
pub struct UnknownScenario(String);

impl FromStr for ScenarioKind {
    type Err = UnknownScenario;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "day" => Ok(Self::Day),
            "surge" => Ok(Self::Surge),
            "shock" => Ok(Self::Shock),
            _ => Err(UnknownScenario(text.to_owned())),
        }
    }
}

/// A situation at the lane over whole days: the demand of each day and the limits on what
/// may enter the lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Which one.
    pub kind: ScenarioKind,
    /// Days simulated, from midnight of day 0.
    pub days: u32,
    /// Exports of each day, from day 0; later days are ordinary.
    pub export_by_day: Vec<DayShape>,
    /// The export yard's buffer; `None` for an unbounded yard.
    pub export_yard: Option<YardBuffer>,
    /// The far side's cap on exports; `None` when it takes all.
    pub intake_cap: Option<IntakeCap>,
}

/// Seconds in a day.
const DAY_S: f64 = 86_400.0;

impl Scenario {
    /// The scenario of this kind, with the figures of the module doc.
    pub fn of(kind: ScenarioKind) -> Self {
        match kind {
            ScenarioKind::Day => Self::day(),
            ScenarioKind::Surge => Self::surge(),
            ScenarioKind::Shock => Self::shock(),
        }
    }

    /// One ordinary day: no change to the config but its length.
    pub fn day() -> Self {
        Self {
            kind: ScenarioKind::Day,
            days: 1,
            export_by_day: Vec::new(),
            export_yard: None,
            intake_cap: None,
        }
    }

    /// A week of surge: 2.5x exports on day 0, mostly refrigerated and in the morning, then
    /// 1.6x for six days; the export yard bounded, overflow to staging.
    pub fn surge() -> Self {
        let first = DayShape {
            factor: 2.5,
            reefer_share: 0.85,
            hourly: concentrate(&EXPORT_PROFILE, 2..12, 0.70),
        };
        let after = DayShape {
            factor: 1.6,
            reefer_share: 0.70,
            hourly: EXPORT_PROFILE,
        };
        let mut export_by_day = vec![first];
        export_by_day.extend(std::iter::repeat_n(after, 6));
        Self {
            kind: ScenarioKind::Surge,
            days: 7,
            export_by_day,
            export_yard: Some(YardBuffer::default()),
            intake_cap: None,
        }
    }

    /// A week with a capacity shock: on days 1 to 3 (the 2nd to the 4th) the far side takes a
    /// quarter of an ordinary day's exports while exports arrive at 1.3x.
    pub fn shock() -> Self {
        let ordinary = DayShape {
            factor: 1.0,
            reefer_share: 0.70,
            hourly: EXPORT_PROFILE,
        };
        let rush = DayShape {
            factor: 1.3,
            ..ordinary.clone()
        };
        let mut export_by_day = vec![ordinary];
        export_by_day.extend(std::iter::repeat_n(rush, 3));
        Self {
            kind: ScenarioKind::Shock,
            days: 7,
            export_by_day,
            export_yard: Some(YardBuffer::default()),
            intake_cap: Some(IntakeCap {
                share: 0.25,
                from_s: DAY_S,
                until_s: 4.0 * DAY_S,
            }),
        }
    }

    /// The same over another number of days (the demand and the cap keep their days).
    pub fn with_days(mut self, days: u32) -> Self {
        self.days = days;
        self
    }

    /// Applies the scenario to a config: its length, its exports per day and its limits.
    pub fn apply(&self, config: &mut SimConfig) {
        config.scenario = self.kind;
        config.hours = f64::from(self.days) * 24.0;
        config.demand.export_by_day = self.export_by_day.clone();
        config.export_yard = self.export_yard;
        config.intake_cap = self.intake_cap;
    }
}

/// A profile with `share` of the day's arrivals in `hours` and the rest outside, each part
/// keeping the shape of `profile`; sums to 100.
fn concentrate(
    profile: &HourlyProfile,
    hours: std::ops::Range<usize>,
    share: f64,
) -> HourlyProfile {
    let inside: f64 = profile[hours.clone()].iter().sum();
    let outside: f64 = profile.iter().sum::<f64>() - inside;
    let mut shaped = *profile;
    for (hour, percent) in shaped.iter_mut().enumerate() {
        *percent *= if hours.contains(&hour) {
            100.0 * share / inside
        } else {
            100.0 * (1.0 - share) / outside
        };
    }
    shaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surge_morning_holds_70_percent_of_the_first_day() {
        let first = &Scenario::surge().export_by_day[0];
        let morning: f64 = first.hourly[2..12].iter().sum();
        let day: f64 = first.hourly.iter().sum();
        assert!((morning - 70.0).abs() < 1e-9, "{morning}");
        assert!((day - 100.0).abs() < 1e-9, "{day}");
        // the shape inside the window is the ordinary one: 07:00 stays the busiest hour
        let busiest = (0..24).max_by(|&a, &b| first.hourly[a].total_cmp(&first.hourly[b]));
        assert_eq!(busiest, Some(7));
    }

    #[test]
    fn scenarios_set_the_length_and_the_limits() {
        let mut config = SimConfig::builtin("huu-nghi").expect("shipped yard");
        Scenario::shock().with_days(5).apply(&mut config);
        assert_eq!(config.hours, 120.0);
        assert_eq!(config.scenario, ScenarioKind::Shock);
        assert!(config.export_yard.is_some() && config.intake_cap.is_some());
        assert!(config.validate().is_ok());

        Scenario::day().apply(&mut config);
        assert_eq!(config.hours, 24.0);
        assert!(config.export_yard.is_none() && config.demand.export_by_day.is_empty());
    }

    #[test]
    fn scenario_names_round_trip() {
        for kind in [ScenarioKind::Day, ScenarioKind::Surge, ScenarioKind::Shock] {
            assert_eq!(kind.name().parse::<ScenarioKind>().ok(), Some(kind));
        }
        let err = "storm".parse::<ScenarioKind>().expect_err("unknown");
        assert!(err.to_string().contains("storm"), "{err}");
    }
}
