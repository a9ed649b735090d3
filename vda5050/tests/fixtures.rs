//! A full (every optional field filled) and a minimal example of every message kind, on the
//! Hữu Nghị lane: AGV `agv-07` carries a 40 ft container from crane slot C3 to a gate booth.

use serde_json::json;
use vda5050::factsheet::{
    ActionParameterFactsheet, ActionScope, AgvAction, AgvClass, AgvGeometry, AgvKinematic,
    Envelope2d, Envelope3d, LoadSet, LoadSpecification, LocalizationType, MaxArrayLens,
    MaxStringLens, NavigationType, NetworkConfig, OptionalParameter, PhysicalParameters,
    PolygonPoint, ProtocolFeatures, ProtocolLimits, Support, Timing, TypeSpecification,
    ValueDataType, VehicleConfig, VersionInfo, WheelDefinition, WheelPosition, WheelType,
};
use vda5050::{
    Action, ActionParameter, ActionState, ActionStatus, AgvError, AgvMap, AgvPosition,
    BatteryState, BlockingType, BoundingBoxReference, Connection, ConnectionState, ControlPoint,
    Corridor, CorridorRefPoint, EStop, Edge, EdgeState, ErrorLevel, ErrorReference, Factsheet,
    Header, InfoLevel, InfoReference, Information, InstantActions, Load, LoadDimensions, MapStatus,
    Node, NodePosition, NodeState, OperatingMode, Order, OrientationType, PROTOCOL_VERSION,
    SafetyState, State, Timestamp, Trajectory, Velocity, Visualization,
};

const MANUFACTURER: &str = "gatefleet";
const SERIAL: &str = "agv-07";
const MAP: &str = "huu-nghi";

/// 2026-03-02T11:40:03.120Z
fn now() -> Timestamp {
    Timestamp::from_unix_millis(1_772_451_603_120)
}

fn header(header_id: u32) -> Header {
    Header::new(header_id, now(), MANUFACTURER, SERIAL)
}

fn pick(action_id: &str) -> Action {
    Action {
        action_type: "pick".into(),
        action_id: action_id.into(),
        action_description: Some("lift the container off the crane spreader".into()),
        blocking_type: BlockingType::Hard,
        action_parameters: Some(vec![
            ActionParameter {
                key: "loadId".into(),
                value: json!("MSKU1234565"),
            },
            ActionParameter {
                key: "loadType".into(),
                value: json!("40ft-reefer"),
            },
            ActionParameter {
                key: "duration".into(),
                value: json!(45.5),
            },
            ActionParameter {
                key: "plugged".into(),
                value: json!(true),
            },
            ActionParameter {
                key: "stations".into(),
                value: json!(["C3", "C4"]),
            },
            ActionParameter {
                key: "spreader".into(),
                value: json!({"twistlocks": 4}),
            },
        ]),
    }
}

fn position(x: f64, y: f64) -> NodePosition {
    NodePosition {
        x,
        y,
        theta: Some(1.5),
        allowed_deviation_xy: Some(0.25),
        allowed_deviation_theta: Some(0.1),
        map_id: MAP.into(),
        map_description: Some("Hữu Nghị lane, Vietnamese yard".into()),
    }
}

fn node(node_id: &str, sequence_id: u32, released: bool, actions: Vec<Action>) -> Node {
    Node {
        node_id: node_id.into(),
        sequence_id,
        node_description: Some(format!("waypoint {node_id}")),
        released,
        node_position: Some(position(-1200.0 + f64::from(sequence_id) * 20.0, 12.5)),
        actions,
    }
}

fn trajectory() -> Trajectory {
    Trajectory {
        degree: 1,
        knot_vector: vec![0.0, 0.0, 1.0, 1.0],
        control_points: vec![
            ControlPoint {
                x: -1200.0,
                y: 12.5,
                weight: Some(1.0),
            },
            ControlPoint {
                x: -1180.0,
                y: 12.5,
                weight: Some(1.0),
            },
        ],
    }
}

