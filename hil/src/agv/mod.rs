//! The virtual AGV's pure core: order book, acceptance rules, actions and kinematics.
//!
//! [`VirtualAgv`] owns no clock and no link: the caller feeds it orders
//! ([`VirtualAgv::handle_order`]), instant actions ([`VirtualAgv::handle_instant_actions`])
//! and simulated time ([`VirtualAgv::advance`]), and reads back the messages it would send
//! ([`VirtualAgv::state`], [`VirtualAgv::visualization`]). The same inputs give the same
//! outputs, so every rule is tested without Zenoh.
//!
//! - `acceptance`: which orders are taken, refused or ignored (VDA 5050 2.1 §6.6);
//! - `motion`: driving the base with braking in time, running node actions, battery drain;
//! - `report`: the `state` and `visualization` messages.

mod acceptance;
mod motion;
mod report;

use nalgebra::{Isometry2, Point2, Vector2};
use serde::{Deserialize, Serialize};
use vda5050::{
    ActionState, ActionStatus, AgvError, Edge, ErrorLevel, ErrorReference, InstantActions, Node,
};

pub use acceptance::{Accepted, Rejection, RejectionKind};

use crate::actions::{INSTANT_ACTION_TYPES, OrderAction};
use crate::traits::AgvTraits;

/// One virtual AGV: where it is, what it carries, the order it follows and its actions.
///
/// # Units and frames
/// Positions in metres and headings in radians in the site frame of the map `map_id` (the
/// yard's); speeds in m/s; time is simulated seconds, owned by the caller.
#[derive(Clone, Debug)]
pub struct VirtualAgv {
    traits: AgvTraits,
    map_id: String,
    position: Point2<f64>,
    heading: f64,
    speed: f64,
    battery_pct: f64,
    load: Option<String>,
    last_node_id: String,
    last_node_sequence_id: u32,
    distance_since_last_node: f64,
    order: Option<OrderBook>,
    paused: bool,
    /// The `startPause` actions running until the vehicle stands.
    pausing: Vec<String>,
    /// The `cancelOrder` action running until the vehicle stands.
    cancelling: Option<String>,
    instant_states: Vec<ActionState>,
    errors: Vec<AgvError>,
    /// Something the manager should hear about happened since the last [`Self::take_event`].
    event: bool,
    new_base_request: bool,
}

/// The order being followed, or the last one: what is left of it and its actions.
#[derive(Clone, Debug)]
pub(crate) struct OrderBook {
    pub order_id: String,
    pub order_update_id: u32,
    /// Nodes not reached yet, base then horizon; `nodes[i]` is reached over `edges[i]`.
    pub nodes: Vec<Node>,
    /// Edges not finished yet, parallel to `nodes`.
    pub edges: Vec<Edge>,
    /// The last released node (`nodeId`, `sequenceId`): where updates must stitch; `None`
    /// once the order was cancelled.
    pub base_end: Option<(String, u32)>,
    /// Every action of the order, in the order received.
    pub actions: Vec<OrderAction>,
}

impl OrderBook {
    /// True while base is left to drive or actions are left to run.
    fn is_active(&self) -> bool {
        self.nodes.iter().any(|n| n.released) || self.actions.iter().any(|a| !a.is_done())
    }

    /// True if unreleased nodes are left.
    fn has_horizon(&self) -> bool {
        self.nodes.iter().any(|n| !n.released)
    }
}

/// Where a vehicle stands and what it carries, as written to the pose file to survive a
/// restart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoseRecord {
    /// The last node reached.
    pub last_node_id: String,
    /// X in metres, site frame.
    pub x: f64,
    /// Y in metres, site frame.
    pub y: f64,
    /// Heading in radians.
    pub theta: f64,
    /// Battery charge in percent.
    pub battery: f64,
    /// The container on board, if any.
    pub load: Option<String>,
}

/// What an [`VirtualAgv::handle_instant_actions`] call asks the caller to send besides state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstantOutcome {
    /// A `factsheetRequest` was among the actions: publish the factsheet.
    pub factsheet_requested: bool,
}

