//! Demand: when containers arrive, which way they go, and how long customs holds them.
//!
//! Exports arrive by truck at the Vietnamese yard and imports are released at the Chinese
//! yard, each as a Poisson process whose rate follows an hourly profile (the shares of the
//! border-gate brief, peaking near twice the mean). Every draw comes from the run's seeded
//! generator, so a seed gives the same day.
//!
//! A run of several days repeats the same day unless [`DemandProfile::export_by_day`] gives
//! exports a shape of their own for some days (a surge or a capacity shock, see
//! [`crate::scenario`]); imports keep their profile every day.

use fleet::Direction;
use rand::Rng;
use rand_distr::{Distribution, Exp};

/// Share of the day's arrivals in each hour, in percent (sums to about 100).
pub type HourlyProfile = [f64; 24];

/// Export trucks at the Vietnamese yard [A, border-gate brief].
pub const EXPORT_PROFILE: HourlyProfile = [
    2.0, 2.0, 2.0, 2.5, 3.0, 5.0, 7.0, 8.5, 8.0, 7.0, 6.0, 5.0, 4.0, 4.5, 5.0, 5.0, 4.5, 4.0, 3.5,
    3.0, 2.5, 2.0, 2.0, 2.0,
];

/// Import releases at the Chinese yard, Chinese working hours [A, border-gate brief].
pub const IMPORT_PROFILE: HourlyProfile = [
    1.5, 1.5, 1.5, 1.5, 1.5, 2.0, 3.0, 6.0, 8.0, 8.0, 7.0, 6.5, 5.5, 6.0, 7.0, 6.5, 6.0, 5.5, 4.5,
    3.5, 2.5, 2.0, 1.5, 1.5,
];

/// A customs hold drawn for a share of containers: uniform between two durations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hold {
    /// Share of containers held, 0 to 1.
    pub share: f64,
    /// Shortest hold, seconds.
    pub min_s: f64,
    /// Longest hold, seconds.
    pub max_s: f64,
}

/// Shape of the demand and of what happens to a container before it may cross.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandProfile {
    /// Export arrivals per hour, percent of the day.
    pub export_hourly: HourlyProfile,
    /// Import releases per hour, percent of the day.
    pub import_hourly: HourlyProfile,
    /// Share of containers going Vietnam -> China [S: 25 %].
    pub export_share: f64,
    /// Refrigerated share of exports [S: 70 %].
    pub export_reefer_share: f64,
    /// Refrigerated share of imports [A: 10 %].
    pub import_reefer_share: f64,
    /// Exports opened by Vietnamese customs before they may leave [A: 5 %, 30-60 min].
    pub export_inspection: Hold,
    /// Imports inspected on the Chinese side before they may leave [A: 5 %, 30-90 min].
    pub import_inspection: Hold,
    /// Containers held a long time, e.g. a lab re-test [A: 1 %, 24-72 h].
    pub long_hold: Hold,
    /// Time to lift a container off or onto a road truck at a bay, seconds [A: 5 min, a
    /// reach-stacker lift and the paperwork; at 10 min the 8 export bays cap exports at
    /// 48 trucks/h, under the 2x morning peak].
    pub truck_handling_s: f64,
    /// Delay between an import landing in the Vietnamese yard and its truck arriving \[A\].
    pub import_pickup_delay: (f64, f64),
    /// Exports of day `d` (0 = the first day) follow `export_by_day[d]`; days past its end,
    /// and every day when it is empty, are ordinary days.
    pub export_by_day: Vec<DayShape>,
}

/// How one day's exports differ from an ordinary day.
#[derive(Clone, Debug, PartialEq)]
pub struct DayShape {
    /// Volume as a multiple of an ordinary day's exports.
    pub factor: f64,
    /// Refrigerated share of the day's exports, 0 to 1.
    pub reefer_share: f64,
    /// The day's arrivals per hour, percent of the day.
    pub hourly: HourlyProfile,
}

impl Default for DemandProfile {
    fn default() -> Self {
        Self {
            export_hourly: EXPORT_PROFILE,
            import_hourly: IMPORT_PROFILE,
            export_share: 0.25,
            export_reefer_share: 0.70,
            import_reefer_share: 0.10,
            export_inspection: Hold {
                share: 0.05,
                min_s: 1800.0,
                max_s: 3600.0,
            },
            import_inspection: Hold {
                share: 0.05,
                min_s: 1800.0,
                max_s: 5400.0,
            },
            long_hold: Hold {
                share: 0.01,
                min_s: 24.0 * 3600.0,
                max_s: 72.0 * 3600.0,
            },
            truck_handling_s: 300.0,
            import_pickup_delay: (900.0, 7200.0),
            export_by_day: Vec::new(),
        }
    }
}