fn edge(edge_id: &str, sequence_id: u32, released: bool, start: &str, end: &str) -> Edge {
    Edge {
        edge_id: edge_id.into(),
        sequence_id,
        edge_description: Some(format!("lane {edge_id}")),
        released,
        start_node_id: start.into(),
        end_node_id: end.into(),
        max_speed: Some(4.0),
        max_height: Some(4.2),
        min_height: Some(0.1),
        orientation: Some(0.0),
        orientation_type: Some(OrientationType::Tangential),
        direction: Some("straight".into()),
        rotation_allowed: Some(false),
        max_rotation_speed: Some(0.5),
        length: Some(20.0),
        trajectory: Some(trajectory()),
        corridor: Some(Corridor {
            left_width: 0.5,
            right_width: 0.75,
            corridor_ref_point: Some(CorridorRefPoint::Contour),
        }),
        actions: vec![Action {
            action_type: "beep".into(),
            action_id: format!("beep-{sequence_id}"),
            action_description: Some("warn the crane crew while leaving".into()),
            blocking_type: BlockingType::None,
            action_parameters: Some(vec![ActionParameter {
                key: "duration".into(),
                value: json!(3),
            }]),
        }],
    }
}

/// A base of C3 → L1 → L2 and a horizon of L2 → G1.
pub fn order_full() -> Order {
    Order {
        header: header(41),
        order_id: "mission-0193".into(),
        order_update_id: 2,
        zone_set_id: Some("huu-nghi-2026-03".into()),
        nodes: vec![
            node("C3", 0, true, vec![pick("pick-0193")]),
            node("L1", 2, true, vec![]),
            node("L2", 4, true, vec![]),
            node("G1", 6, false, vec![]),
        ],
        edges: vec![
            edge("C3-L1", 1, true, "C3", "L1"),
            edge("L1-L2", 3, true, "L1", "L2"),
            edge("L2-G1", 5, false, "L2", "G1"),
        ],
    }
}

/// One node, no position, no actions, no edges: "stay where you are".
pub fn order_minimal() -> Order {
    Order {
        header: header(0),
        order_id: "hold".into(),
        order_update_id: 0,
        zone_set_id: None,
        nodes: vec![Node {
            node_id: "C3".into(),
            sequence_id: 0,
            node_description: None,
            released: true,
            node_position: None,
            actions: vec![],
        }],
        edges: vec![],
    }
}

pub fn instant_actions_full() -> InstantActions {
    InstantActions {
        header: header(12),
        actions: vec![
            Action {
                action_type: "cancelOrder".into(),
                action_id: "cancel-12".into(),
                action_description: Some("lane L2 closed".into()),
                blocking_type: BlockingType::Hard,
                action_parameters: Some(vec![ActionParameter {
                    key: "reason".into(),
                    value: json!("laneClosure"),
                }]),
            },
            Action {
                action_type: "stateRequest".into(),
                action_id: "state-12".into(),
                action_description: None,
                blocking_type: BlockingType::None,
                action_parameters: Some(vec![]),
            },
        ],
    }
}

pub fn instant_actions_minimal() -> InstantActions {
    InstantActions {
        header: header(0),
        actions: vec![],
    }
}

fn agv_position() -> AgvPosition {
    AgvPosition {
        x: -1187.25,
        y: 12.5,
        theta: 0.0,
        map_id: MAP.into(),
        map_description: Some("Hữu Nghị lane".into()),
        position_initialized: true,
        localization_score: Some(0.95),
        deviation_range: Some(0.05),
    }
}

fn velocity() -> Velocity {
    Velocity {
        vx: Some(3.5),
        vy: Some(0.0),
        omega: Some(0.0),
    }
}

