//! `factsheet`: what kind of AGV this is and what it can do, sent on request.
//!
//! The fleet manager reads from it the vehicle's size and speeds, the actions it supports and
//! the protocol limits (string and array lengths, message intervals) that orders must respect.
//!
//! # Limitations
//! Two fields cannot pass the 2.1.0 `factsheet.schema` as the standard's text defines them,
//! because of faults in that file: an action's `blockingTypes` (the schema puts the enum on the
//! array itself, so no array matches) and a 3D envelope's `description` (typed as an integer
//! though it is free text). Leave them out of factsheets that must validate.

use serde::{Deserialize, Serialize};

use crate::{BlockingType, BoundingBoxReference, LoadDimensions, Timestamp};

/// The `factsheet` message, from an AGV to the fleet manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Factsheet {
    /// Counter of the messages sent on this topic, incremented by one each time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_id: Option<u32>,
    /// When the message was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Protocol version, `major.minor.patch`.
    pub version: String,
    /// Manufacturer of the AGV.
    pub manufacturer: String,
    /// Serial number of the AGV.
    pub serial_number: String,
    /// The vehicle's series and kind.
    pub type_specification: TypeSpecification,
    /// Size and dynamics.
    pub physical_parameters: PhysicalParameters,
    /// Limits on the messages the vehicle can handle.
    pub protocol_limits: ProtocolLimits,
    /// Optional fields and actions the vehicle supports.
    pub protocol_features: ProtocolFeatures,
    /// Wheels and envelopes.
    pub agv_geometry: AgvGeometry,
    /// Loads the vehicle can carry.
    pub load_specification: LoadSpecification,
    /// Software versions and network settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_config: Option<VehicleConfig>,
}

/// The vehicle's series and kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeSpecification {
    /// Series name, free text.
    pub series_name: String,
    /// Series description, free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_description: Option<String>,
    /// How the vehicle steers.
    pub agv_kinematic: AgvKinematic,
    /// What kind of vehicle it is.
    pub agv_class: AgvClass,
    /// Largest load mass in kg.
    pub max_load_mass: f64,
    /// How it localizes itself.
    pub localization_types: Vec<LocalizationType>,
    /// How it finds its path.
    pub navigation_types: Vec<NavigationType>,
}

/// How a vehicle steers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AgvKinematic {
    /// Differential drive.
    Diff,
    /// Omnidirectional.
    Omni,
    /// Three wheels, one steered.
    ThreeWheel,
}

/// What kind of vehicle it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AgvClass {
    /// Forklift.
    Forklift,
    /// Carries a conveyor.
    Conveyor,
    /// Pulls trailers.
    Tugger,
    /// Carries loads on its deck (the border lane's container AGVs).
    Carrier,
}

/// How a vehicle localizes itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LocalizationType {
    /// Natural landmarks.
    Natural,
    /// Laser reflectors.
    Reflector,
    /// RFID tags.
    Rfid,
    /// Data matrix codes.
    Dmc,
    /// Magnetic spots.
    Spot,
    /// A grid, e.g. of magnets.
    Grid,
}

/// How a vehicle finds its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NavigationType {
    /// Follows a physical line or wire.
    PhysicalLineGuided,
    /// Follows fixed virtual paths.
    VirtualLineGuided,
    /// Plans its own path.
    Autonomous,
}

/// Size and dynamics of a vehicle.
///
/// # Units and frames
/// Metres, m/s and m/s².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalParameters {
    /// Lowest controlled speed, m/s.
    pub speed_min: f64,
    /// Highest speed, m/s.
    pub speed_max: f64,
    /// Highest acceleration with the largest load, m/s².
    pub acceleration_max: f64,
    /// Highest deceleration with the largest load, m/s².
    pub deceleration_max: f64,
    /// Lowest height, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_min: Option<f64>,
    /// Highest height, metres.
    pub height_max: f64,
    /// Width, metres.
    pub width: f64,
    /// Length, metres.
    pub length: f64,
}

/// Limits on the messages a vehicle can handle; an absent or zero limit means none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolLimits {
    /// Longest strings.
    pub max_string_lens: MaxStringLens,
    /// Longest arrays.
    pub max_array_lens: MaxArrayLens,
    /// Message intervals.
    pub timing: Timing,
}

/// Longest strings a vehicle handles, in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaxStringLens {
    /// Longest message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_len: Option<u32>,
    /// Longest serial number in a topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_serial_len: Option<u32>,
    /// Longest other topic level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_elem_len: Option<u32>,
    /// Longest ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_len: Option<u32>,
    /// True if IDs must be digits only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_numerical_only: Option<bool>,
    /// Longest enum value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_len: Option<u32>,
    /// Longest load ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_id_len: Option<u32>,
}