/// What happened during one [`VirtualAgv::advance`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Nodes reached.
    pub nodes_reached: u32,
    /// Something to report happened (node reached, action status or pause changed,
    /// cancellation done, base request raised or dropped).
    pub event: bool,
}

impl VirtualAgv {
    /// A vehicle standing at node `last_node_id` with pose `pose`, no order and no load.
    ///
    /// `battery_pct` is clamped to [0, 100].
    pub fn new(
        traits: AgvTraits,
        map_id: impl Into<String>,
        last_node_id: impl Into<String>,
        pose: Isometry2<f64>,
        battery_pct: f64,
    ) -> Self {
        Self {
            traits,
            map_id: map_id.into(),
            position: Point2::from(pose.translation.vector),
            heading: pose.rotation.angle(),
            speed: 0.0,
            battery_pct: battery_pct.clamp(0.0, 100.0),
            load: None,
            last_node_id: last_node_id.into(),
            last_node_sequence_id: 0,
            distance_since_last_node: 0.0,
            order: None,
            paused: false,
            pausing: Vec::new(),
            cancelling: None,
            instant_states: Vec::new(),
            errors: Vec::new(),
            event: false,
            new_base_request: false,
        }
    }

    /// A vehicle resumed from its pose file: that pose, battery and load, no order.
    pub fn resume(traits: AgvTraits, map_id: impl Into<String>, record: &PoseRecord) -> Self {
        let pose = Isometry2::new(Vector2::new(record.x, record.y), record.theta);
        let mut agv = Self::new(traits, map_id, &record.last_node_id, pose, record.battery);
        agv.load = record.load.clone();
        agv
    }

    /// What to write to the pose file now.
    pub fn pose_record(&self) -> PoseRecord {
        PoseRecord {
            last_node_id: self.last_node_id.clone(),
            x: self.position.x,
            y: self.position.y,
            theta: self.heading,
            battery: self.battery_pct,
            load: self.load.clone(),
        }
    }

    /// The vehicle's traits.
    pub fn traits(&self) -> &AgvTraits {
        &self.traits
    }

    /// The pose in the site frame.
    pub fn pose(&self) -> Isometry2<f64> {
        Isometry2::new(self.position.coords, self.heading)
    }

    /// Speed along the heading, m/s (never negative: the vehicle does not reverse).
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Battery charge, percent.
    pub fn battery_pct(&self) -> f64 {
        self.battery_pct
    }

    /// The container on board.
    pub fn load(&self) -> Option<&str> {
        self.load.as_deref()
    }

    /// The last node reached and its `sequenceId`.
    pub fn last_node(&self) -> (&str, u32) {
        (&self.last_node_id, self.last_node_sequence_id)
    }

    /// True while paused by `startPause`.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// True while an order is active: base left to drive, actions left to run or a
    /// cancellation under way. A vehicle that is not busy takes a new `orderId`.
    pub fn is_busy(&self) -> bool {
        self.cancelling.is_some() || self.order.as_ref().is_some_and(OrderBook::is_active)
    }

    /// Returns whether something happened since the last call that calls for a `state`, and
    /// clears it.
    pub fn take_event(&mut self) -> bool {
        std::mem::take(&mut self.event)
    }

