//! Driving the base, braking, node actions, pause, cancel and battery, in simulated time.

use serde_json::json;
use vda5050::{ActionStatus, InstantActions};

use crate::support::{
    action, advance_until, agv_at_a, error_types, header, load_action, order, order_with_speed,
    state, status, with_action, x,
};

fn instant(actions: &[(&str, &str)]) -> InstantActions {
    InstantActions {
        header: header(0),
        actions: actions
            .iter()
            .map(|(action_type, id)| action(action_type, id, &[]))
            .collect(),
    }
}

#[test]
fn vehicle_stops_at_the_end_of_its_base_and_waits() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 2)).expect("taken");
    advance_until(&mut agv, 100.0, |agv| agv.last_node().0 == "B");
    assert_eq!(agv.speed(), 0.0, "stands on the last base node");
    assert!((x(&agv) - 100.0).abs() < 1e-9);

    agv.advance(120.0);
    let state = state(&agv);
    assert!((x(&agv) - 100.0).abs() < 1e-9, "still there");
    assert!(!state.driving);
    assert_eq!(state.new_base_request, Some(true));
    let nodes: Vec<(&str, bool)> = state
        .node_states
        .iter()
        .map(|n| (n.node_id.as_str(), n.released))
        .collect();
    assert_eq!(nodes, [("C", false), ("D", false)]);
}

#[test]
fn base_request_is_raised_within_stopping_distance_and_ten_metres() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 3)).expect("taken");
    assert_eq!(state(&agv).new_base_request, Some(false));
    advance_until(&mut agv, 100.0, |agv| {
        state(agv).new_base_request == Some(true)
    });
    let to_go = 200.0 - x(&agv);
    let stopping = agv.speed() * agv.speed() / (2.0 * 0.5);
    assert!(
        to_go <= stopping + 10.0 + 1.0 && to_go >= stopping + 10.0 - 1.0,
        "{to_go}"
    );
}

#[test]
fn vehicle_resumes_after_extension_without_losing_its_position() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 2)).expect("taken");
    advance_until(&mut agv, 100.0, |agv| agv.last_node().0 == "B");
    agv.advance(30.0);
    let waiting_at = agv.pose();

    agv.handle_order(&order("o1", 1, 1, 3, 3))
        .expect("stitched");
    assert_eq!(agv.pose(), waiting_at);
    assert_eq!(agv.last_node(), ("B", 2));
    agv.advance(1.0);
    assert!(x(&agv) > 100.0 && x(&agv) < 101.0, "drives on from B");
    advance_until(&mut agv, 200.0, |agv| !agv.is_busy());
    assert_eq!(agv.last_node(), ("D", 6));
    assert!((x(&agv) - 300.0).abs() < 1e-9);
}

#[test]
fn vehicle_passes_the_stitching_node_without_stopping_if_extended_in_time() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 2)).expect("taken");
    advance_until(&mut agv, 100.0, |agv| {
        state(agv).new_base_request == Some(true)
    });
    agv.handle_order(&order("o1", 1, 1, 3, 3))
        .expect("stitched");
    let mut slowest_past_b = f64::INFINITY;
    advance_until(&mut agv, 200.0, |agv| agv.last_node().0 == "C");
    // it slowed for B but did not stop there once extended
    advance_until(&mut agv, 1.0, |agv| {
        slowest_past_b = slowest_past_b.min(agv.speed());
        true
    });
    assert!(slowest_past_b > 0.0);
}

