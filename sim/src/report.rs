//! The KPIs of a run, as a table for people and as JSON for scripts, with the run hour by
//! hour ([`HourlySeries`]) and day by day ([`DaySummary`]).

use std::fmt;

use serde::Serialize;

/// Shares of AGV time, each 0 to 1, summing to 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TimeSplit {
    /// Driving with a container.
    pub loaded: f64,
    /// Driving empty.
    pub empty: f64,
    /// Being served: crane lift, gate or km 0 check.
    pub service: f64,
    /// Standing with work: blocked by traffic or queued for a crane.
    pub waiting: f64,
    /// At a battery swap.
    pub swapping: f64,
    /// No work.
    pub idle: f64,
}

impl TimeSplit {
    /// The shares of ticks counted in the order of the fields (loaded, empty, service,
    /// waiting, swapping, idle); all zero when nothing was counted.
    pub(crate) fn from_ticks(ticks: &[u64; 6]) -> Self {
        let total = ticks.iter().sum::<u64>().max(1) as f64;
        let share = |i: usize| ticks[i] as f64 / total;
        Self {
            loaded: share(0),
            empty: share(1),
            service: share(2),
            waiting: share(3),
            swapping: share(4),
            idle: share(5),
        }
    }
}

/// Lowest, mean and highest state of charge over the fleet, each 0 to 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct BatteryBand {
    /// The emptiest AGV.
    pub min: f64,
    /// The fleet's mean.
    pub mean: f64,
    /// The fullest AGV.
    pub max: f64,
}

/// The run hour by hour: entry `h` of each vector is hour `h` of the run (the last may be
/// partial). Flows count what happened during the hour; states are taken at its end.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HourlySeries {
    /// Export trucks reaching the border (sent to staging or not).
    pub arrived_export: Vec<u64>,
    /// Imports released in the Chinese yard.
    pub arrived_import: Vec<u64>,
    /// Exports released to the fleet: customs done and, under a cap, accepted by the far side.
    pub released_export: Vec<u64>,
    /// Exports delivered in the Chinese yard.
    pub cleared_export: Vec<u64>,
    /// Imports delivered in the Vietnamese yard.
    pub cleared_import: Vec<u64>,
    /// State: exports in the Vietnamese yard (at the bays or stacked), not yet on an AGV.
    pub yard_export_vn: Vec<u64>,
    /// State: imports released in the Chinese yard, not yet on an AGV.
    pub yard_import_cn: Vec<u64>,
    /// State: export trucks in staging yards or driving from there to the bays.
    pub staging: Vec<u64>,
    /// State: exports arrived and not yet delivered, wherever they are.
    pub backlog_export: Vec<u64>,
    /// State: imports released and not yet delivered.
    pub backlog_import: Vec<u64>,
    /// How the fleet spent the hour.
    pub time_split: Vec<TimeSplit>,
    /// State of charge over the fleet at the end of the hour.
    pub battery: Vec<BatteryBand>,
}

/// One simulated day in a few numbers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct DaySummary {
    /// Day of the run, from 1.
    pub day: u32,
    /// Containers arrived during the day, both directions.
    pub arrived: u64,
    /// Of which exports.
    pub arrived_export: u64,
    /// Containers delivered during the day.
    pub cleared: u64,
    /// Of which exports.
    pub cleared_export: u64,
    /// Containers arrived and not delivered at the end of the day (or of the run).
    pub backlog_at_end: u64,
    /// Of which exports.
    pub backlog_export_at_end: u64,
    /// Export trucks that arrived during the day and were sent to staging.
    pub staged: u64,
    /// Dwell of the containers delivered during the day, 95th percentile, seconds.
    pub dwell_p95_s: f64,
}

