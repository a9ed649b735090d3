//! Driving the base and running node actions, in small steps of simulated time.
//!
//! The vehicle follows straight edges node to node. Its speed is limited by the edge's
//! `maxSpeed` and its own top speed (loaded or empty), and it brakes in time, at the service
//! deceleration, for a slower edge ahead and for every stop: the last base node, a node with
//! actions to run, the next node when cancelling. A pause brakes at once, mid-edge if need
//! be. The heading snaps to the edge's direction at each node: turning time is neglected.
//! The battery drains while driving and, at a tenth of that, standing; it does not drain
//! while charging. An empty battery stops the vehicle.

use nalgebra::{Point2, Vector2};
use vda5050::ActionStatus;

use super::acceptance::node_point;
use super::{Progress, VirtualAgv};
use crate::actions::ActionKind;

/// The longest step of simulated time integrated at once, seconds.
const MAX_STEP_S: f64 = 0.05;
/// Margin added to the stopping distance when asking for more base, metres.
const BASE_REQUEST_MARGIN_M: f64 = 10.0;

impl VirtualAgv {
    /// Lets `dt_s` simulated seconds pass: drives, runs actions, drains the battery.
    ///
    /// Integrates in steps of at most 50 ms of simulated time, so the result depends little on
    /// how the caller slices time.
    pub fn advance(&mut self, dt_s: f64) -> Progress {
        let mut progress = Progress::default();
        if !(dt_s > 0.0 && dt_s.is_finite()) {
            return progress;
        }
        let steps = (dt_s / MAX_STEP_S).ceil().max(1.0);
        let step = dt_s / steps;
        for _ in 0..steps as u64 {
            progress.nodes_reached += self.step(step);
        }
        // the flag stays set for the caller's take_event
        progress.event = self.event;
        progress
    }

    /// One step of `dt` seconds; returns the nodes reached.
    fn step(&mut self, dt: f64) -> u32 {
        let drove = self.speed > 0.0;
        let charging = self.run_node_actions(dt);
        let reached = self.drive(dt);
        self.settle_standstill();
        self.update_base_request();

        // the battery: driving, standing or charging
        if !charging {
            let rate = self.traits.driving_drain_pct_per_s()
                * if drove || self.speed > 0.0 {
                    1.0
                } else {
                    self.traits.standing_drain_share
                };
            self.battery_pct = (self.battery_pct - rate * dt).max(0.0);
        }
        reached
    }

    /// Runs the first unfinished action of the node the vehicle stands on, if it stands and
    /// is not paused; returns whether it is charging.
    fn run_node_actions(&mut self, dt: f64) -> bool {
        if self.speed > 0.0 || self.paused {
            return false;
        }
        let seq = self.last_node_sequence_id;
        let Some(order) = self.order.as_mut() else {
            return false;
        };
        let Some(action) = order
            .actions
            .iter_mut()
            .find(|a| a.node_sequence_id == seq && !a.is_done())
        else {
            return false;
        };

        // start: check the deck first
        if action.status == ActionStatus::Waiting {
            self.event = true;
            let refusal = match (action.kind, &self.load) {
                (ActionKind::Pick, Some(on_board)) => Some(format!("already carries {on_board}")),
                (ActionKind::Drop, on_board)
                    if on_board.as_deref() != action.load_id.as_deref() =>
                {
                    Some(format!(
                        "carries {} not {}",
                        on_board.as_deref().unwrap_or("nothing"),
                        action.load_id.as_deref().unwrap_or("?")
                    ))
                }
                _ => None,
            };
            if let Some(reason) = refusal {
                action.status = ActionStatus::Failed;
                action.result = Some(reason.clone());
                let id = action.action.action_id.clone();
                let kind = action.kind.as_str();
                self.push_error(
                    &format!("{kind}Error"),
                    format!("{kind} {id} failed: {reason}"),
                    vec![super::reference("actionId", &id)],
                );
                return false;
            }
            action.status = ActionStatus::Running;
            action.remaining_s = action.duration_s;
        }

        action.remaining_s -= dt;
        let charging = action.kind == ActionKind::StartCharging;
        if action.remaining_s > 0.0 {
            return charging;
        }
        action.status = ActionStatus::Finished;
        self.event = true;
        match action.kind {
            ActionKind::Pick => self.load = action.load_id.clone(),
            ActionKind::Drop => self.load = None,
            ActionKind::StartCharging => self.battery_pct = 100.0,
            ActionKind::GateCheck | ActionKind::BorderCheck => {}
        }
        charging
    }

