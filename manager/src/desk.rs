//! One vehicle's order desk: the core's commands become VDA 5050 orders, and the vehicle's
//! `state` becomes the core's [`VehicleReport`].
//!
//! # Orders from the core's releases
//! The core releases a vehicle one waypoint at a time ([`VehicleCommand::Drive`]), and only
//! into waypoints it reserved for it. The desk turns each release into an order update that
//! extends the base by that node, stitched on the last base node, with the route beyond it
//! to the vehicle's goal as horizon (unreleased, for the vehicle's own planning). What is in
//! the base is exactly what the core reserved. A new `orderId` starts when the vehicle has
//! finished its order (it stands at the last base node with every action done), so that an
//! order covers the drive between two stops and its action states do not pile up all day.
//! An action ([`VehicleCommand::StartAction`]) goes on the node the vehicle stands at: a
//! one-node order, or an update whose stitching node carries it.
//!
//! Node ids are yard waypoint names, edge ids `{from}->{to}`; node `sequenceId`s are even,
//! edge ones odd, and a node keeps its `sequenceId` across updates. Order ids carry the
//! manager's run tag, so that a restarted manager never sends an id a vehicle already holds.
//!
//! # Acknowledgement, resends, rejections
//! An order counts as taken once the vehicle's state shows its `orderId` and
//! `orderUpdateId`. Until then the desk reports the release to the core as if taken (the
//! waypoint stays reserved either way), and resends the same message after
//! [`DeskConfig::resend_after`], at most [`DeskConfig::max_resends`] times; a vehicle that
//! still has not taken it is given up ([`DeskEvent::GaveUp`]) and held by the core.
//! A rejection (`validationError`, `orderUpdateError`, `noRouteError` naming the order) is
//! never answered by the same message: the desk falls back to what the vehicle has, so the
//! core's next tick plans from where the vehicle really is, and the next release starts a
//! fresh order. A vehicle that rejects [`DeskConfig::max_rejections`] orders in a row is
//! given up too.
//!
//! # Reconnection
//! A vehicle that comes back without the order the desk gave it (its process restarted) is
//! given its remaining base again as a fresh order from its last node, with the action it
//! was running, so it resumes cleanly; when that is impossible (it is not where the base
//! starts) the base is dropped and the core re-plans from where it is. A vehicle holding an
//! order the desk never gave (the manager restarted) is sent `cancelOrder`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use fleet::{Action, ActionId, ActionState, ActionStatus, AgvId, ContainerId, VehicleReport};
use maps::{WaypointId, Yard};
use tracing::{debug, info, warn};
use vda5050::{
    ActionParameter, BlockingType, Edge, Header, InstantActions, Node, NodePosition, Order, State,
    Timestamp,
};

/// VDA 5050 error types that mean the vehicle refused an order.
pub const REJECTIONS: [&str; 3] = ["validationError", "orderUpdateError", "noRouteError"];

/// How patient a desk is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeskConfig {
    /// Wall time after which an order not reflected in the vehicle's state is sent again.
    pub resend_after: Duration,
    /// Resends of one message before the vehicle is given up.
    pub max_resends: u32,
    /// Rejected orders in a row before the vehicle is given up.
    pub max_rejections: u32,
    /// Nodes of horizon sent after the base.
    pub horizon_nodes: usize,
    /// `allowedDeviationXY` of every node, metres.
    pub allowed_deviation_m: f64,
}

impl Default for DeskConfig {
    fn default() -> Self {
        Self {
            resend_after: Duration::from_millis(1000),
            max_resends: 3,
            max_rejections: 2,
            horizon_nodes: 6,
            allowed_deviation_m: 0.5,
        }
    }
}

/// What a vehicle's state told the desk, for the manager to act on.
#[derive(Clone, Debug, PartialEq)]
pub enum DeskEvent {
    /// The vehicle refused an order; the desk fell back to what it has.
    Rejected {
        /// The refused order.
        order_id: String,
        /// Its update.
        order_update_id: u32,
        /// The vehicle's error type and description.
        reason: String,
    },
    /// The vehicle does not take orders: it is to be held out of the plan.
    GaveUp {
        /// Why.
        reason: String,
    },
}

/// A message for the vehicle.
#[derive(Clone, Debug, PartialEq)]
pub enum Outgoing {
    /// An order or order update.
    Order(Order),
    /// Instant actions.
    Instant(InstantActions),
}

