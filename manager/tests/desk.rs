//! The order desk against vehicle states written by hand: what goes out for each core
//! command, how acknowledgements, resends, rejections and restarts are handled. Every order
//! and instant action the desk writes is checked against the official 2.1 schema.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fleet::{Action, ActionId, ActionStatus, AgvId, ContainerId};
use manager::{DeskConfig, DeskEvent, OrderDesk, Outgoing};
use maps::{WaypointId, Yard};
use vda5050::{
    AgvError, ErrorLevel, ErrorReference, Header, InstantActions, NodeState, OperatingMode, Order,
    State, Timestamp,
};

#[path = "../../vda5050/tests/support.rs"]
#[allow(
    dead_code,
    reason = "shared with the vda5050 tests; only part is used here"
)]
mod support;

const RUN: &str = "r1";

fn yard() -> Arc<Yard> {
    Arc::new(maps::yard_file::load_builtin("huu-nghi").expect("the built-in yard loads"))
}

/// Three waypoints joined by lanes: a -> b -> c.
fn route(yard: &Yard) -> [WaypointId; 3] {
    let a = yard.find("vn-park-01").expect("a parking slot");
    let b = yard
        .lanes_from(a)
        .next()
        .expect("a lane out of parking")
        .1
        .to;
    let c = yard.lanes_from(b).next().expect("a lane on").1.to;
    [a, b, c]
}

fn desk() -> OrderDesk {
    OrderDesk::new(AgvId(0), "gatefleet", "agv-1", RUN, DeskConfig::default())
}

/// A vehicle's state: `order` with `update`, standing (or driving) after node `last` of
/// sequence `seq`, with these released nodes left.
fn state(
    yard: &Yard,
    order: &str,
    update: u32,
    last: WaypointId,
    seq: u32,
    left: &[(WaypointId, u32)],
) -> State {
    State {
        header: Header::new(1, Timestamp::from_unix_millis(0), "gatefleet", "agv-1"),
        maps: None,
        order_id: order.into(),
        order_update_id: update,
        zone_set_id: None,
        last_node_id: yard.waypoint(last).name.clone(),
        last_node_sequence_id: seq,
        driving: !left.is_empty(),
        paused: Some(false),
        new_base_request: None,
        distance_since_last_node: Some(0.0),
        operating_mode: OperatingMode::Automatic,
        node_states: left
            .iter()
            .map(|&(w, s)| NodeState {
                node_id: yard.waypoint(w).name.clone(),
                sequence_id: s,
                node_description: None,
                released: true,
                node_position: None,
            })
            .collect(),
        edge_states: Vec::new(),
        agv_position: None,
        velocity: None,
        loads: Some(Vec::new()),
        action_states: Vec::new(),
        battery_state: vda5050::BatteryState {
            battery_charge: 80.0,
            battery_voltage: None,
            battery_health: None,
            charging: false,
            reach: None,
        },
        errors: Vec::new(),
        information: None,
        safety_state: vda5050::SafetyState {
            e_stop: vda5050::EStop::None,
            field_violation: false,
        },
    }
}

fn orders(desk: &mut OrderDesk) -> Vec<Order> {
    desk.drain_outgoing()
        .map(|m| match m {
            Outgoing::Order(order) => {
                support::assert_valid_and_round_trips(&order);
                order
            }
            Outgoing::Instant(i) => panic!("an order was expected, got {i:?}"),
        })
        .collect()
}

fn instants(desk: &mut OrderDesk) -> Vec<InstantActions> {
    desk.drain_outgoing()
        .map(|m| match m {
            Outgoing::Instant(i) => {
                support::assert_valid_and_round_trips(&i);
                i
            }
            Outgoing::Order(o) => panic!("instant actions were expected, got {o:?}"),
        })
        .collect()
}

fn names(yard: &Yard, ids: &[WaypointId]) -> Vec<String> {
    ids.iter().map(|&w| yard.waypoint(w).name.clone()).collect()
}

#[test]
fn a_release_is_an_order_whose_base_is_the_reserved_node_and_the_rest_horizon() {
    let yard = yard();
    let [a, b, c] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    assert!(desk.release(&yard, b, 3.0, &[c], Instant::now(), 0));
    let sent = orders(&mut desk);
    assert_eq!(sent.len(), 1);
    let order = &sent[0];
    assert_eq!(order.order_update_id, 0);
    assert!(order.order_id.starts_with("r1-agv-1-"));
    let nodes: Vec<_> = order
        .nodes
        .iter()
        .map(|n| (n.node_id.clone(), n.sequence_id, n.released))
        .collect();
    let [na, nb, nc] = [a, b, c].map(|w| yard.waypoint(w).name.clone());
    assert_eq!(nodes, vec![(na, 0, true), (nb, 2, true), (nc, 4, false)]);
    let edges: Vec<_> = order
        .edges
        .iter()
        .map(|e| (e.sequence_id, e.released, e.max_speed))
        .collect();
    assert_eq!(
        edges[0],
        (1, true, Some(3.0)),
        "the core's speed cap goes on the base edge"
    );
    assert_eq!((edges[1].0, edges[1].1), (3, false));
    // until the vehicle shows the order, the core is told the node is released all the same
    let report = desk.report(&yard).expect("a report");
    assert_eq!((report.at, report.driving_to), (a, Some(b)));
}

