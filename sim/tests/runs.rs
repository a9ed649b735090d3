use sim::{SimConfig, Simulation};

fn short_run(yard: &str, hours: f64, agvs: usize) -> sim::SimReport {
    let mut config = SimConfig::builtin(yard)
        .expect("shipped yard")
        .with_hours(hours);
    config.agvs = agvs;
    config.seed = 5;
    Simulation::new(config).expect("valid config").run(|_| {})
}

#[test]
fn morning_at_huu_nghi_is_safe_and_clears_containers() {
    let report = short_run("huu-nghi", 3.0, 24);
    assert_eq!(report.collisions, 0, "{report}");
    assert_eq!(report.deadlocks, 0, "{report}");
    assert_eq!(report.refused_commands, 0, "{report}");
    assert!(
        report.cleared_containers * 2 > report.demand_containers,
        "{report}"
    );
    assert!(report.min_centre_distance_m >= 10.0, "{report}");
}

#[test]
fn morning_at_tan_thanh_is_safe_and_clears_containers() {
    let report = short_run("tan-thanh", 3.0, 24);
    assert_eq!(report.collisions, 0, "{report}");
    assert_eq!(report.deadlocks, 0, "{report}");
    assert_eq!(report.refused_commands, 0, "{report}");
    assert!(report.cleared_containers > 0, "{report}");
}

#[test]
fn a_fleet_larger_than_the_yard_is_refused() {
    let mut config = SimConfig::builtin("huu-nghi").expect("shipped yard");
    config.agvs = 100_000;
    let err = Simulation::new(config).err().expect("too many AGVs");
    assert!(err.to_string().contains("does not fit"), "{err}");
}

#[test]
fn zero_hours_is_refused() {
    let config = SimConfig::builtin("huu-nghi")
        .expect("shipped yard")
        .with_hours(0.0);
    let err = Simulation::new(config).err().expect("bad hours");
    assert!(err.to_string().contains("hours"), "{err}");
}
