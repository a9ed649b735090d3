//! Where an AGV is and how fast it moves, as `state` and `visualization` report it.

use serde::{Deserialize, Serialize};

/// An AGV's pose on a map, as the vehicle localizes itself.
///
/// # Units and frames
/// Metres and radians in the frame of map `mapId`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgvPosition {
    /// X in metres.
    pub x: f64,
    /// Y in metres.
    pub y: f64,
    /// Heading in radians.
    pub theta: f64,
    /// The map the pose is on.
    pub map_id: String,
    /// Free-text description of the map (`state` only; `visualization` leaves it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_description: Option<String>,
    /// False until the vehicle has localized itself; the pose means nothing before.
    pub position_initialized: bool,
    /// Localization quality in [0, 1], from 0 unknown to 1 certain; for display only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub localization_score: Option<f64>,
    /// Estimated position error in metres; for display only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deviation_range: Option<f64>,
}

/// An AGV's velocity.
///
/// # Units and frames
/// m/s and rad/s in the vehicle's frame (x forwards).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Velocity {
    /// Speed along the vehicle's x axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vx: Option<f64>,
    /// Speed along the vehicle's y axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vy: Option<f64>,
    /// Turn rate about the vertical axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub omega: Option<f64>,
}