#[test]
fn speed_never_exceeds_the_edge_limit_and_braking_is_gradual() {
    let mut agv = agv_at_a();
    // A -> B at 3 m/s, then B -> C -> D at 6.1 m/s, stop at D
    let mut order = order_with_speed("o1", 0, 0, 3, 4, 6.1);
    order.edges[0].max_speed = Some(3.0);
    order.edges[2].max_speed = Some(2.0);
    agv.handle_order(&order).expect("taken");
    let (mut previous, mut top) = (0.0_f64, 0.0_f64);
    let mut speed_entering_cd = None;
    advance_until(&mut agv, 400.0, |agv| {
        let speed = agv.speed();
        let limit = match agv.last_node().0 {
            "A" => 3.0,
            "B" => 6.1,
            _ => 2.0,
        };
        assert!(
            speed <= limit + 1e-9,
            "{speed} over {limit} after {:?}",
            agv.last_node()
        );
        if agv.last_node().0 == "C" && speed_entering_cd.is_none() {
            speed_entering_cd = Some(speed);
        }
        // 0.1 s steps: at most 0.05 m/s faster or slower (but for the last half metre per
        // second, where the braking curve's steps round up)
        assert!(speed - previous <= 0.05 + 1e-9, "accelerates too hard");
        if speed > 0.5 {
            assert!(
                previous - speed <= 0.06,
                "brakes too hard: {previous} -> {speed}"
            );
        }
        top = top.max(speed);
        previous = speed;
        agv.last_node().0 == "D"
    });
    assert!(top > 6.0, "reaches top speed on B -> C: {top}");
    assert!(speed_entering_cd.expect("entered C -> D") <= 2.0 + 1e-9);
    assert_eq!(agv.speed(), 0.0);
    assert!((x(&agv) - 300.0).abs() < 1e-9);
}

#[test]
fn pick_then_drop_loads_and_unloads_the_container() {
    let mut agv = agv_at_a();
    let order = with_action(
        with_action(
            order("o1", 0, 0, 2, 3),
            "B",
            load_action("pick", "pick-1", "MSKU1234565", 20.0),
        ),
        "C",
        load_action("drop", "drop-1", "MSKU1234565", 20.0),
    );
    agv.handle_order(&order).expect("taken");
    assert_eq!(status(&agv, "pick-1"), Some(ActionStatus::Waiting));

    advance_until(&mut agv, 100.0, |agv| agv.last_node().0 == "B");
    agv.advance(0.1);
    assert_eq!(status(&agv, "pick-1"), Some(ActionStatus::Running));
    assert_eq!(agv.load(), None);
    agv.advance(10.0);
    assert_eq!(agv.speed(), 0.0, "stands while picking");
    advance_until(&mut agv, 11.0, |agv| {
        status(agv, "pick-1") == Some(ActionStatus::Finished)
    });
    let loads = state(&agv).loads.expect("loads reported");
    assert_eq!(loads.len(), 1);
    assert_eq!(loads[0].load_id.as_deref(), Some("MSKU1234565"));
    assert_eq!(loads[0].load_type.as_deref(), Some("container"));

    // loaded: 5 m/s at most
    let mut top = 0.0_f64;
    advance_until(&mut agv, 100.0, |agv| {
        top = top.max(agv.speed());
        agv.last_node().0 == "C"
    });
    assert!(top <= 5.0 + 1e-9 && top > 4.5, "{top}");
    advance_until(&mut agv, 30.0, |agv| {
        status(agv, "drop-1") == Some(ActionStatus::Finished)
    });
    assert_eq!(state(&agv).loads, Some(Vec::new()));
    assert!(!agv.is_busy());
}

#[test]
fn drop_of_a_container_not_on_board_fails() {
    let mut agv = agv_at_a();
    let order = with_action(
        order("o1", 0, 0, 1, 2),
        "B",
        load_action("drop", "drop-1", "MSKU0000000", 20.0),
    );
    agv.handle_order(&order).expect("taken");
    advance_until(&mut agv, 100.0, |agv| {
        status(agv, "drop-1") == Some(ActionStatus::Failed)
    });
    assert_eq!(error_types(&agv), ["dropError"]);
    assert!(!agv.is_busy());
}

