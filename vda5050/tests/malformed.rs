//! Broken messages are refused, never a panic, with errors naming the message and the field;
//! the official schema refuses the same payloads.

use serde_json::{Value, json};
use vda5050::{Connection, InstantActions, Order, State, Topic, from_json, to_json};

use crate::fixtures;
use crate::support::{error_chain, schema_errors};

/// The full order as JSON, to break by hand.
fn order_json() -> Value {
    serde_json::from_slice(&to_json(&fixtures::order_full())).unwrap()
}

/// Checks that both we and the official schema refuse `json` as an order, and returns our error.
fn refused_order(json: &Value) -> vda5050::ParseError {
    assert!(
        !schema_errors(Topic::Order, json).is_empty(),
        "the schema accepts it"
    );
    from_json::<Order>(json.to_string().as_bytes()).unwrap_err()
}

#[test]
fn order_without_order_id_is_refused_naming_it() {
    let mut json = order_json();
    json.as_object_mut().unwrap().remove("orderId");
    let err = refused_order(&json);
    assert_eq!(err.topic(), Topic::Order);
    assert_eq!(err.path(), ".");
    assert!(
        error_chain(&err).contains("missing field `orderId`"),
        "{}",
        error_chain(&err)
    );
}

#[test]
fn node_without_released_is_refused_naming_the_node_and_field() {
    let mut json = order_json();
    json["nodes"][1].as_object_mut().unwrap().remove("released");
    let err = refused_order(&json);
    assert_eq!(err.path(), "nodes[1]");
    assert!(
        error_chain(&err).contains("missing field `released`"),
        "{}",
        error_chain(&err)
    );
}

#[test]
fn header_field_missing_is_refused_naming_it() {
    let mut json = order_json();
    json.as_object_mut().unwrap().remove("serialNumber");
    let err = refused_order(&json);
    assert!(
        error_chain(&err).contains("`serialNumber`"),
        "{}",
        error_chain(&err)
    );
}

#[test]
fn unknown_blocking_type_is_refused_at_its_path() {
    let mut json = order_json();
    json["nodes"][0]["actions"][0]["blockingType"] = json!("MEDIUM");
    let err = refused_order(&json);
    assert_eq!(err.path(), "nodes[0].actions[0].blockingType");
    let chain = error_chain(&err);
    assert!(
        chain.contains("unknown variant `MEDIUM`") && chain.contains("`HARD`"),
        "{chain}"
    );
    assert!(chain.starts_with("invalid order message at `nodes[0].actions[0].blockingType`"));
}

#[test]
fn lowercase_enum_value_is_refused() {
    let mut json: Value = serde_json::from_slice(&to_json(&fixtures::state_full())).unwrap();
    json["safetyState"]["eStop"] = json!("none");
    assert!(!schema_errors(Topic::State, &json).is_empty());
    let err = from_json::<State>(json.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.topic(), Topic::State);
    assert_eq!(err.path(), "safetyState.eStop");
}

#[test]
fn wrong_connection_state_is_refused() {
    let mut json: Value = serde_json::from_slice(&to_json(&fixtures::connection_full())).unwrap();
    json["connectionState"] = json!("DISCONNECTED");
    assert!(!schema_errors(Topic::Connection, &json).is_empty());
    let err = from_json::<Connection>(json.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.path(), "connectionState");
}

#[test]
fn negative_order_update_id_is_refused() {
    let mut json = order_json();
    json["orderUpdateId"] = json!(-1);
    assert_eq!(refused_order(&json).path(), "orderUpdateId");
}

#[test]
fn truncated_payload_reports_line_and_column() {
    let payload = b"{\n  \"headerId\": 1,\n  \"actions\": [";
    let err = from_json::<InstantActions>(payload).unwrap_err();
    assert_eq!(err.topic(), Topic::InstantActions);
    assert_eq!(err.line(), 3);
    assert!(err.to_string().contains("line 3"), "{err}");
}

#[test]
fn trailing_bytes_are_refused() {
    let mut payload = to_json(&fixtures::connection_minimal());
    payload.extend_from_slice(b" {}");
    assert!(from_json::<Connection>(&payload).is_err());
}

#[test]
fn arbitrary_bytes_never_panic() {
    let payloads: [&[u8]; 6] = [
        b"",
        b"null",
        b"[]",
        b"\xff\xfe",
        b"{\"nodes\": 3}",
        b"12e999999",
    ];
    for payload in payloads {
        assert!(from_json::<Order>(payload).is_err());
        assert!(from_json::<State>(payload).is_err());
    }
}
