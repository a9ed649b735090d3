//! What the core tells the vehicles: an AGV with an action due acts instead of moving, no two
//! AGVs are ever given the same waypoint, and a stray report changes nothing.

use std::collections::BTreeMap;

use fleet::{
    ActionStatus, AgvId, Clearance, ContainerId, Direction, FleetEvent, MoveRequest,
    VehicleCommand, VehicleReport,
};
use maps::WaypointId;

use crate::vehicles::{Fleet, huu_nghi, waypoint};

fn export(container: u64) -> MoveRequest {
    MoveRequest {
        container: ContainerId(container),
        direction: Direction::Export,
        reefer: false,
        customs: Clearance::Released,
    }
}

fn drives_of(commands: &[VehicleCommand], agv: AgvId) -> usize {
    let is_drive =
        |c: &&VehicleCommand| matches!(c, VehicleCommand::Drive { agv: a, .. } if *a == agv);
    commands.iter().filter(is_drive).count()
}

/// The crane slot the core sends the first AGV of a fresh fleet to for the first export.
fn first_pick_slot() -> WaypointId {
    let mut probe = Fleet::new(huu_nghi());
    let agv = probe.add(0, "vn-park-01", 0.9);
    probe.core.submit(export(1)).expect("a new container");
    probe.tick();
    let work = probe
        .core
        .work()
        .remove(&agv)
        .expect("the AGV is in the fleet");
    work.steps.front().expect("the mission was assigned").goal
}

#[test]
fn agv_with_an_action_due_is_not_moved() {
    let slot = first_pick_slot();
    let mut fleet = Fleet::new(huu_nghi());
    let slot_name = fleet.yard.waypoint(slot).name.clone();
    let agv = fleet.add(0, &slot_name, 0.9);
    fleet.core.submit(export(1)).expect("a new container");

    // standing at the pick slot: the pick starts at once and the AGV stays put while it runs
    let commands = fleet.tick();
    assert!(matches!(commands[..], [VehicleCommand::StartAction { agv: a, .. }] if a == agv));
    let commands = fleet.tick();
    assert_eq!(
        fleet.reports[&agv].action.map(|a| a.status),
        Some(ActionStatus::Finished)
    );
    assert_eq!(
        drives_of(&commands, agv),
        0,
        "moved while picking: {commands:?}"
    );
    assert_eq!(fleet.reports[&agv].at, slot);
}

#[test]
fn report_from_unknown_agv_is_ignored() {
    let run = |stray: Option<VehicleReport>| {
        let mut fleet = Fleet::new(huu_nghi());
        fleet.add(0, "vn-park-01", 0.9);
        fleet.core.submit(export(1)).expect("a new container");
        let reports = fleet.reports.values().copied().chain(stray);
        let commands = fleet.core.tick(0.0, reports);
        let missions: Vec<_> = fleet.core.missions().iter().cloned().collect();
        let work = format!("{:?}", fleet.core.work());
        (commands, fleet.core.take_events(), missions, work)
    };
    let stray = VehicleReport {
        agv: AgvId(99),
        at: waypoint(&huu_nghi(), "cn-park-01"),
        driving_to: None,
        then_to: None,
        distance_since_last_node_m: 0.0,
        battery: 0.1,
        load: Some(ContainerId(5)),
        action: None,
    };

    assert_eq!(run(Some(stray)), run(None));
}

#[test]
fn two_agvs_never_get_the_same_waypoint() {
    let mut fleet = Fleet::new(huu_nghi());
    for i in 0..10 {
        let side = if i % 2 == 0 { "vn" } else { "cn" };
        fleet.add(i, &format!("{side}-park-{:02}", i + 1), 0.9);
    }
    for container in 0..10 {
        let direction = if container % 2 == 0 {
            Direction::Export
        } else {
            Direction::Import
        };
        fleet
            .core
            .submit(MoveRequest {
                container: ContainerId(container),
                direction,
                reefer: false,
                customs: Clearance::Released,
            })
            .expect("a new container");
    }

    // every Drive is checked by the vehicles; here, what they hold after each tick
    for _ in 0..3_000 {
        fleet.tick();
        let mut holders: BTreeMap<WaypointId, AgvId> = BTreeMap::new();
        for (agv, held) in fleet.held() {
            if let Some(other) = holders.insert(held, agv).filter(|other| *other != agv) {
                panic!("{agv} and {other} both hold {held} at {} s", fleet.now_s);
            }
        }
    }
    let completed = fleet
        .events
        .iter()
        .filter(|e| matches!(e, FleetEvent::MissionCompleted { .. }));
    assert!(completed.count() > 0, "the fleet moved no container at all");
}

#[test]
fn finished_state_of_an_older_action_does_not_close_the_new_one() {
    // a vehicle whose report still carries an earlier, finished action under another id
    let slot = first_pick_slot();
    let yard = huu_nghi();
    let mut core = fleet::FleetCore::new(yard, fleet::FleetConfig::default()).unwrap();
    let agv = AgvId(0);
    core.add_agv(agv, slot, 0.9).unwrap();
    core.submit(export(1)).expect("a new container");
    let commands = core.tick(0.0, Vec::new());
    let Some(&VehicleCommand::StartAction { id, action, .. }) = commands.first() else {
        panic!("the pick starts at once: {commands:?}");
    };

    let mut report = VehicleReport {
        agv,
        at: slot,
        driving_to: None,
        then_to: None,
        distance_since_last_node_m: 0.0,
        battery: 0.9,
        load: None,
        action: Some(fleet::ActionState {
            id: fleet::ActionId(id.0 + 1_000),
            action,
            status: ActionStatus::Finished,
        }),
    };
    core.tick(1.0, [report]);
    let loaded = |events: &[FleetEvent]| {
        events
            .iter()
            .any(|e| matches!(e, FleetEvent::ContainerLoaded { .. }))
    };
    assert!(
        !loaded(&core.take_events()),
        "a stale state closed the pick"
    );

    report.action = Some(fleet::ActionState {
        id,
        action,
        status: ActionStatus::Finished,
    });
    core.tick(2.0, [report]);
    assert!(
        loaded(&core.take_events()),
        "the pick's own state closes it"
    );
}