#[test]
fn actions_added_to_the_stitching_node_run_where_the_vehicle_stands() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 1, 2)).expect("taken");
    advance_until(&mut agv, 100.0, |agv| !agv.is_busy());
    assert_eq!(agv.last_node(), ("B", 2));

    // an update of the stitching node alone, with a check to run there
    let update = with_action(
        order("o1", 1, 1, 1, 1),
        "B",
        action("gateCheck", "check-1", &[("duration", json!("5"))]),
    );
    agv.handle_order(&update).expect("stitched");
    agv.advance(1.0);
    assert_eq!(status(&agv, "check-1"), Some(ActionStatus::Running));
    assert_eq!(agv.speed(), 0.0);

    // the next update resends the check (a known id: not run again) and extends to C
    let resend = with_action(
        order("o1", 2, 1, 2, 2),
        "B",
        action("gateCheck", "check-1", &[("duration", json!(5))]),
    );
    agv.handle_order(&resend).expect("stitched");
    let mut finished_before_leaving = false;
    advance_until(&mut agv, 100.0, |agv| {
        if agv.speed() > 0.0 && !finished_before_leaving {
            finished_before_leaving = status(agv, "check-1") == Some(ActionStatus::Finished);
            assert!(finished_before_leaving, "left B before the check");
        }
        agv.last_node().0 == "C"
    });
    let checks = state(&agv)
        .action_states
        .iter()
        .filter(|a| a.action_id == "check-1")
        .count();
    assert_eq!(checks, 1);
}

#[test]
fn start_charging_fills_the_battery() {
    let mut agv = agv_at_a();
    let order = with_action(
        order("o1", 0, 0, 0, 1),
        "A",
        action("startCharging", "swap-1", &[("duration", json!(60))]),
    );
    agv.handle_order(&order).expect("taken");
    agv.advance(30.0);
    let battery = state(&agv).battery_state;
    assert!(battery.charging);
    assert!(battery.battery_charge < 90.0 + 1e-9);
    agv.advance(31.0);
    let battery = state(&agv).battery_state;
    assert!(!battery.charging);
    assert!(battery.battery_charge > 99.99, "{}", battery.battery_charge);
    assert_eq!(status(&agv, "swap-1"), Some(ActionStatus::Finished));
}

#[test]
fn pause_stops_mid_edge_and_resume_continues() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 2, 3)).expect("taken");
    agv.advance(20.0);
    let speed = agv.speed();
    assert!(speed > 5.0);
    agv.handle_instant_actions(&instant(&[("startPause", "p1")]));
    assert_eq!(status(&agv, "p1"), Some(ActionStatus::Running));
    let braking_from = x(&agv);
    advance_until(&mut agv, 30.0, |agv| agv.speed() == 0.0);
    let stood_at = x(&agv);
    // braked at 0.5 m/s² from `speed`: v² / 2b metres
    let distance = stood_at - braking_from;
    assert!((distance - speed * speed).abs() < 0.5, "{distance}");
    assert!(
        stood_at < 200.0 && agv.last_node().0 != "C",
        "stood mid-route"
    );
    assert_eq!(status(&agv, "p1"), Some(ActionStatus::Finished));
    assert_eq!(state(&agv).paused, Some(true));

    agv.advance(60.0);
    assert_eq!(x(&agv), stood_at);
    agv.handle_instant_actions(&instant(&[("stopPause", "p2")]));
    assert_eq!(status(&agv, "p2"), Some(ActionStatus::Finished));
    advance_until(&mut agv, 100.0, |agv| agv.last_node().0 == "C");
}

#[test]
fn pause_holds_a_running_action() {
    let mut agv = agv_at_a();
    let order = with_action(
        order("o1", 0, 0, 1, 2),
        "A",
        action("gateCheck", "check", &[("duration", json!(30))]),
    );
    agv.handle_order(&order).expect("taken");
    agv.advance(10.0);
    agv.handle_instant_actions(&instant(&[("startPause", "p1")]));
    agv.advance(100.0);
    assert_eq!(status(&agv, "check"), Some(ActionStatus::Running));
    agv.handle_instant_actions(&instant(&[("stopPause", "p2")]));
    agv.advance(19.0);
    assert_eq!(status(&agv, "check"), Some(ActionStatus::Running));
    agv.advance(1.1);
    assert_eq!(status(&agv, "check"), Some(ActionStatus::Finished));
}