    /// Runs the instant actions of one message, in the order given.
    ///
    /// `startPause` stops at once with the service deceleration, even mid-edge (running
    /// actions hold), and is `RUNNING` until the vehicle stands; `stopPause` resumes;
    /// `cancelOrder` stops at the next node (at once if standing), fails the unfinished
    /// order actions and clears the node and edge states, `RUNNING` until the vehicle
    /// stands, or fails with a `noOrderToCancel` error when no order is active;
    /// `stateRequest` and `factsheetRequest` finish at once. An unknown type fails with a
    /// `validationError`. An `actionId` already known is ignored.
    pub fn handle_instant_actions(&mut self, message: &InstantActions) -> InstantOutcome {
        let mut outcome = InstantOutcome::default();
        for action in &message.actions {
            if self
                .instant_states
                .iter()
                .any(|s| s.action_id == action.action_id)
            {
                continue;
            }
            self.event = true;
            let status = match action.action_type.as_str() {
                "startPause" => self.start_pause(&action.action_id),
                "stopPause" => {
                    // a pause still braking is over too
                    self.paused = false;
                    for id in std::mem::take(&mut self.pausing) {
                        self.set_instant_status(&id, ActionStatus::Finished);
                    }
                    ActionStatus::Finished
                }
                "cancelOrder" => self.cancel_order(&action.action_id),
                "stateRequest" => ActionStatus::Finished,
                "factsheetRequest" => {
                    outcome.factsheet_requested = true;
                    ActionStatus::Finished
                }
                other => {
                    self.push_error(
                        "validationError",
                        format!(
                            "instant action {} has type {other:?}; known: {}",
                            action.action_id,
                            INSTANT_ACTION_TYPES.join(", ")
                        ),
                        vec![reference("actionId", &action.action_id)],
                    );
                    ActionStatus::Failed
                }
            };
            self.instant_states.push(ActionState {
                action_id: action.action_id.clone(),
                action_type: Some(action.action_type.clone()),
                action_description: action.action_description.clone(),
                action_status: status,
                result_description: None,
            });
        }
        // a pause or cancellation asked of a vehicle that already stands is done at once
        self.settle_standstill();
        outcome
    }

    /// Reports a message for this vehicle that could not be read, as a `validationError`.
    pub fn report_unreadable(&mut self, description: impl Into<String>) {
        self.push_error("validationError", description.into(), Vec::new());
        self.event = true;
    }

    fn start_pause(&mut self, action_id: &str) -> ActionStatus {
        self.paused = true;
        if self.speed > 0.0 {
            self.pausing.push(action_id.to_owned());
            ActionStatus::Running
        } else {
            ActionStatus::Finished
        }
    }

    fn cancel_order(&mut self, action_id: &str) -> ActionStatus {
        let Some(order) = self.order.as_mut().filter(|o| o.is_active()) else {
            self.push_error(
                "noOrderToCancel",
                "cancelOrder with no active order".to_owned(),
                vec![reference("actionId", action_id)],
            );
            return ActionStatus::Failed;
        };
        if self.cancelling.is_some() {
            return ActionStatus::Finished;
        }
        for action in order.actions.iter_mut().filter(|a| !a.is_done()) {
            action.status = ActionStatus::Failed;
            action.result = Some("cancelled".to_owned());
        }
        // no more base: the vehicle stops at the next node, or stands where it is
        order.nodes.truncate(1);
        order.edges.truncate(1);
        order.base_end = None;
        self.cancelling = Some(action_id.to_owned());
        ActionStatus::Running
    }

    /// Finishes the pauses and the cancellation that wait for a standstill, if it stands.
    fn settle_standstill(&mut self) {
        if self.speed > 0.0 {
            return;
        }
        for id in std::mem::take(&mut self.pausing) {
            self.set_instant_status(&id, ActionStatus::Finished);
        }
        if let Some(id) = self.cancelling.take() {
            if let Some(order) = self.order.as_mut() {
                order.nodes.clear();
                order.edges.clear();
            }
            self.set_instant_status(&id, ActionStatus::Finished);
        }
    }

    fn set_instant_status(&mut self, action_id: &str, status: ActionStatus) {
        if let Some(state) = self
            .instant_states
            .iter_mut()
            .find(|s| s.action_id == action_id)
        {
            state.action_status = status;
            self.event = true;
        }
    }

    fn push_error(
        &mut self,
        error_type: &str,
        description: String,
        references: Vec<ErrorReference>,
    ) {
        self.errors.push(AgvError {
            error_type: error_type.to_owned(),
            error_references: (!references.is_empty()).then_some(references),
            error_description: Some(description),
            error_hint: None,
            error_level: ErrorLevel::Warning,
        });
    }
}

/// An error reference `key = value`.
fn reference(key: &str, value: &str) -> ErrorReference {
    ErrorReference {
        reference_key: key.to_owned(),
        reference_value: value.to_owned(),
    }
}
