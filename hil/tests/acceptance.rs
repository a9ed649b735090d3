//! The acceptance rules of VDA 5050 2.1 §6.6 as the wire contract states them, one test each.

use hil::{Accepted, RejectionKind, VirtualAgv};
use nalgebra::{Isometry2, Vector2};
use serde_json::json;
use vda5050::{ErrorLevel, Order};

use crate::support::{
    MAP, action, advance_until, agv_at_a, error_types, load_action, order, state, with_action,
};

/// Sends `order` and expects a refusal of `kind`, with the order left as it was.
fn assert_refused(agv: &mut VirtualAgv, order: &Order, kind: RejectionKind) {
    let before = state(agv);
    let rejection = agv.handle_order(order).expect_err("refused");
    assert_eq!(rejection.kind, kind, "{rejection}");
    let after = state(agv);
    assert_eq!(after.order_id, before.order_id);
    assert_eq!(after.order_update_id, before.order_update_id);
    assert_eq!(after.node_states, before.node_states);
    assert_eq!(after.edge_states, before.edge_states);

    // reported as a warning naming the order and its update
    let error = after.errors.last().expect("an error");
    assert_eq!(error.error_type, kind.error_type());
    assert_eq!(error.error_level, ErrorLevel::Warning);
    let references = error.error_references.as_ref().expect("references");
    let pairs: Vec<(&str, &str)> = references
        .iter()
        .map(|r| (r.reference_key.as_str(), r.reference_value.as_str()))
        .collect();
    let update = order.order_update_id.to_string();
    assert_eq!(
        pairs,
        [
            ("orderId", order.order_id.as_str()),
            ("orderUpdateId", update.as_str())
        ]
    );
}

fn agv_with_order() -> VirtualAgv {
    let mut agv = agv_at_a();
    assert_eq!(
        agv.handle_order(&order("o1", 3, 0, 2, 3)),
        Ok(Accepted::NewOrder)
    );
    agv
}

#[test]
fn lower_order_update_is_rejected() {
    let mut agv = agv_with_order();
    assert_refused(
        &mut agv,
        &order("o1", 2, 0, 2, 3),
        RejectionKind::OrderUpdate,
    );
}

#[test]
fn duplicate_order_update_is_ignored() {
    let mut agv = agv_with_order();
    agv.advance(5.0);
    let before = state(&agv);
    assert_eq!(
        agv.handle_order(&order("o1", 3, 0, 2, 3)),
        Ok(Accepted::Duplicate)
    );
    assert_eq!(state(&agv), before);
    assert!(before.errors.is_empty());
}

#[test]
fn update_not_stitching_on_the_last_base_node_is_rejected() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 2)).expect("taken");
    // the base ends on B (sequenceId 2): an update starting on C does not stitch
    assert_refused(
        &mut agv,
        &order("o1", 1, 2, 4, 3),
        RejectionKind::OrderUpdate,
    );
    // nor one starting on B with another sequenceId
    let mut wrong_sequence = order("o1", 1, 1, 3, 3);
    wrong_sequence.nodes[0].sequence_id = 4;
    wrong_sequence.edges[0].sequence_id = 5;
    wrong_sequence.nodes[1].sequence_id = 6;
    wrong_sequence.edges[1].sequence_id = 7;
    wrong_sequence.nodes[2].sequence_id = 8;
    assert_refused(&mut agv, &wrong_sequence, RejectionKind::OrderUpdate);
}

#[test]
fn update_stitching_on_the_last_base_node_extends_the_base() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 2)).expect("taken");
    assert_eq!(
        agv.handle_order(&order("o1", 1, 1, 4, 4)),
        Ok(Accepted::Update)
    );
    let state = state(&agv);
    assert_eq!(state.order_update_id, 1);
    let nodes: Vec<(&str, u32, bool)> = state
        .node_states
        .iter()
        .map(|n| (n.node_id.as_str(), n.sequence_id, n.released))
        .collect();
    assert_eq!(
        nodes,
        [
            ("B", 2, true),
            ("C", 4, true),
            ("D", 6, true),
            ("E", 8, true)
        ]
    );
    assert_eq!(state.edge_states.len(), 4);
}

#[test]
fn new_order_while_the_current_one_is_active_is_rejected() {
    let mut agv = agv_with_order();
    assert_refused(
        &mut agv,
        &order("o2", 0, 0, 1, 2),
        RejectionKind::OrderUpdate,
    );
}

#[test]
fn new_order_while_actions_are_left_is_rejected() {
    let mut agv = agv_at_a();
    let one_node = with_action(
        order("o1", 0, 0, 0, 1),
        "A",
        action("gateCheck", "check", &[]),
    );
    agv.handle_order(&one_node).expect("taken");
    agv.advance(10.0);
    assert_refused(
        &mut agv,
        &order("o2", 0, 0, 1, 2),
        RejectionKind::OrderUpdate,
    );
}