#[test]
fn cancel_stops_at_the_next_node_and_fails_pending_actions() {
    let mut agv = agv_at_a();
    let order = with_action(
        order("o1", 0, 0, 3, 4),
        "C",
        load_action("pick", "pick-1", "MSKU1", 10.0),
    );
    agv.handle_order(&order).expect("taken");
    agv.advance(15.0);
    assert_eq!(agv.last_node().0, "A");
    agv.handle_instant_actions(&instant(&[("cancelOrder", "c1")]));
    assert_eq!(status(&agv, "c1"), Some(ActionStatus::Running));
    assert_eq!(status(&agv, "pick-1"), Some(ActionStatus::Failed));
    advance_until(&mut agv, 100.0, |agv| {
        status(agv, "c1") == Some(ActionStatus::Finished)
    });
    assert_eq!(agv.last_node(), ("B", 2));
    assert!((x(&agv) - 100.0).abs() < 1e-9);
    let state = state(&agv);
    assert!(state.node_states.is_empty() && state.edge_states.is_empty());
    agv.advance(60.0);
    assert!((x(&agv) - 100.0).abs() < 1e-9, "stays");
    // a new order from B is taken
    agv.handle_order(&crate::support::order("o2", 0, 1, 2, 2))
        .expect("taken after cancel");
}

#[test]
fn cancel_without_an_order_fails_with_no_order_to_cancel() {
    let mut agv = agv_at_a();
    agv.handle_instant_actions(&instant(&[("cancelOrder", "c1")]));
    assert_eq!(status(&agv, "c1"), Some(ActionStatus::Failed));
    assert_eq!(error_types(&agv), ["noOrderToCancel"]);
}

#[test]
fn unknown_instant_action_fails_with_a_validation_error() {
    let mut agv = agv_at_a();
    let outcome = agv.handle_instant_actions(&instant(&[
        ("selfDestruct", "x1"),
        ("factsheetRequest", "f1"),
    ]));
    assert!(outcome.factsheet_requested);
    assert_eq!(status(&agv, "x1"), Some(ActionStatus::Failed));
    assert_eq!(status(&agv, "f1"), Some(ActionStatus::Finished));
    assert_eq!(error_types(&agv), ["validationError"]);
}

#[test]
fn battery_drains_driving_and_a_tenth_of_that_standing() {
    let per_s = 100.0 / 36_000.0;
    let mut agv = agv_at_a();
    agv.advance(1000.0);
    assert!((agv.battery_pct() - (90.0 - 100.0 * per_s)).abs() < 1e-6);

    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 4, 5)).expect("taken");
    let mut driving_s = 0.0;
    let spent = advance_until(&mut agv, 1000.0, |agv| {
        if agv.speed() > 0.0 {
            driving_s += 0.1;
        }
        !agv.is_busy()
    });
    let expected = 90.0 - per_s * driving_s - 0.1 * per_s * (spent - driving_s);
    assert!(
        (agv.battery_pct() - expected).abs() < 0.01,
        "{} vs {expected}",
        agv.battery_pct()
    );
    assert!(agv.battery_pct() < 90.0 - 60.0 * per_s);
}

#[test]
fn stop_pause_while_still_braking_ends_the_pause_action() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 2, 3)).expect("taken");
    agv.advance(20.0);
    agv.handle_instant_actions(&instant(&[("startPause", "p1")]));
    agv.advance(1.0);
    assert!(agv.speed() > 0.0);
    agv.handle_instant_actions(&instant(&[("stopPause", "p2")]));
    assert_eq!(status(&agv, "p1"), Some(ActionStatus::Finished));
    assert_eq!(state(&agv).paused, Some(false));
}
