//! Virtual AGVs for gatefleet: vehicles that speak VDA 5050 2.1 over Zenoh and follow their
//! orders honestly, for hardware-in-the-loop runs of the fleet manager (`gatefleet agv`).
//!
//! - [`VirtualAgv`] is the vehicle's pure core: no clock, no link. It takes orders by the
//!   acceptance rules ([`VirtualAgv::handle_order`]), runs instant actions
//!   ([`VirtualAgv::handle_instant_actions`]), drives and runs actions as simulated time
//!   passes ([`VirtualAgv::advance`]) and reports [`vda5050::State`] and
//!   [`vda5050::Visualization`].
//! - [`run`] puts one on a Zenoh session ([`transport`]) in wall-clock time, scaled by
//!   [`AgvOptions::time_scale`], with a pose file to survive restarts.
//! - [`factsheet()`] describes it; [`AgvTraits`] holds its speeds, battery and body.
//!
//! # The wire contract with the manager
//! 1. Node ids are yard waypoint names; every node carries `nodePosition {x, y, mapId,
//!    allowedDeviationXY}` (site frame; `theta` is not needed). Edge ids are
//!    `"{from}->{to}"` (not checked) with `startNodeId`/`endNodeId` and `maxSpeed` (m/s;
//!    without it only the vehicle's own top speed limits). `sequenceId`s: nodes even, edges
//!    odd, increasing along the order; a node keeps its `sequenceId` across updates.
//! 2. Base = released nodes and edges, horizon = the rest. The vehicle drives the base only
//!    and brakes to stand at its last node (or at a node with actions to run) until the base
//!    is extended. `newBaseRequest` is true while the order has a horizon and the vehicle is
//!    within its stopping distance + 10 m of the end of its base.
//! 3. Actions run on nodes only, one at a time, while the vehicle stands (every blocking
//!    type is run as `HARD`): `pick` (`loadId`, `duration`) loads the container (state
//!    `loads: [{loadId, loadType: "container"}]`; fails if one is on board already),
//!    `drop` (same) unloads it (fails unless that container is on board), `startCharging`
//!    (`duration`; `charging` while it runs, battery full at its end: a battery swap),
//!    `gateCheck` and `borderCheck` (`duration`). Durations in simulated seconds; when
//!    absent: pick/drop 150, gateCheck 30, borderCheck 15, startCharging 360. `duration`
//!    may be a number or a numeric string. Status `WAITING` → `RUNNING` → `FINISHED` or
//!    `FAILED`; a failure also adds a `{type}Error` (e.g. `dropError`) WARNING with the
//!    `actionId`. An order with an unknown action type, a pick/drop without `loadId`, a bad
//!    `duration`, a repeated `actionId` or any edge action is refused (`validationError`).
//! 4. An update's stitching node (its first node: the last base node, same `nodeId` and
//!    `sequenceId`) may carry actions: those with new `actionId`s join that node and run
//!    when the vehicle stands there (at once if it already does); known ones are ignored.
//! 5. Acceptance (VDA 5050 2.1 §6.6), checked in this order, each refusal leaving the
//!    current order untouched and reported in `state.errors` as `{errorType, errorLevel:
//!    WARNING, errorDescription, errorReferences: [orderId, orderUpdateId]}`, all errors
//!    being cleared when an order or update is next accepted:
//!    - malformed → `validationError`: no nodes, edges ≠ nodes − 1, `sequenceId`s not
//!      alternating (node even, edge odd) and increasing, an edge whose start/end is not
//!      its neighbours, a released element after an unreleased one (or an edge released
//!      without its end node, or an unreleased first node), a node without
//!      `nodePosition`, and the action faults of point 3;
//!    - a new `orderId` while the vehicle is busy (base left to drive, order actions not
//!      finished or failed, or a cancellation running) → `orderUpdateError`. An idle
//!      vehicle (no order, or the last one done: a horizon left over counts as done)
//!      takes it if the first node is within its `allowedDeviationXY` (0 or absent: 0.5 m)
//!      of the vehicle, else `noRouteError`. *Tolerance*: a vehicle standing mid-edge
//!      (restarted after a crash while driving) also takes an order whose first node is
//!      its `lastNodeId` and whose first edge passes within that deviation of it; the
//!      first node then counts as passed and `distanceSinceLastNode` says how far;
//!    - same `orderId`: a lower `orderUpdateId` → `orderUpdateError`; an equal one is
//!      ignored (a duplicate: no error, a state goes out anyway); a higher one must stitch
//!      (first node = last base node, `nodeId` and `sequenceId`) else `orderUpdateError`.
//!      After a `cancelOrder`, the cancelled order has no base to stitch to: send a new
//!      `orderId`.
//! 6. Instant actions: `startPause` (brakes at once, mid-edge if need be; running actions
//!    hold, staying `RUNNING`; the action is `RUNNING` until the vehicle stands, then
//!    `FINISHED`), `stopPause`, `cancelOrder` (unfinished order actions `FAILED` at once;
//!    the vehicle stops at the next node, or at once if it stands, then node and edge
//!    states are cleared and the action goes `RUNNING` → `FINISHED`; with no active order
//!    `FAILED` and a `noOrderToCancel` error), `stateRequest`, `factsheetRequest` (the
//!    factsheet is published on the `factsheet` topic; it is also served to Zenoh queries).
//!    Each appears in `actionStates` until the next new order. An unknown type → `FAILED`
//!    and a `validationError`. An instant `actionId` already seen is ignored.
//! 7. `state` goes out after every order and instant-actions message, on every event (node
//!    reached, action status change, pause or cancellation done, `newBaseRequest` change)
//!    and at least every second of wall time; `visualization` every 100 ms of wall time.
//!    `headerId`s count from 0 per topic. `connection` is `ONLINE` at start and `OFFLINE`
//!    when [`run`] returns; a killed process leaves only its liveliness token, whose loss
//!    the manager reads as a broken connection. A payload on `order` or `instantActions`
//!    that is not valid VDA 5050 adds a `validationError`. An empty battery stops the
//!    vehicle and reports a FATAL `batteryEmpty` error.
//! 8. `--time-scale X`: simulated time runs X times wall time (speeds, durations, battery);
//!    message rates stay in wall time.
//! 9. Kinematics: straight edges node to node, speed ≤ min(edge `maxSpeed`, top speed:
//!    5.0 m/s loaded, 6.1 empty), acceleration and braking 0.5 m/s², braking in time for
//!    slower edges and stops. The heading snaps to each edge's direction (turning time is
//!    neglected). Battery: 100 % per 10 h of driving, 10 % of that standing, nothing
//!    while charging.
//! 10. Pose file (optional): `{lastNodeId, x, y, theta, battery, load}` JSON, written
//!     atomically every second and on every node reached; a vehicle started with an
//!     existing file resumes from it, with no order.
//!
//! # Examples
//! ```
//! use hil::{AgvTraits, VirtualAgv};
//! use nalgebra::{Isometry2, Vector2};
//!
//! let start = Isometry2::new(Vector2::new(-1115.0, -12.5), 0.0);
//! let mut agv = VirtualAgv::new(AgvTraits::default(), "huu-nghi", "vn-park-01", start, 90.0);
//! agv.advance(3600.0); // an hour standing drains 1 %
//! assert!((agv.battery_pct() - 89.0).abs() < 1e-6);
//! ```
//!
//! # Limitations
//! - Edges are driven as straight lines; `trajectory`, `orientation` and node `theta` are
//!   ignored, and turning takes no time.
//! - Time is integrated in steps of 50 ms: the last half metre per second of a stop may
//!   brake up to about twice the service deceleration, where the braking curve's steps
//!   round up.
//! - The vehicle does not reverse and has no obstacle detection: it trusts the manager's
//!   reservations.
//! - `PAUSED` is never reported (see point 6) and the factsheet lists no `blockingTypes`,
//!   both because of faults in the official 2.1.0 schema files.

#![warn(clippy::unwrap_used)]

mod actions;
mod agv;
mod factsheet;
mod node;
mod traits;

pub use actions::{ActionKind, INSTANT_ACTION_TYPES};
pub use agv::{
    Accepted, InstantOutcome, PoseRecord, Progress, Rejection, RejectionKind, VirtualAgv,
};
pub use factsheet::factsheet;
pub use node::{AgvOptions, HilError, read_pose, run, write_pose};
pub use traits::AgvTraits;
/// Where the vehicle's session listens and connects (re-exported from [`transport`]).
pub use transport::LinkConfig;
