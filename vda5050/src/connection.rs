//! `connection`: whether an AGV is online, as the AGV (or its last will) tells it.
//!
//! Over MQTT this is a retained message and a last will. The transport may derive the same
//! fact otherwise (Zenoh liveliness); the message is still kept for VDA 5050 compatibility.

use serde::{Deserialize, Serialize};

use crate::Header;

/// The `connection` message, from an AGV (or on its behalf) to the fleet manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    /// Header; the manufacturer and serial number name the AGV.
    #[serde(flatten)]
    pub header: Header,
    /// The AGV's connection.
    pub connection_state: ConnectionState,
}

/// An AGV's connection to the fleet manager's transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ConnectionState {
    /// Connected.
    Online,
    /// Disconnected in an orderly way (shut down, asleep).
    Offline,
    /// The connection ended unexpectedly.
    ConnectionBroken,
}
