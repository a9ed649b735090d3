//! Traffic rules and customs on a tiny yard (`tiny.toml`): each test fails if its rule is
//! broken, not only if the core crashes.

use std::sync::Arc;

use fleet::{
    Clearance, ContainerId, Direction, FleetError, MissionId, MissionState, MoveRequest, Scope,
    VehicleCommand,
};
use maps::{Side, WaypointId, Yard};

use crate::vehicles::{Fleet, waypoint};

fn tiny() -> Arc<Yard> {
    let text = include_str!("tiny.toml");
    Arc::new(maps::yard_file::parse(text, "tiny.toml").expect("the tiny yard loads"))
}

fn submit(
    fleet: &mut Fleet,
    container: u64,
    direction: Direction,
    customs: Clearance,
) -> MissionId {
    let request = MoveRequest {
        container: ContainerId(container),
        direction,
        reefer: false,
        customs,
    };
    fleet.core.submit(request).expect("a new container")
}

fn state(fleet: &Fleet, mission: MissionId) -> MissionState {
    fleet.core.missions().get(mission).expect("a mission").state
}

fn drives_into(commands: &[VehicleCommand], to: WaypointId) -> bool {
    commands
        .iter()
        .any(|c| matches!(c, VehicleCommand::Drive { to: t, .. } if *t == to))
}

#[test]
fn a_closed_lane_is_never_driven_and_the_mission_goes_round() {
    let mut fleet = Fleet::new(tiny());
    fleet.add(0, "vn-park-01", 0.9);
    let (booth, main) = (
        waypoint(&fleet.yard, "vn-gate-exp-a"),
        waypoint(&fleet.yard, "exp-main-001"),
    );
    fleet
        .core
        .close_lane(booth, main)
        .expect("a lane of the yard");
    let mission = submit(&mut fleet, 1, Direction::Export, Clearance::Released);

    let bypass = waypoint(&fleet.yard, "exp-bypass-001");
    let mut went_round = false;
    for _ in 0..2_000 {
        let commands = fleet.tick();
        assert!(!drives_into(&commands, main), "drove into the closed lane");
        went_round |= drives_into(&commands, bypass);
        if state(&fleet, mission) == MissionState::Done {
            break;
        }
    }
    assert!(went_round, "the export did not take the bypass");
    assert_eq!(state(&fleet, mission), MissionState::Done);

    // opened again, the straight road is the way
    fleet
        .core
        .open_lane(booth, main)
        .expect("a lane of the yard");
    let second = submit(&mut fleet, 2, Direction::Export, Clearance::Released);
    let mut straight = false;
    for _ in 0..4_000 {
        straight |= drives_into(&fleet.tick(), main);
        if state(&fleet, second) == MissionState::Done {
            break;
        }
    }
    assert_eq!(state(&fleet, second), MissionState::Done);
    assert!(straight, "the reopened lane was not used");
}

#[test]
fn closing_a_lane_under_a_routed_agv_re_plans_it() {
    let mut fleet = Fleet::new(tiny());
    fleet.add(0, "vn-park-01", 0.9);
    let mission = submit(&mut fleet, 1, Direction::Export, Clearance::Released);
    let (booth, main) = (
        waypoint(&fleet.yard, "vn-gate-exp-a"),
        waypoint(&fleet.yard, "exp-main-001"),
    );
    // the AGV has its mission and is on its way to the crane, routed over the straight road
    fleet.tick_until(100, |f| state(f, mission) == MissionState::Assigned);
    fleet.tick();
    fleet
        .core
        .close_lane(booth, main)
        .expect("a lane of the yard");
    for _ in 0..2_000 {
        let commands = fleet.tick();
        assert!(!drives_into(&commands, main), "drove into the closed lane");
        if state(&fleet, mission) == MissionState::Done {
            return;
        }
    }
    panic!("the mission did not finish round the closed lane");
}

#[test]
fn closing_a_lane_that_does_not_exist_names_it() {
    let mut fleet = Fleet::new(tiny());
    let (a, b) = (
        waypoint(&fleet.yard, "vn-park-01"),
        waypoint(&fleet.yard, "km0-export"),
    );
    let err = fleet.core.close_lane(a, b).expect_err("no such lane");
    assert_eq!(
        err.to_string(),
        "yard `tiny` has no lane from `vn-park-01` to `km0-export`"
    );
    let err = fleet
        .core
        .emergency_stop(Scope::Zone("nowhere".into()))
        .expect_err("no such zone");
    assert_eq!(err.to_string(), "yard `tiny` has no zone `nowhere`");
}

