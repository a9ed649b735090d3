//! `order`: the route the fleet manager gives an AGV, as nodes joined by edges.
//!
//! An order alternates nodes and edges, `node, edge, node, ...`, numbered by one `sequenceId`
//! that runs across both and starts at 0. Released nodes and edges form the *base*, what the
//! AGV may drive now; the unreleased rest is the *horizon*, shown for planning only. An order
//! is extended by an update with the same `orderId` and a higher `orderUpdateId` whose first
//! node is the last node of the current base.

use serde::{Deserialize, Serialize};

use crate::{Action, Header};

/// The `order` message, from the fleet manager to one AGV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Header; the manufacturer and serial number name the AGV the order is for.
    #[serde(flatten)]
    pub header: Header,
    /// Identifies the order across its updates.
    pub order_id: String,
    /// Update counter within the order, starting at 0; a vehicle refuses a lower one.
    pub order_update_id: u32,
    /// Zone set the order was planned with, if zones are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone_set_id: Option<String>,
    /// The nodes to traverse, in order; one node alone is a valid order.
    pub nodes: Vec<Node>,
    /// The edges between consecutive nodes; empty for a one-node order.
    pub edges: Vec<Edge>,
}

/// A node of an order: a place to pass or stop at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Node ID, e.g. a waypoint's name.
    pub node_id: String,
    /// Position in the order's node-edge sequence (even for nodes when starting at 0).
    pub sequence_id: u32,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_description: Option<String>,
    /// True for the base, false for the horizon.
    pub released: bool,
    /// Where the node is; optional for vehicles that know it (e.g. line-guided ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_position: Option<NodePosition>,
    /// Actions to run on the node; empty if none.
    pub actions: Vec<Action>,
}

/// Where a node is, in a map's frame.
///
/// # Units and frames
/// Metres and radians in the frame of map `mapId`; every map of a project shares one origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NodePosition {
    /// X in metres.
    pub x: f64,
    /// Y in metres.
    pub y: f64,
    /// Heading the AGV must take on the node, in [-π, π]; free if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theta: Option<f64>,
    /// Radius in metres within which the node counts as passed; 0 means the vehicle's own
    /// tolerance.
    #[serde(
        rename = "allowedDeviationXY",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_deviation_xy: Option<f64>,
    /// Allowed deviation from `theta` either way, in radians.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_deviation_theta: Option<f64>,
    /// The map the position is on.
    pub map_id: String,
    /// Free-text description of the map.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_description: Option<String>,
}

/// An edge of an order: a directed drive from one node to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Edge {
    /// Edge ID, e.g. a lane's name.
    pub edge_id: String,
    /// Position in the order's node-edge sequence, between its two nodes'.
    pub sequence_id: u32,
    /// Free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge_description: Option<String>,
    /// True for the base, false for the horizon.
    pub released: bool,
    /// The node the edge leaves.
    pub start_node_id: String,
    /// The node the edge reaches.
    pub end_node_id: String,
    /// Speed limit on the edge in m/s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_speed: Option<f64>,
    /// Highest allowed height of the vehicle with its load, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_height: Option<f64>,
    /// Lowest allowed height of the load handling device, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_height: Option<f64>,
    /// Heading of the AGV on the edge in [-π, π], read as `orientationType` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orientation: Option<f64>,
    /// How to read `orientation`; tangential if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orientation_type: Option<OrientationType>,
    /// Branch to take at junctions, for line-guided vehicles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Whether the AGV may rotate on the edge; no limit if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_allowed: Option<bool>,
    /// Rotation speed limit in rad/s; no limit if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rotation_speed: Option<f64>,
    /// Path length in metres from the start node to the end node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<f64>,
    /// The curve to follow; the vehicle plans its own if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectory: Option<Trajectory>,
    /// How far the vehicle may leave the trajectory, e.g. around obstacles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corridor: Option<Corridor>,
    /// Actions to run while on the edge; empty if none.
    pub actions: Vec<Action>,
}

/// How an edge's `orientation` is measured.
///
/// The schema leaves this a free string; the standard's text allows only these two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum OrientationType {
    /// Against the map's frame.
    Global,
    /// Against the edge's tangent: 0 forwards, π backwards.
    Tangential,
}

/// A NURBS curve, the path of an edge.
///
/// # Units and frames
/// Control points in metres in the frame of the edge's map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trajectory {
    /// Degree of the curve, at least 1.
    pub degree: u32,
    /// Knots in [0, 1]; as many as control points plus degree plus one.
    pub knot_vector: Vec<f64>,
    /// Control points, the first and last at the edge's ends.
    pub control_points: Vec<ControlPoint>,
}

/// One control point of a [`Trajectory`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlPoint {
    /// X in metres.
    pub x: f64,
    /// Y in metres.
    pub y: f64,
    /// How strongly the point pulls on the curve, at least 0; 1 if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// The band around a trajectory that the vehicle may use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Corridor {
    /// Width to the left of the trajectory, in metres.
    pub left_width: f64,
    /// Width to the right of the trajectory, in metres.
    pub right_width: f64,
    /// What must stay inside the corridor; the kinematic centre if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corridor_ref_point: Option<CorridorRefPoint>,
}

/// What part of the vehicle a [`Corridor`] bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CorridorRefPoint {
    /// The vehicle's kinematic centre.
    KinematicCenter,
    /// The vehicle's whole contour.
    Contour,
}
