//! Container moves through the core: the legs of a mission, who gets it, in which order, and
//! what a low battery does to it.

use fleet::{
    Action, AgvId, Clearance, ContainerId, Direction, FleetEvent, MissionId, MissionState,
    MoveRequest, Purpose, VehicleCommand,
};
use maps::{WaypointId, WaypointKind, Yard};

use crate::vehicles::{Fleet, huu_nghi};

fn request(container: u64, direction: Direction, reefer: bool) -> MoveRequest {
    MoveRequest {
        container: ContainerId(container),
        direction,
        reefer,
        customs: Clearance::Released,
    }
}

fn state(fleet: &Fleet, mission: MissionId) -> MissionState {
    fleet
        .core
        .missions()
        .get(mission)
        .expect("a submitted mission")
        .state
}

/// A waypoint as a test names it: `{side} crane slot`, a booth without its letter
/// (`vn-gate-exp`), else its name.
fn place(yard: &Yard, waypoint: WaypointId) -> String {
    let waypoint = yard.waypoint(waypoint);
    match waypoint.kind {
        WaypointKind::CraneSlot => format!("{} crane slot", waypoint.side),
        WaypointKind::GateBooth => {
            let (group, _letter) = waypoint
                .name
                .rsplit_once('-')
                .expect("booths end in -a, -b");
            group.to_owned()
        }
        _ => waypoint.name.clone(),
    }
}

/// The AGV each mission was assigned to, in the order of the events.
fn assignments(events: &[FleetEvent]) -> Vec<(MissionId, AgvId)> {
    let assigned = |event: &FleetEvent| match *event {
        FleetEvent::MissionAssigned { mission, agv } => Some((mission, agv)),
        _ => None,
    };
    events.iter().filter_map(assigned).collect()
}

#[test]
fn export_mission_is_carried_to_the_chinese_crane() {
    let mut fleet = Fleet::new(huu_nghi());
    let agv = fleet.add(0, "vn-park-01", 0.9);
    let mission = fleet
        .core
        .submit(request(7, Direction::Export, false))
        .expect("a new container");

    fleet.tick_until(5_000, |f| state(f, mission) == MissionState::Done);

    let container = ContainerId(7);
    let expected = [
        FleetEvent::MissionAssigned { mission, agv },
        FleetEvent::ContainerLoaded { mission },
        FleetEvent::MissionCompleted { mission, container },
    ];
    assert_eq!(fleet.events, expected);

    let visited: Vec<(AgvId, Action, String)> = fleet
        .started
        .iter()
        .map(|s| (s.agv, s.action, place(&fleet.yard, s.at)))
        .collect();
    let route = [
        (agv, Action::Pick { container }, "vn crane slot"),
        (agv, Action::GateCheck, "vn-gate-exp"),
        (agv, Action::BorderCheck, "km0-export"),
        (agv, Action::GateCheck, "cn-gate-exp"),
        (agv, Action::Drop { container }, "cn crane slot"),
    ];
    assert_eq!(
        visited,
        route.map(|(agv, action, place)| (agv, action, place.to_owned()))
    );
}

#[test]
fn nearest_idle_agv_gets_the_mission() {
    let mut fleet = Fleet::new(huu_nghi());
    fleet.add(0, "vn-park-01", 0.9);
    let in_china = fleet.add(1, "cn-park-01", 0.9);
    let mission = fleet
        .core
        .submit(request(1, Direction::Import, false))
        .expect("a new container");

    fleet.tick();

    assert_eq!(assignments(&fleet.events), [(mission, in_china)]);
}

#[test]
fn reefer_is_dispatched_before_an_earlier_dry_container() {
    let mut fleet = Fleet::new(huu_nghi());
    let agv = fleet.add(0, "vn-park-01", 0.9);
    let dry = fleet
        .core
        .submit(request(1, Direction::Export, false))
        .expect("a new container");
    let reefer = fleet
        .core
        .submit(request(2, Direction::Export, true))
        .expect("a new container");

    fleet.tick();

    assert_eq!(assignments(&fleet.events), [(reefer, agv)]);
    assert_eq!(state(&fleet, dry), MissionState::Queued);
}