#[test]
fn an_exclusive_zone_never_holds_two_agvs() {
    let mut fleet = Fleet::new(tiny());
    fleet.add(0, "vn-park-01", 0.9);
    fleet.add(1, "vn-swap-1", 0.9);
    let zone: Vec<WaypointId> = ["cn-gate-exp-a", "cn-crane-1a"]
        .iter()
        .map(|n| waypoint(&fleet.yard, n))
        .collect();
    assert_eq!(fleet.core.rules().exclusive_zones().len(), 1);
    let first = submit(&mut fleet, 1, Direction::Export, Clearance::Released);
    let second = submit(&mut fleet, 2, Direction::Export, Clearance::Released);

    let mut waited_at_the_zone = false;
    for _ in 0..4_000 {
        fleet.tick();
        let mut inside: Vec<_> = fleet
            .held()
            .filter(|(_, w)| zone.contains(w))
            .map(|(agv, _)| agv)
            .collect();
        inside.dedup();
        assert!(
            inside.len() <= 1,
            "two AGVs in the exclusive zone: {inside:?}"
        );
        let km0 = waypoint(&fleet.yard, "km0-export");
        waited_at_the_zone |= inside.len() == 1 && fleet.held().any(|(_, w)| w == km0);
        if [first, second]
            .iter()
            .all(|m| state(&fleet, *m) == MissionState::Done)
        {
            assert!(waited_at_the_zone, "the AGVs never met at the zone");
            return;
        }
    }
    panic!("the two exports did not finish");
}

#[test]
fn a_scoped_emergency_stop_halts_its_side_and_the_other_keeps_working() {
    let mut fleet = Fleet::new(tiny());
    let vn = fleet.add(0, "vn-park-01", 0.9);
    let cn = fleet.add(1, "cn-park-01", 0.9);
    let export = submit(&mut fleet, 1, Direction::Export, Clearance::Released);
    let import = submit(&mut fleet, 2, Direction::Import, Clearance::Released);
    // both AGVs are under way
    fleet.tick_until(400, |f| {
        [export, import]
            .iter()
            .all(|m| state(f, *m) != MissionState::Queued)
    });
    fleet
        .core
        .emergency_stop(Scope::Side(Side::Vn))
        .expect("a side");
    let commands = fleet.tick();
    assert!(
        commands.contains(&VehicleCommand::Pause { agv: vn }),
        "the Vietnamese AGV was not paused: {commands:?}"
    );
    let vn_at = fleet.reports[&vn].at;
    let mut cn_moves = 0;
    for _ in 0..600 {
        let commands = fleet.tick();
        for command in &commands {
            match *command {
                VehicleCommand::Drive { agv, to, .. } => {
                    assert_ne!(agv, vn, "the stopped AGV was sent on");
                    assert_eq!(
                        fleet.yard.waypoint(to).side,
                        Side::Cn,
                        "sent into the stopped side"
                    );
                    cn_moves += 1;
                }
                VehicleCommand::StartAction { agv, .. } => assert_ne!(agv, vn, "stopped AGV acted"),
                _ => {}
            }
        }
        assert_eq!(fleet.reports[&vn].at, vn_at, "the stopped AGV moved");
    }
    assert!(cn_moves >= 3, "the Chinese side stopped working too");
    assert_eq!(
        state(&fleet, import),
        MissionState::Underway,
        "the import was not loaded"
    );
    assert_eq!(fleet.yard.waypoint(fleet.reports[&cn].at).side, Side::Cn);

    assert!(fleet.core.resume(&Scope::Side(Side::Vn)));
    let commands = fleet.tick();
    assert!(commands.contains(&VehicleCommand::Resume { agv: vn }));
    fleet.tick_until(4_000, |f| {
        [export, import]
            .iter()
            .all(|m| state(f, *m) == MissionState::Done)
    });
}

#[test]
fn a_container_crosses_only_once_customs_released_it() {
    let mut fleet = Fleet::new(tiny());
    fleet.add(0, "vn-park-01", 0.9);
    let mission = submit(&mut fleet, 7, Direction::Export, Clearance::Awaiting);
    let stage = |f: &Fleet| f.core.missions().get(mission).expect("a mission").stage();
    for _ in 0..200 {
        fleet.tick();
    }
    assert_eq!(state(&fleet, mission), MissionState::Queued);
    assert_eq!(stage(&fleet), "awaiting customs");

    fleet
        .core
        .set_clearance(ContainerId(7), Clearance::Held)
        .expect("an open mission");
    for _ in 0..200 {
        fleet.tick();
    }
    assert_eq!(stage(&fleet), "held by customs");
    assert!(
        fleet.events.is_empty(),
        "a held container got an AGV: {:?}",
        fleet.events
    );

    fleet
        .core
        .set_clearance(ContainerId(7), Clearance::Released)
        .expect("an open mission");
    fleet.tick_until(2_000, |f| state(f, mission) == MissionState::Done);
}