/// Driving the base of [`order_full`], past C3 with the container on board.
pub fn state_full() -> State {
    State {
        header: header(907),
        maps: Some(vec![AgvMap {
            map_id: MAP.into(),
            map_version: "2026.03.1".into(),
            map_description: Some("after the booth rebuild".into()),
            map_status: MapStatus::Enabled,
        }]),
        order_id: "mission-0193".into(),
        order_update_id: 2,
        zone_set_id: Some("huu-nghi-2026-03".into()),
        last_node_id: "C3".into(),
        last_node_sequence_id: 0,
        driving: true,
        paused: Some(false),
        new_base_request: Some(true),
        distance_since_last_node: Some(12.75),
        operating_mode: OperatingMode::Automatic,
        node_states: vec![NodeState {
            node_id: "L1".into(),
            sequence_id: 2,
            node_description: Some("waypoint L1".into()),
            released: true,
            node_position: Some(position(-1180.0, 12.5)),
        }],
        edge_states: vec![EdgeState {
            edge_id: "C3-L1".into(),
            sequence_id: 1,
            edge_description: Some("lane C3-L1".into()),
            released: true,
            trajectory: Some(trajectory()),
        }],
        agv_position: Some(agv_position()),
        velocity: Some(velocity()),
        loads: Some(vec![Load {
            load_id: Some("MSKU1234565".into()),
            load_type: Some("40ft-reefer".into()),
            load_position: Some("deck".into()),
            bounding_box_reference: Some(BoundingBoxReference {
                x: 0.0,
                y: 0.0,
                z: 1.25,
                theta: Some(0.0),
            }),
            load_dimensions: Some(LoadDimensions {
                length: 12.19,
                width: 2.44,
                height: Some(2.9),
            }),
            weight: Some(27_400.0),
        }]),
        action_states: vec![ActionState {
            action_id: "pick-0193".into(),
            action_type: Some("pick".into()),
            action_description: Some("lift the container off the crane spreader".into()),
            action_status: ActionStatus::Finished,
            result_description: Some("MSKU1234565".into()),
        }],
        battery_state: BatteryState {
            battery_charge: 71.5,
            battery_voltage: Some(48.2),
            battery_health: Some(96.0),
            charging: false,
            reach: Some(38_000.0),
        },
        errors: vec![AgvError {
            error_type: "orderUpdateError".into(),
            error_references: Some(vec![
                ErrorReference {
                    reference_key: "orderId".into(),
                    reference_value: "mission-0193".into(),
                },
                ErrorReference {
                    reference_key: "orderUpdateId".into(),
                    reference_value: "1".into(),
                },
            ]),
            error_description: Some("order update 1 arrived after update 2".into()),
            error_hint: Some("send updates in order".into()),
            error_level: ErrorLevel::Warning,
        }],
        information: Some(vec![Information {
            info_type: "reeferPower".into(),
            info_references: Some(vec![InfoReference {
                reference_key: "loadId".into(),
                reference_value: "MSKU1234565".into(),
            }]),
            info_description: Some("reefer on battery power".into()),
            info_level: InfoLevel::Info,
        }]),
        safety_state: SafetyState {
            e_stop: EStop::None,
            field_violation: false,
        },
    }
}

/// A vehicle just switched on: no order, no position, no load sensing.
pub fn state_minimal() -> State {
    State {
        header: header(0),
        maps: None,
        order_id: String::new(),
        order_update_id: 0,
        zone_set_id: None,
        last_node_id: String::new(),
        last_node_sequence_id: 0,
        driving: false,
        paused: None,
        new_base_request: None,
        distance_since_last_node: None,
        operating_mode: OperatingMode::Manual,
        node_states: vec![],
        edge_states: vec![],
        agv_position: None,
        velocity: None,
        loads: None,
        action_states: vec![],
        battery_state: BatteryState {
            battery_charge: 100.0,
            battery_voltage: None,
            battery_health: None,
            charging: true,
            reach: None,
        },
        errors: vec![],
        information: None,
        safety_state: SafetyState {
            e_stop: EStop::AutoAck,
            field_violation: true,
        },
    }
}

