//! What we write validates against the official 2.1.0 schemas and reads back unchanged.

use serde_json::Value;
use vda5050::factsheet::Envelope3d;
use vda5050::{ActionStatus, BlockingType, Message, Timestamp, Topic, to_json};

use crate::fixtures;
use crate::support::{assert_valid_and_round_trips, json_fields, schema_errors, schema_fields};

#[test]
fn order_validates_and_round_trips() {
    assert_valid_and_round_trips(&fixtures::order_full());
    assert_valid_and_round_trips(&fixtures::order_minimal());
}

#[test]
fn instant_actions_validate_and_round_trip() {
    assert_valid_and_round_trips(&fixtures::instant_actions_full());
    assert_valid_and_round_trips(&fixtures::instant_actions_minimal());
}

#[test]
fn state_validates_and_round_trips() {
    assert_valid_and_round_trips(&fixtures::state_full());
    assert_valid_and_round_trips(&fixtures::state_minimal());
}

#[test]
fn visualization_validates_and_round_trips() {
    assert_valid_and_round_trips(&fixtures::visualization_full());
    assert_valid_and_round_trips(&fixtures::visualization_minimal());
}

#[test]
fn connection_validates_and_round_trips() {
    assert_valid_and_round_trips(&fixtures::connection_full());
    assert_valid_and_round_trips(&fixtures::connection_minimal());
}

#[test]
fn factsheet_validates_and_round_trips() {
    assert_valid_and_round_trips(&fixtures::factsheet_full());
    assert_valid_and_round_trips(&fixtures::factsheet_minimal());
}

#[test]
fn minimal_examples_write_no_optional_field() {
    let json: Value = serde_json::from_slice(&to_json(&fixtures::visualization_minimal())).unwrap();
    assert_eq!(json, serde_json::json!({}));

    let json: Value = serde_json::from_slice(&to_json(&fixtures::order_minimal())).unwrap();
    let node = &json["nodes"][0];
    assert!(node.get("nodePosition").is_none() && node.get("nodeDescription").is_none());
    assert!(json.get("zoneSetId").is_none());
}

#[test]
fn schema_checks_timestamp_format() {
    // guards the validator setup: without format checks, every timestamp would pass
    let mut connection = fixtures::connection_minimal();
    connection.header.timestamp = Timestamp::new("yesterday at noon");
    let json: Value = serde_json::from_slice(&to_json(&connection)).unwrap();
    let errors = schema_errors(Topic::Connection, &json);
    assert!(
        errors.iter().any(|e| e.starts_with("/timestamp")),
        "{errors:?}"
    );
}

/// The 2.1.0 `state.schema` leaves `PAUSED` out of `actionStatus`, which the standard's text
/// defines; a paused action reads fine but its state fails the file.
#[test]
fn paused_action_status_fails_the_2_1_0_state_schema() {
    let mut state = fixtures::state_full();
    state.action_states[0].action_status = ActionStatus::Paused;
    let bytes = to_json(&state);
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    let errors = schema_errors(Topic::State, &json);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("/actionStates/0/actionStatus")),
        "{errors:?}"
    );
    assert_eq!(vda5050::from_json::<vda5050::State>(&bytes).unwrap(), state);
}

/// The 2.1.0 `factsheet.schema` puts the blocking types' enum on the array, and types a 3D
/// envelope's free-text description as an integer: neither can be filled and validate.
#[test]
fn factsheet_schema_faults_are_pinned() {
    let mut factsheet = fixtures::factsheet_full();
    factsheet.protocol_features.agv_actions[0].blocking_types =
        Some(vec![BlockingType::Soft, BlockingType::Hard]);
    let json: Value = serde_json::from_slice(&to_json(&factsheet)).unwrap();
    let errors = schema_errors(Topic::Factsheet, &json);
    assert!(
        errors.iter().any(|e| e.contains("/blockingTypes")),
        "{errors:?}"
    );

    let mut factsheet = fixtures::factsheet_full();
    let envelopes = factsheet.agv_geometry.envelopes3d.as_mut().unwrap();
    envelopes[0] = Envelope3d {
        description: Some("loaded".into()),
        ..envelopes[0].clone()
    };
    let json: Value = serde_json::from_slice(&to_json(&factsheet)).unwrap();
    let errors = schema_errors(Topic::Factsheet, &json);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("/envelopes3d/0/description")),
        "{errors:?}"
    );
}

/// Fields of the schema that `message` does not write, and fields it writes that the schema
/// does not define, leaving out paths under `free` (free-form values and shared types).
fn field_gaps<M: Message>(message: &M, free: &[&str]) -> (Vec<String>, Vec<String>) {
    let json: Value = serde_json::from_slice(&to_json(message)).unwrap();
    let (written, defined) = (json_fields(&json), schema_fields(M::TOPIC));
    let is_free = |path: &&String| free.iter().any(|prefix| path.starts_with(prefix));
    let missing = defined
        .difference(&written)
        .filter(|p| !is_free(p))
        .cloned()
        .collect();
    let unknown = written
        .difference(&defined)
        .filter(|p| !is_free(p))
        .cloned()
        .collect();
    (missing, unknown)
}

/// Guards both the types (every schema field is modelled, under its exact name) and the full
/// examples (they fill every optional field), so the schema tests above cover everything.
#[test]
fn full_examples_write_exactly_the_schema_fields() {
    let value = "/nodes[]/actions[]/actionParameters[]/value/";
    let edge_value = "/edges[]/actions[]/actionParameters[]/value/";
    let cases = [
        field_gaps(&fixtures::order_full(), &[value, edge_value]),
        field_gaps(
            &fixtures::instant_actions_full(),
            &["/actions[]/actionParameters[]/value/"],
        ),
        // a node state's position is the order's node position, which has more fields
        field_gaps(&fixtures::state_full(), &["/nodeStates[]/nodePosition/"]),
        field_gaps(&fixtures::visualization_full(), &[]),
        field_gaps(&fixtures::connection_full(), &[]),
        // the two fields the schema cannot accept (see factsheet_schema_faults_are_pinned)
        field_gaps(
            &fixtures::factsheet_full(),
            &[
                "/agvGeometry/envelopes3d[]/data/",
                "/agvGeometry/envelopes3d[]/description",
                "/protocolFeatures/agvActions[]/blockingTypes",
            ],
        ),
    ];
    for (topic, (missing, unknown)) in Topic::ALL.into_iter().zip(cases) {
        assert!(missing.is_empty(), "full {topic} lacks {missing:?}");
        assert!(
            unknown.is_empty(),
            "full {topic} writes fields the schema lacks: {unknown:?}"
        );
    }
}
