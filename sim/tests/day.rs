//! Whole days: the acceptance runs of the lane. Long in a debug build, so ignored by
//! default; run them with `cargo test --release -p sim --test main day -- --ignored`.

use sim::{SimConfig, Simulation};

fn day(level: f64, agvs: usize) -> sim::SimReport {
    let mut config = SimConfig::builtin("huu-nghi").expect("shipped yard");
    config.containers_per_day = level * SimConfig::BASE_CONTAINERS_PER_DAY;
    config.agvs = agvs;
    Simulation::new(config).expect("valid config").run(|_| {})
}

#[test]
#[ignore = "a whole simulated day; run with --release --ignored"]
fn day_at_1x_clears_95_percent_safely() {
    let report = day(1.0, 40);
    assert_eq!(report.collisions, 0, "{report}");
    assert_eq!(report.deadlocks, 0, "{report}");
    assert!(report.cleared_share_before_20h >= 0.95, "{report}");
}

#[test]
#[ignore = "a whole simulated day; run with --release --ignored"]
fn day_at_2x_clears_95_percent_safely() {
    let report = day(2.0, 80);
    assert_eq!(report.collisions, 0, "{report}");
    assert_eq!(report.deadlocks, 0, "{report}");
    assert!(report.cleared_share_before_20h >= 0.95, "{report}");
}
