//! Bad input is refused with exit code 2 and one line that names the culprit and the problem.

use std::path::Path;

use crate::support::{Run, gatefleet, scratch, write};

/// A 4 x 3 map with a wall in the middle of the second row.
const MAP_4X3: &str = "type octile\nheight 3\nwidth 4\nmap\n....\n.@@.\n....\n";

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// Runs `gatefleet plan` on a map and a scenario in `dir`.
fn plan(dir: &Path, map: &Path, scen: &Path, agents: &str) -> Run {
    let (map, scen) = (path_arg(map), path_arg(scen));
    let args = [
        "plan", "--map", map, "--scen", scen, "--agents", agents, "--output", "r.txt",
    ];
    gatefleet(dir, &args)
}

#[test]
fn unknown_yard_name_is_refused() {
    let dir = scratch("unknown-yard");
    let run = gatefleet(&dir, &["sim", "--yard", "nowhere", "--hours", "0.1"]);

    let line = run.refusal();
    assert!(line.contains("unknown yard `nowhere`"), "{line}");
}

#[test]
fn yard_file_with_a_lane_to_an_unknown_waypoint_is_refused() {
    let dir = scratch("bad-yard");
    let text = r#"name = "tiny"
waypoints = [
    { name = "a", kind = "lane_slot", at = [-100.0, 0.0] },
    { name = "b", kind = "lane_slot", at = [-50.0, 0.0] },
]
lanes = [
    { path = ["a", "b"], speed_mps = 4.0 },
    { path = ["b", "zz"], speed_mps = 4.0 },
]
"#;
    let yard = write(&dir, "tiny.toml", text);
    let run = gatefleet(&dir, &["sim", "--yard", path_arg(&yard), "--hours", "0.1"]);

    let line = run.refusal();
    for part in [path_arg(&yard), "line 8", "unknown waypoint `zz`"] {
        assert!(line.contains(part), "{part:?} not in {line:?}");
    }
}

#[test]
fn map_with_a_short_row_is_refused() {
    let dir = scratch("short-row");
    let map = write(&dir, "short.map", &MAP_4X3.replace(".@@.\n", ".@@\n"));
    let scen = write(
        &dir,
        "one.scen",
        "version 1\n0\tshort.map\t4\t3\t0\t0\t3\t2\t5\n",
    );
    let run = plan(&dir, &map, &scen, "1");

    let line = run.refusal();
    for part in [path_arg(&map), "line 6", "row has 3 cells, expected 4"] {
        assert!(line.contains(part), "{part:?} not in {line:?}");
    }
}

#[test]
fn scenario_with_fewer_agents_than_asked_is_refused() {
    let dir = scratch("few-agents");
    let map = write(&dir, "m.map", MAP_4X3);
    let scen = write(
        &dir,
        "two.scen",
        "version 1\n0\tm.map\t4\t3\t0\t0\t3\t2\t5\n0\tm.map\t4\t3\t3\t0\t0\t2\t5\n",
    );
    let run = plan(&dir, &map, &scen, "3");

    let line = run.refusal();
    for part in [path_arg(&scen), "has 2 agents, 3 were asked for"] {
        assert!(line.contains(part), "{part:?} not in {line:?}");
    }
}

#[test]
fn scenario_goal_on_a_blocked_cell_is_refused() {
    let dir = scratch("blocked-goal");
    let map = write(&dir, "m.map", MAP_4X3);
    let scen = write(
        &dir,
        "wall.scen",
        "version 1\n0\tm.map\t4\t3\t0\t0\t3\t2\t5\n0\tm.map\t4\t3\t3\t0\t1\t1\t5\n",
    );
    let run = plan(&dir, &map, &scen, "2");

    let line = run.refusal();
    for part in [path_arg(&scen), "line 3", "goal (1,1) is blocked"] {
        assert!(line.contains(part), "{part:?} not in {line:?}");
    }
}

#[test]
fn unknown_demand_level_is_refused() {
    let dir = scratch("demand-lots");
    let run = gatefleet(&dir, &["sim", "--demand", "lots", "--hours", "0.1"]);

    let line = run.refusal();
    assert!(line.contains("--demand \"lots\""), "{line}");
}

#[test]
fn out_of_range_run_settings_are_refused_before_anything_runs() {
    let dir = scratch("settings");
    let cases: [(&[&str], &str); 5] = [
        (&["sim", "--hours", "-1"], "hours"),
        (&["sim", "--demand", "1e12x"], "demand"),
        (&["sim", "--agvs", "100000", "--hours", "1"], "does not fit"),
        (
            &["sim", "--hours", "1", "--report", "no/such/dir/r.json"],
            "no/such/dir/r.json",
        ),
        (
            &[
                "plan",
                "--map",
                "m",
                "--scen",
                "s",
                "--agents",
                "1",
                "--time-limit-s",
                "1e300",
                "--output",
                "r.txt",
            ],
            "--time-limit-s",
        ),
    ];
    for (args, culprit) in cases {
        let run = gatefleet(&dir, args);
        let line = run.refusal();
        assert!(
            line.contains(culprit),
            "{args:?}: {culprit:?} not in {line:?}"
        );
    }
}

#[test]
fn zero_agents_is_refused() {
    let dir = scratch("zero-agents");
    let map = write(&dir, "m.map", MAP_4X3);
    let scen = write(&dir, "s.scen", "version 1\n0\tm.map\t4\t3\t0\t0\t3\t2\t5\n");
    let run = plan(&dir, &map, &scen, "0");
    let line = run.refusal();
    assert!(line.contains("--agents 0"), "{line}");
}
