//! Which orders the vehicle takes, refuses or ignores: the acceptance rules of VDA 5050 2.1
//! (§6.6), as the wire contract in the crate doc states them.
//!
//! In this order: a malformed order is refused (`validationError`); a new `orderId` is
//! refused while the current order is active (`orderUpdateError`) or when its first node is
//! not where the vehicle is (`noRouteError`); for the same `orderId` a lower
//! `orderUpdateId` is refused (`orderUpdateError`), an equal one ignored and a higher one
//! stitched onto the base, if its first node is the last base node (else
//! `orderUpdateError`). A refusal leaves the current order untouched.

use std::collections::HashSet;
use std::fmt;

use nalgebra::Point2;
use thiserror::Error;
use vda5050::{ActionStatus, Node, Order};

use super::{OrderBook, VirtualAgv, reference};
use crate::actions::{OrderAction, parse_order_action};

/// How an order was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Accepted {
    /// A new `orderId`: the old order is replaced.
    NewOrder,
    /// A higher `orderUpdateId` of the current order, stitched onto its base.
    Update,
    /// The same `orderId` and `orderUpdateId` again: ignored.
    Duplicate,
}

/// Why an order was refused: the `errorType` the vehicle reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// The order is malformed or asks for an action the vehicle does not know.
    Validation,
    /// The order does not follow from the current one (busy, lower update, bad stitch).
    OrderUpdate,
    /// The order's first node is not where the vehicle is.
    NoRoute,
}

impl RejectionKind {
    /// The `errorType` as written in the state's errors.
    pub fn error_type(self) -> &'static str {
        match self {
            Self::Validation => "validationError",
            Self::OrderUpdate => "orderUpdateError",
            Self::NoRoute => "noRouteError",
        }
    }
}

impl fmt::Display for RejectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.error_type())
    }
}

/// An order the vehicle refused; also reported in the state's errors until an order is next
/// accepted.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("order {order_id} update {order_update_id} refused ({kind}): {description}")]
pub struct Rejection {
    /// Why, as an error type.
    pub kind: RejectionKind,
    /// The refused order's `orderId`.
    pub order_id: String,
    /// The refused order's `orderUpdateId`.
    pub order_update_id: u32,
    /// What exactly was wrong.
    pub description: String,
}

impl VirtualAgv {
    /// Takes, refuses or ignores an order by the acceptance rules (see the module doc).
    ///
    /// On acceptance the errors of earlier refusals are cleared. A new order's first node
    /// counts as reached at once (its actions start); an update's first-node actions with
    /// new `actionId`s join that node and run when the vehicle stands there.
    ///
    /// # Errors
    /// A [`Rejection`], which is also added to the state's errors; the current order is left
    /// untouched.
    pub fn handle_order(&mut self, order: &Order) -> Result<Accepted, Rejection> {
        let outcome = self.judge(order);
        self.event = true;
        match &outcome {
            Ok(Accepted::Duplicate) => {}
            Ok(_) => self.errors.clear(),
            Err(rejection) => self.push_error(
                rejection.kind.error_type(),
                rejection.description.clone(),
                vec![
                    reference("orderId", &order.order_id),
                    reference("orderUpdateId", &order.order_update_id.to_string()),
                ],
            ),
        }
        outcome
    }