    /// The speed to aim at now; 0 when the vehicle may not drive.
    fn target_speed(&self) -> f64 {
        let Some(order) = self.order.as_ref() else {
            return 0.0;
        };
        let (Some(node), Some(edge)) = (order.nodes.first(), order.edges.first()) else {
            return 0.0;
        };
        let blocked_here = self.speed <= 0.0
            && order
                .actions
                .iter()
                .any(|a| a.node_sequence_id == self.last_node_sequence_id && !a.is_done());
        if self.paused || blocked_here || !node.released || !edge.released {
            return 0.0;
        }
        if self.battery_pct <= 0.0 {
            return 0.0;
        }
        let braking = 2.0 * self.traits.deceleration_mps2;
        let mut allowed = self
            .top_speed()
            .min(edge.max_speed.unwrap_or(f64::INFINITY));

        // walk the base ahead: slower edges and the first stop bound the speed now
        let mut ahead = (node_point(node) - self.position).norm();
        for (i, node) in order.nodes.iter().enumerate() {
            let next_edge = order.edges.get(i + 1).filter(|e| e.released);
            let stops = next_edge.is_none()
                || self.cancelling.is_some()
                || order
                    .actions
                    .iter()
                    .any(|a| a.node_sequence_id == node.sequence_id && !a.is_done());
            if stops {
                allowed = allowed.min((braking * ahead).sqrt());
                break;
            }
            let Some(edge) = next_edge else { break };
            if let Some(limit) = edge.max_speed {
                allowed = allowed.min((limit * limit + braking * ahead).sqrt());
            }
            let after = order.nodes.get(i + 1).map_or(node_point(node), node_point);
            ahead += (after - node_point(node)).norm();
        }
        allowed.max(0.0)
    }

    /// Top speed for the load on board.
    fn top_speed(&self) -> f64 {
        if self.load.is_some() {
            self.traits.loaded_speed_mps
        } else {
            self.traits.empty_speed_mps
        }
    }

    /// Changes speed towards the target and moves along the edges; returns nodes reached.
    fn drive(&mut self, dt: f64) -> u32 {
        let target = self.target_speed();
        let before = self.speed;
        self.speed = if target >= before {
            (before + self.traits.acceleration_mps2 * dt).min(target)
        } else if self.paused || self.battery_pct <= 0.0 {
            (before - self.traits.deceleration_mps2 * dt).max(0.0)
        } else {
            // follows the braking curve, which asks for the service deceleration
            target
        };
        if before <= 0.0 && self.speed <= 0.0 {
            return 0;
        }
        let mut to_go = 0.5 * (before + self.speed) * dt;
        let mut reached = 0;
        while to_go > 0.0 {
            let Some(next) = self.order.as_ref().and_then(|o| o.nodes.first()) else {
                self.speed = 0.0;
                break;
            };
            let next_at = node_point(next);
            let offset: Vector2<f64> = next_at - self.position;
            let distance = offset.norm();
            if distance > f64::EPSILON {
                self.heading = offset.y.atan2(offset.x);
            }
            if to_go < distance {
                self.position += offset * (to_go / distance);
                self.distance_since_last_node += to_go;
                break;
            }
            to_go -= distance;
            reached += 1;
            if self.reach_next_node(next_at) {
                self.speed = 0.0;
                break;
            }
        }
        reached
    }

    /// Arrives on the next node: it becomes the last node, and leaves the node and edge
    /// states. Returns whether the vehicle must stop there.
    fn reach_next_node(&mut self, at: Point2<f64>) -> bool {
        self.position = at;
        self.distance_since_last_node = 0.0;
        self.event = true;
        let Some(order) = self.order.as_mut() else {
            return true;
        };
        let node = order.nodes.remove(0);
        order.edges.remove(0);
        self.last_node_id = node.node_id;
        self.last_node_sequence_id = node.sequence_id;
        tracing::trace!(node = %self.last_node_id, "node reached");

        let has_actions = order
            .actions
            .iter()
            .any(|a| a.node_sequence_id == node.sequence_id && !a.is_done());
        let goes_on = order.nodes.first().is_some_and(|n| n.released)
            && order.edges.first().is_some_and(|e| e.released);
        has_actions || !goes_on || self.cancelling.is_some()
    }

    /// Raises `newBaseRequest` near the end of the base when the order has a horizon.
    fn update_base_request(&mut self) {
        let request = self.order.as_ref().is_some_and(|order| {
            if !order.has_horizon() || order.base_end.is_none() {
                return false;
            }
            // distance to the last base node along the edges
            let mut ahead = 0.0;
            let mut from = self.position;
            for node in order.nodes.iter().take_while(|n| n.released) {
                ahead += (node_point(node) - from).norm();
                from = node_point(node);
            }
            ahead <= self.traits.stopping_distance_m(self.speed) + BASE_REQUEST_MARGIN_M
        });
        if request != self.new_base_request {
            self.new_base_request = request;
            self.event = true;
        }
    }
}
