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

#[test]
fn sim_scenario_writes_an_html_report_and_hourly_json() -> anyhow::Result<()> {
    let dir = scratch("sim-scenario");
    let args = [
        "sim",
        "--scenario",
        "surge",
        "--hours",
        "2",
        "--agvs",
        "8",
        "--report",
        "r.json",
        "--report-html",
        "r.html",
    ];
    let run = gatefleet(&dir, &args);

    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("scenario"), "{}", run.stdout);
    assert!(run.stdout.contains("export yard places"), "{}", run.stdout);
    let page = std::fs::read_to_string(dir.join("r.html"))?;
    assert_eq!(page.matches("<svg").count(), 4);
    assert!(page.contains("<table class=\"kpi\">"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json"))?)?;
    assert_eq!(report["scenario"], "surge");
    assert_eq!(report["export_yard_capacity"], 200);
    let hours = report["hourly"]["cleared_export"].as_array().map(Vec::len);
    assert_eq!(hours, Some(2), "{report:#}");
    assert_eq!(report["days"].as_array().map(Vec::len), Some(1));
    Ok(())
}

#[test]
fn sim_html_report_to_a_bad_path_is_refused_before_the_run() {
    let dir = scratch("sim-bad-html");
    let args = [
        "sim",
        "--scenario",
        "shock",
        "--report-html",
        "no/such/dir/r.html",
    ];
    let run = gatefleet(&dir, &args);

    let line = run.refusal();
    assert!(line.contains("cannot write HTML report"), "{line}");
    assert!(line.contains("no/such/dir/r.html"), "{line}");
}

#[test]
fn sim_with_delays_and_the_baseline_dispatch_reports_its_disturbances() -> anyhow::Result<()> {
    let dir = scratch("sim-delays");
    let args = [
        "sim",
        "--hours",
        "2",
        "--agvs",
        "12",
        "--delays",
        "--dispatch",
        "nearest-idle",
        "--report",
        "r.json",
    ];
    let run = gatefleet(&dir, &args);

    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(run.stdout.contains("stalls / breakdowns"), "{}", run.stdout);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json"))?)?;
    assert!(
        report["stalls"].as_u64().is_some_and(|n| n > 0),
        "{report:#}"
    );
    assert_eq!(report["collisions"], 0);
    assert_eq!(report["deadlocks"], 0);

    let bad = gatefleet(&dir, &["sim", "--dispatch", "fastest"]);
    assert_eq!(bad.code, Some(2), "{bad:#?}");
    assert!(bad.stderr.contains("--dispatch"), "{}", bad.stderr);
    Ok(())
}