/// The order as the desk gave it.
#[derive(Clone, Debug, PartialEq)]
struct Given {
    order_id: String,
    update_id: u32,
    /// Released nodes with their sequence ids, in order; the first is where the order began.
    base: Vec<(WaypointId, u32)>,
}

impl Given {
    fn last(&self) -> (WaypointId, u32) {
        *self.base.last().expect("an order has a node")
    }
}

/// A sent order not yet seen in the vehicle's state.
#[derive(Clone, Debug)]
struct Pending {
    order: Order,
    sent_at: Instant,
    resends: u32,
}

/// The action the core last started on the vehicle.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Running {
    id: ActionId,
    action: Action,
    at: WaypointId,
}

/// One vehicle's order book on the manager side.
#[derive(Debug)]
pub struct OrderDesk {
    agv: AgvId,
    manufacturer: String,
    serial: String,
    run: String,
    config: DeskConfig,
    orders_begun: u32,
    /// What the vehicle was given and took (or is being sent).
    given: Option<Given>,
    /// The last order the vehicle took, to fall back to on a rejection.
    taken: Option<Given>,
    pending: Option<Pending>,
    running: Option<Running>,
    state: Option<State>,
    rejections: u32,
    header_id: u32,
    given_up: bool,
    /// After a rejection: nothing more on the refused order; the next release waits until
    /// the vehicle finished what it holds, then starts a new order.
    fresh_only: bool,
    /// A `cancelOrder` was sent: the base is forgotten once the vehicle stands still.
    cancelling: bool,
    instant_seq: u32,
    outbox: VecDeque<Outgoing>,
}

impl OrderDesk {
    /// A desk for a vehicle; `run` tags the order ids of this manager run.
    pub fn new(
        agv: AgvId,
        manufacturer: impl Into<String>,
        serial: impl Into<String>,
        run: impl Into<String>,
        config: DeskConfig,
    ) -> Self {
        Self {
            agv,
            manufacturer: manufacturer.into(),
            serial: serial.into(),
            run: run.into(),
            config,
            orders_begun: 0,
            given: None,
            taken: None,
            pending: None,
            running: None,
            state: None,
            rejections: 0,
            header_id: 0,
            given_up: false,
            fresh_only: false,
            cancelling: false,
            instant_seq: 0,
            outbox: VecDeque::new(),
        }
    }

    /// The AGV this desk serves.
    pub fn agv(&self) -> AgvId {
        self.agv
    }

    /// The vehicle's serial number.
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// The last state received.
    pub fn state(&self) -> Option<&State> {
        self.state.as_ref()
    }

    /// Whether the vehicle was given up (it neither takes nor refuses orders usefully).
    pub fn is_given_up(&self) -> bool {
        self.given_up
    }

