//! The bench yard: a border-lane site with a parking field big enough for every virtual
//! vehicle to stand on a waypoint of its own.
//!
//! Written as yard-file TOML and read with [`maps::yard_file::parse`], so that it passes the
//! same checks as a shipped yard and the fleet core's site checks (gate booths, km 0
//! checkpoints, a crane and a parking slot on each side, a swap station, everything on one
//! loop). The layout is the shipped yards' in miniature: export road at y = +6, import road
//! at y = -6, and in Vietnam a one-way ladder whose rungs are rows of parking slots.

use std::fmt::Write as _;

use maps::Yard;

/// Parking slots per ladder rung.
const SLOTS_PER_RUNG: usize = 10;
/// Metres between two rungs (more than an AGV and its safety gap).
const RUNG_SPACING_M: f64 = 25.0;
/// x of the rung nearest the border.
const FIRST_RUNG_X: f64 = -700.0;

/// The bench yard and the parking slots the vehicles are put on, one each.
pub struct BenchYard {
    /// The yard, named `bench`.
    pub yard: Yard,
    /// Names of the Vietnamese parking slots, nearest the border first.
    pub parking: Vec<String>,
}

/// Builds a bench yard with at least `slots` parking slots in its Vietnamese ladder.
///
/// # Errors
/// The yard file refused, which would be a fault of this generator.
pub fn bench_yard(slots: usize) -> anyhow::Result<BenchYard> {
    let rungs = slots.div_ceil(SLOTS_PER_RUNG).max(1);
    let parking: Vec<String> = (0..rungs * SLOTS_PER_RUNG).map(park_name).collect();
    let text = yard_text(rungs);
    let yard = maps::yard_file::parse(&text, "bench.toml")?;
    Ok(BenchYard { yard, parking })
}

fn park_name(slot: usize) -> String {
    format!("vn-park-{slot:04}")
}

fn aisle_name(aisle: &str, rung: usize) -> String {
    format!("vn-{aisle}-{rung:03}")
}

/// The yard file of a bench yard with `rungs` parking rungs.
fn yard_text(rungs: usize) -> String {
    let mut text = String::from(FIXED_WAYPOINTS);
    let rung_x = |rung: usize| FIRST_RUNG_X - RUNG_SPACING_M * rung as f64;

    // the ladder: inbound aisle at y = -130, outbound at y = +130, a row of slots between
    for rung in 0..rungs {
        let x = rung_x(rung);
        for (aisle, y) in [("in", -130.0), ("out", 130.0)] {
            let name = aisle_name(aisle, rung);
            let _ = writeln!(
                text,
                r#"  {{ name = "{name}", kind = "lane_slot", at = [{x}, {y}] }},"#
            );
        }
        for k in 0..SLOTS_PER_RUNG {
            let (name, y) = (
                park_name(rung * SLOTS_PER_RUNG + k),
                -90.0 + 20.0 * k as f64,
            );
            let _ = writeln!(
                text,
                r#"  {{ name = "{name}", kind = "parking", at = [{x}, {y}] }},"#
            );
        }
    }
    text.push_str("]\n\n");

    text.push_str(FIXED_LANES);
    let quoted = |names: Vec<String>| {
        let names: Vec<String> = names.into_iter().map(|n| format!("{n:?}")).collect();
        names.join(", ")
    };
    for rung in 0..rungs {
        let mut path = vec![aisle_name("in", rung)];
        path.extend((0..SLOTS_PER_RUNG).map(|k| park_name(rung * SLOTS_PER_RUNG + k)));
        path.push(aisle_name("out", rung));
        let _ = writeln!(text, "  {{ path = [{}], speed_mps = 4.0 }},", quoted(path));
    }
    if rungs > 1 {
        let inbound = (0..rungs).map(|r| aisle_name("in", r)).collect();
        let outbound = (0..rungs).rev().map(|r| aisle_name("out", r)).collect();
        for path in [inbound, outbound] {
            let _ = writeln!(text, "  {{ path = [{}], speed_mps = 4.0 }},", quoted(path));
        }
    }
    text.push_str("]\n\n");
    text.push_str(FIXED_TAIL);
    text
}

/// Waypoints besides the ladder: gates, km 0, the Chinese yard, a crane and a swap station
/// at the Vietnamese ladder's exit.
const FIXED_WAYPOINTS: &str = r#"name = "bench"
description = "benchmark yard: one parking slot per virtual vehicle"
waypoints = [
  { name = "km0-export", kind = "border_checkpoint", at = [0.0, 6.0] },
  { name = "km0-import", kind = "border_checkpoint", at = [0.0, -6.0] },
  { name = "vn-gate-exp-a", kind = "gate_booth", at = [-500.0, 6.0] },
  { name = "vn-gate-imp-a", kind = "gate_booth", at = [-500.0, -6.0] },
  { name = "cn-gate-exp-a", kind = "gate_booth", at = [500.0, 6.0] },
  { name = "cn-gate-imp-a", kind = "gate_booth", at = [500.0, -6.0] },
  { name = "cn-crane-1a", kind = "crane_slot", at = [540.0, 6.0] },
  { name = "cn-park-1", kind = "parking", at = [580.0, 6.0] },
  { name = "cn-turn", kind = "lane_slot", at = [620.0, 0.0] },
  { name = "vn-crane-1a", kind = "crane_slot", at = [-660.0, 130.0] },
  { name = "vn-swap-1", kind = "swap_station", at = [-620.0, 130.0] },
"#;

/// Lanes besides the ladder's: the Chinese loop and the Vietnamese ladder's exit.
const FIXED_LANES: &str = r#"lanes = [
  { path = ["cn-gate-exp-a", "cn-crane-1a", "cn-park-1", "cn-turn",
      "cn-gate-imp-a"], speed_mps = 4.0 },
  { path = ["vn-out-000", "vn-crane-1a", "vn-swap-1"], speed_mps = 4.0 },
"#;

/// Roads (the border lane and the ladder's entry and exit) and cranes.
const FIXED_TAIL: &str = r#"roads = [
  { name = "export-vn", from = "vn-gate-exp-a", to = "km0-export", speed_mps = 6.1 },
  { name = "export-cn", from = "km0-export", to = "cn-gate-exp-a", speed_mps = 6.1 },
  { name = "import-cn", from = "cn-gate-imp-a", to = "km0-import", speed_mps = 6.1 },
  { name = "import-vn", from = "km0-import", to = "vn-gate-imp-a", speed_mps = 6.1 },
  { name = "vn-yard-entry", from = "vn-gate-imp-a", to = "vn-in-000", via = [
      [-560.0, -130.0]], speed_mps = 4.0 },
  { name = "vn-yard-exit", from = "vn-swap-1", to = "vn-gate-exp-a", via = [
      [-560.0, 130.0]], speed_mps = 4.0 },
]

cranes = [
  { name = "vn-crane-1", side = "vn", slots = ["vn-crane-1a"] },
  { name = "cn-crane-1", side = "cn", slots = ["cn-crane-1a"] },
]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_yard_has_a_slot_per_vehicle_and_runs_in_the_core() {
        let bench = bench_yard(1_000).unwrap();
        assert_eq!(bench.parking.len(), 1_000);
        for name in &bench.parking {
            assert!(bench.yard.find(name).is_some(), "{name}");
        }
        let yard = std::sync::Arc::new(bench.yard);
        fleet::FleetCore::new(yard, fleet::FleetConfig::default()).unwrap();
    }

    #[test]
    fn one_rung_yard_is_valid() {
        assert_eq!(bench_yard(3).unwrap().parking.len(), SLOTS_PER_RUNG);
    }
}