#[test]
fn low_battery_agv_goes_to_swap_instead_of_working() {
    let mut fleet = Fleet::new(huu_nghi());
    let agv = fleet.add(0, "vn-park-01", 0.2);
    let mission = fleet
        .core
        .submit(request(1, Direction::Export, false))
        .expect("a new container");

    let mut purposes = Vec::new();
    let swap_started = |commands: &[VehicleCommand]| {
        commands.iter().any(|c| {
            matches!(c, VehicleCommand::StartAction { agv: a, action: Action::BatterySwap, .. }
                if *a == agv)
        })
    };
    for _ in 0..2_000 {
        let commands = fleet.tick();
        fleet.core.purposes_into(&mut purposes);
        assert_eq!(purposes, [Purpose::Swap]);
        assert_eq!(state(&fleet, mission), MissionState::Queued);
        if swap_started(&commands) {
            let station = fleet.started.last().expect("the swap was started").at;
            assert_eq!(fleet.yard.waypoint(station).kind, WaypointKind::SwapStation);
            assert_eq!(fleet.events, []);
            return;
        }
    }
    panic!("no battery swap started");
}

/// The only AGV carries an export and is on its way to the Chinese crane when an import is
/// released at the Chinese yard. Returns whether the import was given to it before the drop,
/// and the AGV that carried the import.
fn return_leg(policy: fleet::DispatchPolicy) -> (bool, Vec<(MissionId, AgvId)>, AgvId) {
    let mut fleet = Fleet::with_config(
        huu_nghi(),
        fleet::FleetConfig {
            dispatch: policy,
            ..fleet::FleetConfig::default()
        },
    );
    let carrier = fleet.add(0, "vn-park-01", 0.9);
    let export = fleet
        .core
        .submit(request(1, Direction::Export, false))
        .expect("a new container");
    for _ in 0..5_000 {
        let last_leg = fleet.core.work()[&carrier].steps.len() == 1;
        if last_leg && state(&fleet, export) == MissionState::Underway {
            break;
        }
        fleet.tick();
    }
    let import = fleet
        .core
        .submit(request(2, Direction::Import, false))
        .expect("a new container");
    fleet.tick();
    let before_drop = state(&fleet, import) == MissionState::Assigned
        && state(&fleet, export) == MissionState::Underway;
    fleet.tick_until(10_000, |f| state(f, import) == MissionState::Done);
    let chosen = assignments(&fleet.events)
        .into_iter()
        .filter(|(m, _)| *m == import)
        .collect();
    (before_drop, chosen, carrier)
}

#[test]
fn optimal_dispatch_chains_the_return_leg_before_the_drop_when_no_agv_is_free() {
    let (before_drop, chosen, carrier) = return_leg(fleet::DispatchPolicy::Optimal);
    assert!(before_drop, "the import waited for the drop");
    assert_eq!(chosen.iter().map(|c| c.1).collect::<Vec<_>>(), [carrier]);
}

#[test]
fn nearest_idle_dispatch_waits_for_the_agv_to_be_free() {
    let (before_drop, chosen, carrier) = return_leg(fleet::DispatchPolicy::NearestIdle);
    assert!(!before_drop, "the import was given to a busy AGV");
    assert_eq!(chosen.iter().map(|c| c.1).collect::<Vec<_>>(), [carrier]);
}

#[test]
fn no_mission_takes_an_agv_below_the_reserve() {
    // swap stations closed to new AGVs, so that a low AGV stays available
    let config = fleet::FleetConfig {
        swap_queue: 0,
        ..fleet::FleetConfig::default()
    };
    let mut fleet = Fleet::with_config(huu_nghi(), config);
    let low = fleet.add(0, "cn-park-01", 0.27);
    let import = fleet
        .core
        .submit(request(1, Direction::Import, false))
        .expect("a new container");
    for _ in 0..20 {
        fleet.tick();
    }
    assert!(assignments(&fleet.events).is_empty(), "{:?}", fleet.events);
    let purpose = fleet.core.work()[&low].purpose;
    assert!(
        matches!(purpose, Purpose::Park(_) | Purpose::Idle),
        "{purpose:?}"
    );

    let charged = fleet.add(1, "cn-park-02", 0.9);
    fleet.tick();
    assert_eq!(assignments(&fleet.events), [(import, charged)]);
}