/// What a run measured. Equal configs give equal reports, but for `wall_s`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimReport {
    /// Yard name.
    pub yard: String,
    /// Scenario name (`day`, `surge`, `shock`).
    pub scenario: String,
    /// Seed of the run.
    pub seed: u64,
    /// Simulated hours.
    pub hours: f64,
    /// Fleet size.
    pub agvs: usize,
    /// Demand level, containers per day.
    pub containers_per_day: f64,
    /// Containers that arrived (exports by truck, imports released) during the run.
    pub demand_containers: u64,
    /// Of which exports.
    pub demand_export: u64,
    /// Of which imports.
    pub demand_import: u64,
    /// Containers delivered across the lane.
    pub cleared_containers: u64,
    /// Of which exports.
    pub cleared_export: u64,
    /// Of which imports.
    pub cleared_import: u64,
    /// Containers arrived before 20:00 of the first day.
    pub arrived_before_20h: u64,
    /// Of those, cleared by the end of the run.
    pub cleared_of_arrived_before_20h: u64,
    /// The share of the two above (1 when none arrived).
    pub cleared_share_before_20h: f64,
    /// Containers arrived but not cleared at 20:00 of the first day; `None` when the run
    /// ends before 20:00.
    pub backlog_at_20h: Option<u64>,
    /// Containers cleared in each simulated hour.
    pub cleared_per_hour: Vec<u64>,
    /// The best hour.
    pub peak_cleared_per_hour: u64,
    /// Truck turnaround at the Vietnamese bays, median, seconds.
    pub truck_turnaround_p50_s: f64,
    /// Truck turnaround, 95th percentile, seconds.
    pub truck_turnaround_p95_s: f64,
    /// Container dwell from arrival to delivery across the lane, median, seconds (0 when
    /// nothing was cleared).
    pub dwell_p50_s: f64,
    /// Container dwell, 95th percentile, seconds.
    pub dwell_p95_s: f64,
    /// How AGVs spent their time.
    pub time_split: TimeSplit,
    /// AGVs crossing km 0 per hour, both directions, mean over the run.
    pub lane_vehicles_per_hour_mean: f64,
    /// The same, busiest hour.
    pub lane_vehicles_per_hour_peak: u64,
    /// Kilometres driven with a container, whole fleet.
    pub agv_km_loaded: f64,
    /// Kilometres driven empty, whole fleet.
    pub agv_km_empty: f64,
    /// Battery swaps done.
    pub battery_swaps: u64,
    /// Lowest state of charge any AGV reached, 0 to 1.
    pub min_battery: f64,
    /// Share of crane time spent lifting, Vietnamese side.
    pub crane_use_vn: f64,
    /// The same, Chinese side.
    pub crane_use_cn: f64,
    /// Where AGVs with work stood waiting longest: waypoint name and AGV-hours.
    pub waiting_hotspots: Vec<(String, f64)>,
    /// Footprint overlaps seen by the safety monitor.
    pub collisions: u64,
    /// Smallest distance between two AGV centres, metres.
    pub min_centre_distance_m: f64,
    /// AGVs with work that, with everything in their way, made no progress for 10 minutes.
    pub deadlocks: u64,
    /// AGVs with work that made no progress for 10 minutes behind a queue that moved.
    pub long_waits: u64,
    /// Commands the vehicles refused (a core bug if not 0).
    pub refused_commands: u64,
    /// Stalls drawn on lanes (delays on).
    pub stalls: u64,
    /// Breakdowns drawn (delays on).
    pub breakdowns: u64,
    /// Places in the Vietnamese export yard; `None` when unbounded.
    pub export_yard_capacity: Option<u64>,
    /// Of those, with a reefer plug.
    pub export_yard_reefer_plugs: Option<u64>,
    /// Export trucks sent to staging because the yard was full.
    pub staged_trucks: u64,
    /// The most trucks in staging (or on their way back) at once.
    pub staging_peak: u64,
    /// Time a staged truck lost, from its arrival to reaching the bays, 95th percentile,
    /// seconds (0 when none was staged).
    pub staging_delay_p95_s: f64,
    /// Exports the far side accepted per hour while its cap was on; `None` without a cap.
    pub intake_cap_per_hour: Option<f64>,
    /// Wall-clock seconds the run took.
    pub wall_s: f64,
    /// One summary per simulated day (the last may be partial).
    pub days: Vec<DaySummary>,
    /// The run hour by hour.
    pub hourly: HourlySeries,
}

/// Hours and minutes: `2h05`.
pub(crate) fn hm(seconds: f64) -> String {
    let minutes = (seconds / 60.0).round() as u64;
    format!("{}h{:02}", minutes / 60, minutes % 60)
}

fn hotspots(spots: &[(String, f64)]) -> String {
    let shown: Vec<String> = spots
        .iter()
        .take(3)
        .map(|(name, h)| format!("{name} {h:.1}"))
        .collect();
    if shown.is_empty() {
        "none".into()
    } else {
        shown.join(", ")
    }
}

fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

