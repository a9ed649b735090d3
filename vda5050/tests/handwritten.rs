//! Messages written by hand the way another vendor's software sends them (field order of its
//! own, integers for floats, an extra vendor field), checked against the schema and read.

use serde_json::Value;
use vda5050::{
    ActionStatus, BlockingType, Connection, ConnectionState, EStop, Factsheet, InstantActions,
    OperatingMode, Order, State, Topic, Visualization, from_json,
};

use crate::support::schema_errors;

/// Checks `payload` against the official schema of `topic` first, so that the hand-written
/// text is known to be a valid message.
fn schema_valid(topic: Topic, payload: &str) -> &[u8] {
    let json: Value = serde_json::from_str(payload).unwrap();
    let errors = schema_errors(topic, &json);
    assert!(
        errors.is_empty(),
        "hand-written {topic} fails its schema: {errors:?}"
    );
    payload.as_bytes()
}

const ORDER: &str = r#"{
    "headerId": 5,
    "timestamp": "2026-03-02T11:40:03.12Z",
    "version": "2.1.0",
    "manufacturer": "AcmeAGV",
    "serialNumber": "0001",
    "orderId": "order-77",
    "orderUpdateId": 0,
    "nodes": [
        {"nodeId": "n1", "sequenceId": 0, "released": true, "actions": [],
         "nodePosition": {"x": 0, "y": 0, "mapId": "hall", "allowedDeviationXY": 0.5}},
        {"nodeId": "n2", "sequenceId": 2, "released": true,
         "actions": [{"actionId": "a1", "actionType": "drop", "blockingType": "HARD",
                      "actionParameters": [{"key": "loadId", "value": "L-4"},
                                           {"key": "height", "value": 1}]}]},
        {"nodeId": "n3", "sequenceId": 4, "released": false, "actions": []}
    ],
    "edges": [
        {"edgeId": "e1", "sequenceId": 1, "released": true, "startNodeId": "n1",
         "endNodeId": "n2", "actions": [], "maxSpeed": 2, "orientationType": "GLOBAL",
         "trajectory": {"degree": 1, "knotVector": [0, 0, 1, 1],
                        "controlPoints": [{"x": 0, "y": 0}, {"x": 10, "y": 0, "weight": 1}]}},
        {"edgeId": "e2", "sequenceId": 3, "released": false, "startNodeId": "n2",
         "endNodeId": "n3", "actions": []}
    ]
}"#;

const STATE: &str = r#"{"headerId":812,"timestamp":"2026-03-02T11:40:04Z","version":"2.1.0",
"manufacturer":"AcmeAGV","serialNumber":"0001","orderId":"order-77","orderUpdateId":0,
"lastNodeId":"n1","lastNodeSequenceId":0,"nodeStates":[{"nodeId":"n2","sequenceId":2,
"released":true}],"edgeStates":[{"edgeId":"e1","sequenceId":1,"released":true}],
"driving":true,"actionStates":[{"actionId":"a1","actionStatus":"WAITING"}],
"batteryState":{"batteryCharge":64,"charging":false},"operatingMode":"SEMIAUTOMATIC",
"errors":[{"errorType":"laserWarning","errorLevel":"WARNING"}],
"safetyState":{"eStop":"NONE","fieldViolation":false},
"agvPosition":{"x":3.5,"y":0,"theta":0,"mapId":"hall","positionInitialized":true},
"acmeDiagnostics":{"motorTemperature":41}}"#;

const INSTANT_ACTIONS: &str = r#"{"headerId": 0, "timestamp": "2026-03-02T11:40:05.5+07:00",
"version": "2.1.0", "manufacturer": "AcmeAGV", "serialNumber": "0001",
"actions": [{"actionType": "startPause", "actionId": "p-1", "blockingType": "HARD"}]}"#;

const CONNECTION: &str = r#"{"headerId": 2, "timestamp": "2026-03-02T11:40:00Z",
"version": "2.1.0", "manufacturer": "AcmeAGV", "serialNumber": "0001",
"connectionState": "CONNECTIONBROKEN"}"#;

