//! VDA 5050 2.1 messages, the interface between gatefleet's fleet manager and its AGVs.
//!
//! VDA 5050 is the German automotive industry's standard for talking to driverless vehicles.
//! The fleet manager sends an [`Order`] (a route of nodes joined by edges, released bit by bit
//! as *base* and previewed as *horizon*) and [`InstantActions`] (pause, cancel, requests); each
//! AGV answers with its [`State`] (progress through the order, action states, battery, errors,
//! safety), a frequent [`Visualization`] of its pose, its [`Connection`] and, on request, its
//! [`Factsheet`]. Every message but `visualization` opens with a [`Header`].
//!
//! The types follow the official 2.1.0 JSON schemas field for field: camelCase names, schema
//! optional fields as `Option` (left out when `None`), enums with the schema's exact values.
//! The crate tests validate what these types write against those schemas. Where the schema
//! files contradict the standard's text, the types follow the text and say so under
//! `# Limitations` ([`ActionStatus`], [`factsheet`]).
//!
//! - [`Topic`] and [`key_expr`] name where each message travels;
//! - [`from_json`] and [`to_json`] read and write messages, with errors that name the message
//!   kind and the failing field.
//!
//! This crate is transport-free: publishing on Zenoh is the caller's job.
//!
//! # Examples
//! ```
//! use vda5050::{Action, BlockingType, Header, InstantActions, Timestamp, from_json, to_json};
//!
//! let pause = InstantActions {
//!     header: Header::new(1, Timestamp::from_unix_millis(0), "gatefleet", "agv-07"),
//!     actions: vec![Action {
//!         action_type: "startPause".into(),
//!         action_id: "pause-1".into(),
//!         action_description: None,
//!         blocking_type: BlockingType::Hard,
//!         action_parameters: None,
//!     }],
//! };
//! let bytes = to_json(&pause);
//! assert_eq!(from_json::<InstantActions>(&bytes)?, pause);
//! # Ok::<(), vda5050::ParseError>(())
//! ```

#![warn(clippy::unwrap_used)]

mod action;
mod codec;
mod connection;
mod diagnostics;
pub mod factsheet;
mod header;
mod instant_actions;
mod load;
mod order;
mod position;
mod state;
mod topic;
mod visualization;

pub use action::{Action, ActionParameter, BlockingType};
pub use codec::{Message, ParseError, from_json, to_json};
pub use connection::{Connection, ConnectionState};
pub use diagnostics::{
    AgvError, ErrorLevel, ErrorReference, InfoLevel, InfoReference, Information,
};
pub use factsheet::Factsheet;
pub use header::{Header, PROTOCOL_VERSION, Timestamp};
pub use instant_actions::InstantActions;
pub use load::{BoundingBoxReference, Load, LoadDimensions};
pub use order::{
    ControlPoint, Corridor, CorridorRefPoint, Edge, Node, NodePosition, Order, OrientationType,
    Trajectory,
};
pub use position::{AgvPosition, Velocity};
pub use state::{
    ActionState, ActionStatus, AgvMap, BatteryState, EStop, EdgeState, MapStatus, NodeState,
    OperatingMode, SafetyState, State,
};
pub use topic::{INTERFACE_LEVELS, KeyPart, Topic, TopicError, key_expr, vehicle_prefix};
pub use visualization::Visualization;