#[test]
fn the_next_release_is_an_update_stitched_on_the_last_base_node() {
    let yard = yard();
    let [a, b, c] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    desk.release(&yard, b, 5.0, &[], Instant::now(), 0);
    let id = orders(&mut desk)[0].order_id.clone();
    desk.on_state(&yard, state(&yard, &id, 0, a, 0, &[(b, 2)]), 0);
    assert!(desk.release(&yard, c, 5.0, &[], Instant::now(), 0));
    let update = &orders(&mut desk)[0];
    assert_eq!(update.order_id, id, "same order");
    assert_eq!(update.order_update_id, 1);
    let nodes: Vec<_> = update
        .nodes
        .iter()
        .map(|n| (n.node_id.clone(), n.sequence_id))
        .collect();
    assert_eq!(
        nodes,
        vec![
            (names(&yard, &[b])[0].clone(), 2),
            (names(&yard, &[c])[0].clone(), 4)
        ]
    );
    let report = desk.report(&yard).expect("a report");
    assert_eq!((report.driving_to, report.then_to), (Some(b), Some(c)));
    // a release that does not follow the last base node is refused, nothing sent
    assert!(
        yard.lane_between(c, a).is_none(),
        "the yard is one-way here"
    );
    assert!(!desk.release(&yard, a, 5.0, &[], Instant::now(), 0));
    assert!(orders(&mut desk).is_empty());
}

#[test]
fn a_finished_order_is_followed_by_a_new_order_and_an_action_goes_on_the_standing_node() {
    let yard = yard();
    let [a, b, _] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    desk.release(&yard, b, 5.0, &[], Instant::now(), 0);
    let first = orders(&mut desk)[0].order_id.clone();
    desk.on_state(&yard, state(&yard, &first, 0, b, 2, &[]), 0);
    let pick = Action::Pick {
        container: ContainerId(7),
    };
    assert!(desk.start_action(&yard, ActionId(3), pick, b, Instant::now(), 0));
    let order = &orders(&mut desk)[0];
    assert_ne!(order.order_id, first, "a finished order is not extended");
    assert_eq!(order.nodes.len(), 1);
    let action = &order.nodes[0].actions[0];
    assert_eq!(action.action_type, "pick");
    let load = action
        .action_parameters
        .iter()
        .flatten()
        .find(|p| p.key == "loadId")
        .map(|p| p.value.clone());
    assert_eq!(load, Some(serde_json::json!("c7")));
    // not yet seen by the vehicle: the core hears it is waiting, not that it failed
    let report = desk.report(&yard).expect("a report");
    assert_eq!(report.action.map(|a| a.status), Some(ActionStatus::Waiting));
}

#[test]
fn an_order_not_taken_is_resent_a_bounded_number_of_times_then_the_vehicle_is_given_up() {
    let yard = yard();
    let [a, b, _] = route(&yard);
    let config = DeskConfig::default();
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    let t0 = Instant::now();
    desk.release(&yard, b, 5.0, &[], t0, 0);
    let sent = orders(&mut desk);
    let mut resent = 0;
    let mut gave_up = false;
    for k in 1..=10 {
        let events = desk.poll(t0 + config.resend_after * k + Duration::from_millis(1));
        let again = orders(&mut desk);
        for order in &again {
            assert_eq!(order.order_id, sent[0].order_id);
            assert_eq!(
                order.order_update_id, sent[0].order_update_id,
                "a resend is the same message"
            );
        }
        resent += again.len();
        gave_up |= events.iter().any(|e| matches!(e, DeskEvent::GaveUp { .. }));
    }
    assert_eq!(resent, config.max_resends as usize);
    assert!(gave_up && desk.is_given_up());
    assert!(
        !desk.release(&yard, b, 5.0, &[], t0, 0),
        "nothing more goes to a vehicle given up"
    );
}

#[test]
fn a_taken_order_is_not_resent() {
    let yard = yard();
    let [a, b, _] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    let t0 = Instant::now();
    desk.release(&yard, b, 5.0, &[], t0, 0);
    let id = orders(&mut desk)[0].order_id.clone();
    desk.on_state(&yard, state(&yard, &id, 0, a, 0, &[(b, 2)]), 0);
    desk.poll(t0 + Duration::from_secs(60));
    assert!(orders(&mut desk).is_empty());
}

fn rejected(mut s: State, kind: &str, order: &str, update: u32) -> State {
    s.errors.push(AgvError {
        error_type: kind.into(),
        error_references: Some(vec![
            ErrorReference {
                reference_key: "orderId".into(),
                reference_value: order.into(),
            },
            ErrorReference {
                reference_key: "orderUpdateId".into(),
                reference_value: update.to_string(),
            },
        ]),
        error_description: Some("refused".into()),
        error_hint: None,
        error_level: ErrorLevel::Warning,
    });
    s
}

