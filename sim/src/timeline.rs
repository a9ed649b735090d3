//! Where each container was when, and the report's hour-by-hour series and day summaries
//! built from it.
//!
//! The world notes a few moments of each container's passage ([`Timeline`]); what the fleet
//! did each hour (time split, battery) is sampled at the hour's end ([`HourSampler`]). Counts
//! of a state at the end of hour `h` are the containers whose interval of that state covers
//! the instant `(h + 1) * 3600` s.

use fleet::Direction;

use crate::report::{BatteryBand, DaySummary, HourlySeries, TimeSplit, quantile};

const HOUR_S: f64 = 3600.0;
const DAY_S: f64 = 86_400.0;

/// The moments of one container's passage, seconds from midnight of day 0.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeline {
    pub(crate) direction: Direction,
    /// Its truck reached the border (exports) or it was released (imports).
    pub(crate) arrived_s: f64,
    /// It entered its yard: at once, or when its truck came back from staging.
    pub(crate) admitted_s: Option<f64>,
    /// Its truck was sent to staging.
    pub(crate) staged: bool,
    /// It was handed to the fleet (exports only).
    pub(crate) released_s: Option<f64>,
    /// It waits for the far side's cap.
    pub(crate) held_by_far_side: bool,
    /// An AGV lifted it.
    pub(crate) picked_s: Option<f64>,
    /// It was delivered across the lane.
    pub(crate) cleared_s: Option<f64>,
}

impl Timeline {
    /// A container that arrives at `arrived_s`; imports are in their yard at once.
    pub(crate) fn new(direction: Direction, arrived_s: f64) -> Self {
        Self {
            direction,
            arrived_s,
            admitted_s: (direction == Direction::Import).then_some(arrived_s),
            staged: false,
            released_s: None,
            held_by_far_side: false,
            picked_s: None,
            cleared_s: None,
        }
    }

    fn is_export(&self) -> bool {
        self.direction == Direction::Export
    }

    /// The time a staged truck lost, `None` when it was not staged.
    fn staging_delay_s(&self) -> Option<f64> {
        let admitted = self.admitted_s.filter(|_| self.staged)?;
        Some(admitted - self.arrived_s)
    }
}

/// The fleet's time split and batteries, sampled at the end of each hour.
#[derive(Debug, Default)]
pub(crate) struct HourSampler {
    split_before: [u64; 6],
    pub(crate) time_split: Vec<TimeSplit>,
    pub(crate) battery: Vec<BatteryBand>,
}

impl HourSampler {
    /// Whether the hour after the last sample has ended by `now_s`.
    pub(crate) fn is_due(&self, now_s: f64) -> bool {
        now_s + 1e-9 >= (self.time_split.len() + 1) as f64 * HOUR_S
    }

    /// Closes an hour: the split of the ticks since the last sample, the batteries now.
    pub(crate) fn sample(&mut self, split_ticks: &[u64; 6], batteries: impl Iterator<Item = f64>) {
        let mut ticks = [0u64; 6];
        for (i, tick) in ticks.iter_mut().enumerate() {
            *tick = split_ticks[i] - self.split_before[i];
        }
        self.split_before = *split_ticks;
        self.time_split.push(TimeSplit::from_ticks(&ticks));

        let (mut band, mut count) = (
            BatteryBand {
                min: 1.0,
                mean: 0.0,
                max: 0.0,
            },
            0.0,
        );
        for battery in batteries {
            band.min = band.min.min(battery);
            band.max = band.max.max(battery);
            band.mean += battery;
            count += 1.0;
        }
        band.mean /= f64::max(count, 1.0);
        self.battery.push(band);
    }
}

/// The hour-by-hour series of a run of `hours`.
pub(crate) fn hourly_series(
    timelines: &[Timeline],
    sampler: &HourSampler,
    hours: f64,
) -> HourlySeries {
    let n = hours.ceil() as usize;
    let exports = || timelines.iter().filter(|t| t.is_export());
    let imports = || timelines.iter().filter(|t| !t.is_export());
    HourlySeries {
        arrived_export: per_hour(exports().map(|t| Some(t.arrived_s)), n),
        arrived_import: per_hour(imports().map(|t| Some(t.arrived_s)), n),
        released_export: per_hour(exports().map(|t| t.released_s), n),
        cleared_export: per_hour(exports().map(|t| t.cleared_s), n),
        cleared_import: per_hour(imports().map(|t| t.cleared_s), n),
        yard_export_vn: at_hour_ends(exports().map(|t| (t.admitted_s, t.picked_s)), n),
        yard_import_cn: at_hour_ends(imports().map(|t| (t.admitted_s, t.picked_s)), n),
        staging: at_hour_ends(exports().map(|t| (Some(t.arrived_s), t.admitted_s)), n),
        backlog_export: at_hour_ends(exports().map(|t| (Some(t.arrived_s), t.cleared_s)), n),
        backlog_import: at_hour_ends(imports().map(|t| (Some(t.arrived_s), t.cleared_s)), n),
        time_split: sampler.time_split.clone(),
        battery: sampler.battery.clone(),
    }
}

