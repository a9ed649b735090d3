//! `visualization`: an AGV's pose and velocity at a high rate, for displays only.
//!
//! Every field is optional, the header's included, to keep the frequent message small.

use serde::{Deserialize, Serialize};

use crate::{AgvPosition, Timestamp, Velocity};

/// The `visualization` message, from an AGV to whoever draws it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Visualization {
    /// Counter of the messages sent on this topic, incremented by one each time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_id: Option<u32>,
    /// When the message was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
    /// Protocol version, `major.minor.patch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Manufacturer of the AGV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// Serial number of the AGV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// Where the vehicle is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agv_position: Option<AgvPosition>,
    /// How fast it moves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub velocity: Option<Velocity>,
}