#[test]
fn customs_errors_name_the_container_and_change_nothing() {
    let mut fleet = Fleet::new(tiny());
    fleet.add(0, "vn-park-01", 0.9);
    let err = fleet
        .core
        .set_clearance(ContainerId(99), Clearance::Released)
        .expect_err("no such container");
    assert!(matches!(err, FleetError::UnknownContainer { .. }));
    assert_eq!(err.to_string(), "no open mission for container c99");

    let mission = submit(&mut fleet, 7, Direction::Export, Clearance::Released);
    let request = MoveRequest {
        container: ContainerId(7),
        direction: Direction::Export,
        reefer: true,
        customs: Clearance::Released,
    };
    let err = fleet
        .core
        .submit(request)
        .expect_err("a second mission for c7");
    assert_eq!(err.to_string(), "c7 already has open mission m0");

    // once loaded, a hold is refused and the move goes on
    fleet.tick_until(2_000, |f| state(f, mission) == MissionState::Underway);
    let err = fleet
        .core
        .set_clearance(ContainerId(7), Clearance::Held)
        .expect_err("too late");
    assert!(matches!(err, FleetError::ClearanceTooLate { .. }), "{err}");
    fleet.tick_until(2_000, |f| state(f, mission) == MissionState::Done);
}

#[test]
fn a_speed_limit_goes_out_with_every_drive_in_its_scope() {
    let mut fleet = Fleet::new(tiny());
    fleet.add(0, "vn-park-01", 0.9);
    let lanes = fleet
        .core
        .limit_speed(Scope::Zone("vn-yard".into()), 1.5)
        .expect("a zone with waypoints");
    assert!(lanes >= 4, "{lanes} lanes capped");
    let err = fleet
        .core
        .limit_speed(Scope::Side(Side::Cn), -1.0)
        .expect_err("a negative speed");
    assert!(
        err.to_string().contains("must be a positive number"),
        "{err}"
    );
    let mission = submit(&mut fleet, 1, Direction::Export, Clearance::Released);
    let yard = fleet.yard.clone();
    let in_zone = |w: WaypointId| yard.waypoint(w).position.x <= -180.0;
    let (mut capped, mut free) = (0, 0);
    for _ in 0..2_000 {
        let from = fleet.reports.clone();
        for command in fleet.tick() {
            if let VehicleCommand::Drive {
                agv,
                to,
                max_speed_mps,
            } = command
            {
                if in_zone(from[&agv].at) || in_zone(to) {
                    assert!(max_speed_mps <= 1.5, "{max_speed_mps} m/s in the slow zone");
                    capped += 1;
                } else {
                    assert!(max_speed_mps > 1.5);
                    free += 1;
                }
            }
        }
        if state(&fleet, mission) == MissionState::Done {
            break;
        }
    }
    assert!(
        capped >= 2 && free >= 2,
        "{capped} capped, {free} free drives"
    );
}

#[test]
fn a_reefer_is_carried_only_to_a_side_with_a_free_plug() {
    let config = fleet::FleetConfig {
        reefer_plugs: [None, Some(1)],
        ..fleet::FleetConfig::default()
    };
    let mut fleet = Fleet::with_config(tiny(), config);
    fleet.add(0, "vn-park-01", 0.9);
    fleet.add(1, "vn-swap-1", 0.9);
    let reefer = |container| MoveRequest {
        container: ContainerId(container),
        direction: Direction::Export,
        reefer: true,
        customs: Clearance::Released,
    };
    let first = fleet.core.submit(reefer(1)).expect("a new container");
    let second = fleet.core.submit(reefer(2)).expect("a new container");
    let dry = submit(&mut fleet, 3, Direction::Export, Clearance::Released);

    // the one Chinese plug is booked by the first reefer, then taken once it is delivered
    fleet.tick_until(4_000, |f| {
        [first, dry]
            .iter()
            .all(|m| state(f, *m) == MissionState::Done)
    });
    for _ in 0..200 {
        fleet.tick();
    }
    assert_eq!(state(&fleet, second), MissionState::Queued);
    assert_eq!(fleet.core.plugs().delivered(Side::Cn), 1);

    // its truck takes it away: the plug is free for the second
    assert!(fleet.core.collected(ContainerId(1)));
    assert!(
        !fleet.core.collected(ContainerId(3)),
        "a dry box holds no plug"
    );
    fleet.tick_until(4_000, |f| state(f, second) == MissionState::Done);
}