pub fn visualization_full() -> Visualization {
    Visualization {
        header_id: Some(9071),
        timestamp: Some(now()),
        version: Some(PROTOCOL_VERSION.into()),
        manufacturer: Some(MANUFACTURER.into()),
        serial_number: Some(SERIAL.into()),
        agv_position: Some(AgvPosition {
            map_description: None,
            ..agv_position()
        }),
        velocity: Some(velocity()),
    }
}

pub fn visualization_minimal() -> Visualization {
    Visualization::default()
}

pub fn connection_full() -> Connection {
    Connection {
        header: header(3),
        connection_state: ConnectionState::ConnectionBroken,
    }
}

pub fn connection_minimal() -> Connection {
    Connection {
        header: header(0),
        connection_state: ConnectionState::Online,
    }
}

/// The border lane's container carrier.
///
/// Leaves out an action's `blockingTypes` and a 3D envelope's `description`, which the 2.1.0
/// schema file cannot accept (see `schema::factsheet_schema_faults_are_pinned`).
pub fn factsheet_full() -> Factsheet {
    let mut factsheet = factsheet_minimal();
    factsheet.header_id = Some(1);
    factsheet.timestamp = Some(now());
    factsheet.type_specification.series_description = Some("40 ft container carrier".into());
    factsheet.physical_parameters.height_min = Some(1.1);
    factsheet.protocol_limits = ProtocolLimits {
        max_string_lens: MaxStringLens {
            msg_len: Some(65_536),
            topic_serial_len: Some(32),
            topic_elem_len: Some(32),
            id_len: Some(64),
            id_numerical_only: Some(false),
            enum_len: Some(32),
            load_id_len: Some(16),
        },
        max_array_lens: MaxArrayLens {
            order_nodes: Some(200),
            order_edges: Some(199),
            node_actions: Some(4),
            edge_actions: Some(4),
            actions_parameters: Some(8),
            instant_actions: Some(8),
            trajectory_knot_vector: Some(16),
            trajectory_control_points: Some(12),
            state_node_states: Some(200),
            state_edge_states: Some(199),
            state_loads: Some(1),
            state_action_states: Some(64),
            state_errors: Some(16),
            state_information: Some(16),
            error_error_references: Some(4),
            information_info_references: Some(4),
        },
        timing: Timing {
            min_order_interval: 0.5,
            min_state_interval: 0.1,
            default_state_interval: Some(1.0),
            visualization_interval: Some(0.1),
        },
    };
    factsheet.protocol_features = ProtocolFeatures {
        optional_parameters: vec![OptionalParameter {
            parameter: "order.edges.trajectory".into(),
            support: Support::Supported,
            description: Some("straight lines only".into()),
        }],
        agv_actions: vec![AgvAction {
            action_type: "pick".into(),
            action_description: Some("lift a container off a crane spreader".into()),
            action_scopes: vec![ActionScope::Node],
            action_parameters: Some(vec![ActionParameterFactsheet {
                key: "loadId".into(),
                value_data_type: ValueDataType::String,
                description: Some("ISO 6346 container number".into()),
                is_optional: Some(true),
            }]),
            result_description: Some("the container number read".into()),
            blocking_types: None,
        }],
    };
    factsheet.agv_geometry = AgvGeometry {
        wheel_definitions: Some(vec![WheelDefinition {
            wheel_type: WheelType::Drive,
            is_active_driven: true,
            is_active_steered: true,
            position: WheelPosition {
                x: 5.0,
                y: 1.25,
                theta: Some(0.0),
            },
            diameter: 1.0,
            width: 0.4,
            center_displacement: Some(0.0),
            constraints: Some("steers ±0.6 rad".into()),
        }]),
        envelopes2d: Some(vec![Envelope2d {
            set: "loaded".into(),
            polygon_points: vec![
                PolygonPoint { x: -7.5, y: -1.5 },
                PolygonPoint { x: 7.5, y: -1.5 },
                PolygonPoint { x: 7.5, y: 1.5 },
                PolygonPoint { x: -7.5, y: 1.5 },
            ],
            description: Some("footprint with a 40 ft container".into()),
        }]),
        envelopes3d: Some(vec![Envelope3d {
            set: "loaded".into(),
            format: "DXF".into(),
            data: Some(serde_json::Map::from_iter([(
                "layers".to_owned(),
                json!(1),
            )])),
            url: Some("https://example.invalid/agv-07.dxf".into()),
            description: None,
        }]),
    };
    factsheet.load_specification = LoadSpecification {
        load_positions: Some(vec!["deck".into()]),
        load_sets: Some(vec![LoadSet {
            set_name: "container-40ft".into(),
            load_type: "40ft".into(),
            load_positions: Some(vec!["deck".into()]),
            bounding_box_reference: Some(BoundingBoxReference {
                x: 0.0,
                y: 0.0,
                z: 1.25,
                theta: Some(0.0),
            }),
            load_dimensions: Some(LoadDimensions {
                length: 12.19,
                width: 2.44,
                height: Some(2.9),
            }),
            max_weight: Some(30_480.0),
            min_loadhandling_height: Some(1.2),
            max_loadhandling_height: Some(1.4),
            min_loadhandling_depth: Some(0.0),
            max_loadhandling_depth: Some(0.5),
            min_loadhandling_tilt: Some(-0.02),
            max_loadhandling_tilt: Some(0.02),
            agv_speed_limit: Some(4.0),
            agv_acceleration_limit: Some(0.3),
            agv_deceleration_limit: Some(0.5),
            pick_time: Some(45.0),
            drop_time: Some(40.0),
            description: Some("ISO 40 ft, dry or reefer".into()),
        }]),
    };
    factsheet.vehicle_config = Some(VehicleConfig {
        versions: Some(vec![VersionInfo {
            key: "softwareVersion".into(),
            value: "0.1.0".into(),
        }]),
        network: Some(NetworkConfig {
            dns_servers: Some(vec!["10.7.0.1".into()]),
            local_ip_address: Some("10.7.1.7".into()),
            ntp_servers: Some(vec!["10.7.0.2".into()]),
            netmask: Some("255.255.0.0".into()),
            default_gateway: Some("10.7.0.1".into()),
        }),
    });
    factsheet
}

