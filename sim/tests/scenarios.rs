//! Scenarios: a surge builds a backlog that then drains, a far-side cap holds, and the full
//! weeks (ignored: run with `--release --ignored`).

use sim::demand::DayShape;
use sim::intake::{IntakeCap, YardBuffer};
use sim::{Scenario, SimConfig, SimReport, Simulation};

/// A small lane of exports only: `per_day` exports on an ordinary day, `agvs` AGVs, 1 s ticks.
fn exports_only(per_day: f64, agvs: usize, hours: f64) -> SimConfig {
    let mut config = SimConfig::builtin("huu-nghi").expect("shipped yard");
    config.containers_per_day = per_day;
    config.demand.export_share = 1.0;
    config.agvs = agvs;
    config.hours = hours;
    config.tick_s = 1.0;
    config.seed = 9;
    config
}

fn run(config: SimConfig) -> SimReport {
    Simulation::new(config).expect("valid config").run(|_| {})
}

/// Hour of the highest value, and that value.
fn peak(series: &[u64]) -> (usize, u64) {
    let (hour, value) = series
        .iter()
        .enumerate()
        .max_by_key(|&(hour, value)| (value, std::cmp::Reverse(hour)))
        .expect("a series of at least one hour");
    (hour, *value)
}

#[test]
fn a_shortened_surge_builds_a_backlog_then_drains_it() {
    // the surge's first day on a small lane: 2.5x exports, 70 % of them 02:00-12:00, a small
    // export yard so that trucks overflow to staging
    let mut config = exports_only(120.0, 12, 20.0);
    config.tick_s = 2.0;
    let first_day: DayShape = Scenario::surge().export_by_day[0].clone();
    config.demand.export_by_day = vec![first_day];
    config.export_yard = Some(YardBuffer {
        places: 30,
        reefer_plugs: 20,
        staging_transfer_s: 600.0,
    });
    let report = run(config);
    let hourly = &report.hourly;
    assert_eq!(hourly.backlog_export.len(), 20, "{report}");

    // the backlog rises through the morning, peaks, and has more than halved by 20:00
    let (peak_hour, most) = peak(&hourly.backlog_export);
    let last = *hourly.backlog_export.last().expect("20 hours");
    assert!(most >= 40, "peak {most}: {:?}", hourly.backlog_export);
    assert!((6..16).contains(&peak_hour), "{:?}", hourly.backlog_export);
    assert!(
        hourly.backlog_export[2] * 4 < most,
        "{:?}",
        hourly.backlog_export
    );
    assert!(last * 2 < most, "{:?}", hourly.backlog_export);

    // trucks overflowed to staging and were all brought in
    assert!(report.staged_trucks > 0, "{report}");
    assert!(peak(&hourly.staging).1 > 0, "{:?}", hourly.staging);
    assert_eq!(hourly.staging.last(), Some(&0), "{:?}", hourly.staging);
    assert!(hourly.yard_export_vn.iter().all(|&n| n <= 30));
    assert_eq!(report.collisions, 0, "{report}");
}

#[test]
fn the_far_side_cap_holds_and_the_backlog_drains_after_it() {
    // 96 exports, all arriving from 01:00 to 03:00, while the far side takes half of an
    // ordinary day's rate: 2 an hour
    let mut config = exports_only(96.0, 12, 8.0);
    config.tick_s = 2.0;
    let mut hourly = [0.0; 24];
    hourly[1..3].fill(50.0);
    config.demand.export_by_day = vec![DayShape {
        factor: 1.0,
        reefer_share: 0.7,
        hourly,
    }];
    config.intake_cap = Some(IntakeCap {
        share: 0.5,
        from_s: 3600.0,
        until_s: 3.0 * 3600.0,
    });
    let report = run(config);
    let hourly = &report.hourly;
    assert_eq!(report.intake_cap_per_hour, Some(2.0));

    // at most 2 released in each hour of the cap
    let during = &hourly.released_export[1..3];
    assert!(during.iter().all(|&n| n <= 2), "{during:?}");
    assert!(hourly.cleared_export[1..3].iter().all(|&n| n <= 2));

    // the rest waits in the yard and is released when the cap ends, then cleared
    let waiting = hourly.yard_export_vn[2];
    assert!(waiting >= 60, "{:?}", hourly.yard_export_vn);
    assert!(
        hourly.released_export[3] >= 60,
        "{:?}",
        hourly.released_export
    );
    let backlog = &hourly.backlog_export;
    assert!(backlog[7] * 4 < backlog[2], "{backlog:?}");
}

#[test]
fn a_run_of_two_days_prints_a_day_table() {
    let mut config = exports_only(60.0, 4, 0.0);
    Scenario::day().with_days(2).apply(&mut config);
    config.tick_s = 5.0;
    let report = run(config);

    assert_eq!(report.hours, 48.0);
    assert_eq!(report.hourly.time_split.len(), 48);
    let days: Vec<u32> = report.days.iter().map(|d| d.day).collect();
    assert_eq!(days, [1, 2]);
    let arrived: u64 = report.days.iter().map(|d| d.arrived).sum();
    assert_eq!(arrived, report.demand_containers);
    let text = report.to_string();
    let table: Vec<&str> = text.lines().skip_while(|l| !l.is_empty()).skip(1).collect();
    assert_eq!(table.len(), 3, "{text}");
    assert!(table[0].contains("backlog at end"), "{text}");
    assert!(table[2].trim_start().starts_with('2'), "{text}");
}

fn week(scenario: Scenario) -> SimReport {
    let mut config = SimConfig::builtin("huu-nghi").expect("shipped yard");
    scenario.apply(&mut config);
    run(config)
}

#[test]
#[ignore = "a simulated week; run with --release --ignored"]
fn surge_week_drains_its_backlog() {
    let report = week(Scenario::surge());
    assert_eq!(report.days.len(), 7, "{report}");
    let backlog: Vec<u64> = report.days.iter().map(|d| d.backlog_at_end).collect();
    assert!(backlog[0] > 2 * backlog[6], "{backlog:?}");
    assert_eq!((report.collisions, report.deadlocks), (0, 0), "{report}");
}

#[test]
#[ignore = "a simulated week; run with --release --ignored"]
fn shock_week_builds_a_backlog_and_drains_it() {
    let report = week(Scenario::shock());
    let backlog: Vec<u64> = report
        .days
        .iter()
        .map(|d| d.backlog_export_at_end)
        .collect();
    assert!(backlog[3] > 5 * backlog[0], "{backlog:?}");
    assert!(backlog[6] * 5 < backlog[3], "{backlog:?}");
    let cap = report.intake_cap_per_hour.expect("a cap").ceil() as u64;
    assert!(
        report.hourly.released_export[24..96]
            .iter()
            .all(|&n| n <= cap)
    );
    assert!(report.staged_trucks > 0, "{report}");
    assert_eq!((report.collisions, report.deadlocks), (0, 0), "{report}");
}
