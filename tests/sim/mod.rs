//! `gatefleet sim`: a short run prints its KPIs and writes them as JSON.

use crate::support::{gatefleet, scratch};

#[test]
fn sim_short_run_writes_a_json_report() -> anyhow::Result<()> {
    let dir = scratch("sim-short");
    let args = [
        "sim", "--hours", "1", "--agvs", "10", "--seed", "3", "--report", "r.json",
    ];
    let run = gatefleet(&dir, &args);

    assert_eq!(run.code, Some(0), "{run:#?}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json"))?)?;
    let keys = [
        "demand_containers",
        "cleared_containers",
        "collisions",
        "deadlocks",
    ];
    for key in keys.into_iter().chain(["dwell_p95_s", "wall_s"]) {
        assert!(
            report.get(key).is_some_and(|v| !v.is_null()),
            "no {key} in {report:#}"
        );
    }
    assert_eq!(report["collisions"], 0);
    Ok(())
}