    fn judge(&mut self, order: &Order) -> Result<Accepted, Rejection> {
        let reject = |kind, description: String| Rejection {
            kind,
            order_id: order.order_id.clone(),
            order_update_id: order.order_update_id,
            description,
        };
        let actions = validate(order).map_err(|d| reject(RejectionKind::Validation, d))?;

        let current = self
            .order
            .as_ref()
            .filter(|current| current.order_id == order.order_id);
        let Some(current) = current else {
            if self.is_busy() {
                return Err(reject(
                    RejectionKind::OrderUpdate,
                    "a new orderId while the current order is active".to_owned(),
                ));
            }
            let since_first = self
                .distance_along_first_edge(order)
                .ok_or_else(|| reject(RejectionKind::NoRoute, self.far_from(&order.nodes[0])))?;
            self.start_order(order, actions, since_first);
            return Ok(Accepted::NewOrder);
        };

        if order.order_update_id < current.order_update_id {
            return Err(reject(
                RejectionKind::OrderUpdate,
                format!(
                    "orderUpdateId {} is lower than the current {}",
                    order.order_update_id, current.order_update_id
                ),
            ));
        }
        if order.order_update_id == current.order_update_id {
            return Ok(Accepted::Duplicate);
        }
        let first = &order.nodes[0];
        let stitch = (first.node_id.clone(), first.sequence_id);
        if current.base_end.as_ref() != Some(&stitch) {
            let base_end = match &current.base_end {
                Some((id, seq)) => format!("{id} (sequenceId {seq})"),
                None => "none (the order was cancelled)".to_owned(),
            };
            return Err(reject(
                RejectionKind::OrderUpdate,
                format!(
                    "first node {} (sequenceId {}) is not the last base node {base_end}",
                    first.node_id, first.sequence_id
                ),
            ));
        }
        self.stitch(order, actions);
        Ok(Accepted::Update)
    }

    /// Metres the vehicle stands past the order's first node if it is there: 0 within the
    /// node's allowed deviation; along the first edge if the first node is the vehicle's
    /// last node and it stands on the segment to the second node within that deviation (a
    /// vehicle restarted mid-edge). `None` if it is elsewhere.
    fn distance_along_first_edge(&self, order: &Order) -> Option<f64> {
        let first = &order.nodes[0];
        let deviation = self.deviation(first);
        let first_at = node_point(first);
        if (self.position - first_at).norm() <= deviation {
            return Some(0.0);
        }
        let second = order.nodes.get(1)?;
        if first.node_id != self.last_node_id {
            return None;
        }
        let segment = node_point(second) - first_at;
        let length = segment.norm();
        if length <= f64::EPSILON {
            return None;
        }
        let along = (self.position - first_at).dot(&segment) / length;
        let off = ((self.position - first_at) - segment * (along / length)).norm();
        ((0.0..=length).contains(&along) && off <= deviation).then_some(along)
    }

    fn far_from(&self, node: &Node) -> String {
        let distance = (self.position - node_point(node)).norm();
        format!(
            "first node {} is {distance:.1} m away, more than its allowed deviation {:.1} m",
            node.node_id,
            self.deviation(node)
        )
    }

    /// The radius within which the vehicle counts itself on `node`.
    pub(super) fn deviation(&self, node: &Node) -> f64 {
        node.node_position
            .as_ref()
            .and_then(|p| p.allowed_deviation_xy)
            .filter(|d| *d > 0.0)
            .unwrap_or(self.traits.node_tolerance_m)
    }

    fn start_order(&mut self, order: &Order, actions: Vec<OrderAction>, since_first: f64) {
        let first = &order.nodes[0];
        self.last_node_id = first.node_id.clone();
        self.last_node_sequence_id = first.sequence_id;
        self.distance_since_last_node = since_first;
        self.instant_states.retain(|s| {
            !matches!(
                s.action_status,
                ActionStatus::Finished | ActionStatus::Failed
            )
        });
        self.order = Some(OrderBook {
            order_id: order.order_id.clone(),
            order_update_id: order.order_update_id,
            nodes: order.nodes[1..].to_vec(),
            edges: order.edges.clone(),
            base_end: base_end(order),
            actions,
        });
        self.new_base_request = false;
    }