/// One container entering the system.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrival {
    /// When its truck arrives (exports) or it is released (imports), seconds.
    pub at_s: f64,
    /// Which way it crosses.
    pub direction: Direction,
    /// Refrigerated.
    pub reefer: bool,
    /// How long customs holds it once it is in the yard, seconds (0 for most).
    pub hold_s: f64,
}

impl DemandProfile {
    /// Draws every arrival of a run of `hours` at `per_day` containers a day (on an ordinary
    /// day), in time order.
    pub fn draw(&self, per_day: f64, hours: f64, rng: &mut impl Rng) -> Vec<Arrival> {
        let mut arrivals = Vec::new();
        for direction in [Direction::Export, Direction::Import] {
            let mut hour = 0usize;
            while (hour as f64) < hours {
                let shape = self.shape_of(direction, hour / 24);
                let total: f64 = shape.hourly.iter().sum();
                let share = match direction {
                    Direction::Export => self.export_share,
                    Direction::Import => 1.0 - self.export_share,
                };
                let per_hour = per_day * share * shape.factor * shape.hourly[hour % 24] / total;
                let end_s = ((hour + 1) as f64).min(hours) * 3600.0;
                let mut t = hour as f64 * 3600.0;
                if let Ok(gap) = Exp::new(per_hour / 3600.0) {
                    loop {
                        t += gap.sample(rng);
                        if t >= end_s {
                            break;
                        }
                        arrivals.push(self.container(direction, shape.reefer_share, t, rng));
                    }
                }
                hour += 1;
            }
        }
        arrivals.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        arrivals
    }

    /// The shape of one direction's demand on day `day`.
    fn shape_of(&self, direction: Direction, day: usize) -> DayShape {
        match direction {
            Direction::Export => self.export_by_day.get(day).cloned().unwrap_or(DayShape {
                factor: 1.0,
                reefer_share: self.export_reefer_share,
                hourly: self.export_hourly,
            }),
            Direction::Import => DayShape {
                factor: 1.0,
                reefer_share: self.import_reefer_share,
                hourly: self.import_hourly,
            },
        }
    }

    fn container(
        &self,
        direction: Direction,
        reefer_share: f64,
        at_s: f64,
        rng: &mut impl Rng,
    ) -> Arrival {
        let inspection = match direction {
            Direction::Export => self.export_inspection,
            Direction::Import => self.import_inspection,
        };
        let reefer = rng.random_bool(reefer_share.clamp(0.0, 1.0));
        let hold_s = draw_hold(&self.long_hold, rng).max(draw_hold(&inspection, rng));
        Arrival {
            at_s,
            direction,
            reefer,
            hold_s,
        }
    }
}

fn draw_hold(hold: &Hold, rng: &mut impl Rng) -> f64 {
    if rng.random_bool(hold.share.clamp(0.0, 1.0)) {
        rng.random_range(hold.min_s..=hold.max_s.max(hold.min_s))
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn a_day_at_1x_brings_about_1200_containers_a_quarter_exports() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let day = DemandProfile::default().draw(1200.0, 24.0, &mut rng);
        let exports = day
            .iter()
            .filter(|a| a.direction == Direction::Export)
            .count();
        assert!((1100..1300).contains(&day.len()), "{}", day.len());
        assert!((240..360).contains(&exports), "{exports}");
        assert!(day.windows(2).all(|w| w[0].at_s <= w[1].at_s));
    }

    #[test]
    fn the_same_seed_draws_the_same_day() {
        let draw = |seed| {
            DemandProfile::default().draw(1200.0, 24.0, &mut ChaCha8Rng::seed_from_u64(seed))
        };
        assert_eq!(draw(3), draw(3));
        assert_ne!(draw(3), draw(4));
    }

    #[test]
    fn a_day_shape_scales_that_day_of_exports_only() {
        let surge = DemandProfile {
            export_by_day: vec![DayShape {
                factor: 3.0,
                reefer_share: 1.0,
                hourly: EXPORT_PROFILE,
            }],
            ..DemandProfile::default()
        };
        let days = surge.draw(1200.0, 48.0, &mut ChaCha8Rng::seed_from_u64(2));
        let count = |day: usize, direction| {
            let hours = (day as f64 * 86_400.0)..((day + 1) as f64 * 86_400.0);
            days.iter()
                .filter(|a| a.direction == direction && hours.contains(&a.at_s))
                .count()
        };
        // day 0: about 900 exports, all refrigerated; day 1 about 300; imports 900 both days
        assert!((800..1000).contains(&count(0, Direction::Export)));
        assert!((240..360).contains(&count(1, Direction::Export)));
        assert!((800..1000).contains(&count(0, Direction::Import)));
        assert!((800..1000).contains(&count(1, Direction::Import)));
        let day0_exports = days.iter().filter(|a| a.direction == Direction::Export);
        assert!(day0_exports.take(500).all(|a| a.reefer));
    }
}
