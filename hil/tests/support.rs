//! Fixtures: a vehicle at node `A`, a straight route A (0, 0) → B (100, 0) → C (200, 0) →
//! D (300, 0) → E (400, 0), orders on it, and validation against the official schemas.

use std::path::PathBuf;

use anyhow::Context;
use hil::{AgvTraits, VirtualAgv};
use nalgebra::{Isometry2, Vector2};
use serde_json::{Value, json};
use vda5050::{
    Action, ActionParameter, ActionStatus, BlockingType, Edge, Header, Message, Node, NodePosition,
    Order, State, Timestamp, Topic, to_json,
};

pub const MAP: &str = "test-yard";
pub const MANUFACTURER: &str = "gatefleet";
pub const SERIAL: &str = "agv-test";

/// The route's nodes and their x (y = 0).
pub const ROUTE: [(&str, f64); 5] = [
    ("A", 0.0),
    ("B", 100.0),
    ("C", 200.0),
    ("D", 300.0),
    ("E", 400.0),
];

pub fn header(header_id: u32) -> Header {
    Header::new(
        header_id,
        Timestamp::from_unix_millis(1_780_000_000_000),
        MANUFACTURER,
        SERIAL,
    )
}

/// A vehicle standing on `A`, heading +x, battery 90 %.
pub fn agv_at_a() -> VirtualAgv {
    let pose = Isometry2::new(Vector2::new(0.0, 0.0), 0.0);
    VirtualAgv::new(AgvTraits::default(), MAP, "A", pose, 90.0)
}

/// An order over `ROUTE[from..=to]`, the first `released` nodes (and the edges between them)
/// released, node sequenceIds from `2 * from`, every edge at `max_speed`.
pub fn order(order_id: &str, update: u32, from: usize, to: usize, released: usize) -> Order {
    order_with_speed(order_id, update, from, to, released, 6.1)
}

pub fn order_with_speed(
    order_id: &str,
    update: u32,
    from: usize,
    to: usize,
    released: usize,
    max_speed: f64,
) -> Order {
    let node = |i: usize, k: usize| Node {
        node_id: ROUTE[i].0.to_owned(),
        sequence_id: 2 * i as u32,
        node_description: None,
        released: k < released,
        node_position: Some(NodePosition {
            x: ROUTE[i].1,
            y: 0.0,
            theta: None,
            allowed_deviation_xy: Some(0.5),
            allowed_deviation_theta: None,
            map_id: MAP.to_owned(),
            map_description: None,
        }),
        actions: Vec::new(),
    };
    let edge = |i: usize, k: usize| Edge {
        edge_id: format!("{}->{}", ROUTE[i].0, ROUTE[i + 1].0),
        sequence_id: 2 * i as u32 + 1,
        edge_description: None,
        released: k + 1 < released,
        start_node_id: ROUTE[i].0.to_owned(),
        end_node_id: ROUTE[i + 1].0.to_owned(),
        max_speed: Some(max_speed),
        max_height: None,
        min_height: None,
        orientation: None,
        orientation_type: None,
        direction: None,
        rotation_allowed: None,
        max_rotation_speed: None,
        length: None,
        trajectory: None,
        corridor: None,
        actions: Vec::new(),
    };
    Order {
        header: header(update),
        order_id: order_id.to_owned(),
        order_update_id: update,
        zone_set_id: None,
        nodes: (from..=to).enumerate().map(|(k, i)| node(i, k)).collect(),
        edges: (from..to).enumerate().map(|(k, i)| edge(i, k)).collect(),
    }
}

/// An action with `key: value` parameters.
pub fn action(action_type: &str, action_id: &str, parameters: &[(&str, Value)]) -> Action {
    Action {
        action_type: action_type.to_owned(),
        action_id: action_id.to_owned(),
        action_description: None,
        blocking_type: BlockingType::Hard,
        action_parameters: (!parameters.is_empty()).then(|| {
            parameters
                .iter()
                .map(|(key, value)| ActionParameter {
                    key: (*key).to_owned(),
                    value: value.clone(),
                })
                .collect()
        }),
    }
}

/// A `pick` or `drop` of container `load` lasting `seconds`.
pub fn load_action(action_type: &str, action_id: &str, load: &str, seconds: f64) -> Action {
    action(
        action_type,
        action_id,
        &[("loadId", json!(load)), ("duration", json!(seconds))],
    )
}

/// Adds an action to the order's node named `node`.
pub fn with_action(mut order: Order, node: &str, action: Action) -> Order {
    let node = order
        .nodes
        .iter_mut()
        .find(|n| n.node_id == node)
        .expect("the node is in the order");
    node.actions.push(action);
    order
}

/// The vehicle's state now.
pub fn state(agv: &VirtualAgv) -> State {
    agv.state(header(0))
}

/// The status of action `action_id` in the state.
pub fn status(agv: &VirtualAgv, action_id: &str) -> Option<ActionStatus> {
    state(agv)
        .action_states
        .iter()
        .find(|a| a.action_id == action_id)
        .map(|a| a.action_status)
}

/// The error types in the state.
pub fn error_types(agv: &VirtualAgv) -> Vec<String> {
    state(agv)
        .errors
        .into_iter()
        .map(|e| e.error_type)
        .collect()
}

/// Advances in 0.1 s steps until `done` or `limit_s`; returns the simulated seconds spent.
pub fn advance_until(
    agv: &mut VirtualAgv,
    limit_s: f64,
    mut done: impl FnMut(&VirtualAgv) -> bool,
) -> f64 {
    let mut spent = 0.0;
    while !done(agv) {
        assert!(spent < limit_s, "not done within {limit_s} s");
        agv.advance(0.1);
        spent += 0.1;
    }
    spent
}

/// The vehicle's x.
pub fn x(agv: &VirtualAgv) -> f64 {
    agv.pose().translation.x
}

/// The folder holding the official schemas, beside the repository.
fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/vda5050/v2.1.0")
}

fn validator(topic: Topic) -> anyhow::Result<jsonschema::Validator> {
    let path = schema_dir().join(format!("{topic}.schema"));
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path:?}"))?;
    let schema: Value = serde_json::from_str(&text).with_context(|| format!("parsing {path:?}"))?;
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|err| anyhow::anyhow!("compiling the {topic} schema: {err}"))
}

/// Asserts that `message` validates against its topic's official 2.1.0 schema.
pub fn assert_valid<M: Message>(message: &M) {
    let json: Value = serde_json::from_slice(&to_json(message)).expect("we write JSON");
    let validator = validator(M::TOPIC).expect("the official schema loads");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|err| format!("{}: {err}", err.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} fails its schema:\n{}\n{json:#}",
        M::TOPIC,
        errors.join("\n")
    );
}
