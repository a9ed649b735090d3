//! `gatefleet serve`: the fleet core run in real time, with its AGVs as VDA 5050 vehicles on
//! Zenoh.
//!
//! The same [`fleet::FleetCore`] that the simulator drives in lock-step runs here against a
//! wall clock; what differs is only the link. The simulator hands the core's
//! [`fleet::VehicleCommand`]s to simulated bodies in-process; this crate turns them into VDA
//! 5050 orders and instant actions for vehicles that are separate Zenoh peers, and their
//! `state` messages back into [`fleet::VehicleReport`]s.
//!
//! - [`desk`]: one vehicle's order book: base and horizon, order updates stitched on the last
//!   base node, acknowledgements, bounded resends, rejections, resuming after a restart;
//! - [`cameras`]: fixed lane cameras; their blocked and cleared reports close and re-open the
//!   lanes their view covers, without touching closures made by an operator;
//! - [`server`]: the loop: connections from liveliness, states, submitted moves, core ticks,
//!   orders out, events out.
//!
//! Keys besides the VDA 5050 topics (`{site}/uagv/v2/{manufacturer}/{serial}/{topic}`):
//! `{site}/fleet/moves` (query with a JSON [`MoveSubmission`], answered with a
//! [`SubmitReply`]), `{site}/fleet/status` (query, answered with a [`FleetStatus`]) and
//! `{site}/fleet/events` (each [`fleet::FleetEvent`] as JSON).

pub mod cameras;
pub mod desk;
pub mod server;

pub use cameras::{CameraError, LaneCamera, LaneCameras, LaneSignal};
pub use desk::{DeskConfig, DeskEvent, OrderDesk, Outgoing};
pub use server::{
    FleetStatus, IngestStats, Manager, MoveSubmission, ServeConfig, ServeError, SubmitReply,
    VehicleStatus,
};