    /// Takes the messages to send to the vehicle, oldest first.
    pub fn drain_outgoing(&mut self) -> impl Iterator<Item = Outgoing> + '_ {
        self.outbox.drain(..)
    }

    fn header(&mut self, now_ms: u64) -> Header {
        self.header_id = self.header_id.wrapping_add(1);
        Header::new(
            self.header_id,
            Timestamp::from_unix_millis(now_ms),
            self.manufacturer.clone(),
            self.serial.clone(),
        )
    }

    /// Whether the vehicle has done everything of the order it was given: it stands at the
    /// last base node and no action of the order is waiting or running.
    fn finished(&self) -> bool {
        let (Some(given), Some(state)) = (&self.given, &self.state) else {
            return self.given.is_none();
        };
        self.pending.is_none()
            && state.order_id == given.order_id
            && state.order_update_id == given.update_id
            && !state.driving
            && state.node_states.iter().all(|n| !n.released)
            && state.last_node_sequence_id == given.last().1
            && state.action_states.iter().all(|a| {
                matches!(
                    a.action_status,
                    vda5050::ActionStatus::Finished | vda5050::ActionStatus::Failed
                ) || !a.action_id.starts_with(&self.run)
            })
    }

    /// The core released `to` to the vehicle: extends its base by that node, with `horizon`
    /// (the route on from `to`) unreleased. Returns false, changing nothing, when `to` does not
    /// follow the last base node.
    pub fn release(
        &mut self,
        yard: &Yard,
        to: WaypointId,
        max_speed_mps: f64,
        horizon: &[WaypointId],
        now: Instant,
        now_ms: u64,
    ) -> bool {
        let from = match (&self.given, &self.state) {
            (Some(given), _) => given.last().0,
            (None, Some(state)) => match yard.find(&state.last_node_id) {
                Some(at) => at,
                None => return false,
            },
            (None, None) => return false,
        };
        if yard.lane_between(from, to).is_none() {
            warn!(agv = %self.agv, from = %yard.waypoint(from).name, to = %yard.waypoint(to).name,
                "release refused: no lane from the last base node");
            return false;
        }
        let speed = max_speed_mps.min(
            yard.lane_between(from, to)
                .map_or(f64::INFINITY, |l| yard.lane(l).speed_limit_mps),
        );
        let Some(fresh) = self.may_send() else {
            return false;
        };
        let given = match (&self.given, fresh) {
            (Some(given), false) => Given {
                order_id: given.order_id.clone(),
                update_id: given.update_id + 1,
                base: vec![given.last(), (to, given.last().1 + 2)],
            },
            _ => Given {
                order_id: self.next_order_id(),
                update_id: 0,
                base: vec![(from, 0), (to, 2)],
            },
        };
        let order = self.order_message(yard, &given, Some(speed), horizon, &[], now_ms);
        self.extend_given(given, fresh);
        self.send_order(order, now);
        true
    }

    /// The core started an action where the vehicle stands. Returns false, sending
    /// nothing, while the desk waits for the vehicle to finish after a rejection.
    pub fn start_action(
        &mut self,
        yard: &Yard,
        id: ActionId,
        action: Action,
        at: WaypointId,
        now: Instant,
        now_ms: u64,
    ) -> bool {
        let vda = self.action_message(yard, id, action);
        let Some(fresh) = self.may_send() else {
            return false;
        };
        let given = match (&self.given, fresh) {
            (Some(given), false) => Given {
                order_id: given.order_id.clone(),
                update_id: given.update_id + 1,
                base: vec![given.last()],
            },
            _ => Given {
                order_id: self.next_order_id(),
                update_id: 0,
                base: vec![(at, 0)],
            },
        };
        let order = self.order_message(yard, &given, None, &[], &[vda], now_ms);
        self.extend_given(given, fresh);
        self.running = Some(Running { id, action, at });
        self.send_order(order, now);
        true
    }

    /// Whether an order may go out now, and if so whether it must be a new order (`true`)
    /// or may update the one given (`false`).
    fn may_send(&self) -> Option<bool> {
        if self.given_up || self.cancelling {
            return None;
        }
        let finished = self.finished();
        if self.fresh_only && !finished {
            return None;
        }
        Some(finished || self.fresh_only)
    }

    /// Pauses (`startPause`) or resumes (`stopPause`) the vehicle.
    pub fn pause(&mut self, paused: bool, now_ms: u64) {
        self.instant(if paused { "startPause" } else { "stopPause" }, now_ms);
    }

    /// Asks the vehicle to cancel its order (`cancelOrder`); the desk forgets its base once
    /// the vehicle's state shows the order gone.
    pub fn cancel(&mut self, now_ms: u64) {
        self.cancelling = true;
        self.pending = None;
        self.instant("cancelOrder", now_ms);
    }

    /// Asks for a fresh state (`stateRequest`).
    pub fn request_state(&mut self, now_ms: u64) {
        self.instant("stateRequest", now_ms);
    }

    /// Asks the vehicle to publish its factsheet (`factsheetRequest`).
    pub fn request_factsheet(&mut self, now_ms: u64) {
        self.instant("factsheetRequest", now_ms);
    }

    fn instant(&mut self, action_type: &str, now_ms: u64) {
        self.instant_seq += 1;
        let action = vda5050::Action {
            action_type: action_type.into(),
            action_id: format!("{}-i{}", self.run, self.instant_seq),
            action_description: None,
            blocking_type: BlockingType::Hard,
            action_parameters: None,
        };
        let header = self.header(now_ms);
        self.outbox.push_back(Outgoing::Instant(InstantActions {
            header,
            actions: vec![action],
        }));
    }

    fn next_order_id(&mut self) -> String {
        self.orders_begun += 1;
        format!("{}-{}-{}", self.run, self.serial, self.orders_begun)
    }

    fn extend_given(&mut self, update: Given, fresh: bool) {
        match (&mut self.given, fresh) {
            (Some(given), false) => {
                given.update_id = update.update_id;
                given.base.extend(update.base.into_iter().skip(1));
            }
            _ => self.given = Some(update),
        }
    }

    fn send_order(&mut self, order: Order, now: Instant) {
        debug!(agv = %self.agv, order = %order.order_id, update = order.order_update_id, "order");
        self.outbox.push_back(Outgoing::Order(order.clone()));
        self.pending = Some(Pending {
            order,
            sent_at: now,
            resends: 0,
        });
    }

    fn node(&self, yard: &Yard, at: WaypointId, seq: u32, released: bool) -> Node {
        let waypoint = yard.waypoint(at);
        Node {
            node_id: waypoint.name.clone(),
            sequence_id: seq,
            node_description: None,
            released,
            node_position: Some(NodePosition {
                x: waypoint.position.x,
                y: waypoint.position.y,
                theta: None,
                allowed_deviation_xy: Some(self.config.allowed_deviation_m),
                allowed_deviation_theta: None,
                map_id: yard.name().to_owned(),
                map_description: None,
            }),
            actions: Vec::new(),
        }
    }

    fn order_message(
        &mut self,
        yard: &Yard,
        given: &Given,
        speed: Option<f64>,
        horizon: &[WaypointId],
        actions: &[vda5050::Action],
        now_ms: u64,
    ) -> Order {
        let mut nodes: Vec<Node> = given
            .base
            .iter()
            .map(|&(w, seq)| self.node(yard, w, seq, true))
            .collect();
        if let Some(first) = nodes.first_mut() {
            first.actions = actions.to_vec();
        }
        let mut seq = given.last().1;
        for &w in horizon.iter().take(self.config.horizon_nodes) {
            seq += 2;
            nodes.push(self.node(yard, w, seq, false));
        }
        let edges = nodes
            .windows(2)
            .map(|pair| {
                let (a, b) = (&pair[0], &pair[1]);
                let limit = yard
                    .find(&a.node_id)
                    .zip(yard.find(&b.node_id))
                    .and_then(|(a, b)| yard.lane_between(a, b))
                    .map(|l| yard.lane(l).speed_limit_mps);
                let max_speed = if b.released { speed.or(limit) } else { limit };
                edge(a, b, max_speed)
            })
            .collect();
        let header = self.header(now_ms);
        Order {
            header,
            order_id: given.order_id.clone(),
            order_update_id: given.update_id,
            zone_set_id: None,
            nodes,
            edges,
        }
    }

    fn action_message(&self, yard: &Yard, id: ActionId, action: Action) -> vda5050::Action {
        let times = yard.times();
        let (action_type, load, duration_s) = match action {
            Action::Pick { container } => ("pick", Some(container), times.crane_lift_s),
            Action::Drop { container } => ("drop", Some(container), times.crane_lift_s),
            Action::GateCheck => ("gateCheck", None, times.booth_check_s),
            Action::BorderCheck => ("borderCheck", None, times.border_check_s),
            Action::BatterySwap => ("startCharging", None, times.battery_swap_s),
        };
        let mut parameters = vec![ActionParameter {
            key: "duration".into(),
            value: serde_json::json!(duration_s),
        }];
        if let Some(container) = load {
            parameters.push(ActionParameter {
                key: "loadId".into(),
                value: serde_json::json!(container.to_string()),
            });
        }
        vda5050::Action {
            action_type: action_type.into(),
            action_id: self.action_id(id),
            action_description: None,
            blocking_type: BlockingType::Hard,
            action_parameters: Some(parameters),
        }
    }

    fn action_id(&self, id: ActionId) -> String {
        format!("{}-a{}", self.run, id.0)
    }

    /// Takes a state from the vehicle.
    pub fn on_state(&mut self, yard: &Yard, state: State, now_ms: u64) -> Vec<DeskEvent> {
        let mut events = Vec::new();
        if let Some(pending) = &self.pending {
            let order = &pending.order;
            if state.order_id == order.order_id && state.order_update_id >= order.order_update_id {
                self.pending = None;
                self.rejections = 0;
                self.fresh_only = false;
                self.taken = self.given.clone();
            } else if let Some(reason) = rejection(&state, &order.order_id, order.order_update_id) {
                warn!(agv = %self.agv, order = %order.order_id, update = order.order_update_id,
                    %reason, "order rejected; re-planning from the vehicle's state");
                events.push(DeskEvent::Rejected {
                    order_id: order.order_id.clone(),
                    order_update_id: order.order_update_id,
                    reason,
                });
                self.pending = None;
                self.rejections += 1;
                // fall back to what the vehicle holds; the next release starts a new order
                self.given = self.taken.clone().filter(|t| t.order_id == state.order_id);
                self.fresh_only = true;
                self.running = self.running.filter(|r| {
                    state
                        .action_states
                        .iter()
                        .any(|a| a.action_id == self.action_id(r.id))
                });
                if self.rejections >= self.config.max_rejections {
                    self.give_up(&mut events, "rejects every order");
                }
            }
        }
        if self.cancelling && !state.driving && state.node_states.iter().all(|n| !n.released) {
            info!(agv = %self.agv, "order cancelled; the vehicle stands at its last node");
            self.cancelling = false;
            self.given = None;
            self.taken = None;
            self.running = None;
            self.state = Some(state);
            return events;
        }
        let known = |id: &str| id.is_empty() || id.starts_with(&self.run);
        if !known(&state.order_id) {
            // an order of an earlier manager run: clear it before giving our own
            if self
                .state
                .as_ref()
                .is_none_or(|s| s.order_id != state.order_id)
            {
                info!(agv = %self.agv, order = %state.order_id, "vehicle holds an unknown order; cancelling");
                self.cancel(now_ms);
            }
            self.given = None;
            self.taken = None;
        } else if self.pending.is_none()
            && let Some(given) = &self.given
            && state.order_id != given.order_id
        {
            // the vehicle lost our order (it restarted, or it was cancelled)
            let given = given.clone();
            self.given = None;
            self.taken = None;
            self.state = Some(state);
            self.resume(yard, &given, now_ms);
            return events;
        }
        self.state = Some(state);
        events
    }

    /// Gives a vehicle that lost its order what is left of it, from where it stands.
    fn resume(&mut self, yard: &Yard, lost: &Given, now_ms: u64) {
        let Some(state) = &self.state else { return };
        let Some(at) = yard.find(&state.last_node_id) else {
            return;
        };
        let left: Vec<WaypointId> = match lost.base.iter().position(|&(w, _)| w == at) {
            Some(i) => lost.base[i + 1..].iter().map(|&(w, _)| w).collect(),
            None => Vec::new(),
        };
        let rerun = self
            .running
            .filter(|r| r.at == at && !self.action_done(r.id))
            .map(|r| self.action_message(yard, r.id, r.action));
        if left.is_empty() && rerun.is_none() {
            info!(agv = %self.agv, "vehicle lost its order with nothing left to drive; dropped");
            self.running = self.running.filter(|r| self.action_done(r.id));
            return;
        }
        let mut base = vec![(at, 0)];
        base.extend(
            left.iter()
                .enumerate()
                .map(|(i, &w)| (w, 2 * (i as u32 + 1))),
        );
        let connected = base
            .windows(2)
            .all(|p| yard.lane_between(p[0].0, p[1].0).is_some());
        if !connected {
            info!(agv = %self.agv, "vehicle is off its released base; base dropped, re-planning");
            return;
        }
        let given = Given {
            order_id: self.next_order_id(),
            update_id: 0,
            base,
        };
        info!(agv = %self.agv, order = %given.order_id, nodes = given.base.len(),
            "vehicle lost its order; resuming it");
        let actions: Vec<_> = rerun.into_iter().collect();
        let order = self.order_message(yard, &given, None, &[], &actions, now_ms);
        self.given = Some(given);
        self.send_order(order, Instant::now());
    }

    fn action_done(&self, id: ActionId) -> bool {
        let vda = self.action_id(id);
        self.state.as_ref().is_some_and(|s| {
            s.action_states
                .iter()
                .any(|a| a.action_id == vda && a.action_status == vda5050::ActionStatus::Finished)
        })
    }

    fn give_up(&mut self, events: &mut Vec<DeskEvent>, reason: &str) {
        if !self.given_up {
            self.given_up = true;
            warn!(agv = %self.agv, reason, "vehicle given up; held out of the plan");
            events.push(DeskEvent::GaveUp {
                reason: reason.to_owned(),
            });
        }
    }

    /// Resends an order the vehicle has not taken in time; gives the vehicle up after the
    /// last resend.
    pub fn poll(&mut self, now: Instant) -> Vec<DeskEvent> {
        let mut events = Vec::new();
        let Some(pending) = &mut self.pending else {
            return events;
        };
        if now.duration_since(pending.sent_at) < self.config.resend_after {
            return events;
        }
        if pending.resends >= self.config.max_resends {
            self.pending = None;
            self.give_up(&mut events, "does not take its order");
            return events;
        }
        pending.resends += 1;
        pending.sent_at = now;
        debug!(agv = %self.agv, order = %pending.order.order_id, resend = pending.resends, "resend");
        self.outbox
            .push_back(Outgoing::Order(pending.order.clone()));
        events
    }

    /// A vehicle given up is taken back, e.g. after it reconnected: the next release starts
    /// a fresh order from where it stands.
    pub fn take_back(&mut self) {
        self.given_up = false;
        self.rejections = 0;
        self.pending = None;
        self.fresh_only = true;
    }

    /// What the core should believe of the vehicle: where it is from its state, and every
    /// node released to it beyond that, taken or still being sent.
    pub fn report(&self, yard: &Yard) -> Option<VehicleReport> {
        let state = self.state.as_ref()?;
        let at = yard.find(&state.last_node_id)?;
        let ahead: Vec<WaypointId> = match &self.given {
            Some(given) => {
                let passed = if state.order_id == given.order_id {
                    state.last_node_sequence_id
                } else {
                    0
                };
                given
                    .base
                    .iter()
                    .filter(|&&(_, seq)| seq > passed)
                    .map(|&(w, _)| w)
                    .collect()
            }
            None => Vec::new(),
        };
        let battery = state.battery_state.battery_charge / 100.0;
        let load = state
            .loads
            .as_ref()
            .and_then(|l| l.first())
            .and_then(|l| l.load_id.as_deref())
            .and_then(parse_container);
        let action = self.running.filter(|r| r.at == at).map(|r| {
            let vda = self.action_id(r.id);
            let status = state
                .action_states
                .iter()
                .find(|a| a.action_id == vda)
                .map_or(ActionStatus::Waiting, |a| status_of(a.action_status));
            ActionState {
                id: r.id,
                action: r.action,
                status,
            }
        });
        Some(VehicleReport {
            agv: self.agv,
            at,
            driving_to: ahead.first().copied(),
            then_to: ahead.get(1).copied(),
            distance_since_last_node_m: state.distance_since_last_node.unwrap_or(0.0),
            battery,
            load,
            action,
        })
    }
}