/// Longest arrays a vehicle handles, named `message.field` as in the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaxArrayLens {
    /// Nodes per order.
    #[serde(
        rename = "order.nodes",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub order_nodes: Option<u32>,
    /// Edges per order.
    #[serde(
        rename = "order.edges",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub order_edges: Option<u32>,
    /// Actions per node.
    #[serde(
        rename = "node.actions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub node_actions: Option<u32>,
    /// Actions per edge.
    #[serde(
        rename = "edge.actions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub edge_actions: Option<u32>,
    /// Parameters per action.
    #[serde(
        rename = "actions.actionsParameters",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub actions_parameters: Option<u32>,
    /// Actions per `instantActions` message.
    #[serde(
        rename = "instantActions",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub instant_actions: Option<u32>,
    /// Knots per trajectory.
    #[serde(
        rename = "trajectory.knotVector",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub trajectory_knot_vector: Option<u32>,
    /// Control points per trajectory.
    #[serde(
        rename = "trajectory.controlPoints",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub trajectory_control_points: Option<u32>,
    /// Node states per state.
    #[serde(
        rename = "state.nodeStates",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_node_states: Option<u32>,
    /// Edge states per state.
    #[serde(
        rename = "state.edgeStates",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_edge_states: Option<u32>,
    /// Loads per state.
    #[serde(
        rename = "state.loads",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_loads: Option<u32>,
    /// Action states per state.
    #[serde(
        rename = "state.actionStates",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_action_states: Option<u32>,
    /// Errors per state.
    #[serde(
        rename = "state.errors",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_errors: Option<u32>,
    /// Information entries per state.
    #[serde(
        rename = "state.information",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub state_information: Option<u32>,
    /// References per error.
    #[serde(
        rename = "error.errorReferences",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub error_error_references: Option<u32>,
    /// References per information entry.
    #[serde(
        rename = "information.infoReferences",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub information_info_references: Option<u32>,
}

/// Message intervals a vehicle needs or keeps, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    /// Shortest time between two orders it can take.
    pub min_order_interval: f64,
    /// Shortest time between two states it sends.
    pub min_state_interval: f64,
    /// Time between two states when nothing happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_state_interval: Option<f64>,
    /// Time between two visualization messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visualization_interval: Option<f64>,
}

/// Optional fields and actions a vehicle supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolFeatures {
    /// Optional fields it supports or requires.
    pub optional_parameters: Vec<OptionalParameter>,
    /// Actions it can run.
    pub agv_actions: Vec<AgvAction>,
}

/// An optional protocol field and whether the vehicle supports or requires it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionalParameter {
    /// The field's path, e.g. `order.nodes.nodePosition.allowedDeviationTheta`.
    pub parameter: String,
    /// Supported or required.
    pub support: Support,
    /// Free text, e.g. which values it accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Whether an optional protocol field is merely supported or required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Support {
    /// Used if sent.
    Supported,
    /// Must be sent.
    Required,
}

/// An action a vehicle can run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgvAction {
    /// Action type, as in an [`Action`](crate::Action).
    pub action_type: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_description: Option<String>,
    /// Where the action may be sent.
    pub action_scopes: Vec<ActionScope>,
    /// Parameters it takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_parameters: Option<Vec<ActionParameterFactsheet>>,
    /// What it reports as result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_description: Option<String>,
    /// Blocking types it accepts; fails the 2.1.0 schema when present (see the module doc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocking_types: Option<Vec<BlockingType>>,
}

/// Where an action may be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ActionScope {
    /// In `instantActions`.
    Instant,
    /// On an order's node.
    Node,
    /// On an order's edge.
    Edge,
}

/// A parameter an [`AgvAction`] takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionParameterFactsheet {
    /// The parameter's key.
    pub key: String,
    /// The type of its value.
    pub value_data_type: ValueDataType,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// True if it may be left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_optional: Option<bool>,
}

/// The type of an action parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ValueDataType {
    /// `true` or `false`.
    Bool,
    /// Any number.
    Number,
    /// An integer.
    Integer,
    /// A floating-point number.
    Float,
    /// A string.
    String,
    /// An object.
    Object,
    /// An array.
    Array,
}

