use sim::{SimConfig, SimReport, Simulation};

fn run(seed: u64) -> SimReport {
    let mut config = SimConfig::builtin("huu-nghi")
        .expect("shipped yard")
        .with_hours(2.0);
    config.agvs = 16;
    config.seed = seed;
    let mut report = Simulation::new(config).expect("valid config").run(|_| {});
    report.wall_s = 0.0;
    report
}

#[test]
fn same_seed_gives_the_same_report() {
    let first = run(11);
    assert!(first.cleared_containers > 0, "{first}");
    assert_eq!(first, run(11));
}

#[test]
fn another_seed_gives_another_day() {
    assert_ne!(run(11), run(12));
}