const VISUALIZATION: &str = r#"{"agvPosition": {"x": 1, "y": 2, "theta": 3.1,
"mapId": "hall", "positionInitialized": false}, "velocity": {"vx": 0.5}}"#;

const FACTSHEET: &str = r#"{"version": "2.1.0", "manufacturer": "AcmeAGV", "serialNumber": "0001",
"typeSpecification": {"seriesName": "A1", "agvKinematic": "DIFF", "agvClass": "CARRIER",
  "maxLoadMass": 500, "localizationTypes": ["REFLECTOR"], "navigationTypes": ["AUTONOMOUS"]},
"physicalParameters": {"speedMin": 0.01, "speedMax": 2, "accelerationMax": 1,
  "decelerationMax": 1.5, "heightMax": 0.4, "width": 0.8, "length": 1.2},
"protocolLimits": {"maxStringLens": {"idLen": 32}, "maxArrayLens": {"order.nodes": 50},
  "timing": {"minOrderInterval": 1, "minStateInterval": 0.5}},
"protocolFeatures": {"optionalParameters": [],
  "agvActions": [{"actionType": "pick", "actionScopes": ["NODE", "INSTANT"]}]},
"agvGeometry": {}, "loadSpecification": {}}"#;

#[test]
fn handwritten_order_reads() {
    let order: Order = from_json(schema_valid(Topic::Order, ORDER)).unwrap();
    assert_eq!(order.header.serial_number, "0001");
    assert_eq!(order.nodes.len(), 3);
    assert_eq!(
        order.nodes[0]
            .node_position
            .as_ref()
            .unwrap()
            .allowed_deviation_xy,
        Some(0.5)
    );
    let drop = &order.nodes[1].actions[0];
    assert_eq!(drop.blocking_type, BlockingType::Hard);
    assert_eq!(
        drop.action_parameters.as_ref().unwrap()[1].value,
        serde_json::json!(1)
    );
    assert_eq!(
        order.edges[0].trajectory.as_ref().unwrap().control_points[1].weight,
        Some(1.0)
    );
    assert!(!order.edges[1].released);
}

#[test]
fn handwritten_state_reads_and_ignores_vendor_fields() {
    let state: State = from_json(schema_valid(Topic::State, STATE)).unwrap();
    assert_eq!(state.operating_mode, OperatingMode::SemiAutomatic);
    assert_eq!(state.action_states[0].action_status, ActionStatus::Waiting);
    assert_eq!(state.battery_state.battery_charge, 64.0);
    assert_eq!(state.safety_state.e_stop, EStop::None);
    assert_eq!(state.loads, None);
}

#[test]
fn handwritten_instant_actions_read() {
    let actions: InstantActions =
        from_json(schema_valid(Topic::InstantActions, INSTANT_ACTIONS)).unwrap();
    assert_eq!(actions.actions[0].action_type, "startPause");
    assert_eq!(
        actions.header.timestamp.as_str(),
        "2026-03-02T11:40:05.5+07:00"
    );
}

#[test]
fn handwritten_connection_reads() {
    let connection: Connection = from_json(schema_valid(Topic::Connection, CONNECTION)).unwrap();
    assert_eq!(
        connection.connection_state,
        ConnectionState::ConnectionBroken
    );
}

#[test]
fn handwritten_visualization_reads() {
    let visualization: Visualization =
        from_json(schema_valid(Topic::Visualization, VISUALIZATION)).unwrap();
    assert_eq!(visualization.header_id, None);
    assert_eq!(visualization.velocity.unwrap().vx, Some(0.5));
}

#[test]
fn handwritten_factsheet_reads() {
    let factsheet: Factsheet = from_json(schema_valid(Topic::Factsheet, FACTSHEET)).unwrap();
    assert_eq!(
        factsheet.protocol_limits.max_array_lens.order_nodes,
        Some(50)
    );
    assert_eq!(
        factsheet.protocol_features.agv_actions[0]
            .action_scopes
            .len(),
        2
    );
}