    fn stitch(&mut self, order: &Order, actions: Vec<OrderAction>) {
        let Some(book) = self.order.as_mut() else {
            return;
        };
        let stitch_seq = order.nodes[0].sequence_id;

        // the old horizon goes; the base up to the stitching node stays
        book.nodes.retain(|n| n.sequence_id <= stitch_seq);
        book.edges.retain(|e| e.sequence_id < stitch_seq);
        book.nodes.extend_from_slice(&order.nodes[1..]);
        book.edges.extend_from_slice(&order.edges);
        book.order_update_id = order.order_update_id;
        book.base_end = base_end(order);

        // actions whose id is known are a resend; the others join their node
        let known: HashSet<String> = book
            .actions
            .iter()
            .map(|a| a.action.action_id.clone())
            .collect();
        book.actions.extend(
            actions
                .into_iter()
                .filter(|a| !known.contains(&a.action.action_id)),
        );
    }
}

/// The position of a validated node (validation refuses nodes without one).
pub(super) fn node_point(node: &Node) -> Point2<f64> {
    node.node_position
        .as_ref()
        .map_or_else(Point2::origin, |p| Point2::new(p.x, p.y))
}

/// The last released node of a validated order.
fn base_end(order: &Order) -> Option<(String, u32)> {
    order
        .nodes
        .iter()
        .rev()
        .find(|n| n.released)
        .map(|n| (n.node_id.clone(), n.sequence_id))
}

/// Checks an order's shape and actions; returns its actions, or what is wrong.
fn validate(order: &Order) -> Result<Vec<OrderAction>, String> {
    let nodes = &order.nodes;
    let edges = &order.edges;
    if nodes.is_empty() {
        return Err("the order has no node".to_owned());
    }
    if edges.len() + 1 != nodes.len() {
        return Err(format!(
            "{} nodes need {} edges, the order has {}",
            nodes.len(),
            nodes.len() - 1,
            edges.len()
        ));
    }
    if let Some(node) = nodes.iter().find(|n| n.node_position.is_none()) {
        return Err(format!("node {} has no nodePosition", node.node_id));
    }
    if let Some(node) = nodes.iter().find(|n| n.sequence_id % 2 != 0) {
        return Err(format!(
            "node {} has odd sequenceId {}",
            node.node_id, node.sequence_id
        ));
    }
    if !nodes[0].released {
        return Err(format!("first node {} is not released", nodes[0].node_id));
    }
    for (i, edge) in edges.iter().enumerate() {
        let (from, to) = (&nodes[i], &nodes[i + 1]);
        if edge.sequence_id % 2 != 1
            || edge.sequence_id <= from.sequence_id
            || to.sequence_id <= edge.sequence_id
        {
            return Err(format!(
                "sequenceIds {}, {}, {} of {}, {}, {} do not alternate node/edge upwards",
                from.sequence_id,
                edge.sequence_id,
                to.sequence_id,
                from.node_id,
                edge.edge_id,
                to.node_id
            ));
        }
        if edge.start_node_id != from.node_id || edge.end_node_id != to.node_id {
            return Err(format!(
                "edge {} runs {} -> {} between nodes {} and {}",
                edge.edge_id, edge.start_node_id, edge.end_node_id, from.node_id, to.node_id
            ));
        }
        // released: a prefix of node, edge, node, ... that ends on a node (an edge is
        // released together with its end node)
        if edge.released != to.released || edge.released && !from.released {
            return Err(format!(
                "released element after an unreleased one at edge {} / node {}",
                edge.edge_id, to.node_id
            ));
        }
        if !edge.actions.is_empty() {
            return Err(format!(
                "edge {} has actions; this vehicle runs actions on nodes only",
                edge.edge_id
            ));
        }
    }

    // the actions: known types, sound parameters, unique ids
    let mut ids = HashSet::new();
    let mut actions = Vec::new();
    for node in nodes {
        for action in &node.actions {
            if !ids.insert(action.action_id.as_str()) {
                return Err(format!("actionId {} appears twice", action.action_id));
            }
            actions.push(parse_order_action(action, node.sequence_id)?);
        }
    }
    Ok(actions)
}