#[test]
fn new_order_is_accepted_once_the_vehicle_is_idle() {
    let mut agv = agv_with_order();
    advance_until(&mut agv, 200.0, |agv| !agv.is_busy());
    assert_eq!(agv.last_node(), ("C", 4));
    // a refused order first: its error goes once the next order is taken
    let _ = agv.handle_order(&order("o1", 1, 0, 1, 2));
    assert_eq!(error_types(&agv), ["orderUpdateError"]);
    assert_eq!(
        agv.handle_order(&order("o2", 0, 2, 4, 3)),
        Ok(Accepted::NewOrder)
    );
    assert!(error_types(&agv).is_empty());
    assert_eq!(state(&agv).order_id, "o2");
}

#[test]
fn a_horizon_left_over_counts_as_finished() {
    let mut agv = agv_at_a();
    agv.handle_order(&order("o1", 0, 0, 3, 2)).expect("taken");
    advance_until(&mut agv, 100.0, |agv| agv.last_node().0 == "B");
    agv.advance(10.0);
    assert!(!agv.is_busy());
    assert_eq!(
        agv.handle_order(&order("o2", 0, 1, 2, 2)),
        Ok(Accepted::NewOrder)
    );
}

#[test]
fn new_order_far_from_the_vehicle_is_no_route() {
    let mut agv = agv_at_a();
    assert_refused(&mut agv, &order("o1", 0, 1, 3, 3), RejectionKind::NoRoute);
}

#[test]
fn vehicle_mid_edge_accepts_an_order_along_its_edge() {
    // restarted 40 m along A -> B, 0.3 m off the line
    let pose = Isometry2::new(Vector2::new(40.0, 0.3), 0.0);
    let mut agv = VirtualAgv::new(hil::AgvTraits::default(), MAP, "A", pose, 80.0);
    assert_eq!(
        agv.handle_order(&order("o1", 0, 0, 2, 3)),
        Ok(Accepted::NewOrder)
    );
    let state = state(&agv);
    assert_eq!(state.last_node_id, "A");
    assert!((state.distance_since_last_node.unwrap() - 40.0).abs() < 1e-9);
    advance_until(&mut agv, 200.0, |agv| agv.last_node().0 == "C");
}

#[test]
fn vehicle_mid_edge_refuses_an_order_along_another_edge() {
    let pose = Isometry2::new(Vector2::new(40.0, 3.0), 0.0);
    let mut agv = VirtualAgv::new(hil::AgvTraits::default(), MAP, "A", pose, 80.0);
    assert_refused(&mut agv, &order("o1", 0, 0, 2, 3), RejectionKind::NoRoute);
}

fn assert_malformed(mutate: impl FnOnce(&mut Order)) {
    let mut agv = agv_at_a();
    let mut bad = order("o1", 0, 0, 2, 3);
    mutate(&mut bad);
    assert_refused(&mut agv, &bad, RejectionKind::Validation);
}

#[test]
fn order_without_nodes_is_a_validation_error() {
    assert_malformed(|o| {
        o.nodes.clear();
        o.edges.clear();
    });
}

#[test]
fn order_with_too_few_edges_is_a_validation_error() {
    assert_malformed(|o| {
        o.edges.pop();
    });
}

#[test]
fn order_with_sequence_ids_out_of_order_is_a_validation_error() {
    assert_malformed(|o| o.nodes[2].sequence_id = 2);
}

#[test]
fn order_with_odd_node_sequence_ids_is_a_validation_error() {
    assert_malformed(|o| {
        o.nodes[1].sequence_id = 3;
        o.edges[0].sequence_id = 2;
    });
}

#[test]
fn order_with_an_edge_not_joining_its_neighbours_is_a_validation_error() {
    assert_malformed(|o| o.edges[1].end_node_id = "D".into());
}

#[test]
fn order_released_after_unreleased_is_a_validation_error() {
    assert_malformed(|o| {
        o.nodes[1].released = false;
        o.edges[1].released = false;
    });
}

#[test]
fn order_with_an_edge_released_without_its_end_node_is_a_validation_error() {
    assert_malformed(|o| o.nodes[2].released = false);
}

#[test]
fn order_with_a_node_without_position_is_a_validation_error() {
    assert_malformed(|o| o.nodes[1].node_position = None);
}

#[test]
fn order_with_an_unknown_action_type_is_a_validation_error() {
    assert_malformed(|o| o.nodes[1].actions.push(action("dance", "a1", &[])));
}

#[test]
fn pick_without_load_id_is_a_validation_error() {
    assert_malformed(|o| {
        o.nodes[1]
            .actions
            .push(action("pick", "a1", &[("duration", json!(10))]))
    });
}

#[test]
fn repeated_action_id_is_a_validation_error() {
    assert_malformed(|o| {
        o.nodes[1]
            .actions
            .push(load_action("pick", "a1", "MSKU1", 5.0));
        o.nodes[2]
            .actions
            .push(load_action("drop", "a1", "MSKU1", 5.0));
    });
}

#[test]
fn edge_actions_are_a_validation_error() {
    assert_malformed(|o| o.edges[0].actions.push(action("gateCheck", "a1", &[])));
}