fn edge(a: &Node, b: &Node, max_speed: Option<f64>) -> Edge {
    Edge {
        edge_id: format!("{}->{}", a.node_id, b.node_id),
        sequence_id: a.sequence_id + 1,
        edge_description: None,
        released: b.released,
        start_node_id: a.node_id.clone(),
        end_node_id: b.node_id.clone(),
        max_speed: max_speed.filter(|s| s.is_finite()),
        max_height: None,
        min_height: None,
        orientation: None,
        orientation_type: None,
        direction: None,
        rotation_allowed: None,
        max_rotation_speed: None,
        length: None,
        trajectory: None,
        corridor: None,
        actions: Vec::new(),
    }
}

/// The vehicle's error refusing this order update, if it reports one.
fn rejection(state: &State, order_id: &str, update_id: u32) -> Option<String> {
    let update = update_id.to_string();
    state.errors.iter().find_map(|e| {
        let refs = e.error_references.as_deref().unwrap_or_default();
        let names = |key: &str, value: &str| {
            refs.iter()
                .any(|r| r.reference_key == key && r.reference_value == value)
        };
        (REJECTIONS.contains(&e.error_type.as_str())
            && names("orderId", order_id)
            && (names("orderUpdateId", &update)
                || !refs.iter().any(|r| r.reference_key == "orderUpdateId")))
        .then(|| {
            format!(
                "{}: {}",
                e.error_type,
                e.error_description.as_deref().unwrap_or("no description")
            )
        })
    })
}

fn status_of(status: vda5050::ActionStatus) -> ActionStatus {
    use vda5050::ActionStatus as Vda;
    match status {
        Vda::Waiting => ActionStatus::Waiting,
        Vda::Initializing | Vda::Running | Vda::Paused => ActionStatus::Running,
        Vda::Finished => ActionStatus::Finished,
        Vda::Failed => ActionStatus::Failed,
    }
}

/// Reads a container id as the desk writes it in `loadId` (`c{n}`).
pub fn parse_container(text: &str) -> Option<ContainerId> {
    text.strip_prefix('c')?.parse().ok().map(ContainerId)
}