/// A vehicle's wheels and envelopes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgvGeometry {
    /// The wheels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wheel_definitions: Option<Vec<WheelDefinition>>,
    /// 2D outlines, one per set (e.g. loaded, unloaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelopes2d: Option<Vec<Envelope2d>>,
    /// 3D outlines, one per set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelopes3d: Option<Vec<Envelope3d>>,
}

/// One wheel.
///
/// # Units and frames
/// Metres and radians in the vehicle's frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WheelDefinition {
    /// Kind of wheel.
    #[serde(rename = "type")]
    pub wheel_type: WheelType,
    /// True if driven.
    pub is_active_driven: bool,
    /// True if steered.
    pub is_active_steered: bool,
    /// Where it is.
    pub position: WheelPosition,
    /// Diameter in metres.
    pub diameter: f64,
    /// Width in metres.
    pub width: f64,
    /// Offset of a caster's contact point from its pivot, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub center_displacement: Option<f64>,
    /// Free-text constraints, e.g. steering limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<String>,
}

/// Kind of wheel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum WheelType {
    /// Drives.
    Drive,
    /// Free caster.
    Caster,
    /// Fixed, not driven.
    Fixed,
    /// Mecanum.
    Mecanum,
}

/// Where a wheel is, in metres and radians in the vehicle's frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WheelPosition {
    /// X in metres.
    pub x: f64,
    /// Y in metres.
    pub y: f64,
    /// Heading in radians, for fixed wheels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theta: Option<f64>,
}

/// A 2D outline of the vehicle, in metres in its frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope2d {
    /// Name of the set, e.g. `loaded`.
    pub set: String,
    /// The outline's corners, in order.
    pub polygon_points: Vec<PolygonPoint>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A corner of an [`Envelope2d`], in metres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolygonPoint {
    /// X in metres.
    pub x: f64,
    /// Y in metres.
    pub y: f64,
}

/// A 3D outline of the vehicle, inline or by URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope3d {
    /// Name of the set.
    pub set: String,
    /// Data format, e.g. `DXF`.
    pub format: String,
    /// The data inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Map<String, serde_json::Value>>,
    /// Where to fetch the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Free text; fails the 2.1.0 schema when present (see the module doc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Loads a vehicle can carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadSpecification {
    /// Its carrying spots, for vehicles with several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_positions: Option<Vec<String>>,
    /// The kinds of load it handles and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_sets: Option<Vec<LoadSet>>,
}

/// One kind of load a vehicle handles, and how.
///
/// # Units and frames
/// Metres, radians, kg, seconds; speeds in m/s and accelerations in m/s².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadSet {
    /// Name of the set, e.g. `container-40ft`.
    pub set_name: String,
    /// Kind of load.
    pub load_type: String,
    /// Carrying spots that take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_positions: Option<Vec<String>>,
    /// Where its bounding box sits on the vehicle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounding_box_reference: Option<BoundingBoxReference>,
    /// Size of its bounding box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_dimensions: Option<LoadDimensions>,
    /// Heaviest such load, kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight: Option<f64>,
    /// Lowest height to pick or drop it at, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_loadhandling_height: Option<f64>,
    /// Highest height to pick or drop it at, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_loadhandling_height: Option<f64>,
    /// Shallowest depth to pick or drop it at, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_loadhandling_depth: Option<f64>,
    /// Deepest depth to pick or drop it at, metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_loadhandling_depth: Option<f64>,
    /// Lowest tilt to pick or drop it at, radians.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_loadhandling_tilt: Option<f64>,
    /// Highest tilt to pick or drop it at, radians.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_loadhandling_tilt: Option<f64>,
    /// Speed limit while carrying it, m/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agv_speed_limit: Option<f64>,
    /// Acceleration limit while carrying it, m/s².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agv_acceleration_limit: Option<f64>,
    /// Deceleration limit while carrying it, m/s².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agv_deceleration_limit: Option<f64>,
    /// Time to pick it, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pick_time: Option<f64>,
    /// Time to drop it, seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_time: Option<f64>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Software versions and network settings of a vehicle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleConfig {
    /// Software and hardware versions, e.g. `softwareVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<VersionInfo>>,
    /// Network settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkConfig>,
}

/// A named version on the vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// What it is the version of.
    pub key: String,
    /// The version.
    pub value: String,
}

/// A vehicle's network settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkConfig {
    /// DNS servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_servers: Option<Vec<String>>,
    /// Its IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_ip_address: Option<String>,
    /// NTP servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntp_servers: Option<Vec<String>>,
    /// Netmask.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub netmask: Option<String>,
    /// Default gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_gateway: Option<String>,
}