impl SimReport {
    /// The KPI table: one label and one value per row, as printed.
    pub(crate) fn kpi_rows(&self) -> Vec<(&'static str, String)> {
        let split = &self.time_split;
        let mut rows: Vec<(&'static str, String)> = vec![
            ("yard / seed", format!("{} / {}", self.yard, self.seed)),
            (
                "simulated",
                format!(
                    "{} h, {} AGVs, {:.0} containers/day",
                    self.hours, self.agvs, self.containers_per_day
                ),
            ),
            (
                "demanded (export / import)",
                format!(
                    "{} ({} / {})",
                    self.demand_containers, self.demand_export, self.demand_import
                ),
            ),
            (
                "cleared (export / import)",
                format!(
                    "{} ({} / {})",
                    self.cleared_containers, self.cleared_export, self.cleared_import
                ),
            ),
            (
                "arrived before 20:00, cleared",
                format!(
                    "{} of {} ({})",
                    self.cleared_of_arrived_before_20h,
                    self.arrived_before_20h,
                    pct(self.cleared_share_before_20h)
                ),
            ),
            (
                "backlog at 20:00",
                self.backlog_at_20h
                    .map_or("n/a (the run ends before)".into(), |b| b.to_string()),
            ),
            (
                "peak cleared per hour",
                self.peak_cleared_per_hour.to_string(),
            ),
            (
                "truck turnaround P50 / P95",
                format!(
                    "{} / {}",
                    hm(self.truck_turnaround_p50_s),
                    hm(self.truck_turnaround_p95_s)
                ),
            ),
            (
                "container dwell P50 / P95",
                if self.cleared_containers == 0 {
                    "n/a (nothing cleared)".into()
                } else {
                    format!("{} / {}", hm(self.dwell_p50_s), hm(self.dwell_p95_s))
                },
            ),
            (
                "AGV time loaded / empty / service",
                format!(
                    "{} / {} / {}",
                    pct(split.loaded),
                    pct(split.empty),
                    pct(split.service)
                ),
            ),
            (
                "AGV time waiting / swapping / idle",
                format!(
                    "{} / {} / {}",
                    pct(split.waiting),
                    pct(split.swapping),
                    pct(split.idle)
                ),
            ),
            (
                "AGV km loaded / empty",
                format!("{:.0} / {:.0}", self.agv_km_loaded, self.agv_km_empty),
            ),
            (
                "vehicles per hour at km 0 (mean / peak)",
                format!(
                    "{:.1} / {}",
                    self.lane_vehicles_per_hour_mean, self.lane_vehicles_per_hour_peak
                ),
            ),
            (
                "crane use VN / CN",
                format!("{} / {}", pct(self.crane_use_vn), pct(self.crane_use_cn)),
            ),
            (
                "waiting hotspots (AGV-hours)",
                hotspots(&self.waiting_hotspots),
            ),
            (
                "battery swaps / lowest charge",
                format!("{} / {}", self.battery_swaps, pct(self.min_battery)),
            ),
            (
                "collisions / min centre distance",
                format!("{} / {:.1} m", self.collisions, self.min_centre_distance_m),
            ),
            (
                "deadlocks / waits over 10 min",
                format!("{} / {}", self.deadlocks, self.long_waits),
            ),
            ("refused commands", self.refused_commands.to_string()),
            (
                "stalls / breakdowns injected",
                format!("{} / {}", self.stalls, self.breakdowns),
            ),
            ("wall time", format!("{:.1} s", self.wall_s)),
        ];
        // scenario rows only where they apply, so that an ordinary day prints as it did
        let after_backlog = 6;
        rows.splice(after_backlog..after_backlog, self.scenario_rows());
        if self.scenario != "day" {
            rows.insert(1, ("scenario", self.scenario.clone()));
        }
        rows
    }

    fn scenario_rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = Vec::new();
        if let Some(capacity) = self.export_yard_capacity {
            let plugs = self.export_yard_reefer_plugs.unwrap_or(0);
            rows.push((
                "export yard places (plugs) / trucks staged",
                format!(
                    "{capacity} ({plugs}) / {} (at most {} at once)",
                    self.staged_trucks, self.staging_peak
                ),
            ));
            rows.push(("staging delay P95", hm(self.staging_delay_p95_s)));
        }
        if let Some(per_hour) = self.intake_cap_per_hour {
            rows.push((
                "far side's cap on exports",
                format!("{per_hour:.1} per hour"),
            ));
        }
        rows
    }

    /// The per-day table: a header and one row per day, columns aligned.
    pub(crate) fn day_rows(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let header = vec![
            "day",
            "arrived (exp)",
            "cleared (exp)",
            "backlog at end (exp)",
            "staged",
            "dwell P95",
        ];
        let rows = self
            .days
            .iter()
            .map(|d| {
                vec![
                    d.day.to_string(),
                    format!("{} ({})", d.arrived, d.arrived_export),
                    format!("{} ({})", d.cleared, d.cleared_export),
                    format!("{} ({})", d.backlog_at_end, d.backlog_export_at_end),
                    d.staged.to_string(),
                    if d.cleared == 0 {
                        "n/a".into()
                    } else {
                        hm(d.dwell_p95_s)
                    },
                ]
            })
            .collect();
        (header, rows)
    }
}

impl fmt::Display for SimReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = self.kpi_rows();
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (key, value) in rows {
            writeln!(f, "{key:<width$}  {value}")?;
        }
        if self.days.len() > 1 {
            writeln!(f)?;
            write_columns(f, self.day_rows())?;
        }
        Ok(())
    }
}

/// A table with right-aligned columns, each as wide as its widest cell.
fn write_columns(
    f: &mut fmt::Formatter<'_>,
    (header, rows): (Vec<&str>, Vec<Vec<String>>),
) -> fmt::Result {
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            let widest = rows.iter().map(|row| row[c].len()).max().unwrap_or(0);
            widest.max(header[c].len())
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| format!("{cell:>width$}"))
            .collect();
        padded.join("  ")
    };
    writeln!(f, "{}", line(header.clone()))?;
    for row in &rows {
        writeln!(f, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// The `q` quantile (0 to 1) of samples, by the nearest-rank method; 0 when there are none.
pub(crate) fn quantile(samples: &mut [f64], q: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn nearest_rank_quantiles() {
        let mut samples = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(quantile(&mut samples, 0.5), 3.0);
        assert_eq!(quantile(&mut samples, 0.95), 5.0);
        assert_eq!(quantile(&mut [], 0.5), 0.0);
    }
}
