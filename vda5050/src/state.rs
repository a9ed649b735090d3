//! `state`: everything an AGV reports about itself and its order.
//!
//! A vehicle sends `state` on every event (node reached, action changed, order accepted or
//! refused, error raised) and at least every few seconds otherwise. Its `nodeStates` and
//! `edgeStates` are what is left of the order, so the fleet manager reads progress from what
//! disappears from them; `lastNodeId` and `lastNodeSequenceId` say where the vehicle is in it.

use serde::{Deserialize, Serialize};

use crate::{AgvError, AgvPosition, Header, Information, Load, NodePosition, Trajectory, Velocity};

/// The `state` message, from an AGV to the fleet manager.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct State {
    /// Header; the manufacturer and serial number name the reporting AGV.
    #[serde(flatten)]
    pub header: Header,
    /// Maps stored on the vehicle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maps: Option<Vec<AgvMap>>,
    /// The current or last order, `""` if none yet.
    pub order_id: String,
    /// The last accepted update of that order, 0 if none yet.
    pub order_update_id: u32,
    /// Zone set in use, if the vehicle uses zones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_set_id: Option<String>,
    /// The last node reached, or the node the vehicle is on; `""` if none yet.
    pub last_node_id: String,
    /// The `sequenceId` of that node, 0 if none yet.
    pub last_node_sequence_id: u32,
    /// True while driving or rotating (lifting does not count).
    pub driving: bool,
    /// True while paused by an instant action or a button; the order can resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    /// True when the vehicle nears the end of its base and asks for more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_base_request: Option<bool>,
    /// Metres driven past the last node, for line-guided vehicles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_since_last_node: Option<f64>,
    /// Who is in control of the vehicle.
    pub operating_mode: OperatingMode,
    /// Nodes of the order still to traverse; empty when idle.
    pub node_states: Vec<NodeState>,
    /// Edges of the order still to traverse; empty when idle.
    pub edge_states: Vec<EdgeState>,
    /// Where the vehicle is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agv_position: Option<AgvPosition>,
    /// How fast it moves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velocity: Option<Velocity>,
    /// Loads on board: absent if the vehicle cannot tell, empty if it is unloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loads: Option<Vec<Load>>,
    /// The order's and instant actions' states, kept until the next order.
    pub action_states: Vec<ActionState>,
    /// The battery.
    pub battery_state: BatteryState,
    /// Active errors; empty if none.
    pub errors: Vec<AgvError>,
    /// Information for display or debugging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information: Option<Vec<Information>>,
    /// Emergency stop and protective fields.
    pub safety_state: SafetyState,
}

/// A map stored on the vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgvMap {
    /// Map ID.
    pub map_id: String,
    /// Map version.
    pub map_version: String,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_description: Option<String>,
    /// Whether this version is the one in use.
    pub map_status: MapStatus,
}

/// Whether a stored map version is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum MapStatus {
    /// In use; at most one version per map ID.
    Enabled,
    /// Stored but not in use.
    Disabled,
}

/// Who is in control of the vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum OperatingMode {
    /// The fleet manager is in full control.
    Automatic,
    /// The fleet manager sends orders; speed or steering is driven by hand.
    SemiAutomatic,
    /// Driven by hand; the fleet manager is not in control.
    Manual,
    /// Being serviced; the fleet manager is not in control.
    Service,
    /// Being taught (e.g. mapping); the fleet manager is not in control.
    TeachIn,
}

/// A node of the order that the vehicle has not yet traversed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeState {
    /// Node ID.
    pub node_id: String,
    /// Its `sequenceId` in the order.
    pub sequence_id: u32,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_description: Option<String>,
    /// True for the base, false for the horizon.
    pub released: bool,
    /// Where the node is, echoed for debugging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_position: Option<NodePosition>,
}

/// An edge of the order that the vehicle has not yet traversed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeState {
    /// Edge ID.
    pub edge_id: String,
    /// Its `sequenceId` in the order.
    pub sequence_id: u32,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_description: Option<String>,
    /// True for the base, false for the horizon.
    pub released: bool,
    /// The curve the vehicle will follow on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Trajectory>,
}

/// Progress of one action of the order or of an instant action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionState {
    /// The action's ID.
    pub action_id: String,
    /// The action's type, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_type: Option<String>,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_description: Option<String>,
    /// Where the action is in its life.
    pub action_status: ActionStatus,
    /// Its result, e.g. an RFID read; failures go in the state's errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_description: Option<String>,
}

/// Where an action is in its life: `WAITING` → `INITIALIZING` → `RUNNING` (⇄ `PAUSED`) →
/// `FINISHED` or `FAILED`.
///
/// # Limitations
/// The standard's text defines `PAUSED`, but the 2.1.0 `state.schema` leaves it out of the
/// enum (a fault in the schema file, corrected upstream after 2.1.0). A `state` holding a
/// paused action therefore fails validation against that file; see the crate tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ActionStatus {
    /// Received; its node is not reached or its edge not entered yet.
    Waiting,
    /// Triggered; preparing.
    Initializing,
    /// Running.
    Running,
    /// Paused by an instant action or a button.
    Paused,
    /// Done; any result is in `resultDescription`.
    Finished,
    /// Could not be done.
    Failed,
}

/// The battery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatteryState {
    /// State of charge in percent (vehicles that only know good or bad say 80 or 20).
    pub battery_charge: f64,
    /// Voltage in volts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_voltage: Option<f64>,
    /// State of health in percent, in [0, 100].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_health: Option<f64>,
    /// True while charging.
    pub charging: bool,
    /// Estimated reach on the current charge, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<f64>,
}

/// Emergency stop and protective fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafetyState {
    /// The active emergency stop, if any, and how it must be acknowledged.
    pub e_stop: EStop,
    /// True while a protective field is violated.
    pub field_violation: bool,
}

/// The active emergency stop and how it must be acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EStop {
    /// Acknowledges itself, e.g. a bumper or protective field.
    AutoAck,
    /// Must be acknowledged at the vehicle.
    Manual,
    /// A site stop, acknowledged remotely.
    Remote,
    /// No emergency stop.
    None,
}