#[test]
fn a_rejected_update_is_not_repeated_and_the_core_sees_what_the_vehicle_holds() {
    let yard = yard();
    let [a, b, c] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    let t0 = Instant::now();
    desk.release(&yard, b, 5.0, &[], t0, 0);
    let id = orders(&mut desk)[0].order_id.clone();
    desk.on_state(&yard, state(&yard, &id, 0, a, 0, &[(b, 2)]), 0);
    desk.release(&yard, c, 5.0, &[], t0, 0);
    orders(&mut desk);
    let refusal = rejected(
        state(&yard, &id, 0, a, 0, &[(b, 2)]),
        "orderUpdateError",
        &id,
        1,
    );
    let events = desk.on_state(&yard, refusal, 0);
    assert!(matches!(
        &events[..],
        [DeskEvent::Rejected {
            order_update_id: 1,
            ..
        }]
    ));
    let report = desk.report(&yard).expect("a report");
    assert_eq!(
        (report.driving_to, report.then_to),
        (Some(b), None),
        "c was not taken"
    );
    // no resend of the refused update, and no new release while the vehicle is under way
    desk.poll(t0 + Duration::from_secs(60));
    assert!(!desk.release(&yard, c, 5.0, &[], t0, 0));
    assert!(orders(&mut desk).is_empty());
    // once it stands at the end of what it holds, the next release is a new order
    desk.on_state(&yard, state(&yard, &id, 0, b, 2, &[]), 0);
    assert!(desk.release(&yard, c, 5.0, &[], t0, 0));
    let fresh = &orders(&mut desk)[0];
    assert_ne!(fresh.order_id, id);
    assert_eq!(fresh.order_update_id, 0);
}

#[test]
fn a_vehicle_rejecting_order_after_order_is_given_up() {
    let yard = yard();
    let [a, b, _] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    let mut gave_up = false;
    for _ in 0..DeskConfig::default().max_rejections {
        assert!(desk.release(&yard, b, 5.0, &[], Instant::now(), 0));
        let id = orders(&mut desk)[0].order_id.clone();
        let events = desk.on_state(
            &yard,
            rejected(state(&yard, "", 0, a, 0, &[]), "noRouteError", &id, 0),
            0,
        );
        gave_up |= events.iter().any(|e| matches!(e, DeskEvent::GaveUp { .. }));
    }
    assert!(gave_up);
    assert!(!desk.release(&yard, b, 5.0, &[], Instant::now(), 0));
}

#[test]
fn a_vehicle_that_lost_its_order_is_given_the_rest_of_its_base_again() {
    let yard = yard();
    let [a, b, c] = route(&yard);
    let mut desk = desk();
    desk.on_state(&yard, state(&yard, "", 0, a, 0, &[]), 0);
    desk.release(&yard, b, 5.0, &[], Instant::now(), 0);
    let id = orders(&mut desk)[0].order_id.clone();
    desk.on_state(&yard, state(&yard, &id, 0, a, 0, &[(b, 2)]), 0);
    desk.release(&yard, c, 5.0, &[], Instant::now(), 0);
    orders(&mut desk);
    desk.on_state(&yard, state(&yard, &id, 1, b, 2, &[(c, 4)]), 0);
    // the process restarts: no order, standing where it was
    desk.on_state(&yard, state(&yard, "", 0, b, 0, &[]), 0);
    let resumed = &orders(&mut desk)[0];
    assert_ne!(resumed.order_id, id);
    let nodes: Vec<_> = resumed
        .nodes
        .iter()
        .map(|n| (n.node_id.clone(), n.released))
        .collect();
    let [nb, nc] = [b, c].map(|w| yard.waypoint(w).name.clone());
    assert_eq!(nodes, vec![(nb, true), (nc, true)]);
    let report = desk.report(&yard).expect("a report");
    assert_eq!(
        (report.at, report.driving_to),
        (b, Some(c)),
        "its base stays reserved"
    );
}

#[test]
fn an_order_of_another_manager_run_is_cancelled() {
    let yard = yard();
    let [a, b, _] = route(&yard);
    let mut desk = desk();
    desk.on_state(
        &yard,
        state(&yard, "old-run-agv-1-4", 2, a, 0, &[(b, 2)]),
        0,
    );
    let sent = instants(&mut desk);
    assert_eq!(sent[0].actions[0].action_type, "cancelOrder");
    assert!(
        !desk.release(&yard, b, 5.0, &[], Instant::now(), 0),
        "nothing until it is cancelled"
    );
    desk.on_state(&yard, state(&yard, "old-run-agv-1-4", 2, a, 0, &[]), 0);
    assert!(desk.release(&yard, b, 5.0, &[], Instant::now(), 0));
}

#[test]
fn pause_resume_and_requests_are_instant_actions() {
    let mut desk = desk();
    desk.pause(true, 0);
    desk.pause(false, 0);
    desk.request_state(0);
    desk.request_factsheet(0);
    let kinds: Vec<_> = instants(&mut desk)
        .into_iter()
        .map(|i| i.actions[0].action_type.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "startPause",
            "stopPause",
            "stateRequest",
            "factsheetRequest"
        ]
    );
}
