//! Actions: what an AGV is asked to do on a node, on an edge or at once.
//!
//! The same [`Action`] object travels in an order's nodes and edges and in `instantActions`; the
//! vehicle reports its progress as an [`ActionState`](crate::ActionState) in `state`.
//! `actionType` is free text (`pick`, `drop`, `startPause`, ... are the standard's predefined
//! types); its parameters are key-value pairs whose value may be any JSON but `null`.

use serde::{Deserialize, Serialize};

/// One action for the AGV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    /// What to do, e.g. `pick`, `drop`, `startCharging`, `startPause`.
    pub action_type: String,
    /// Unique ID, echoed in the vehicle's action states.
    pub action_id: String,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_description: Option<String>,
    /// What may run alongside this action.
    pub blocking_type: BlockingType,
    /// Parameters of the action, e.g. `loadId`, `duration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_parameters: Option<Vec<ActionParameter>>,
}

/// One key-value parameter of an [`Action`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionParameter {
    /// Parameter name, e.g. `loadId`.
    pub key: String,
    /// Parameter value: an array, boolean, number, string or object. The schema refuses
    /// `null`, which this type does not prevent.
    pub value: serde_json::Value,
}

/// What may run alongside an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BlockingType {
    /// Runs in parallel with other actions and with driving.
    None,
    /// Runs in parallel with other actions, but not while driving.
    Soft,
    /// Runs alone: no driving, no other action.
    Hard,
}
