//! The built-in yards load and have the places the simulator looks up by name.

use std::collections::{HashMap, HashSet};

use maps::yard_file::load_builtin;
use maps::{Side, WaypointId, WaypointKind, Yard, ZoneKind};

const YARDS: [&str; 2] = ["huu-nghi", "tan-thanh"];

fn yards() -> Vec<Yard> {
    YARDS
        .iter()
        .map(|name| load_builtin(name).unwrap())
        .collect()
}

#[test]
fn both_builtin_yards_load_with_their_names() {
    for (yard, name) in yards().iter().zip(YARDS) {
        assert_eq!(yard.name(), name);
        println!(
            "{name}: {} waypoints, {} lanes",
            yard.waypoint_count(),
            yard.lane_count()
        );
    }
}

#[test]
fn every_waypoint_and_zone_kind_is_present() {
    use WaypointKind::{BorderCheckpoint, CraneSlot, GateBooth, LaneSlot, TruckBay};
    use ZoneKind::{CnYard, Gate, Inspection, KmZero, VnYard};
    for yard in yards() {
        let kinds: HashSet<_> = yard.waypoints().map(|(_, w)| w.kind).collect();
        for kind in [TruckBay, CraneSlot, GateBooth, BorderCheckpoint, LaneSlot] {
            assert!(kinds.contains(&kind), "{}: no {kind:?}", yard.name());
        }
        assert!(kinds.contains(&WaypointKind::SwapStation));
        assert!(kinds.contains(&WaypointKind::Parking));
        let zones: HashSet<_> = yard.zones().iter().map(|z| z.kind).collect();
        for kind in [
            VnYard,
            Inspection,
            Gate,
            KmZero,
            CnYard,
            ZoneKind::SwapStation,
        ] {
            assert!(zones.contains(&kind), "{}: no {kind:?} zone", yard.name());
        }
        assert!(zones.contains(&ZoneKind::Parking));
    }
}

#[test]
fn eight_cranes_a_side_each_with_two_crane_slots() {
    for yard in yards() {
        for side in [Side::Vn, Side::Cn] {
            let cranes: Vec<_> = yard.cranes().iter().filter(|c| c.side == side).collect();
            assert_eq!(cranes.len(), 8, "{} {side}", yard.name());
            for crane in cranes {
                assert_eq!(crane.slots.len(), 2, "{}", crane.name);
                for &slot in &crane.slots {
                    assert_eq!(yard.waypoint(slot).kind, WaypointKind::CraneSlot);
                    assert_eq!(yard.waypoint(slot).side, side, "{}", crane.name);
                }
            }
        }
        assert_eq!(yard.waypoints_of(WaypointKind::CraneSlot).count(), 32);
    }
}

#[test]
fn named_places_exist_with_their_kinds() {
    use WaypointKind::*;
    for yard in yards() {
        let mut expected = vec![
            ("km0-export", BorderCheckpoint),
            ("km0-import", BorderCheckpoint),
        ];
        let named = |n: String, k| (n, k);
        let mut owned: Vec<(String, WaypointKind)> = Vec::new();
        for p in ["vn", "cn"] {
            for j in 1..=6 {
                owned.push(named(format!("{p}-crane-{j}a"), CraneSlot));
                owned.push(named(format!("{p}-crane-{j}b"), CraneSlot));
            }
            for i in 1..=20 {
                owned.push(named(format!("{p}-park-{i:02}"), Parking));
            }
            for i in 1..=8 {
                owned.push(named(format!("{p}-bay-exp-{i}"), TruckBay));
                owned.push(named(format!("{p}-bay-imp-{i}"), TruckBay));
            }
            for booth in ["exp-a", "exp-b", "imp-a", "imp-b"] {
                owned.push(named(format!("{p}-gate-{booth}"), GateBooth));
            }
        }
        owned.push(named("vn-swap-1".into(), SwapStation));
        owned.push(named("vn-swap-2".into(), SwapStation));
        expected.extend(owned.iter().map(|(n, k)| (n.as_str(), *k)));
        for (name, kind) in expected {
            let id = yard
                .find(name)
                .unwrap_or_else(|| panic!("{}: no `{name}`", yard.name()));
            assert_eq!(yard.waypoint(id).kind, kind, "{}: `{name}`", yard.name());
        }
        assert_eq!(
            yard.waypoints_of(Parking).count(),
            80,
            "40 parking slots a side"
        );
        assert_eq!(yard.waypoints_of(TruckBay).count(), 32);
    }
}

#[test]
fn truck_bays_have_no_lanes() {
    for yard in yards() {
        for bay in yard.waypoints_of(WaypointKind::TruckBay) {
            let touching = yard
                .lanes()
                .filter(|(_, l)| l.from == bay || l.to == bay)
                .count();
            assert_eq!(touching, 0, "{}", yard.waypoint(bay).name);
        }
    }
}

/// Waypoints reachable from `start` along lanes, forwards or backwards.
fn reachable(yard: &Yard, start: WaypointId, backwards: bool) -> HashSet<WaypointId> {
    let mut next: HashMap<WaypointId, Vec<WaypointId>> = HashMap::new();
    for (_, lane) in yard.lanes() {
        let (a, b) = if backwards {
            (lane.to, lane.from)
        } else {
            (lane.from, lane.to)
        };
        next.entry(a).or_default().push(b);
    }
    let mut seen = HashSet::from([start]);
    let mut stack = vec![start];
    while let Some(at) = stack.pop() {
        for &to in next.get(&at).into_iter().flatten() {
            if seen.insert(to) {
                stack.push(to);
            }
        }
    }
    seen
}

#[test]
fn every_agv_place_reaches_every_other() {
    for yard in yards() {
        let places: HashSet<WaypointId> = yard
            .waypoints()
            .filter(|(_, w)| w.kind != WaypointKind::TruckBay)
            .map(|(id, _)| id)
            .collect();
        let start = yard.find("km0-export").unwrap();
        for backwards in [false, true] {
            let seen = reachable(&yard, start, backwards);
            let missed: Vec<_> = places
                .difference(&seen)
                .map(|&id| &yard.waypoint(id).name)
                .collect();
            assert!(
                missed.is_empty(),
                "{} (backwards {backwards}): {missed:?}",
                yard.name()
            );
        }
    }
}

#[test]
fn yard_loop_needs_no_border_crossing() {
    // from the outbound aisle back to parking without leaving the Vietnamese yard
    let yard = load_builtin("huu-nghi").unwrap();
    let out = yard.find("vn-out-00").unwrap();
    let park = yard.find("vn-park-01").unwrap();
    let ret = yard.find("vn-return-1").unwrap();
    assert!(yard.lane_between(out, ret).is_some());
    assert!(reachable(&yard, ret, false).contains(&park));
}

#[test]
fn gate_zone_slows_booth_lanes_to_three_mps() {
    for yard in yards() {
        let booth = yard.find("vn-gate-exp-b").unwrap();
        for (_, lane) in yard
            .lanes()
            .filter(|(_, l)| l.from == booth || l.to == booth)
        {
            assert_eq!(lane.speed_limit_mps, 3.0);
        }
        let road = yard.find("export-vn-005").unwrap();
        let (_, lane) = yard.lanes_from(road).next().unwrap();
        assert_eq!(lane.speed_limit_mps, 6.1);
    }
}