/// One summary per day of a run of `hours`.
pub(crate) fn day_summaries(timelines: &[Timeline], hours: f64) -> Vec<DaySummary> {
    let end_s = hours * HOUR_S;
    let days = (hours / 24.0).ceil() as u32;
    (0..days)
        .map(|day| {
            let start = f64::from(day) * DAY_S;
            let stop = (start + DAY_S).min(end_s);
            let within = |t: Option<f64>| t.is_some_and(|t| start <= t && t < stop);
            let count =
                |f: &dyn Fn(&Timeline) -> bool| timelines.iter().filter(|t| f(t)).count() as u64;
            let open = |t: &Timeline| t.arrived_s <= stop && t.cleared_s.is_none_or(|c| c > stop);
            let mut dwell: Vec<f64> = timelines
                .iter()
                .filter(|t| within(t.cleared_s))
                .filter_map(|t| t.cleared_s.map(|c| c - t.arrived_s))
                .collect();
            DaySummary {
                day: day + 1,
                arrived: count(&|t| within(Some(t.arrived_s))),
                arrived_export: count(&|t| t.is_export() && within(Some(t.arrived_s))),
                cleared: count(&|t| within(t.cleared_s)),
                cleared_export: count(&|t| t.is_export() && within(t.cleared_s)),
                backlog_at_end: count(&open),
                backlog_export_at_end: count(&|t| t.is_export() && open(t)),
                staged: count(&|t| t.staging_delay_s().is_some() && within(Some(t.arrived_s))),
                dwell_p95_s: quantile(&mut dwell, 0.95),
            }
        })
        .collect()
}

/// The 95th percentile of the time staged trucks lost (0 when none was staged).
pub(crate) fn staging_delay_p95_s(timelines: &[Timeline]) -> f64 {
    let mut delays: Vec<f64> = timelines
        .iter()
        .filter_map(Timeline::staging_delay_s)
        .collect();
    quantile(&mut delays, 0.95)
}

/// How many of the moments fall in each of `n` hours (the last hour takes what is later).
fn per_hour(moments: impl Iterator<Item = Option<f64>>, n: usize) -> Vec<u64> {
    let mut counts = vec![0; n];
    for at in moments.flatten() {
        if let Some(count) = counts.get_mut(((at / HOUR_S) as usize).min(n.saturating_sub(1))) {
            *count += 1;
        }
    }
    counts
}

/// How many of the intervals `[from, until)` cover the end of each of `n` hours; an interval
/// without a start never began, one without an end lasts past the run.
fn at_hour_ends(intervals: impl Iterator<Item = (Option<f64>, Option<f64>)>, n: usize) -> Vec<u64> {
    // +1 at the first hour end at or after `from`, -1 at the first at or after `until`
    let first_end_from = |t: f64| ((t / HOUR_S).ceil() as usize).saturating_sub(1);
    let mut change = vec![0i64; n + 1];
    for (from, until) in intervals {
        let Some(from) = from else { continue };
        let start = first_end_from(from).min(n);
        let stop = until.map_or(n, |until| first_end_from(until).min(n));
        if start < stop {
            change[start] += 1;
            change[stop] -= 1;
        }
    }
    let mut running = 0i64;
    change[..n]
        .iter()
        .map(|delta| {
            running += delta;
            running.max(0) as u64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interval_counts_at_the_hour_ends_it_covers() {
        // from 0:30 to 2:00: covers the end of hour 0 (1:00) but not that of hour 1 (2:00)
        let counts = at_hour_ends([(Some(1800.0), Some(7200.0))].into_iter(), 3);
        assert_eq!(counts, vec![1, 0, 0]);
        // no end: covers every hour end from its start on; no start: never counted
        let counts = at_hour_ends([(Some(3600.0), None), (None, None)].into_iter(), 3);
        assert_eq!(counts, vec![1, 1, 1]);
    }

    #[test]
    fn moments_fall_in_their_hour() {
        let counts = per_hour([Some(0.0), Some(3599.0), Some(3600.0), None].into_iter(), 2);
        assert_eq!(counts, vec![2, 1]);
    }

    #[test]
    fn a_day_summary_counts_the_backlog_at_its_end() {
        let mut late = Timeline::new(Direction::Export, 80_000.0);
        (late.admitted_s, late.staged) = (Some(82_000.0), true);
        late.cleared_s = Some(90_000.0);
        let mut quick = Timeline::new(Direction::Import, 1000.0);
        quick.cleared_s = Some(4600.0);
        let days = day_summaries(&[late, quick], 48.0);
        assert_eq!(
            (days[0].arrived, days[0].cleared, days[0].backlog_at_end),
            (2, 1, 1)
        );
        assert_eq!((days[0].staged, days[0].backlog_export_at_end), (1, 1));
        assert_eq!((days[1].cleared_export, days[1].backlog_at_end), (1, 0));
        assert_eq!(days[0].dwell_p95_s, 3600.0);
        assert_eq!(staging_delay_p95_s(&[late, quick]), 2000.0);
    }
}
