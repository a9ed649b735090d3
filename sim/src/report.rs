//! The KPIs of a run, as a table for people and as JSON for scripts.

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

/// What a run measured. Equal configs give equal reports, but for `wall_s`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimReport {
    /// Yard name.
    pub yard: String,
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
    /// Wall-clock seconds the run took.
    pub wall_s: f64,
}

fn hm(seconds: f64) -> String {
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

impl fmt::Display for SimReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let split = &self.time_split;
        let rows: Vec<(&str, String)> = vec![
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
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (key, value) in rows {
            writeln!(f, "{key:<width$}  {value}")?;
        }
        Ok(())
    }
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