pub fn factsheet_minimal() -> Factsheet {
    Factsheet {
        header_id: None,
        timestamp: None,
        version: PROTOCOL_VERSION.into(),
        manufacturer: MANUFACTURER.into(),
        serial_number: SERIAL.into(),
        type_specification: TypeSpecification {
            series_name: "gatefleet-carrier".into(),
            series_description: None,
            agv_kinematic: AgvKinematic::ThreeWheel,
            agv_class: AgvClass::Carrier,
            max_load_mass: 30_480.0,
            localization_types: vec![LocalizationType::Natural, LocalizationType::Rfid],
            navigation_types: vec![
                NavigationType::Autonomous,
                NavigationType::VirtualLineGuided,
            ],
        },
        physical_parameters: PhysicalParameters {
            speed_min: 0.1,
            speed_max: 6.0,
            acceleration_max: 0.5,
            deceleration_max: 1.0,
            height_min: None,
            height_max: 4.2,
            width: 3.0,
            length: 15.0,
        },
        protocol_limits: ProtocolLimits {
            max_string_lens: MaxStringLens::default(),
            max_array_lens: MaxArrayLens::default(),
            timing: Timing {
                min_order_interval: 1.0,
                min_state_interval: 0.5,
                default_state_interval: None,
                visualization_interval: None,
            },
        },
        protocol_features: ProtocolFeatures {
            optional_parameters: vec![],
            agv_actions: vec![],
        },
        agv_geometry: AgvGeometry::default(),
        load_specification: LoadSpecification::default(),
        vehicle_config: None,
    }
}
